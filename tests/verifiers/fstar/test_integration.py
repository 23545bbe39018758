"""Real F*, where ``fstar.exe`` is on PATH; skipped, with the reason, elsewhere (no F* can be installed here).

These are the tests that would catch what the recorded transcripts cannot show: the batch output format
of the installed version, the exit status, the IDE loading dependencies from the file on disk.
"""

import shutil

import pytest

from lemmata.verifiers.fstar.backend import FStarVerifier
from lemmata.verifiers.interface import Statement
from lemmata.verifiers.result import Verdict

pytestmark = pytest.mark.skipif(shutil.which("fstar.exe") is None and shutil.which("fstar") is None,
                                reason="F* is not installed here (no fstar.exe on PATH): the F* backend's "
                                       "integration tests need an F* release with its Z3")

PROBLEM = ("module Sum\nopen FStar.Mul\n\nlet rec sum (n:nat) : nat = if n = 0 then 0 else n + sum (n - 1)\n\n"
           "let sum_formula (n:nat) : Lemma (ensures 2 * sum n == n * (n + 1)) = admit ()\n")
PROOF = PROBLEM.replace("let sum_formula", "let rec sum_formula").replace(
    "= admit ()", "=\n  if n > 0 then sum_formula (n - 1)")
WRONG = PROOF.replace("n * (n + 1)", "n * (n + 2)").replace("admit", "")


@pytest.fixture(scope="module")
def fstar():
    return FStarVerifier()


def test_an_inductive_proof_is_accepted_one_shot_and_warm(fstar):
    assert fstar.check(PROOF, statement=Statement(PROBLEM), timeout=300).verdict is Verdict.ACCEPTED
    with fstar.session(statement=Statement(PROBLEM)) as session:
        assert session.check(PROOF, timeout=300).verdict is Verdict.ACCEPTED
        assert session.check(PROBLEM, timeout=300).verdict is Verdict.REJECTED  # the hole


def test_a_false_lemma_fails_with_an_error_on_its_line(fstar):
    result = fstar.check(WRONG, timeout=300)
    assert result.verdict is Verdict.REJECTED
    assert result.first_error() is not None and result.first_error().span is not None
    with fstar.session() as session:
        warm = session.check(WRONG, timeout=300)
    assert warm.verdict is Verdict.REJECTED and warm.first_error().span.line == result.first_error().span.line


def test_admit_smt_queries_is_refused_even_though_f_star_accepts_it(fstar):
    cheat = WRONG.replace("open FStar.Mul", 'open FStar.Mul\n#set-options "--admit_smt_queries true"')
    result = fstar.check(cheat, statement=Statement(PROBLEM), timeout=300)
    assert result.verdict is Verdict.REJECTED and any("admit_smt_queries" in r for r in result.reasons)
