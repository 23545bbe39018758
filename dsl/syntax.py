"""What the Coq and Lean statement parsers share: tokens, a token stream, the untyped AST.

Both parsers turn statement text into ``Node`` trees with a precedence-climbing
parser over a ``TokenStream``, then elaborate the tree into the typed IR with
their own language's typing rules.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from lemmata.dsl.ir import Unsupported


@dataclass(frozen=True)
class Node:
    """Untyped syntax: ``kind`` ("num", "id", "app", "bin", "un", "bind", ...), a value, children."""

    kind: str
    value: object = None
    args: tuple = ()


def tokenize(text: str, pattern: re.Pattern[str]) -> list[str]:
    """Split ``text`` with ``pattern`` (one named group per token class); refuse what it cannot read."""
    tokens, i, text = [], 0, text.strip()
    while i < len(text):
        m = pattern.match(text, i)
        if not m or m.end() == i:
            if not text[i:].strip():
                break
            raise Unsupported(f"cannot read {text[i:i + 20]!r}")
        tokens.append(m.group(m.lastgroup))
        i = m.end()
    return tokens


class TokenStream:
    def __init__(self, tokens: list[str]) -> None:
        self.tokens, self.pos = tokens, 0

    def peek(self, k: int = 0) -> str | None:
        return self.tokens[self.pos + k] if self.pos + k < len(self.tokens) else None

    def next(self) -> str:
        tok = self.peek()
        if tok is None:
            raise Unsupported("unexpected end of statement")
        self.pos += 1
        return tok

    def expect(self, tok: str) -> None:
        got = self.next()
        if got != tok:
            raise Unsupported(f"expected {tok!r}, found {got!r}")

    def names_until(self, *stops: str) -> list[str]:
        names = []
        while self.peek() not in stops:
            names.append(self.next())
        return names

    def binder_group(self, parse_type, close: str = ")") -> tuple[list[str], Node]:
        """After an opening bracket: ``a b : T`` and the closing bracket."""
        names = self.names_until(":")
        self.next()
        typ = parse_type()
        self.expect(close)
        return names, typ


def spine(node: Node) -> tuple[str, list[Node]]:
    """``f a b`` as (``"f"``, [a, b])."""
    args: list[Node] = []
    while node.kind == "app":
        args.insert(0, node.args[1])
        node = node.args[0]
    if node.kind != "id":
        raise Unsupported("an application of something other than a name")
    return str(node.value), args
