"""Coq's printed goal state, read back as a context and a conclusion.

The agent turns a goal it must prove (a hole in a repaired proof, the state
after ``intros`` that a sketch's sub-lemmas are stated in) into a standalone
lemma: it can then be checked on its own, sent to the SMT solvers through the
statement parser, and shown to a model without the rest of the proof.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

_SEPARATOR = re.compile(r"^\s*=====+\s*$")
_HYPOTHESIS = re.compile(r"^(?P<names>[A-Za-z_][\w']*(?:\s*,\s*[A-Za-z_][\w']*)*)\s*(?P<sep>:=|:)\s?(?P<rest>.*)$")


class CoqGoalError(ValueError):
    """The text is not a goal display this reader understands."""


@dataclass(frozen=True)
class CoqHypothesis:
    names: tuple[str, ...]
    type: str
    value: str | None = None  # a let-bound name: ``x := value : type``

    def binder(self) -> str:
        if self.value is not None:
            return f"({self.names[0]} : {self.type} := {self.value})"
        return f"({' '.join(self.names)} : {self.type})"


@dataclass(frozen=True)
class CoqGoal:
    hypotheses: tuple[CoqHypothesis, ...]
    conclusion: str

    @property
    def names(self) -> list[str]:
        return [n for h in self.hypotheses for n in h.names]

    def argument_names(self) -> list[str]:
        """What a lemma stated over this context is applied to: let-bound names are not arguments."""
        return [n for h in self.hypotheses if h.value is None for n in h.names]

    def declaration(self, name: str, extra: list[tuple[str, str]] = (), claim: str | None = None) -> str:
        """``Lemma name (ctx...) (extra...) : claim.`` (the goal's own conclusion by default)."""
        binders = [h.binder() for h in self.hypotheses] + [f"({n} : {t})" for n, t in extra]
        return " ".join(["Lemma", name, *binders, ":", claim or self.conclusion]) + "."


def parse_coq_goal(display: str) -> CoqGoal:
    """The first goal of a display such as ``1 goal\\n x : R\\n ====\\n x = x``."""
    lines = display.splitlines()
    try:
        sep = next(i for i, line in enumerate(lines) if _SEPARATOR.match(line))
    except StopIteration:
        raise CoqGoalError("no '=====' line in the goal display") from None
    conclusion_lines: list[str] = []
    for line in lines[sep + 1:]:
        if not line.strip() or re.match(r"\s*goal \d+", line):
            if conclusion_lines:
                break
            continue
        conclusion_lines.append(line.strip())
    if not conclusion_lines:
        raise CoqGoalError("the goal display has no conclusion")
    context = [line for line in lines[:sep] if line.strip() and not re.match(r"\s*\d+ goals?\b", line)]
    hypotheses: list[CoqHypothesis] = []
    pending: list[str] = []
    base = min((len(line) - len(line.lstrip()) for line in context), default=0)

    def flush() -> None:
        if pending:
            hypotheses.append(_hypothesis(" ".join(pending)))
            pending.clear()

    for line in context:
        indent = len(line) - len(line.lstrip())
        if indent == base and _HYPOTHESIS.match(line.strip()):
            flush()
        elif not pending:
            raise CoqGoalError(f"cannot read the context line {line.strip()!r}")
        pending.append(line.strip())
    flush()
    return CoqGoal(tuple(hypotheses), " ".join(conclusion_lines))


def _hypothesis(text: str) -> CoqHypothesis:
    m = _HYPOTHESIS.match(text)
    assert m is not None
    names = tuple(n.strip() for n in m["names"].split(","))
    if m["sep"] == ":":
        return CoqHypothesis(names, m["rest"].strip())
    value, type_ = _split_let(m["rest"])
    return CoqHypothesis(names, type_, value)


def _split_let(text: str) -> tuple[str, str]:
    """``value : type`` at bracket depth 0, the last top-level ':'."""
    depth, cut = 0, -1
    for i, ch in enumerate(text):
        if ch in "([{":
            depth += 1
        elif ch in ")]}":
            depth -= 1
        elif ch == ":" and depth == 0 and text[i + 1:i + 2] != "=" and text[i - 1:i] != ":":
            cut = i
    if cut < 0:
        raise CoqGoalError(f"cannot read the let-bound hypothesis {text!r}")
    return text[:cut].strip(), text[cut + 1:].strip()


__all__ = ["CoqGoal", "CoqGoalError", "CoqHypothesis", "parse_coq_goal"]
