"""The REPL client against a stand-in that answers with Lean's real recorded responses."""

import sys
import time
from pathlib import Path

import pytest

from lemmata.verifiers.lean.config import LeanConfig
from lemmata.verifiers.lean.interface import CommandResponse, ReplError, TacticResponse, command, tactic
from lemmata.verifiers.lean.repl import LeanRepl, ReplDied, ReplTimeout

from paths import HELPERS
from paths import LEAN_FIXTURES as FIXTURES
pytestmark = pytest.mark.skipif(not FIXTURES.is_dir(), reason=f"the recorded Lean REPL transcripts are not at {FIXTURES}")


def repl(*fixtures: str) -> LeanRepl:
    config = LeanConfig(project=HELPERS, command=(sys.executable, str(HELPERS / "fake_lean_repl.py"), *fixtures))
    return LeanRepl(config)


def test_command_then_tactics_in_proof_states():
    r = repl("proof_branching")
    try:
        first = r.send(command("theorem complex_and (p q r : Prop) (h1 : p ∧ q) (h2 : q → r) : p ∧ r := by sorry"), 10)
        assert isinstance(first, CommandResponse) and first.env == 0
        assert first.sorries[0].goal.endswith("⊢ p ∧ r") and first.sorries[0].proof_state == 0
        assert first.messages[0].severity == "warning" and first.messages[0].pos.column == 8
        split = r.send(tactic("apply And.intro", 0), 10)
        assert isinstance(split, TacticResponse) and len(split.goals) == 2
        assert split.proof_status == "Incomplete: open goals remain"
        r.send(tactic("exact h1.left", 1), 10)
        r.send(tactic("apply h2", 2), 10)
        done = r.send(tactic("exact h1.right", 3), 10)
        assert done.proof_status == "Completed" and done.goals == []
        assert r.commands == 5
    finally:
        r.close()


def test_repl_level_errors_are_their_own_kind():
    r = repl("unknown_tactic")
    try:
        r.send(command("def f : Nat := by sorry"), 10)
        answer = r.send(tactic("exat 42", 0), 10)
        assert isinstance(answer, ReplError) and "unknown tactic" in answer.message
    finally:
        r.close()


def test_a_stray_line_before_the_answer_is_skipped():
    r = repl()
    try:
        assert r.send(command("__noise__"), 10).env == 99
    finally:
        r.close()


def test_a_multi_line_message_on_stderr_does_not_shift_later_answers():
    r = repl()
    try:
        assert r.send(command("__stderr__"), 10).env == 98
        assert r.send(command("__noise__"), 10).env == 99  # the next answer is its own, not a piece of stderr
        assert "over several lines" in r._tool.stderr_tail()
    finally:
        r.close()


def test_a_repl_that_dies_mid_command_is_reported_and_restarted():
    r = repl("unknown_tactic")
    try:
        with pytest.raises(ReplDied):
            r.send(command("__die__"), 10)
        assert not r.alive
        answer = r.send(command("def f : Nat := by sorry"), 10)  # a fresh process: its environments start again
        assert answer.env == 0 and r.generation == 2
    finally:
        r.close()


def test_a_hung_command_is_killed_at_its_timeout():
    r = repl()
    try:
        started = time.monotonic()
        with pytest.raises(ReplTimeout):
            r.send(command("__hang__"), 1.0)
        assert time.monotonic() - started < 5 and not r.alive
    finally:
        r.close()
