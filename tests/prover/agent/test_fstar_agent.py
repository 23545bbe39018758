"""The program agent on F* through the stand-in ``fstar.exe`` (scripted: what F* would say is our belief here).

What these show: SMT schedules run before any model and the options they add pass the audit; a model's
answer is checked in the warm IDE session, repaired from F*'s messages, and a cheat never counts.
"""

import pytest

import lemmata
from agent_cases import events, replay
from lemmata.prover.agent.fstar import SCHEDULE, discharged, options

PROBLEM = ("module Sum\nopen FStar.Mul\n\nlet rec sum (n:nat) : nat = if n = 0 then 0 else n + sum (n - 1)\n\n"
           "let sum_formula (n:nat) : Lemma (ensures 2 * sum n == n * (n + 1)) = admit ()\n")
PROOF = PROBLEM.replace("let sum_formula", "let rec sum_formula").replace(
    "= admit ()", "=\n  if n > 0 then sum_formula (n - 1)")
CHEAT = PROBLEM.replace("= admit ()", "= assume (2 * sum n == n * (n + 1))")
FAILED = {"level": "error", "message": "- Could not prove post-condition\n- The SMT solver could not prove the query.\n",
          "number": 19, "ranges": [{"beg": [1, 0], "end": [1, 20], "fname": "<input>"}]}


def fenced(text: str) -> str:
    return f"The proof:\n```fstar\n{text}```\n"


def test_holes_become_smt_obligations_under_rising_limits():
    assert discharged(PROBLEM, SCHEDULE[0]) == PROBLEM.replace("admit ()", "()")
    raised = discharged(PROBLEM, (50, 4, 2))
    assert '#push-options "--z3rlimit 50 --fuel 4 --ifuel 2"\nlet sum_formula' in raised
    assert raised.rstrip().endswith("#pop-options") and "admit" not in raised
    vals = discharged("module A\nval f : #a:Type -> x:a -> y:nat -> Lemma (y + 0 == y)\n", (None, None, None))
    assert "let f _ _ = ()" in vals
    assert options(20, None, 1) == "--z3rlimit 20 --ifuel 1" and discharged("module A\nlet x = 1\n", SCHEDULE[0]) is None


def test_without_a_model_the_smt_schedule_proves_what_more_fuel_proves(fake_fstar, tmp_path):
    fake_fstar([["let sum_formula", FAILED, "--fuel 4"]])  # our script: Z3 needs the recursion unrolled four times
    problem = tmp_path / "Sum.fst"
    problem.write_text(PROBLEM)
    result = lemmata.prove(problem, no_llm=True, trace=tmp_path / "trace")
    assert result.status.value == "proved" and result.found_by == "SMT schedules", result
    assert '#push-options "--z3rlimit 50 --fuel 4 --ifuel 2"' in result.proof
    assert [s.stage for s in result.stages] == ["F* alone", "SMT schedules"]
    assert lemmata.check(text=result.proof, language="fstar", statement=str(problem)).accepted
    checks = [e for e in events(tmp_path / "trace" / "sum_formula.jsonl") if e["event"] == "check"]
    assert [c["verdict"] for c in checks] == ["rejected", "rejected", "rejected", "accepted"]
    starts = [e for e in fake_fstar.log() if "start" in e]
    assert len(starts) == 1  # every check of the run went to one warm IDE process


def test_a_model_is_repaired_from_f_stars_message_and_a_cheat_never_counts(fake_fstar, tmp_path):
    fake_fstar([["sum_formula", FAILED, "sum_formula (n - 1)"]])  # our script: only the inductive proof goes through
    client = replay(tmp_path, [
        {"contains": "Prove what this F* module leaves", "completions": [fenced(CHEAT), fenced(PROBLEM.replace(
            "admit ()", "()"))]},
        {"contains": "F* rejected this annotated program", "completions": [fenced(PROOF)]},
    ])
    problem = tmp_path / "Sum.fst"
    problem.write_text(PROBLEM)
    result = lemmata.prove(problem, llm=client, samples=2, trace=tmp_path / "trace")
    assert result.status.value == "proved" and result.found_by == "repair", result
    assert "sum_formula (n - 1)" in result.proof
    trace = events(tmp_path / "trace" / "sum_formula.jsonl")
    sampled = [e for e in trace if e["event"] == "check" and e["stage"] == "sampling"]
    assert [c["verdict"] for c in sampled] == ["rejected", "rejected"]
    assert "assume" in sampled[0]["attempt"] and "Could not prove post-condition" in sampled[1]["error"]


@pytest.mark.parametrize("text, message", [
    ("module A\nlet x = (1 + 2\n", "never closed"),
])
def test_a_problem_that_does_not_read_is_a_clear_error(fake_fstar, tmp_path, text, message):
    bad = tmp_path / "A.fst"
    bad.write_text(text)
    with pytest.raises(lemmata.LemmataError, match=message):
        lemmata.prove(bad, no_llm=True)
