"""Kernel-checked automation on real Coq: one small goal per technique, each found by the stage meant for it."""

import pytest

from lemmata.prover.agent import ProofStatus

REALS = "Require Import Reals.\nOpen Scope R_scope.\n"
ARITH = "Require Import Arith.\n"


pytestmark = pytest.mark.slow  # the agent on real Coq


@pytest.mark.parametrize("name, text, tactics", [
    ("zify-nat", ARITH + "Theorem t : forall n : nat, n mod 7 = 5 -> (5 * n) mod 7 = 4.\n", ("lia", "nia", "zify-nat")),
    ("large-nat", ARITH + "Theorem t (n : nat) : 123 * n + 17 = 39500 -> n = 321.\n", ("lia", "nia", "large-nat")),
    ("abs-cases", REALS + "Theorem t : forall x p : R, x < 2 -> Rabs (x - 2) = p -> x - p = 2 - 2 * p.\n",
     ("lra", "nra", "abs-cases")),
    ("psatz", REALS + "Theorem t : forall a b : R, 0 < a -> 0 < b -> (a + b)^4 <= 8 * (a^4 + b^4).\n",
     ("lra", "nra", "psatz")),
    ("nra-squares", REALS + "Theorem t : forall a b : R, a^2 + b^2 = 2 -> a * b <= 1.\n", ("lra", "nra", "nra-squares")),
    ("clear-denominators", REALS + "Theorem t : forall x : R, x <> 0 -> 3 + 1/x = 7/x -> x = 2.\n",
     ("lra", "nra", "field", "clear-denominators")),
    ("field-sides", REALS + "Theorem t : forall x : R, x <> 0 -> (/ (4 / x)) * ((3 * x) / x) = 3 * x / 4.\n",
     ("lra", "nra", "field-sides")),
    ("instances-nat", REALS + "Theorem t (s : nat -> R) (h0 : forall n : nat, s (S (S n)) = s (S n) + s n)\n"
                              "  (h1 : s 5%nat = 8) (h2 : s 4%nat = 5) : s 2%nat = 2.\n", ("lra", "nra", "instances-nat")),
    ("rewrite-hypothesis", REALS + "Theorem t : forall (a b : R) (f : R -> R), (forall x : R, f x = a * x + b) ->\n"
                                   "  f 6 - f 2 = 12 -> f 12 - f 2 = 30.\n", ("lra", "nra", "rewrite-hypothesis")),
    ("definitions", REALS + "Theorem t (f g : R -> R) (h0 : forall x, f x = 5 * x + 3) (h1 : forall x, g x = x^2 - 2) :\n"
                            "  g (f (-1)) = 2.\n", ("lra", "nra", "definitions")),
    ("definitions-sqrt", REALS + "Theorem t (f : R -> R) (h0 : forall x, f x = 3 * sqrt (2 * x - 7) - 8) : f 8 = 1.\n",
     ("lra", "nra", "definitions-sqrt")),
    ("instances-real", REALS + "Theorem t : forall a b : R, (forall x : R, a * x + b = 2 * x + 3) -> a = 2.\n",
     ("lra", "nra", "instances-real")),
    ("sqrt-facts", REALS + "Theorem t : forall x : R, x = sqrt 5 -> x * x - 5 = 0.\n", ("lra", "nra", "sqrt-facts")),
    ("interval", REALS + "Theorem t : 314/100 < PI.\n", ("lra", "nra", "interval")),
])
def test_each_technique_proves_its_class(prove, name, text, tactics):
    result, _ = prove(text, None, tactics=tactics, tactic_timeout=15)  # generous: a loaded CI machine is slow
    assert result.status is ProofStatus.PROVED and result.found_by == f"automation ({name})", (result.found_by,
                                                                                              result.reason)
    stage = next(s for s in result.stages if s.stage == "automation (by shape)")
    assert stage.outcome == "proved" and stage.checks >= 1
    assert "Qed." in result.proof and "Admitted" not in result.proof


def test_a_prime_is_certified_by_coqprime(prove):
    text = "Require Import ZArith Znumtheory.\nTheorem t : prime 1000000007.\n"
    result, _ = prove(text, None, tactics=("lia", "prime-certificate 1000000007"), tactic_timeout=15)
    assert result.status is ProofStatus.PROVED and result.found_by == "automation (prime-certificate 1000000007)"
    assert "Pocklington_refl" in result.proof


def test_a_bounded_integer_goal_is_split_into_cases_the_solver_bounded(prove):
    text = ARITH + ("Theorem t (x y : nat) (h0 : 0 < y) (h1 : y < x) (h2 : x + y + x * y = 80) : x = 26.\n")
    result, events = prove(text, None, tactics=("lia", "nia", "reconstruction"), tactic_timeout=10)
    assert result.status is ProofStatus.PROVED and result.found_by.startswith("reconstruction (case-split")
    assert [s.stage for s in result.stages][:3] == ["automation", "smt", "reconstruction"]
    assert any(e["event"] == "reconstruction" and e["candidates"] for e in events)


def test_hypotheses_the_solver_does_not_need_are_found(prove, tmp_path):
    from agent_cases import problem

    from lemmata.prover.agent import AgentSettings, Budget, Trace
    from lemmata.prover.agent.budget import Spending
    from lemmata.prover.agent.checking import Checker
    from lemmata.prover.agent.decompose import goal_display
    from lemmata.prover.agent.reconstruct import unused_hypotheses
    from lemmata.prover.agent.run import Run
    from lemmata.prover.languages import language_named

    entry = language_named("coq")
    task = problem(REALS + "Theorem t : forall x y z : R, 0 < x -> y = 7 -> z * z = 3 -> x + 1 > 1.\n")
    spending, trace = Spending(Budget(seconds=60)), Trace(tmp_path / "t.jsonl")
    checker = Checker(entry.make_verifier(), task.header, spending, trace, 30)
    run = Run(entry, entry.make_adapter(), checker, None, spending, trace, AgentSettings())
    try:
        goal = run.language.read_goal(goal_display(run, task))
        assert unused_hypotheses(run, task, goal) == ["H0", "H1"]  # only 0 < x is needed
    finally:
        checker.close()
        trace.close()
