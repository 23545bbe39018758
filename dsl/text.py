"""Positions in source text: character offsets to 1-based lines and columns; operators outside brackets.

Checkers report locations in different units (Coq: byte offsets within a line
or a sentence; Lean: codepoint columns). Everything in Lemmata converts to one
convention, 1-based line and 1-based column counted in characters, so that a
diagnostic points at the same place whatever tool produced it.
"""

from __future__ import annotations

import bisect
from dataclasses import dataclass


@dataclass(frozen=True)
class Position:
    line: int  # 1-based
    column: int  # 1-based, in characters


class LineIndex:
    """Maps character offsets of one text to line/column positions."""

    def __init__(self, text: str) -> None:
        self.text = text
        self._starts = [0]
        for i, ch in enumerate(text):
            if ch == "\n":
                self._starts.append(i + 1)

    def position(self, offset: int) -> Position:
        offset = max(0, min(offset, len(self.text)))
        line = bisect.bisect_right(self._starts, offset) - 1
        return Position(line + 1, offset - self._starts[line] + 1)

    def line_start(self, line: int) -> int:
        """Offset of the first character of a 1-based line (clamped)."""
        line = max(1, min(line, len(self._starts)))
        return self._starts[line - 1]

    def offset_of_byte(self, line: int, byte_column: int) -> int:
        """Character offset of a byte column (0-based) counted from a line start.

        Coq measures locations in bytes of UTF-8; the offset may run past the
        end of the line when a span covers several lines.
        """
        start = self.line_start(line)
        return start + chars_in_bytes(self.text[start:], byte_column)


def chars_in_bytes(text: str, byte_count: int) -> int:
    """How many leading characters of ``text`` make up ``byte_count`` UTF-8 bytes."""
    if byte_count <= 0:
        return 0
    consumed = 0
    for i, ch in enumerate(text):
        consumed += len(ch.encode("utf-8"))
        if consumed >= byte_count:
            return i + 1
    return len(text)


class NoSuchTheorem(LookupError):
    """The file has no theorem of the requested name (the message lists the ones it has), or none at all."""


class Cursor:
    """Where a scan of ``text`` is: the offset, its 1-based line, and where that line starts (for columns)."""

    def __init__(self, text: str, at: int = 0) -> None:
        self.text, self.at, self.line, self.line_start = text, at, 1, 0

    def advance(self, to: int) -> None:
        breaks = self.text.count("\n", self.at, to)
        if breaks:
            self.line += breaks
            self.line_start = self.text.rfind("\n", self.at, to) + 1
        self.at = to

    @property
    def column(self) -> int:
        """0-based."""
        return self.at - self.line_start


def nested_comment_end(text: str, start: int, opener: str, closer: str) -> int | None:
    """Offset just past the block comment opened at ``start`` (comments nest, as in Lean and Dafny),
    or None when it is never closed."""
    depth, j = 1, start + len(opener)
    while depth and j < len(text):
        if text.startswith(opener, j):
            depth, j = depth + 1, j + len(opener)
        elif text.startswith(closer, j):
            depth, j = depth - 1, j + len(closer)
        else:
            j += 1
    return None if depth else j


def top_level_operators(text: str, operators: tuple[str, ...] | list[str]) -> list[tuple[str, int]]:
    """(operator, offset) of each occurrence of ``operators`` in ``text`` outside brackets; at each place
    the longest operator wins, so ``<==>`` is never read as ``==>``."""
    ordered = sorted(operators, key=len, reverse=True)
    depth, cuts, i = 0, [], 0
    while i < len(text):
        ch = text[i]
        if ch in "([{⟨":
            depth += 1
        elif ch in ")]}⟩":
            depth -= 1
        elif depth == 0:
            op = next((o for o in ordered if text.startswith(o, i)), None)
            if op is not None:
                cuts.append((op, i))
                i += len(op)
                continue
        i += 1
    return cuts

