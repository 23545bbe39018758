"""``SessionPool``: whole documents checked in warm coqtop sessions give what one coqc per document gives."""

import pytest

from lemmata.verifiers.interface import Statement
from lemmata.verifiers.warm import SessionPool, warm_key

from .conftest import HERE, read

pytestmark = pytest.mark.slow  # real coqc and coqtop

REALS = "Require Import Reals.\nRequire Import Lra.\nOpen Scope R_scope.\n"
DOCUMENTS = {
    "accepted": REALS + "Theorem t (x : R) : x + 1 > x.\nProof. intros. lra. Qed.\n",
    "error": REALS + "Theorem t (x : R) : x * x >= 0.\nProof. intros. lia. Qed.\n",
    "hole": REALS + "Theorem t (x : R) : x + 1 > x.\nProof. admit. Admitted.\n",
    "other header": "Require Import Arith.\nTheorem u : 2 + 2 = 4.\nProof. reflexivity. Qed.\n",
    "no header": "Theorem v : True.\nProof. exact I. Qed.\n",
    "axiom": "Axiom magic : False.\nTheorem w : 1 = 2.\nProof. destruct magic. Qed.\n",
    "unfinished": "Theorem z : True.\nProof.\n",
}


def same(a, b) -> bool:
    return a.model_dump(exclude={"seconds"}) == b.model_dump(exclude={"seconds"})


def test_every_verdict_is_the_one_shot_verdict_and_sessions_are_shared_by_header(coq):
    with SessionPool(capacity=4) as pool:
        for round_ in range(2):
            for name, text in DOCUMENTS.items():
                warm = pool.check(coq, text, timeout=60)
                assert same(warm, coq.check(text, timeout=60)), name
        assert warm.verdict.value == "rejected"
        # one session per first library: Reals (then Lra), Arith, none (the last four documents need none)
        assert sorted(s["header"] for s in pool.describe()) == ["", "Require Arith.", "Require Reals."]
        assert pool.warm_checks == 2 * len(DOCUMENTS) and pool.cold_checks == 0 and pool.opened == 3


def test_against_a_reference_statement_the_session_is_keyed_by_it_too(coq):
    problem = Statement(read("problem.v"), None, "problem.v")
    honest = read("honest.v")
    other = Statement(problem.text.replace("Theorem", "Lemma"), None, "other.v")
    assert warm_key(coq, honest, problem) != warm_key(coq, honest, None) != warm_key(coq, honest, other)
    with SessionPool(capacity=2) as pool:
        assert same(pool.check(coq, honest, statement=problem, timeout=60),
                    coq.check(honest, statement=problem, timeout=60))
        cheat = (HERE / "cheats").glob("*.v")
        for path in sorted(cheat)[:3]:
            text = path.read_text()
            assert same(pool.check(coq, text, statement=problem, timeout=60),
                        coq.check(text, statement=problem, timeout=60)), path.name
        assert {s["statement"] for s in pool.describe()} == {"problem.v"}


def test_the_least_recently_used_session_is_closed_beyond_capacity(coq):
    with SessionPool(capacity=1) as pool:
        pool.check(coq, DOCUMENTS["other header"], timeout=60)
        first = pool._sessions[pool.keys()[0]].session
        pool.check(coq, DOCUMENTS["no header"], timeout=60)
        assert len(pool.describe()) == 1 and pool.describe()[0]["header"] == ""
        assert first._top is None  # closed: its coqtop is gone


def test_a_header_that_does_not_load_is_checked_the_one_shot_way(coq):
    text = "Require Import NoSuchLibraryAnywhere.\nTheorem t : True.\nProof. exact I. Qed.\n"
    with SessionPool() as pool:
        result = pool.check(coq, text, timeout=60)
        assert same(result, coq.check(text, timeout=60)) and result.verdict.value == "rejected"
        pool.check(coq, text, timeout=60)
        assert pool.cold_checks == 2 and pool.opened == 0 and pool.describe() == []


def test_syntax_errors_are_reported_as_the_one_shot_check_reports_them(coq):
    unsplittable = "Require Import Arith.\n(* never closed\nTheorem t : True.\n"
    assert coq.warm_header(unsplittable) is None and warm_key(coq, unsplittable) is None
    with SessionPool() as pool:
        for text in (unsplittable, "Theorem t : True.\nProof. exact I. Qed"):
            assert same(pool.check(coq, text, timeout=60), coq.check(text, timeout=60))
