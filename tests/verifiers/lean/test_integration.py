"""Real Lean, where it is installed (elan + the REPL built in lean/); skipped, with the reason, elsewhere."""

import shutil

import pytest

from lemmata.verifiers.interface import Statement
from lemmata.verifiers.lean.backend import LeanVerifier
from lemmata.verifiers.result import Verdict

pytestmark = pytest.mark.skipif(shutil.which("lake") is None,
                                reason="Lean 4 is not installed here (no `lake` on PATH): the Lean backend's "
                                       "integration tests need elan and `lake build repl` in lean/")

PROBLEM = "theorem two_two : 2 + 2 = 4 := sorry\n"


@pytest.fixture(scope="module")
def lean():
    return LeanVerifier()


def test_an_honest_proof_is_accepted(lean):
    result = lean.check("theorem two_two : 2 + 2 = 4 := by decide\n", statement=Statement(PROBLEM), timeout=300)
    assert result.verdict is Verdict.ACCEPTED, result.reasons
    assert result.targets[0].statement_matches is True


def test_sorry_and_a_weaker_statement_are_refused(lean):
    holed = lean.check("theorem two_two : 2 + 2 = 4 := by sorry\n", statement=Statement(PROBLEM), timeout=300)
    assert holed.verdict is Verdict.REJECTED and holed.holes
    weaker = lean.check("theorem two_two : 2 + 2 = 2 + 2 := rfl\n", statement=Statement(PROBLEM), timeout=300)
    assert weaker.verdict is Verdict.REJECTED
    assert "theorem two_two does not state exactly the reference statement" in weaker.reasons


# What the stand-in cannot vouch for: Lean's own answers to the audit's commands.
MATHLIB_PROBLEM = "import Mathlib\n\ntheorem sq_pos' (x : ℝ) (h : 0 < x) : 0 < x ^ 2 := by sorry\n"
ALLOWED = {"propext", "Classical.choice", "Quot.sound"}


def test_a_mathlib_proof_of_a_primed_name_passes_the_whole_audit(lean):
    result = lean.check(MATHLIB_PROBLEM.replace("by sorry", "by positivity"),
                        statement=Statement(MATHLIB_PROBLEM), timeout=900)
    assert result.verdict is Verdict.ACCEPTED, result.reasons
    target = result.targets[0]
    assert target.name == "sq_pos'" and target.statement_matches is True and set(target.axioms) <= ALLOWED


def test_native_decide_and_a_new_axiom_are_refused(lean):
    native = lean.check("theorem two_two : 2 + 2 = 4 := by native_decide\n", statement=Statement(PROBLEM), timeout=300)
    assert native.verdict is Verdict.REJECTED
    axiom = lean.check("axiom cheat : 2 + 2 = 4\ntheorem two_two : 2 + 2 = 4 := cheat\n",
                       statement=Statement(PROBLEM), timeout=300)
    assert axiom.verdict is Verdict.REJECTED


def test_a_session_elaborates_the_header_once_and_reports_errors_at_file_lines(lean):
    body = MATHLIB_PROBLEM.split("\n", 1)[1]
    with lean.session("import Mathlib", statement=Statement(MATHLIB_PROBLEM)) as session:
        assert session.check(body.replace("by sorry", "by positivity"), timeout=900).accepted
        wrong = session.check(body.replace("by sorry", "by\n  linarith"), timeout=300)
        assert session.pool.header_elaborations == 1
    assert wrong.verdict is Verdict.REJECTED
    error = wrong.first_error()
    assert error is not None and error.span.line == 3  # the `linarith` line of the body
