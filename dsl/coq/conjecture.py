"""Coq/Rocq theorem statements (miniF2F style) → the statement IR.

Coq chooses the meaning of ``+``, ``/`` or a numeral by notation scope, not by
type: the scopes opened in the header (``Open Scope R_scope``), a delimiter
(``(x + 1)%Z``), or the scope bound to a function's argument (``Rabs`` reads
its argument in ``R_scope``, ``IZR`` in ``Z_scope``). This elaborator follows
the same rules, then checks that operand sorts agree as Coq's type checker
would; whatever it cannot interpret exactly (transcendental functions,
``Qden``, lists, sets, ...) raises ``Unsupported``.
"""

from __future__ import annotations

import re
from fractions import Fraction

from lemmata.dsl.coq.declarations import outline
from lemmata.dsl.ir import (
    Apply, Compare, Dvd, Formula, FunctionSymbol, Logic, Num, Op, Quant, Sort, Conjecture, Term, Truth,
    Unsupported, Var, cast,
)
from lemmata.dsl.syntax import Node, TokenStream, spine
from lemmata.dsl.syntax import tokenize as split_tokens

_TOKEN = re.compile(
    r"\s*(?:(?P<num>\d+(?:\.\d+)?)|(?P<ident>[A-Za-z_][\w'.]*[\w']|[A-Za-z_])"
    r"|(?P<op><->|->|/\\|\\/|<>|<=|>=|=>|==|[-+*/^~=<>(),:%#|]))"
)
_SCOPES = {"R": Sort.REAL, "R_scope": Sort.REAL, "Z": Sort.INT, "Z_scope": Sort.INT, "nat": Sort.NAT,
           "nat_scope": Sort.NAT, "Q": Sort.RAT, "Q_scope": Sort.RAT, "N": Sort.NAT}
_TYPES = {"R": Sort.REAL, "Z": Sort.INT, "nat": Sort.NAT, "Q": Sort.RAT}
_KEYWORDS = {"forall", "exists", "fun", "mod"}

# name -> (argument sorts, result sort, IR op or special)
_FUNCTIONS: dict[str, tuple[tuple[Sort, ...], Sort, str]] = {
    "Rabs": ((Sort.REAL,), Sort.REAL, "abs"), "sqrt": ((Sort.REAL,), Sort.REAL, "sqrt"),
    "R_sqrt.sqrt": ((Sort.REAL,), Sort.REAL, "sqrt"), "Rmax": ((Sort.REAL, Sort.REAL), Sort.REAL, "max"),
    "Rmin": ((Sort.REAL, Sort.REAL), Sort.REAL, "min"), "Rsqr": ((Sort.REAL,), Sort.REAL, "sqr"),
    "IZR": ((Sort.INT,), Sort.REAL, "cast"), "INR": ((Sort.NAT,), Sort.REAL, "cast"),
    "Rplus": ((Sort.REAL, Sort.REAL), Sort.REAL, "add"), "Rminus": ((Sort.REAL, Sort.REAL), Sort.REAL, "sub"),
    "Rmult": ((Sort.REAL, Sort.REAL), Sort.REAL, "mul"), "Rdiv": ((Sort.REAL, Sort.REAL), Sort.REAL, "div"),
    "Z.abs": ((Sort.INT,), Sort.INT, "abs"), "Zabs": ((Sort.INT,), Sort.INT, "abs"),
    "Z.max": ((Sort.INT, Sort.INT), Sort.INT, "max"), "Z.min": ((Sort.INT, Sort.INT), Sort.INT, "min"),
    "Z.gcd": ((Sort.INT, Sort.INT), Sort.INT, "gcd"), "Z.lcm": ((Sort.INT, Sort.INT), Sort.INT, "lcm"),
    "Z.div": ((Sort.INT, Sort.INT), Sort.INT, "div"), "Z.modulo": ((Sort.INT, Sort.INT), Sort.INT, "mod"),
    "Zmod": ((Sort.INT, Sort.INT), Sort.INT, "mod"), "Z.pow": ((Sort.INT, Sort.INT), Sort.INT, "pow"),
    "Z.of_nat": ((Sort.NAT,), Sort.INT, "cast"), "Z.to_nat": ((Sort.INT,), Sort.NAT, "tonat"),
    "Z.add": ((Sort.INT, Sort.INT), Sort.INT, "add"), "Z.sub": ((Sort.INT, Sort.INT), Sort.INT, "sub"),
    "Z.mul": ((Sort.INT, Sort.INT), Sort.INT, "mul"),
    "Nat.gcd": ((Sort.NAT, Sort.NAT), Sort.NAT, "gcd"), "Nat.lcm": ((Sort.NAT, Sort.NAT), Sort.NAT, "lcm"),
    "Nat.div": ((Sort.NAT, Sort.NAT), Sort.NAT, "div"), "Nat.modulo": ((Sort.NAT, Sort.NAT), Sort.NAT, "mod"),
    "Nat.pow": ((Sort.NAT, Sort.NAT), Sort.NAT, "pow"), "Nat.add": ((Sort.NAT, Sort.NAT), Sort.NAT, "add"),
    "Nat.sub": ((Sort.NAT, Sort.NAT), Sort.NAT, "sub"), "Nat.mul": ((Sort.NAT, Sort.NAT), Sort.NAT, "mul"),
    "S": ((Sort.NAT,), Sort.NAT, "succ"), "Nat.succ": ((Sort.NAT,), Sort.NAT, "succ"),
    "inject_Z": ((Sort.INT,), Sort.RAT, "cast"), "Q2R": ((Sort.RAT,), Sort.REAL, "cast"),
    "Qplus": ((Sort.RAT, Sort.RAT), Sort.RAT, "add"), "Qminus": ((Sort.RAT, Sort.RAT), Sort.RAT, "sub"),
    "Qmult": ((Sort.RAT, Sort.RAT), Sort.RAT, "mul"), "Qdiv": ((Sort.RAT, Sort.RAT), Sort.RAT, "div"),
}
_PREDICATES = {"Nat.Even": Sort.NAT, "Nat.Odd": Sort.NAT, "Z.Even": Sort.INT, "Z.Odd": Sort.INT,
               "Nat.divide": Sort.NAT, "Z.divide": Sort.INT}
