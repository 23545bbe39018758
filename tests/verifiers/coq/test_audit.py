"""The cheat corpus: every way of faking a proof is refused, by coqc and by the warm session alike."""

from pathlib import Path

import pytest

from lemmata.verifiers.result import Verdict

pytestmark = pytest.mark.slow  # real coqc and coqtop on every cheat

HERE = Path(__file__).parent


def read(name: str) -> str:
    return (HERE / name).read_text()


# cheat file -> a phrase the refusal must contain
CHEATS = {
    "admitted.v": "unfinished proof: 'Admitted'",
    "admit_tactic.v": "given up goals",
    "axiom.v": "outside the allow-list: everything",
    "parameter.v": "outside the allow-list: double_spec",
    "conjecture.v": "outside the allow-list: double_spec",
    "section_hypothesis.v": "does not state exactly the reference statement",
    "admitted_helper.v": "outside the allow-list: helper",
    "guard_checking.v": "assumed to be guarded",
    "weaker_statement.v": "does not state exactly the reference statement",
    "redefined_definition.v": "does not state exactly the reference statement",
    "local_notation.v": "does not state exactly the reference statement",
    "shadowed_in_module.v": "unfinished proof: 'Admitted'",
    "reset_state.v": "uses 'Reset'",
    "missing_theorem.v": "double_even is not defined",
}


def test_the_corpus_is_complete():
    assert sorted(p.name for p in (HERE / "cheats").glob("*.v")) == sorted(CHEATS)


def test_honest_proof_is_accepted(coq, problem):
    result = coq.check(read("honest.v"), statement=problem)
    assert result.verdict is Verdict.ACCEPTED, result.reasons
    (target,) = result.targets
    assert target.name == "double_even" and target.statement_matches and target.axioms == []


@pytest.mark.parametrize("cheat", sorted(CHEATS))
def test_cheat_rejected_by_coqc(coq, problem, cheat):
    result = coq.check(read(f"cheats/{cheat}"), statement=problem)
    assert result.verdict is Verdict.REJECTED
    assert any(CHEATS[cheat] in r for r in result.reasons), result.reasons


@pytest.mark.parametrize("cheat", sorted(CHEATS))
def test_cheat_rejected_by_session(problem_session, cheat):
    result = problem_session.check(read(f"cheats/{cheat}"))
    assert result.verdict is Verdict.REJECTED
    assert any(CHEATS[cheat] in r for r in result.reasons), result.reasons


def test_session_accepts_honest_proof_after_cheats(problem_session):
    # runs after the cheat tests in file order: nothing they did may linger
    result = problem_session.check(read("honest.v"))
    assert result.verdict is Verdict.ACCEPTED, result.reasons


def test_real_axioms_are_listed_and_allowed(coq):
    text = """Require Import Reals Lra Classical.
Open Scope R_scope.
Theorem t : forall x : R, (x <= 0 \\/ x > 0) /\\ (x + 1 > x).
Proof. intro x. split. - destruct (classic (x <= 0)); [left; lra | right; lra]. - lra. Qed.
"""
    result = coq.check(text)
    assert result.verdict is Verdict.ACCEPTED, result.reasons
    axioms = set(result.targets[0].axioms)
    assert "Classical_Prop.classic" in axioms
    assert "ClassicalDedekindReals.sig_forall_dec" in axioms


def test_allow_list_names_exist_in_this_coq(coq):
    # every allow-listed axiom must be a real constant, or the list is fiction
    from lemmata.verifiers.coq.axioms import ALLOWED_AXIOMS
    from lemmata.verifiers.coq.toplevel import CoqTop

    libraries = sorted({name.rsplit(".", 1)[0].split(".Eq_rect_eq")[0] for name in ALLOWED_AXIOMS})
    top = CoqTop([coq.config.coqtop, "-emacs", "-q"])
    top.start(60)
    try:
        top.exchange("Require " + " ".join(libraries) + ".", 120)
        for name in sorted(ALLOWED_AXIOMS):
            reply = top.exchange(f"Print {name}.", 30)
            assert not reply.failed, (name, reply.output)
            assert "***" in reply.output, f"{name} is not an assumption: {reply.output}"
    finally:
        top.close()


def test_a_warning_in_the_reference_statement_is_not_an_error(coq):
    """Coq warns about large nat literals; the statement still elaborates (miniF2F mathd_numbertheory_640)."""
    from lemmata.verifiers.interface import Statement

    problem = "Require Import Nat.\nTheorem big : (91145 + 91146) mod 4 = 3.\nProof.\nAdmitted.\n"
    proof = "Require Import Nat.\nTheorem big : (91145 + 91146) mod 4 = 3.\nProof.\nvm_compute. reflexivity.\nQed.\n"
    statement = Statement(problem, "big")
    assert coq.check(proof, statement=statement, timeout=60).accepted
    with coq.session("Require Import Nat.", statement=statement) as session:
        assert session.check("Theorem big : (91145 + 91146) mod 4 = 3.\nProof.\nvm_compute. reflexivity.\nQed.\n",
                             timeout=60).accepted
