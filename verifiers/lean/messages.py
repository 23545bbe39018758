"""Lean's answers in the common result schema: messages as diagnostics, sorries as holes, axiom lists.

The REPL counts lines from the start of the command it was sent and columns
from 0 in code points; a checked document is sent without its import header,
so ``line_offset`` (the header's line count) maps positions back to the file.
"""

from __future__ import annotations

import re

from lemmata.verifiers.lean.interface import Message, Pos, Sorry
from lemmata.verifiers.result import Diagnostic, Hole, Severity, Span

_SEVERITY = {"error": Severity.ERROR, "warning": Severity.WARNING, "info": Severity.INFO}
# The quoted name may itself end in primes (`'foo''`, Mathlib's naming style), hence the lazy match up to the phrase.
_AXIOMS = re.compile(r"^\s*'(?P<name>.+?)' depends on axioms: \[(?P<list>[^\]]*)\]", re.DOTALL)
_NO_AXIOMS = re.compile(r"^\s*'(?P<name>.+?)' does not depend on any axioms", re.DOTALL)
ALLOWED_AXIOMS = frozenset({"propext", "Classical.choice", "Quot.sound"})


def _same_name(printed: str, name: str) -> bool:
    """Lean prints a name with «» around components that need them."""
    return printed.replace("«", "").replace("»", "") == name.replace("«", "").replace("»", "")


def _span(start: Pos | None, end: Pos | None, line_offset: int) -> Span | None:
    if start is None:
        return None
    end = end or start
    return Span(line=start.line + line_offset, column=start.column + 1,
                end_line=end.line + line_offset, end_column=end.column + 1)


def diagnostic(message: Message, line_offset: int = 0) -> Diagnostic:
    goals = None
    text = message.data
    if "⊢" in text and "\n" in text:  # "unsolved goals\n<goal>": the goal state at the failure
        head, _, rest = text.partition("\n")
        text, goals = head, rest
    return Diagnostic(severity=_SEVERITY[message.severity], message=text.strip(),
                      span=_span(message.pos, message.end_pos, line_offset), goals=goals)


def hole(sorry: Sorry, line_offset: int = 0) -> Hole:
    span = _span(sorry.pos, sorry.end_pos, line_offset) or Span(line=0, column=0, end_line=0, end_column=0)
    return Hole(kind="sorry", span=span, goal=sorry.goal)


def axioms_of(messages: list[Message], name: str) -> list[str] | None:
    """What ``#print axioms name`` answered (None when it did not answer for that name)."""
    for message in messages:
        if m := _AXIOMS.search(message.data):
            if _same_name(m["name"], name):
                return [a.strip() for a in m["list"].split(",") if a.strip()]
        elif (m := _NO_AXIOMS.search(message.data)) and _same_name(m["name"], name):
            return []
    return None


__all__ = ["ALLOWED_AXIOMS", "axioms_of", "diagnostic", "hole"]
