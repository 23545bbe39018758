"""Lean 4 + Mathlib theorem statements (miniF2F style) → the statement IR.

Types follow Lean's ``binop%``/``binrel%`` elaborator: the leaves of an
arithmetic tree (through ``+ - * / %``, unary minus and the base of ``^``,
and both sides of a relation) are elaborated first, the tree takes the
largest of their types (ℕ < ℤ < ℚ < ℝ), every leaf of a smaller type is cast
up *at the leaf*, and numerals take the tree's type (ℕ when nothing else
decides). So ``((1 / 3 : ℕ) : ℝ)`` divides in ℕ and is 0, while ``x + n`` with
``x : ℝ`` is ``x + ↑n``. An exponent is elaborated on its own (ℕ by default).
Anything without an exact meaning here (``π``, ``Real.log``, ``Nat.Prime``,
sets, factorials, ...) raises ``Unsupported``.
"""

from __future__ import annotations

import re
from fractions import Fraction

from lemmata.dsl.ir import (
    Apply, BigOp, Compare, Dvd, Formula, FunctionSymbol, Logic, Num, Op, Quant, Sort, Conjecture, Term, Truth,
    Unsupported, Var, cast,
)
from lemmata.dsl.syntax import Node, TokenStream, spine
from lemmata.dsl.syntax import tokenize as split_tokens

_TYPES = {"ℕ": Sort.NAT, "Nat": Sort.NAT, "ℤ": Sort.INT, "Int": Sort.INT, "ℚ": Sort.RAT, "Rat": Sort.RAT,
          "ℝ": Sort.REAL, "Real": Sort.REAL}
_TOKEN = re.compile(
    r"\s*(?:(?P<num>\d+(?:\.\d+)?)"
    r"|(?P<op>↔|→|∧|∨|¬|≠|≤|≥|∣|↑|√|⌊|⌋|⌈|⌉|∑|∏|∀|∃|∈|->|<->|<=|>=|:=|[-+*/%^=<>(),:|]|\bfun\b|=>|↦)"
    r"|(?P<ident>[^\W\d][\w'.₀-₉!?]*))"
)
_COMPARE = {"=": "eq", "≠": "ne", "<": "lt", "≤": "le", ">": "gt", "≥": "ge", "<=": "le", ">=": "ge"}
_ARITH = {"+": "add", "-": "sub", "*": "mul", "/": "div", "%": "mod"}
_UNARY_FUNCTIONS = {"abs": "abs", "Real.sqrt": "sqrt", "Int.floor": "floor", "Int.ceil": "ceil",
                    "Int.natAbs": "natabs", "Int.toNat": "tonat"}
_BINARY_FUNCTIONS = {"Nat.gcd": "gcd", "Int.gcd": "gcd", "Nat.lcm": "lcm", "Int.lcm": "lcm", "max": "max",
                     "min": "min", "gcd": "gcd", "lcm": "lcm"}


def tokenize(text: str) -> list[str]:
    return split_tokens(text, _TOKEN)


