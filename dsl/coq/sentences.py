"""Splitting Coq/Rocq source into sentences, the unit coqtop executes.

The warm Coq session feeds a document to coqtop one sentence at a time, so that
every error is pinned to its sentence and the goal state can be read right
after the failure. The split must agree with Coq's own lexer on where a
sentence ends:

* ``.`` followed by white space or end of input (``Nat.add``, ``x.(f)`` and
  ``1.5`` are not ends), and the old ``...`` terminator;
* a bullet (``-``, ``+``, ``*`` and their repetitions) or a focusing brace
  (``{``, ``}``, ``2: {``) at the start of a sentence is a sentence by itself;
* comments ``(* ... *)`` nest and may contain string literals; strings use
  ``""`` for a quote.

Comments are not sentences; a comment before a sentence is skipped.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Literal

SentenceKind = Literal["command", "bullet", "brace"]

_BLANK = " \t\r\n"
_BULLET = re.compile(r"(-+|\++|\*+)")
_SELECTOR_BRACE = re.compile(r"(\d+|all|\[\s*[A-Za-z_][\w']*\s*\])\s*:\s*\{")


class CoqSyntaxError(ValueError):
    """The text cannot be split: an unterminated comment or string."""

    def __init__(self, message: str, offset: int) -> None:
        super().__init__(message)
        self.offset = offset


@dataclass(frozen=True)
class Sentence:
    start: int  # offset of the first character
    end: int  # offset just past the terminator
    text: str  # source text, comments included
    kind: SentenceKind

    def code(self) -> str:
        """The sentence with comments blanked to spaces (same length)."""
        return blank_comments(self.text)


@dataclass(frozen=True)
class SplitResult:
    sentences: list[Sentence]
    # Non-blank text after the last terminator (a sentence missing its '.').
    trailing_start: int | None = None


def _skip_string(text: str, i: int) -> int:
    """``text[i]`` is an opening quote; return the offset after the closing one."""
    n = len(text)
    j = i + 1
    while j < n:
        if text[j] == '"':
            if j + 1 < n and text[j + 1] == '"':
                j += 2
                continue
            return j + 1
        j += 1
    raise CoqSyntaxError("unterminated string literal", i)


def _skip_comment(text: str, i: int) -> int:
    """``text[i:i+2]`` is ``(*``; return the offset after the matching ``*)``."""
    n = len(text)
    depth = 0
    j = i
    while j < n:
        if text.startswith("(*", j):
            depth += 1
            j += 2
        elif text.startswith("*)", j):
            depth -= 1
            j += 2
            if depth == 0:
                return j
        elif text[j] == '"':
            j = _skip_string(text, j)
        else:
            j += 1
    raise CoqSyntaxError("unterminated comment", i)


def blank_comments(text: str) -> str:
    """Replace every comment by spaces (newlines kept), leaving offsets intact."""
    out: list[str] = []
    i, n = 0, len(text)
    while i < n:
        if text.startswith("(*", i):
            j = _skip_comment(text, i)
            out.append("".join("\n" if c == "\n" else " " for c in text[i:j]))
            i = j
        elif text[i] == '"':
            j = _skip_string(text, i)
            out.append(text[i:j])
            i = j
        else:
            out.append(text[i])
            i += 1
    return "".join(out)


def _skip_blank_and_comments(text: str, i: int) -> int:
    n = len(text)
    while i < n:
        if text[i] in _BLANK:
            i += 1
        elif text.startswith("(*", i):
            i = _skip_comment(text, i)
        else:
            break
    return i


def _is_terminator(text: str, i: int) -> int:
    """Length of a sentence terminator at ``i`` (0 if none)."""
    n = len(text)
    if text[i] != ".":
        return 0
    if text.startswith("...", i) and (i + 3 == n or text[i + 3] in _BLANK):
        return 3
    if i > 0 and text[i - 1] == ".":
        return 0  # inside '..' (recursive notations)
    if i + 1 == n or text[i + 1] in _BLANK:
        return 1
    return 0


def split_sentences(text: str) -> SplitResult:
    """Split ``text`` into sentences. Raises :class:`CoqSyntaxError`."""
    sentences: list[Sentence] = []
    n = len(text)
    i = _skip_blank_and_comments(text, 0)
    while i < n:
        start = i
        bullet = _BULLET.match(text, i)
        if bullet and not text.startswith("(*", i):
            end = bullet.end()
            sentences.append(Sentence(start, end, text[start:end], "bullet"))
            i = _skip_blank_and_comments(text, end)
            continue
        if text[i] in "{}":
            sentences.append(Sentence(start, i + 1, text[i], "brace"))
            i = _skip_blank_and_comments(text, i + 1)
            continue
        selector = _SELECTOR_BRACE.match(text, i)
        if selector:
            end = selector.end()
            sentences.append(Sentence(start, end, text[start:end], "brace"))
            i = _skip_blank_and_comments(text, end)
            continue
        j = i
        end = None
        while j < n:
            ch = text[j]
            if text.startswith("(*", j):
                j = _skip_comment(text, j)
            elif ch == '"':
                j = _skip_string(text, j)
            else:
                width = _is_terminator(text, j)
                if width:
                    end = j + width
                    break
                j += 1
        if end is None:
            return SplitResult(sentences, trailing_start=start)
        sentences.append(Sentence(start, end, text[start:end], "command"))
        i = _skip_blank_and_comments(text, end)
    return SplitResult(sentences)
