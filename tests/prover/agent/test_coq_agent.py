"""The agent on real Coq, driven by recorded completions."""

import time

import pytest
from agent_cases import PRODUCT, SUM_ODD

from lemmata.prover.agent import ProofStatus

pytestmark = pytest.mark.slow  # the agent on real Coq

INDUCTION = "intros n. induction n as [|k IH].\n- reflexivity.\n- simpl. rewrite IH. nia.\n"


def checks(events, stage=None):
    return [e for e in events if e["event"] == "check" and (stage is None or e["stage"] == stage)]


def test_without_a_model_automation_proves_and_the_audit_confirms(prove):
    result, events = prove("Require Import Arith.\nTheorem add_comm' : forall a b : nat, a + b = b + a.\n", None)
    assert result.status is ProofStatus.PROVED and result.found_by == "automation (lia)"
    assert "intros; lia." in result.proof and result.proof.rstrip().endswith("Qed.")
    assert any(e["event"] == "audit" and e["verdict"] == "accepted" for e in events)
    assert "no LLM configured" in result.notes[0]


def test_without_a_model_a_conjunction_is_split(prove):
    text = ("Require Import Arith.\nTheorem both : forall n : nat, "
            "(fix f (k : nat) := match k with 0 => 0 | S j => S (S (f j)) end) n = n + n /\\ n + 0 = n.\n")
    result, events = prove(text, None, tactics=("lia",))
    # lia cannot see through the fixpoint, so neither the whole nor the first part is proved: the split is
    # tried, its skeleton checks, the second part is proved, and the run fails honestly.
    assert result.status is ProofStatus.FAILED
    assert any(e["event"] == "sketch" for e in events)
    text = "Require Import Reals.\nOpen Scope R_scope.\nTheorem parts : forall x : R, 0 < x -> 0 < x + 1 /\\ x * x >= 0.\n"
    result, _ = prove(text, None, tactics=("lra", "nra"))
    assert result.status is ProofStatus.PROVED
    assert result.found_by in ("automation (nra)", "decomposition")


def test_proof_right_first_time(prove):
    answer = f"Here is the proof by induction.\n\n```coq\nRequire Import Lia.\nProof.\n{INDUCTION}Qed.\n```\nThis works because ..."
    result, events = prove(SUM_ODD, [{"completions": [answer], "contains": "Prove the theorem"}])
    assert result.status is ProofStatus.PROVED and result.found_by == "sampling"
    assert result.samples == 1
    assert "induction n" in result.proof
    prompt = next(e for e in events if e["event"] == "prompt")
    assert "sum_odd_square" in prompt["messages"][1]["content"]


def test_one_wrong_step_is_repaired_from_the_checker_error(prove):
    wrong = "```coq\nProof.\n  intros n. induction n as [|k IH].\n  - reflexivity.\n  - simpl. rewrite IH. reflexivity.\nQed.\n```"
    result, events = prove(SUM_ODD, [{"completions": [wrong], "contains": "Prove the theorem"}],
                           tactics=("lia", "nia"))
    assert result.status is ProofStatus.PROVED and result.found_by == "repair"
    assert "rewrite IH" in result.proof and "admit" not in result.proof
    assert "intros; lia." in result.proof or "intros; nia." in result.proof  # the hole, filled by automation
    skeleton = next(e for e in events if e["event"] == "skeleton")
    assert skeleton["holes"] == 1 and "admit." in skeleton["script"]


def test_a_hole_automation_cannot_fill_goes_to_the_model_with_error_and_goal(prove):
    wrong = ("```coq\nProof.\n  intros n.\n  assert (H : forall m, sum_odd m = m * m).\n"
             "  { intros m. lia. }\n  exact (H n).\nQed.\n```")
    # the hole's goal is stated as a lemma over its context (n m : nat), so the answer starts from there
    fix = "```coq\nRequire Import Lia.\nProof.\n  induction m as [|k IH].\n  - reflexivity.\n  - simpl. rewrite IH. nia.\nQed.\n```"
    records = [{"completions": [wrong], "contains": "Prove the theorem"},
               {"completions": ["I am not sure.", fix], "contains": "The goal to prove is"}]
    result, events = prove(SUM_ODD, records, tactics=("lia", "nia"))
    assert result.status is ProofStatus.PROVED and result.found_by == "repair"
    hole_prompt = next(e for e in events if e["event"] == "prompt" and "goal to prove" in e["messages"][1]["content"])
    text = hole_prompt["messages"][1]["content"]
    assert "Coq rejected the previous attempt" in text and "Cannot find witness" in text
    assert "(n m : nat) : sum_odd m = m * m" in text


