"""F* source as tokens and top-level declarations: what the audit compares and the IDE pushes one at a time.

Comments (``(* *)`` nesting, ``//`` to the end of the line) and layout are
dropped, so texts that differ only in them compare equal and nothing in a
comment or string can fake a keyword. A top-level declaration begins on a
line whose first character (column 0) starts a declaration keyword, a
qualifier, an attribute (``[@@ ...]``) or a pragma (``#set-options``); an
attribute or qualifier line joins the declaration it precedes, and ``and``
continues a mutually recursive one. That is F*'s own layout convention for
top-level code, read lexically: nothing here runs F*.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from lemmata.dsl.text import Cursor, nested_comment_end


class FStarSyntaxError(ValueError):
    """The text cannot be read as F* (an unclosed comment or string, brackets that do not match)."""


@dataclass(frozen=True)
class Token:
    text: str
    kind: str  # "ident", "tyvar", "number", "string", "char", "op", "pragma", "splice"
    line: int
    column: int
    offset: int


_IDENT = re.compile(r"[A-Za-z_][\w']*")
_TYVAR = re.compile(r"'[A-Za-z_][\w']*")
_NUMBER = re.compile(r"0x[0-9A-Fa-f_]+[a-zA-Z]*|\d[\d_]*(?:\.\d+)?[a-zA-Z]*")
_STRING = re.compile(r'"(?:[^"\\]|\\.)*"', re.DOTALL)
_CHAR = re.compile(r"'(?:[^'\\\n]|\\(?:u[0-9A-Fa-f]{4}|x[0-9A-Fa-f]{2}|.))'")
_PRAGMA = re.compile(r"#[a-z][a-z-]*")
_SPLICE = re.compile(r"%splice\w*")
_BRACKETS = {"(": ")", "[": "]", "{": "}", "[@@": "]", "[@": "]", "[@@@": "]", "[|": "|]", "{|": "|}"}
_OPERATOR_CHARS = set("!$%&*+-./:<=>?@^|~\\#,;`")
_OPENERS = ("[@@@", "[@@", "[@", "[|", "{|", "(", "[", "{")
_CLOSERS = ("|]", "|}", ")", "]", "}")


def tokenize(text: str) -> list[Token]:
    """Raises ``FStarSyntaxError`` for an unclosed comment or string."""
    tokens: list[Token] = []
    cursor, n = Cursor(text), len(text)

    def emit(value: str, kind: str) -> None:
        tokens.append(Token(value, kind, cursor.line, cursor.column, cursor.at))
        cursor.advance(cursor.at + len(value))

    while (i := cursor.at) < n:
        c = text[i]
        if c.isspace():
            cursor.advance(i + 1)
        elif text.startswith("//", i):
            end = text.find("\n", i)
            cursor.advance(n if end < 0 else end)
        elif text.startswith("(*", i) and not text.startswith("(*)", i):
            end = nested_comment_end(text, i, "(*", "*)")
            if end is None:
                raise FStarSyntaxError(f"line {cursor.line}: a comment opened here is never closed")
            cursor.advance(end)
        elif c == '"':
            m = _STRING.match(text, i)
            if m is None:
                raise FStarSyntaxError(f"line {cursor.line}: a string opened here is never closed")
            emit(m.group(), "string")
        elif c == "'" and (m := _CHAR.match(text, i)):
            emit(m.group(), "char")
        elif c == "'" and (m := _TYVAR.match(text, i)):
            emit(m.group(), "tyvar")
        elif m := _IDENT.match(text, i):
            emit(m.group(), "ident")
        elif m := _NUMBER.match(text, i):
            emit(m.group(), "number")
        elif c == "#" and i == cursor.line_start and (m := _PRAGMA.match(text, i)):
            emit(m.group(), "pragma")
        elif c == "%" and (m := _SPLICE.match(text, i)):
            emit(m.group(), "splice")
        elif opener := next((o for o in _OPENERS if text.startswith(o, i)), None):
            emit(opener, "op")
        elif closer := next((o for o in _CLOSERS if text.startswith(o, i)), None):
            emit(closer, "op")
        elif c in _OPERATOR_CHARS:
            j = i
            while j < n and text[j] in _OPERATOR_CHARS and not text.startswith("(*", j):
                j += 1
            emit(text[i:j], "op")
        else:
            emit(c, "op")  # any other character (unicode symbols): one token each
    return tokens


# Words that begin a top-level declaration at column 0, and those that only qualify the one they precede.
HEADS = {"module", "open", "include", "friend", "let", "val", "type", "effect", "new_effect", "sub_effect",
         "layered_effect", "class", "instance", "exception", "polymonadic_bind", "polymonadic_subcomp",
         "interface"}
QUALIFIERS = {"assume", "new", "noeq", "unopteq", "inline_for_extraction", "noextract", "unfold", "irreducible",
              "private", "abstract", "opaque", "total", "reifiable", "reflectable", "visible", "logic",
              "tactic", "inline"}


@dataclass
class Declaration:
    """One top-level declaration: its tokens, where it lies, and what the audit asks of it."""

    kind: str  # "module", "open", "let", "val", "type", "pragma", "splice", "attribute", "effect", "other", ...
    tokens: list[Token]
    start: int  # offset of its first character (column 0 of its first line)
    end: int  # offset where the next declaration begins (or the end of the text)
    line: int  # 1-based line it starts on
    names: list[str] = field(default_factory=list)  # the names it defines (``and`` adds more)
    qualifiers: list[str] = field(default_factory=list)
    attributes: list[list[Token]] = field(default_factory=list)  # the tokens inside each [@@ ... ]

    @property
    def name(self) -> str | None:
        return self.names[0] if self.names else None

    def text_of(self, text: str) -> str:
        return text[self.start:self.end]

    def words(self) -> list[str]:
        """Its tokens as text: what two declarations must share to be the same declaration."""
        return [t.text for t in self.tokens]

    def signature(self) -> list[str]:
        """What it states: a ``let``'s tokens from ``let`` to its body (binders, type, specification; ``rec``
        aside, which only says how it is proved); a ``val``'s whole type. Attributes and qualifiers aside."""
        words = self.words()
        head = next((i for i, w in enumerate(words) if w in HEADS), 0)
        end = body_start(self.tokens) if self.kind == "let" else None
        stated = words[head: end if end is not None else len(words)]
        return [w for i, w in enumerate(stated) if not (i == 1 and w == "rec" and stated[0] == "let")]

    def body(self) -> list[Token]:
        """A ``let``'s tokens after its top-level ``=`` (empty for other declarations)."""
        at = body_start(self.tokens) if self.kind == "let" else None
        return self.tokens[at + 1:] if at is not None else []

    def attribute_words(self) -> set[str]:
        return {t.text for attribute in self.attributes for t in attribute}