class _Parser(TokenStream):
    INFIX = {"↔": 20, "<->": 20, "→": 25, "->": 25, "∨": 30, "∧": 35, "=": 50, "≠": 50, "<": 50, "≤": 50,
             ">": 50, "≥": 50, "<=": 50, ">=": 50, "∣": 50, "+": 65, "-": 65, "*": 70, "/": 70, "%": 70, "^": 75}
    RIGHT = {"→", "->", "∨", "∧", "^"}
    PREFIX = {"¬": 40, "-": 75}  # operator -> precedence of its operand

    def __init__(self, tokens: list[str]) -> None:
        super().__init__(tokens)
        self.abs_depth = 0  # inside |...|, a '|' closes instead of opening

    def parse(self, limit: int = 0) -> Node:
        left = self.prefix()
        while True:
            tok = self.peek()
            if tok == "|" and self.abs_depth:
                return left  # closes an |absolute value|
            if tok in self.INFIX and self.INFIX[tok] >= limit and not (tok == "|"):
                prec = self.INFIX[tok]
                self.next()
                right = self.parse(prec if tok in self.RIGHT else prec + 1)
                left = Node("bin", tok, (left, right))
            elif tok is not None and self._starts_atom(tok) and limit <= 1024:
                left = Node("app", None, (left, self.atom()))
            else:
                return left

    def _starts_atom(self, tok: str) -> bool:
        return tok in ("(", "↑", "⌊", "⌈", "√") or tok[0].isdigit() or (
            (tok[0].isalpha() or tok[0] == "_") and tok not in ("fun",)) or (tok == "|" and not self.abs_depth)

    def prefix(self) -> Node:
        tok = self.peek()
        if tok in ("∀", "∃"):
            self.next()
            return self.binder_node(tok)
        if tok in ("∑", "∏"):
            self.next()
            var = self.next()
            if self.peek() not in ("∈", "in"):
                raise Unsupported(f"a {tok} without a finite range")
            self.next()
            rng = self.parse(67)
            self.expect(",")
            return Node("big", tok, (var, rng, self.parse(67)))
        if tok in self.PREFIX:
            self.next()
            return Node("un", tok, (self.parse(self.PREFIX[tok]),))
        return self.atom()

    def binder_node(self, kind: str) -> Node:
        groups: list[tuple[list[str], Node | None]] = []
        bound_pred = None
        if self.peek() == "(":
            while self.peek() == "(":
                self.next()
                groups.append(self.binder_group(lambda: self.parse(0)))
        else:
            names = self.names_until(":", ",", "≥", "≤", ">", "<", "≠", "∈")
            typ = None
            if self.peek() == ":":
                self.next()
                typ = self.parse(26)
            if self.peek() in ("≥", "≤", ">", "<", "≠"):  # ∀ n ≥ 2, P
                op = self.next()
                bound_pred = (op, self.parse(51))
            groups.append((names, typ))
        self.expect(",")
        body = self.parse(0)
        return Node("bind", kind, (groups, bound_pred, body))

    def atom(self) -> Node:
        tok = self.next()
        if tok == "(":
            inner = self.parse(0)
            if self.peek() == ":":
                self.next()
                typ = self.parse(0)
                inner = Node("ascribe", None, (inner, typ))
            self.expect(")")
            return inner
        if tok == "↑":
            return Node("coe", None, (self.atom(),))
        if tok == "√":
            return Node("call", "Real.sqrt", (self.parse(100),))
        if tok in ("⌊", "⌈"):
            inner = self.parse(0)
            self.expect("⌋" if tok == "⌊" else "⌉")
            return Node("call", "Int.floor" if tok == "⌊" else "Int.ceil", (inner,))
        if tok == "|":
            self.abs_depth += 1
            inner = self.parse(0)
            self.abs_depth -= 1
            self.expect("|")
            return Node("call", "abs", (inner,))
        if tok[0].isdigit():
            return Node("num", Fraction(tok))
        if tok[0].isalpha() or tok[0] == "_":
            return Node("id", tok)
        raise Unsupported(f"unexpected {tok!r}")


