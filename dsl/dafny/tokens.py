"""Dafny source as tokens: comments and layout dropped, every token with its 1-based line and column.

The audit compares programs token by token, so two texts that differ only in
comments, spacing or line breaks compare equal, and nothing hidden in a
comment or a string can fake a keyword.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from lemmata.dsl.text import Cursor, nested_comment_end


class DafnySyntaxError(ValueError):
    """The text cannot be read as a Dafny program (an unclosed string, brackets that do not match)."""


@dataclass(frozen=True)
class Token:
    text: str
    kind: str  # "ident", "number", "string", "char", "attr" (the "{:" opening an attribute), "op"
    line: int
    column: int
    offset: int


_IDENT = re.compile(r"[A-Za-z_][\w'?]*")
_NUMBER = re.compile(r"0x[0-9A-Fa-f_]+|\d[\d_]*(?:\.\d[\d_]*)?")
_OPERATORS = sorted(["<==>", "==>", "<==", ":=", "::", ":|", "==", "!=", "<=", ">=", "&&", "||", "..", "=>", "!!",
                     "->", "~>", "-->", "#[", "{:"], key=len, reverse=True)
_STRING = re.compile(r'"(?:[^"\\\n]|\\.)*"')
_VERBATIM = re.compile(r'@"(?:[^"]|"")*"')
_CHAR = re.compile(r"'(?:[^'\\\n]|\\(?:u[0-9A-Fa-f]{4}|U\{[0-9A-Fa-f]+\}|.))'")


def tokenize(text: str) -> list[Token]:
    """Raises ``DafnySyntaxError`` for an unclosed string."""
    tokens: list[Token] = []
    cursor, n = Cursor(text, 1 if text.startswith("\ufeff") else 0), len(text)

    def emit(value: str, kind: str, end: int) -> None:
        tokens.append(Token(value, kind, cursor.line, cursor.column + 1, cursor.at))
        cursor.advance(end)

    while (i := cursor.at) < n:
        c = text[i]
        if c.isspace():
            cursor.advance(i + 1)
            continue
        if text.startswith("//", i):
            end = text.find("\n", i)
            cursor.advance(n if end < 0 else end)
            continue
        if text.startswith("/*", i):
            # Dafny's block comments nest, and one left open runs to the end of the file
            cursor.advance(nested_comment_end(text, i, "/*", "*/") or n)
            continue
        for kind, pattern in (("string", _VERBATIM), ("string", _STRING)):
            if m := pattern.match(text, i):
                emit(m[0], kind, m.end())
                break
        else:
            if c == '"' or text.startswith('@"', i):
                raise DafnySyntaxError(f"line {cursor.line}: a string is opened and never closed")
            previous = tokens[-1] if tokens else None
            if c == "'" and (m := _CHAR.match(text, i)) and not (previous and previous.kind == "ident"
                                                                   and previous.offset + len(previous.text) == i):
                emit(m[0], "char", m.end())
            elif m := _IDENT.match(text, i):
                emit(m[0], "ident", m.end())
            elif m := _NUMBER.match(text, i):
                emit(m[0], "number", m.end())
            else:
                op = next((o for o in _OPERATORS if text.startswith(o, i)), c)
                emit(op, "attr" if op == "{:" else "op", i + len(op))
    return tokens


__all__ = ["DafnySyntaxError", "Token", "tokenize"]