_COMPARE = {"=": "eq", "<>": "ne", "<": "lt", "<=": "le", ">": "gt", ">=": "ge", "==": "eq"}


# ---- syntax -----------------------------------------------------------------

def tokenize(text: str) -> list[str]:
    return split_tokens(text, _TOKEN)


class _Parser(TokenStream):
    # Coq notation levels: a lower level binds tighter
    INFIX = {"<->": 95, "->": 99, "\\/": 85, "/\\": 80, "=": 70, "<>": 70, "<": 70, "<=": 70, ">": 70,
             ">=": 70, "==": 70, "+": 50, "-": 50, "*": 40, "/": 40, "mod": 40, "#": 39, "^": 30}
    RIGHT_ASSOC = {"->", "/\\", "\\/", "^"}
    PREFIX = {"~": 75, "-": 35, "/": 35}  # operator -> level of its operand

    def parse(self, limit: int = 200) -> Node:
        left = self.prefix()
        while True:
            tok = self.peek()
            if tok in self.INFIX and self.INFIX[tok] <= limit:
                level = self.INFIX[tok]
                self.next()
                # right-associative operators accept their own level on the right
                right = self.parse(level if tok in self.RIGHT_ASSOC else level - 1)
                left = Node("bin", tok, (left, right))
                if tok in _COMPARE and self.peek() in _COMPARE:  # chains: x < y <= z
                    op2 = self.next()
                    third = self.parse(70)
                    left = Node("bin", "/\\", (left, Node("bin", op2, (right, third))))
            elif tok == "%":
                self.next()
                left = Node("scope", self.next(), (left,))
            elif tok is not None and (tok == "(" or _is_atom(tok)) and limit >= 1:
                left = Node("app", None, (left, self.atom()))
            else:
                return left

    def prefix(self) -> Node:
        tok = self.peek()
        if tok in ("forall", "exists"):
            self.next()
            binders = self.binders()
            self.expect(",")
            return Node("bind", tok, (binders, self.parse(200)))
        if tok in self.PREFIX:
            self.next()
            return Node("un", tok, (self.parse(self.PREFIX[tok]),))
        return self.atom()

    def atom(self) -> Node:
        tok = self.next()
        if tok == "(":
            inner = self.parse(200)
            if self.peek() == "|":  # (a | b)%Z divisibility
                self.next()
                inner = Node("dvd", None, (inner, self.parse(200)))
            self.expect(")")
            return inner
        if tok[0].isdigit():
            return Node("num", Fraction(tok))
        if _is_atom(tok):
            return Node("id", tok)
        raise Unsupported(f"unexpected {tok!r}")

    def binders(self) -> list[tuple[list[str], Node | None]]:
        groups: list[tuple[list[str], Node | None]] = []
        if self.peek() != "(":
            names = self.names_until(":", ",")
            sort = None
            if self.peek() == ":":
                self.next()
                sort = self.parse(199)
            return [(names, sort)]
        while self.peek() == "(":
            self.next()
            groups.append(self.binder_group(lambda: self.parse(200)))
        return groups