class _Elaborator:
    def __init__(self) -> None:
        self.vars: dict[str, Var] = {}
        self.functions: dict[str, FunctionSymbol] = {}

    def sort_of_type(self, node: Node | None):
        if node is None:
            raise Unsupported("a binder whose type Lean infers")
        if node.kind == "id" and node.value in _TYPES:
            return _TYPES[node.value]
        if node.kind == "bin" and node.value in ("→", "->"):
            dom, cod = self.sort_of_type(node.args[0]), self.sort_of_type(node.args[1])
            if isinstance(dom, Sort) and isinstance(cod, Sort):
                return ((dom,), cod)
            if isinstance(dom, Sort):
                return ((dom, *cod[0]), cod[1])
        raise Unsupported("a variable whose type is not ℕ, ℤ, ℚ, ℝ or a function between them")

    def declare(self, groups, bound: bool, hypotheses: list[Formula] | None) -> list[Var]:
        out = []
        for names, typ in groups:
            try:
                sort = self.sort_of_type(typ)
            except Unsupported:
                if hypotheses is None or typ is None:
                    raise
                hypotheses.extend(self.formula(typ) for _ in names)
                continue
            for name in names:
                if isinstance(sort, Sort):
                    self.vars[name] = Var(name, sort)
                    out.append(self.vars[name])
                elif bound:
                    raise Unsupported("a quantified function variable")
                else:
                    self.functions[name] = FunctionSymbol(name, *sort)
        return out

    # propositions
    def formula(self, node: Node) -> Formula:
        if node.kind == "id" and node.value in ("True", "False"):
            return Truth(node.value == "True")
        if node.kind == "un" and node.value == "¬":
            return Logic("not", (self.formula(node.args[0]),))
        if node.kind == "bind":
            return self.quantifier(node)
        if node.kind == "app":
            head, args = spine(node)
            if head in ("Even", "Odd") and len(args) == 1:
                term = self.tree(args[0], None)
                if not term.sort.integral:
                    raise Unsupported(f"{head} outside ℕ/ℤ")
                even = Dvd(Num(Fraction(2), term.sort), term)
                return even if head == "Even" else Logic("not", (even,))
            raise Unsupported(f"the predicate {head}")
        if node.kind == "bin":
            op = node.value
            if op in ("∧", "∨", "→", "->", "↔", "<->"):
                kind = {"∧": "and", "∨": "or", "→": "implies", "->": "implies", "↔": "iff", "<->": "iff"}[op]
                return Logic(kind, (self.formula(node.args[0]), self.formula(node.args[1])))
            if op in _COMPARE or op == "∣":
                left, right = self.relation(node.args[0], node.args[1])
                return Dvd(left, right) if op == "∣" else Compare(_COMPARE[op], left, right)
        raise Unsupported(f"the proposition {node.kind} {node.value}")

    def quantifier(self, node: Node) -> Formula:
        groups, bound_pred, body = node.args
        saved = dict(self.vars)
        if any(typ is None for _, typ in groups) and bound_pred is not None:
            # ∀ n ≥ 2, P: n takes the type of the bound
            bound_term = self.tree(bound_pred[1], None)
            groups = [(names, Node("id", _type_name(bound_term.sort))) for names, _ in groups]
        groups = [(names, typ if typ is not None else self.infer(names, body)) for names, typ in groups]
        variables = self.declare(groups, bound=True, hypotheses=None)
        inner = self.formula(body)
        if bound_pred is not None:
            op, bound_node = bound_pred
            guards = [Compare(_COMPARE[op], *self.relation(Node("id", v.name), bound_node)) for v in variables]
            guard = guards[0] if len(guards) == 1 else Logic("and", tuple(guards))
            inner = Logic("implies" if node.value == "∀" else "and", (guard, inner))
        self.vars = saved
        return Quant("forall" if node.value == "∀" else "exists", tuple(variables), inner)

    def infer(self, names: list[str], body: Node) -> Node:
        """The type Lean's unifier gives untyped binders: a function's domain, else their tree's type."""
        sorts: set[Sort] = set()

        def visit(node: Node) -> None:
            if node.kind == "app":
                try:
                    head, args = spine(node)
                except Unsupported:
                    head, args = "", []
                fn = self.functions.get(head)
                if fn is not None:
                    for arg, dom in zip(args, fn.domain):
                        if arg.kind == "id" and arg.value in names:
                            sorts.add(dom)
            if node.kind == "bin" and (node.value in _COMPARE or node.value in _ARITH):
                leaves = self.leaves(node.args[0]) + self.leaves(node.args[1])
                if any(leaf.kind == "id" and leaf.value in names for leaf in leaves):
                    for leaf in leaves:
                        if not (leaf.kind == "id" and leaf.value in names):
                            try:
                                known = self.leaf_sort(leaf)
                            except Unsupported:
                                known = None
                            if known is not None:
                                sorts.add(known)
            for child in node.args:
                if isinstance(child, Node):
                    visit(child)
                elif isinstance(child, (tuple, list)):
                    for item in child:
                        if isinstance(item, Node):
                            visit(item)

        visit(body)
        if len(sorts) != 1:
            raise Unsupported("a binder whose type Lean infers" + (" ambiguously" if sorts else ""))
        return Node("id", _type_name(sorts.pop()))

    def relation(self, a: Node, b: Node) -> tuple[Term, Term]:
        """Both sides of a relation form one binop% tree."""
        target = self.tree_sort([a, b], None)
        return self.tree(a, target), self.tree(b, target)

    # terms: binop% trees
    def leaves(self, node: Node) -> list[Node]:
        if node.kind == "bin" and node.value in _ARITH:
            return self.leaves(node.args[0]) + self.leaves(node.args[1])
        if node.kind == "bin" and node.value == "^":
            return self.leaves(node.args[0])
        if node.kind == "un" and node.value == "-":
            return self.leaves(node.args[0])
        return [node]

    def tree_sort(self, roots: list[Node], expected: Sort | None) -> Sort:
        known = [s for root in roots for leaf in self.leaves(root) if (s := self.leaf_sort(leaf)) is not None]
        if expected is not None:
            known.append(expected)
        return max(known, key=lambda s: s.rank) if known else Sort.NAT

    def leaf_sort(self, leaf: Node) -> Sort | None:
        """A leaf's own type before coercion (None for a numeral, or a coercion that adapts)."""
        if leaf.kind == "num" or leaf.kind == "coe":
            return None
        if leaf.kind == "ascribe":
            return self.sort_of_type(leaf.args[1])
        return self.leaf(leaf, None).sort

    def tree(self, node: Node, target: Sort | None) -> Term:
        if target is None:
            target = self.tree_sort([node], None)
        if node.kind == "bin" and node.value in _ARITH:
            a, b = self.tree(node.args[0], target), self.tree(node.args[1], target)
            if node.value == "%" and not target.integral:
                raise Unsupported("% outside ℕ/ℤ")
            return Op(_ARITH[node.value], (a, b), target, "lean")
        if node.kind == "bin" and node.value == "^":
            base = self.tree(node.args[0], target)
            exponent = self.tree(node.args[1], None)
            if exponent.sort is not Sort.NAT and not (isinstance(exponent, Num) and exponent.value >= 0):
                raise Unsupported("a power with a non-natural exponent")
            return Op("pow", (base, Num(exponent.value, Sort.NAT) if isinstance(exponent, Num) else exponent),
                      target, "lean")
        if node.kind == "un" and node.value == "-":
            inner = self.tree(node.args[0], target)
            if target is Sort.NAT:
                raise Unsupported("negation in ℕ")
            if isinstance(inner, Num):
                return Num(-inner.value, target)
            return Op("neg", (inner,), target, "lean")
        term = self.leaf(node, target)
        return cast(term, target)

    def leaf(self, node: Node, target: Sort | None) -> Term:
        if node.kind == "num":
            sort = target or Sort.NAT
            if node.value.denominator != 1 and sort.integral:
                raise Unsupported("a decimal literal in ℕ/ℤ")
            return Num(node.value, sort)
        if node.kind == "id":
            if node.value in self.vars:
                return self.vars[node.value]
            raise Unsupported(f"the constant {node.value}")
        if node.kind == "ascribe":
            sort = self.sort_of_type(node.args[1])
            if not isinstance(sort, Sort):
                raise Unsupported("an ascription to a function type")
            return self.tree(node.args[0], self.tree_sort([node.args[0]], sort))
        if node.kind == "coe":
            return self.tree(node.args[0], None)
        if node.kind == "big":
            return self.big(node, target)
        if node.kind in ("call", "app"):
            head, args = (node.value, list(node.args)) if node.kind == "call" else spine(node)
            return self.call(head, args, target)
        if node.kind == "bin" or node.kind == "un":
            return self.tree(node, target)
        raise Unsupported(f"the term {node.kind}")

    def call(self, head: str, args: list[Node], target: Sort | None) -> Term:
        if head in self.functions:
            fn = self.functions[head]
            if len(args) != len(fn.domain):
                raise Unsupported(f"partial application of {head}")
            terms = tuple(self.tree(a, self.tree_sort([a], s)) for a, s in zip(args, fn.domain))
            for t, s in zip(terms, fn.domain):
                if t.sort != s:
                    raise Unsupported(f"an argument of sort {t.sort.value} given to {head}")
            return Apply(head, terms, fn.codomain)
        if head in _UNARY_FUNCTIONS and len(args) == 1:
            op = _UNARY_FUNCTIONS[head]
            if op == "sqrt":
                return Op("sqrt", (self.tree(args[0], Sort.REAL),), Sort.REAL, "lean")
            if op in ("floor", "ceil"):
                arg = self.tree(args[0], None)
                if arg.sort.integral:
                    raise Unsupported(f"{head} of an integer")
                return Op(op, (arg,), Sort.INT, "lean")
            if op in ("natabs", "tonat"):
                arg = self.tree(args[0], Sort.INT)
                inner = Op("abs", (arg,), Sort.INT, "lean") if op == "natabs" else arg
                return Op("tonat", (inner,), Sort.NAT, "lean")
            arg = self.tree(args[0], target if target and target is not Sort.NAT else None)
            return Op("abs", (arg,), arg.sort, "lean")
        if head in _BINARY_FUNCTIONS and len(args) == 2:
            op = _BINARY_FUNCTIONS[head]
            if op in ("gcd", "lcm"):
                sort = Sort.INT if head.startswith("Int") else Sort.NAT
                a, b = (self.tree(x, self.tree_sort([x], sort)) for x in args)
                if head.startswith("Int"):
                    return Op("tonat", (Op(op, (a, b), Sort.INT, "lean"),), Sort.NAT, "lean")
                return Op(op, (a, b), sort, "lean")
            sort = self.tree_sort(args, target)
            return Op(op, tuple(self.tree(x, sort) for x in args), sort, "lean")
        raise Unsupported(f"the function {head}")

    def big(self, node: Node, target: Sort | None) -> Term:
        kind, (name, rng, body) = node.value, node.args
        head, args = spine(rng)
        bounds = [self.tree(a, Sort.NAT) for a in args]
        if not all(isinstance(b, Num) for b in bounds):
            raise Unsupported("a sum or product over a range with variable bounds")
        values = [int(b.value) for b in bounds]  # type: ignore[union-attr]
        ranges = {"Finset.range": lambda n: (0, n - 1), "Finset.Icc": lambda a, b: (a, b),
                  "Finset.Ico": lambda a, b: (a, b - 1)}
        if head not in ranges:
            raise Unsupported(f"a {kind} over {head}")
        lo, hi = ranges[head](*values)
        var = Var(name, Sort.NAT)
        saved = dict(self.vars)
        self.vars[name] = var
        term = self.tree(body, target)
        self.vars = saved
        return BigOp("sum" if kind == "∑" else "prod", var, lo, hi, term, term.sort)


