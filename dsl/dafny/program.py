"""The declarations of a Dafny program, read from its tokens: what the spec-preserving audit compares.

Covers the Dafny that DafnyBench and everyday programs use (2.x and 4.x):
modules, classes, traits, datatypes, types, constants and fields, and the
members that carry specifications: methods, constructors, lemmas, functions
and predicates (``ghost``, ``static``, ``twostate``, ``function method`` and
the like). For each member it keeps the header (name, type parameters,
parameters, results), each specification clause, and the body's tokens; any
other declaration is kept whole. Nothing here runs Dafny.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from lemmata.dsl.dafny.tokens import DafnySyntaxError, Token, tokenize

MEMBER_KEYWORDS = {"method", "constructor", "lemma", "function", "predicate", "colemma", "copredicate",
                   "iterator"}
CONTAINER_KEYWORDS = {"module", "class", "trait"}
OTHER_KEYWORDS = {"datatype", "codatatype", "type", "newtype", "const", "var", "import", "include", "export"}
MODIFIERS = {"ghost", "static", "abstract", "opaque", "twostate", "least", "greatest", "inductive", "protected",
             "private", "public", "extreme", "replaceable", "nameonly", "older"}
SPEC_KEYWORDS = {"requires", "ensures", "modifies", "reads", "decreases", "yields", "free"}
LOOP_SPECS = {"invariant", "decreases", "modifies"}
_STOP = MEMBER_KEYWORDS | CONTAINER_KEYWORDS | OTHER_KEYWORDS | MODIFIERS  # what starts the next declaration
_OPENERS = ("(", "[", "{:", "#[")
# After these, a "{" inside a clause opens a display ("modifies {a}", "reads {}", "s + {x}", "multiset{x}"),
# not the body that follows the clauses.
OPENS_DISPLAY = SPEC_KEYWORDS | LOOP_SPECS | {"set", "iset", "multiset", "seq", "map", "imap", ",", "(", "+", "-",
                                              "*", "in", "!", "==", "!=", "<=", "<", ">=", ">", "&&", "||", "==>",
                                              "<==>", ":=", "::", "=>"}


@dataclass
class Clause:
    keyword: str  # requires, ensures, modifies, reads, decreases
    tokens: list[Token]  # the clause's expression (attributes included), without a trailing ";"

    @property
    def text(self) -> str:
        return " ".join(t.text for t in self.tokens)


@dataclass
class Declaration:
    kind: str  # "method", "lemma", "function", "predicate", "class", "datatype", ...
    name: str  # qualified: Module.Class.member
    line: int
    modifiers: list[str]
    attributes: list[list[Token]]  # each "{: ...}" on the declaration, its tokens
    header: list[Token]  # from the keyword to the first clause or body (attributes left out)
    clauses: list[Clause] = field(default_factory=list)
    body: list[Token] | None = None  # inside the outer braces; None: no body
    tokens: list[Token] = field(default_factory=list)  # the whole declaration

    @property
    def ghost(self) -> bool:
        """Erased at compilation: lemmas, and functions/predicates not declared ``function method``."""
        if self.kind in ("lemma", "colemma") or "ghost" in self.modifiers:
            return True
        if self.kind in ("function", "predicate", "copredicate"):
            return not any(t.text == "method" for t in self.header[:2])
        return False


@dataclass
class Program:
    declarations: list[Declaration]
    tokens: list[Token] = field(default_factory=list)  # the whole text's

    def named(self) -> dict[str, Declaration]:
        return {d.name: d for d in self.declarations}


def close_group(tokens: list[Token], start: int) -> int:
    """Index just past the bracket group opened at ``tokens[start]``."""
    pairs = {"(": ")", "[": "]", "{": "}", "{:": "}", "#[": "]"}
    stack: list[str] = []
    for i in range(start, len(tokens)):
        text = tokens[i].text
        if text in pairs:
            stack.append(pairs[text])
        elif stack and text == stack[-1]:
            stack.pop()
            if not stack:
                return i + 1
        elif text in (")", "]", "}"):
            raise DafnySyntaxError(f"line {tokens[i].line}: '{text}' closes nothing here")
    raise DafnySyntaxError(f"line {tokens[start].line}: '{tokens[start].text}' is never closed")


def clause_end(tokens: list[Token], start: int, end: int, stops: set[str]) -> int:
    """Index of the first token from ``start`` (before ``end``) outside brackets that is in ``stops`` or is
    the "{" of a body (not a display): where a clause, or a loop's guard, ends."""
    k = start
    while k < end and tokens[k].text not in stops:
        if tokens[k].text == "{":
            if tokens[k - 1].text not in OPENS_DISPLAY:
                break
            k = close_group(tokens, k)
        else:
            k = close_group(tokens, k) if tokens[k].text in _OPENERS else k + 1
    return k


def parse(text: str) -> Program:
    """Raises ``DafnySyntaxError`` when the text's tokens or brackets do not fit together."""
    tokens = tokenize(text)
    declarations: list[Declaration] = []
    _parse_scope(tokens, 0, len(tokens), "", declarations)
    return Program(declarations, tokens)