def _is_atom(tok: str) -> bool:
    return (tok[0].isalpha() or tok[0] == "_" or tok[0].isdigit()) and tok not in _KEYWORDS


# ---- elaboration --------------------------------------------------------------

def _type_of(node: Node | None) -> tuple[tuple[Sort, ...], Sort] | Sort:
    if node is None:
        raise Unsupported("a binder without a type")
    if node.kind == "id" and node.value in _TYPES:
        return _TYPES[node.value]
    if node.kind == "bin" and node.value == "->":
        dom = _type_of(node.args[0])
        cod = _type_of(node.args[1])
        if isinstance(dom, Sort) and isinstance(cod, Sort):
            return ((dom,), cod)
        if isinstance(dom, Sort) and isinstance(cod, tuple):
            return ((dom, *cod[0]), cod[1])
    raise Unsupported("a variable of a type other than nat, Z, Q, R or functions between them")


class _Elaborator:
    def __init__(self, scope: Sort) -> None:
        self.scope = scope
        self.vars: dict[str, Var] = {}
        self.functions: dict[str, FunctionSymbol] = {}

    def declare(self, binders, bound: bool, hypotheses: list[Formula] | None = None) -> list[Var]:
        """Declare binder variables; a binder whose type is a proposition is a hypothesis."""
        out = []
        for names, type_node in binders:
            try:
                typ = _type_of(type_node)
            except Unsupported:
                if hypotheses is None or type_node is None:
                    raise
                hypotheses.extend(self.formula(type_node, self.scope) for _ in names)
                continue
            for name in names:
                if isinstance(typ, Sort):
                    var = Var(name, typ)
                    self.vars[name] = var
                    out.append(var)
                elif bound:
                    raise Unsupported("a quantified function variable")
                else:
                    self.functions[name] = FunctionSymbol(name, typ[0], typ[1])
        return out

    # formulas
    def formula(self, node: Node, scope: Sort) -> Formula:
        if node.kind == "scope":
            return self.formula(node.args[0], _SCOPES.get(node.value, scope))
        if node.kind == "id" and node.value in ("True", "False"):
            return Truth(node.value == "True")
        if node.kind == "un" and node.value == "~":
            return Logic("not", (self.formula(node.args[0], scope),))
        if node.kind == "bind":
            saved = dict(self.vars)
            bound = self.declare(node.args[0], bound=True)
            body = self.formula(node.args[1], scope)
            self.vars = saved
            return Quant("forall" if node.value == "forall" else "exists", tuple(bound), body)
        if node.kind == "dvd":
            a, b = self.term(node.args[0], scope), self.term(node.args[1], scope)
            return Dvd(*self.unify(a, b))
        if node.kind == "app":
            head, args = spine(node)
            if head in _PREDICATES:
                sort = _PREDICATES[head]
                terms = [self.term(a, sort) for a in args]
                if head.endswith("divide") and len(terms) == 2:
                    return Dvd(terms[0], terms[1])
                if len(terms) == 1:
                    even = Dvd(Num(Fraction(2), sort), terms[0])
                    return even if head.endswith("Even") else Logic("not", (even,))
            raise Unsupported(f"the predicate {head}")
        if node.kind == "bin":
            op = node.value
            if op in ("/\\", "\\/", "->", "<->"):
                a, b = (self.formula(x, scope) for x in node.args)
                kind = {"/\\": "and", "\\/": "or", "->": "implies", "<->": "iff"}[op]
                return Logic(kind, (a, b))
            if op in _COMPARE:
                a, b = self.term(node.args[0], scope), self.term(node.args[1], scope)
                return Compare(_COMPARE[op], *self.unify(a, b))
        raise Unsupported(f"the proposition {_show(node)}")

    @staticmethod
    def unify(a: Term, b: Term) -> tuple[Term, Term]:
        if a.sort != b.sort:
            # Coq has no implicit casts between these types; numerals alone follow the other side
            if isinstance(a, Num) and a.value.denominator == 1:
                return Num(a.value, b.sort), b
            if isinstance(b, Num) and b.value.denominator == 1:
                return a, Num(b.value, a.sort)
            raise Unsupported(f"operands of sorts {a.sort.value} and {b.sort.value}")
        return a, b

    # terms
    def term(self, node: Node, scope: Sort) -> Term:
        if node.kind == "scope":
            return self.term(node.args[0], _SCOPES.get(node.value, scope))
        if node.kind == "num":
            value = node.value
            if value.denominator != 1 and scope.integral:
                raise Unsupported("a decimal literal outside R/Q")
            return Num(value, scope)
        if node.kind == "id":
            if node.value in self.vars:
                return self.vars[node.value]
            if node.value in ("R0", "R1"):
                return Num(Fraction(node.value[1]), Sort.REAL)
            raise Unsupported(f"the constant {node.value}")
        if node.kind == "un":
            arg = self.term(node.args[0], scope)
            if node.value == "-":
                if arg.sort is Sort.NAT:
                    raise Unsupported("negation in nat")
                return Op("neg", (arg,), arg.sort, "coq")
            one = Num(Fraction(1), arg.sort)
            return Op("div", (one, arg), arg.sort, "coq")
        if node.kind == "bin" and node.value == "#":
            a, b = node.args
            if a.kind == "num" and b.kind == "num":
                return Num(a.value / b.value, Sort.RAT) if b.value else Num(Fraction(0), Sort.RAT)
            raise Unsupported("a Q literal with non-numeral parts")
        if node.kind == "bin" and node.value in ("+", "-", "*", "/", "mod", "^"):
            return self.arith(node, scope)
        if node.kind == "app":
            return self.application(node, scope)
        raise Unsupported(f"the term {_show(node)}")

    def arith(self, node: Node, scope: Sort) -> Term:
        op = {"+": "add", "-": "sub", "*": "mul", "/": "div", "mod": "mod", "^": "pow"}[node.value]
        if op == "pow":
            base = self.term(node.args[0], scope)
            exp_scope = Sort.NAT if scope in (Sort.REAL, Sort.NAT, Sort.RAT) else Sort.INT
            exponent = self.term(node.args[1], exp_scope)
            return Op("pow", (base, exponent), base.sort, "coq")
        a, b = self.term(node.args[0], scope), self.term(node.args[1], scope)
        a, b = self.unify(a, b)
        if a.sort != scope and not (isinstance(a, Num) and isinstance(b, Num)):
            # the notation of this scope requires operands of its type
            raise Unsupported(f"'{node.value}' of {scope.value}_scope applied to {a.sort.value}")
        if op == "mod" and not a.sort.integral:
            raise Unsupported("mod outside nat/Z")
        return Op(op, (a, b), scope, "coq")

    def application(self, node: Node, scope: Sort) -> Term:
        head, args = spine(node)
        if head in self.functions:
            fn = self.functions[head]
            if len(args) != len(fn.domain):
                raise Unsupported(f"partial application of {head}")
            terms = tuple(self.unify(self.term(a, s), Num(Fraction(0), s))[0] for a, s in zip(args, fn.domain))
            for t, s in zip(terms, fn.domain):
                if t.sort != s:
                    raise Unsupported(f"argument of sort {t.sort.value} given to {head}")
            return Apply(head, terms, fn.codomain)
        if head in ("sum_f_R0",):
            raise Unsupported("sum_f_R0 over a non-constant function")
        if head not in _FUNCTIONS:
            raise Unsupported(f"the function {head}")
        domain, result, op = _FUNCTIONS[head]
        if len(args) != len(domain):
            raise Unsupported(f"{head} applied to {len(args)} arguments")
        terms = []
        for a, s in zip(args, domain):
            t = self.term(a, s)  # the argument scope is bound to the argument's type
            if isinstance(t, Num):
                t = Num(t.value, s)
            if t.sort != s:
                raise Unsupported(f"{head} expects {s.value}, got {t.sort.value}")
            terms.append(t)
        if op == "cast":
            return cast(terms[0], result)
        if op == "sqr":
            return Op("mul", (terms[0], terms[0]), result, "coq")
        if op == "succ":
            return Op("add", (terms[0], Num(Fraction(1), Sort.NAT)), Sort.NAT, "coq")
        return Op(op, tuple(terms), result, "coq")