def test_a_false_sub_lemma_is_refuted_by_smt_and_the_sketch_revised(prove):
    bad = "```sketch\nhave h1 : x * y < 1\nshow using h1\n```"
    good = "```sketch\nhave h1 : x * y > 1\nhave h2 : x * y * z > 1 using h1\nshow using h2\n```"
    records = [{"completions": ["no idea", "```coq\nProof. intros. lra. Qed.\n```"], "contains": "Prove the theorem"},
               {"completions": [bad], "contains": "Write a sketch"},
               {"completions": [good], "contains": "h1 : x * y < 1 is false"}]
    result, events = prove(PRODUCT, records, tactics=("lra", "nra"))
    assert result.status is ProofStatus.PROVED and result.found_by == "decomposition"
    refuted = next(e for e in events if e["event"] == "smt" and e["verdict"] == "disproved")
    assert refuted["theorem"] == "product_gt_one_h1"
    revision = [e for e in events if e["event"] == "prompt" and e["stage"] == "decomposition"][1]
    assert "counterexample" in revision["messages"][1]["content"]
    assert "Lemma product_gt_one_h2" in result.proof and "Admitted" not in result.proof


def test_unusable_completions_are_skipped(prove):
    records = [{"completions": ["", "   ", "```python\nprint(1)\n```", "I cannot prove this.",
                                "```coq\nProof.\n  intros n. induction n as [|k IH].\n  - reflexivity.\n"],
                "contains": "Prove the theorem"}]
    result, events = prove(SUM_ODD, records, k=5, samples=5)
    assert result.status is ProofStatus.FAILED
    assert sum(e["event"] == "unusable" for e in events) == 4
    # the truncated one was still checked (a missing 'Qed.' is supplied)
    assert any("induction n" in e["attempt"] for e in checks(events, "sampling"))


def test_sample_budget_exhaustion_stops_the_run(prove):
    records = [{"completions": ["```coq\nProof. intros. simpl. auto. Qed.\n```"] * 2}] * 20
    started = time.monotonic()
    result, _ = prove(SUM_ODD, records, samples=3)
    assert result.status is ProofStatus.FAILED
    assert result.reason == "budget exhausted: 3 LLM samples"
    assert result.samples == 3
    assert time.monotonic() - started < 60


def test_wall_clock_budget_stops_promptly(prove):
    loop = "```coq\nProof. intros. repeat (simpl; try reflexivity). idtac. Qed.\n```"
    records = [{"completions": [loop, loop]}] * 50
    started = time.monotonic()
    result, _ = prove(SUM_ODD, records, seconds=4, tactics=("lia",))
    elapsed = time.monotonic() - started
    assert result.status is ProofStatus.FAILED and result.reason.startswith("budget exhausted")
    assert elapsed < 15


def test_disproved_ends_with_the_counterexample(prove):
    text = "Require Import ZArith.\nOpen Scope Z_scope.\nTheorem bad : forall a : Z, a * a > 0.\n"
    result, _ = prove(text, [{"completions": ["should never be asked"]}], tactics=("lia",))
    assert result.status is ProofStatus.DISPROVED and result.counterexample == {"a": "(0)%Z"}
    assert result.samples == 0


def test_smt_proved_is_never_reported_as_proved(prove):
    text = "Require Import Reals.\nOpen Scope R_scope.\nTheorem sq : forall x y : R, 1 < x -> 1 < y -> x * y > 1.\n"
    result, _ = prove(text, None, tactics=("lia",))
    assert result.status is ProofStatus.SMT_PROVED
    assert result.proof is None and result.found_by.startswith("smt")