def body_start(tokens: list[Token]) -> int | None:
    """Index of the ``=`` that opens a definition's body: the first ``=`` outside brackets."""
    depth = 0
    for index, token in enumerate(tokens):
        if token.kind != "op":
            continue
        if token.text in _BRACKETS:
            depth += 1
        elif token.text in _CLOSERS:
            depth -= 1
        elif token.text == "=" and depth == 0:
            return index
    return None


def _starts_declaration(token: Token) -> bool:
    if token.column != 0:
        return False
    return (token.kind in ("pragma", "splice") or (token.kind == "ident" and token.text in HEADS | QUALIFIERS)
            or (token.kind == "op" and token.text in ("[@@", "[@", "[@@@")))


def _check_brackets(tokens: list[Token]) -> None:
    stack: list[Token] = []
    for token in tokens:
        if token.kind != "op":
            continue
        if token.text in _BRACKETS:
            stack.append(token)
        elif token.text in _CLOSERS:
            if not stack or _BRACKETS[stack[-1].text] != token.text:
                raise FStarSyntaxError(f"line {token.line}: '{token.text}' does not close any bracket")
            stack.pop()
    if stack:
        raise FStarSyntaxError(f"line {stack[-1].line}: '{stack[-1].text}' is never closed")


def declarations(text: str) -> list[Declaration]:
    """The top-level declarations of ``text`` in order; raises ``FStarSyntaxError``."""
    tokens = tokenize(text)
    _check_brackets(tokens)
    groups: list[list[Token]] = []
    for token in tokens:
        if _starts_declaration(token) or not groups:
            groups.append([token])
        else:
            groups[-1].append(token)
    merged: list[list[Token]] = []
    for group in groups:  # an attribute or qualifier line belongs to the declaration below it
        if merged and _only_decorations(merged[-1]):
            merged[-1] += group
        else:
            merged.append(group)
    out = []
    for index, group in enumerate(merged):
        start = group[0].offset - group[0].column
        end = merged[index + 1][0].offset - merged[index + 1][0].column if index + 1 < len(merged) else len(text)
        out.append(_declaration(group, start, end))
    return out