def _type_name(sort: Sort) -> str:
    return {Sort.NAT: "ℕ", Sort.INT: "ℤ", Sort.RAT: "ℚ", Sort.REAL: "ℝ"}[sort]




_THEOREM = re.compile(r"(?:theorem|lemma)\s+(?P<name>[^\s(:{\[]+)(?P<rest>.*?):=", re.S)


def read_lean_conjecture(text: str, theorem: str | None = None) -> Conjecture:
    """The IR of the (named, or last) theorem of a Lean 4 file."""
    text = re.sub(r"--[^\n]*", "", re.sub(r"/-.*?-/", "", text, flags=re.S))
    matches = [m for m in _THEOREM.finditer(text) if theorem is None or m["name"] == theorem]
    if not matches:
        raise Unsupported(f"no theorem {theorem}" if theorem else "no theorem in the file")
    m = matches[-1]
    if re.search(r"^\s*(def|abbrev|noncomputable|notation|local notation|axiom|variable)\b", text[: m.start()], re.M):
        raise Unsupported("the file declares something before the theorem")
    tokens = tokenize(m["rest"])
    parser = _Parser(tokens)
    elaborator = _Elaborator()
    variables: list[Var] = []
    hypotheses: list[Formula] = []
    while parser.peek() in ("(", "{"):
        close = ")" if parser.next() == "(" else "}"
        group = parser.binder_group(lambda: parser.parse(0), close)
        variables += elaborator.declare([group], bound=False, hypotheses=hypotheses)
    if parser.peek() == "[":
        raise Unsupported("an instance binder")
    parser.expect(":")
    node = parser.parse(0)
    if parser.peek() is not None:
        raise Unsupported(f"unexpected {parser.peek()!r} in the statement")
    while True:
        if node.kind == "bind" and node.value == "∀" and node.args[1] is None:
            variables += elaborator.declare(node.args[0], bound=False, hypotheses=hypotheses)
            node = node.args[2]
        elif node.kind == "bin" and node.value in ("→", "->"):
            hypotheses.append(elaborator.formula(node.args[0]))
            node = node.args[1]
        else:
            break
    goal = elaborator.formula(node)
    return Conjecture(m["name"], "lean", tuple(variables), tuple(elaborator.functions.values()),
                     tuple(hypotheses), goal)