def _show(node: Node) -> str:
    if node.kind in ("num", "id"):
        return str(node.value)
    return f"{node.kind}:{node.value}"


# ---- statements -----------------------------------------------------------------

def _header_scope(sentences: list[str]) -> Sort:
    scope = Sort.NAT
    for code in sentences:
        m = re.match(r"(?:Local\s+|Global\s+)?Open\s+Scope\s+(\w+)", code)
        if m and m[1] in _SCOPES:
            scope = _SCOPES[m[1]]
    return scope


def read_coq_conjecture(text: str, theorem: str | None = None) -> Conjecture:
    """The IR of the (named, or last) top-level theorem of a Coq file."""
    doc = outline(text)
    theorems = doc.top_level_theorems()
    target = next((t for t in theorems if t.name == theorem), None) if theorem else (theorems[-1] if theorems else None)
    if target is None:
        raise Unsupported(f"no theorem {theorem}" if theorem else "no theorem in the file")
    header = [" ".join(s.code().split()) for s in doc.sentences[: target.index]]
    for code in header:
        if re.match(r"(Definition|Fixpoint|Let|Notation|Infix|Parameter|Axiom|Variable|Hypothesis)\b", code):
            raise Unsupported(f"the statement's header declares something: {code[:60]}")
    code = " ".join(target.sentence.code().split())
    after_name = re.search(rf"\b{re.escape(target.name)}(?![\w'])", code)
    assert after_name is not None
    binders_text, body = _split_binders(code[after_name.end():].strip().removesuffix("."))
    elaborator = _Elaborator(_header_scope(header))
    variables: list[Var] = []
    hypotheses: list[Formula] = []
    if binders_text.strip():
        parser = _Parser(tokenize(binders_text))
        variables += elaborator.declare(parser.binders(), bound=False, hypotheses=hypotheses)
    tree = _Parser(tokenize(body))
    node = tree.parse()
    if tree.peek() is not None:
        raise Unsupported(f"unexpected {tree.peek()!r} in the statement")
    while True:
        if node.kind == "bind" and node.value == "forall":
            variables += elaborator.declare(node.args[0], bound=False, hypotheses=hypotheses)
            node = node.args[1]
        elif node.kind == "bin" and node.value == "->":
            hypotheses.append(elaborator.formula(node.args[0], elaborator.scope))
            node = node.args[1]
        else:
            break
    goal = elaborator.formula(node, elaborator.scope)
    return Conjecture(target.name, "coq", tuple(variables), tuple(elaborator.functions.values()),
                     tuple(hypotheses), goal)


def _split_binders(text: str) -> tuple[str, str]:
    """``(x : R) (h : ...) : body`` → (binders, body): the first ':' outside brackets."""
    depth = 0
    for i, ch in enumerate(text):
        if ch in "([{":
            depth += 1
        elif ch in ")]}":
            depth -= 1
        elif ch == ":" and depth == 0 and not text.startswith(":=", i):
            return text[:i], text[i + 1:]
    raise Unsupported("no ':' in the theorem statement")


__all__ = ["read_coq_conjecture", "tokenize"]
