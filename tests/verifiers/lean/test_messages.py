"""Recorded Lean answers mapped to the common schema."""

import re
from pathlib import Path

import pytest

from lemmata.verifiers.lean.interface import CommandResponse, Message, Pos, decode
from lemmata.verifiers.lean.messages import axioms_of, diagnostic, hole
from lemmata.verifiers.result import Severity

from paths import LEAN_FIXTURES as FIXTURES
pytestmark = pytest.mark.skipif(not FIXTURES.is_dir(), reason=f"the recorded Lean REPL transcripts are not at {FIXTURES}")


def responses(name: str) -> list:
    text = (FIXTURES / f"{name}.expected.out").read_text()
    return [decode(c) for c in re.split(r"\n\s*\n", text) if c.strip()]


def test_errors_warnings_and_positions_from_real_answers():
    found = [(r, m) for name in ("app_type_mismatch", "invalid_tactic", "unfinished_tactic_block", "incomplete")
             for r in responses(name) if isinstance(r, CommandResponse) for m in r.messages]
    assert found, "the transcripts hold messages"
    for _, message in found:
        d = diagnostic(message, line_offset=2)
        assert d.span.line == message.pos.line + 2 and d.span.column == message.pos.column + 1
        assert d.severity in (Severity.ERROR, Severity.WARNING, Severity.INFO) and d.message
    assert any(diagnostic(m).severity is Severity.ERROR for _, m in found)


def test_unsolved_goals_keep_the_goal_state():
    message = Message(severity="error", pos=Pos(line=1, column=40), data="unsolved goals\nx : ℕ\n⊢ x = x")
    d = diagnostic(message)
    assert d.message == "unsolved goals" and d.goals == "x : ℕ\n⊢ x = x"


def test_sorries_become_holes_with_goals():
    first = responses("proof_branching")[0]
    holes = [hole(s, 3) for s in first.sorries]
    assert holes[0].kind == "sorry" and holes[0].span.line == 4 and holes[0].goal.endswith("⊢ p ∧ r")


def test_print_axioms_answers():
    def info(text):
        return Message(severity="info", pos=Pos(line=1, column=0), data=text)

    assert axioms_of([info("'t' depends on axioms: [propext, Classical.choice, Quot.sound]")], "t") == \
        ["propext", "Classical.choice", "Quot.sound"]
    assert axioms_of([info("'t' does not depend on any axioms")], "t") == []
    assert axioms_of([info("'u' does not depend on any axioms")], "t") is None
    assert axioms_of([info("'t' depends on axioms: [sorryAx]")], "t") == ["sorryAx"]
    # Mathlib-style primes end the quoted name; components that need it are printed in «»
    assert axioms_of([info("'sq_pos'' depends on axioms: [propext, sorryAx]")], "sq_pos'") == ["propext", "sorryAx"]
    assert axioms_of([info("'foo''' does not depend on any axioms")], "foo''") == []
    assert axioms_of([info("'«my lemma»' depends on axioms: [propext]")], "«my lemma»") == ["propext"]
    assert axioms_of([info("'sq_pos'' depends on axioms: [propext]")], "sq_pos") is None
    assert axioms_of([info("'t' depends on axioms: [propext,\n Classical.choice]")], "t") == \
        ["propext", "Classical.choice"]