def _only_decorations(group: list[Token]) -> bool:
    depth = 0
    for token in group:
        if token.kind == "op" and token.text in ("[@@", "[@", "[@@@"):
            depth += 1
        elif token.kind == "op" and token.text == "]" and depth:
            depth -= 1
        elif depth == 0 and not (token.kind == "ident" and token.text in QUALIFIERS):
            return False
    return True


def _declaration(tokens: list[Token], start: int, end: int) -> Declaration:
    attributes: list[list[Token]] = []
    qualifiers: list[str] = []
    i = 0
    while i < len(tokens):
        token = tokens[i]
        if token.kind == "op" and token.text in ("[@@", "[@", "[@@@"):
            depth, j = 1, i + 1
            while j < len(tokens) and depth:
                depth += tokens[j].text in _BRACKETS
                depth -= tokens[j].text in _CLOSERS
                j += 1
            attributes.append(tokens[i + 1: j - 1])
            i = j
        elif token.kind == "ident" and token.text in QUALIFIERS:
            qualifiers.append(token.text)
            i += 1
        else:
            break
    head = tokens[i] if i < len(tokens) else None
    kind = "attribute" if head is None else head.text if head.kind == "ident" and head.text in HEADS else \
        "pragma" if head.kind == "pragma" else "splice" if head.kind == "splice" else "other"
    names: list[str] = []
    if kind in ("module", "interface"):
        names = [_dotted(tokens[i + 1:])]
    elif kind in ("let", "val", "type", "class", "instance", "exception", "effect", "new_effect"):
        names = _names(tokens[i + 1:], kind)
    return Declaration(kind, tokens, start, end, tokens[0].line, names, qualifiers, attributes)


def _names(rest: list[Token], kind: str) -> list[str]:
    """The names a declaration defines: the first identifier after its keyword (after ``rec``), then the one
    after each top-level ``and``."""
    names, depth, expect = [], 0, True
    for token in rest:
        if token.kind == "op" and token.text in _BRACKETS:
            depth += 1
            if expect and kind == "let" and token.text == "(":  # `let ( +++ ) = ...`: an operator's name
                expect = "operator"
            continue
        if token.kind == "op" and token.text in _CLOSERS:
            depth -= 1
            continue
        if expect == "operator" and token.kind == "op":
            names.append(f"( {token.text} )")
            expect = False
            continue
        if expect and token.kind == "ident" and token.text not in ("rec", "noeq", "unopteq"):
            names.append(token.text)
            expect = False
        elif expect and token.kind == "ident" and token.text == "rec":
            continue
        elif expect:
            expect = False  # a pattern (`let (a, b) = ...`): no name
        if depth == 0 and token.kind == "ident" and token.text == "and":
            expect = True
    return names


def _dotted(rest: list[Token]) -> str:
    """``A.B.C`` from the tokens after ``module``."""
    parts = []
    for token in rest:
        if token.kind != "ident" and token.text != ".":
            break
        parts.append(token.text)
    return "".join(parts)


def module_name(text: str) -> str | None:
    """The name after ``module`` (``A.B.C``), or None when the text declares no module."""
    return next((d.name or None for d in declarations(text) if d.kind in ("module", "interface")), None)


def line_of(text: str, offset: int) -> int:
    return text.count("\n", 0, offset) + 1


__all__ = ["Declaration", "FStarSyntaxError", "HEADS", "QUALIFIERS", "Token", "body_start", "declarations",
           "line_of", "module_name", "tokenize"]
