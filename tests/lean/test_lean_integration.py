"""Real Lean, where it is installed (elan + the REPL built in lean/); skipped, with the reason, elsewhere."""

import shutil

import pytest

from verifiers.interface import Statement
from verifiers.lean.backend import LeanVerifier
from verifiers.result import Verdict

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