def _parse_scope(tokens: list[Token], i: int, end: int, prefix: str, out: list[Declaration]) -> None:
    while i < end:
        start = i
        modifiers: list[str] = []
        attributes: list[list[Token]] = []
        while i < end and (tokens[i].text in MODIFIERS or tokens[i].kind == "attr" or tokens[i].text == "#["):
            if tokens[i].kind == "attr" or tokens[i].text == "#[":
                stop = close_group(tokens, i)
                attributes.append(tokens[i:stop])
                i = stop
            else:
                modifiers.append(tokens[i].text)
                i += 1
        if i >= end:
            raise DafnySyntaxError(f"line {tokens[start].line}: modifiers with no declaration after them")
        keyword = tokens[i].text
        if keyword in MEMBER_KEYWORDS:
            i = _parse_member(tokens, i, end, prefix, modifiers, attributes, out, start)
        elif keyword in CONTAINER_KEYWORDS:
            i = _parse_container(tokens, i, end, prefix, modifiers, attributes, out, start)
        elif keyword in OTHER_KEYWORDS:
            i = _parse_other(tokens, i, end, prefix, modifiers, attributes, out, start)
        else:
            raise DafnySyntaxError(f"line {tokens[i].line}: a declaration was expected, not '{keyword}'")


def _name_after(tokens: list[Token], i: int, end: int) -> tuple[str, int]:
    """The declared name after the keyword at ``i`` (attributes skipped), and the index after it."""
    j = i + 1
    if j < end and tokens[j].text == "method":  # function method, predicate method
        j += 1
    while j < end and (tokens[j].kind == "attr" or tokens[j].text == "#["):
        j = close_group(tokens, j)
    if j < end and tokens[j].kind == "ident":
        return tokens[j].text, j + 1
    return "", j  # an anonymous constructor, or a syntax error Dafny will report


def _parse_member(tokens, i, end, prefix, modifiers, attributes, out, start) -> int:
    keyword = tokens[i].text
    name, j = _name_after(tokens, i, end)
    while j < end and tokens[j].text not in SPEC_KEYWORDS and tokens[j].text != "{" and tokens[j].text not in _STOP:
        j = close_group(tokens, j) if tokens[j].text in _OPENERS else j + 1
    header = _without_attributes(tokens[i:j])
    clauses: list[Clause] = []
    while j < end and tokens[j].text in SPEC_KEYWORDS:
        clause_keyword = tokens[j].text
        j += 1
        if clause_keyword == "free" and j < end:
            clause_keyword += " " + tokens[j].text
            j += 1
        k = clause_end(tokens, j, end, SPEC_KEYWORDS | _STOP)
        expression = tokens[j:k]
        if expression and expression[-1].text == ";":
            expression = expression[:-1]
        clauses.append(Clause(clause_keyword, expression))
        j = k
    body = None
    if j < end and tokens[j].text == "{":
        stop = close_group(tokens, j)
        body = tokens[j + 1: stop - 1]
        j = stop
    out.append(Declaration(keyword, prefix + name, tokens[i].line, modifiers, attributes, header, clauses, body,
                           tokens[start:j]))
    return j


def _without_attributes(tokens: list[Token]) -> list[Token]:
    kept, i = [], 0
    while i < len(tokens):
        if tokens[i].kind == "attr":
            i = close_group(tokens, i)
            continue
        kept.append(tokens[i])
        i += 1
    return kept


def _parse_container(tokens, i, end, prefix, modifiers, attributes, out, start) -> int:
    keyword = tokens[i].text
    name, j = _name_after(tokens, i, end)
    while j < end and tokens[j].text != "{":
        j += 1
    if j >= end:
        raise DafnySyntaxError(f"line {tokens[i].line}: {keyword} {name} has no body")
    stop = close_group(tokens, j)
    out.append(Declaration(keyword, prefix + name, tokens[i].line, modifiers, attributes,
                           _without_attributes(tokens[i:j]), [], tokens[j + 1: stop - 1], tokens[start:stop]))
    _parse_scope(tokens, j + 1, stop - 1, f"{prefix}{name}.", out)
    return stop


def _parse_other(tokens, i, end, prefix, modifiers, attributes, out, start) -> int:
    keyword = tokens[i].text
    name, j = _name_after(tokens, i, end)
    if keyword in ("include", "import", "export"):
        name = " ".join(t.text for t in tokens[i + 1: i + 3])
    # up to the next declaration at depth 0 (a datatype may carry a member block in braces)
    while j < end and tokens[j].text not in _STOP:
        if tokens[j].text in ("(", "[", "{", "{:", "#["):
            j = close_group(tokens, j)
        else:
            j += 1
    out.append(Declaration(keyword, prefix + name, tokens[i].line, modifiers, attributes,
                           _without_attributes(tokens[i:j]), [], None, tokens[start:j]))
    return j


def outside_access(text: str) -> list[tuple[str, int]]:
    """(construct, line) of what reaches outside the program: ``include`` of other files, ``{:extern}`` code.
    Raises ``DafnySyntaxError``."""
    tokens = tokenize(text)
    found = [("include", t.line) for t in tokens if t.text == "include" and t.kind == "ident"]
    found += [("{:extern}", t.line) for k, t in enumerate(tokens)
              if t.kind == "attr" and k + 1 < len(tokens) and tokens[k + 1].text == "extern"]
    return sorted(found, key=lambda f: f[1])


__all__ = ["LOOP_SPECS", "MEMBER_KEYWORDS", "OPENS_DISPLAY", "SPEC_KEYWORDS", "Clause", "Declaration", "Program",
           "clause_end", "close_group", "outside_access", "parse"]
