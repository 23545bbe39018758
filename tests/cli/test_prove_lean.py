"""`lemmata prove FILE.lean` end to end, with the stand-in REPL scripted in Lean's answer format.

These runs go through the real CLI, agent, Lean verifier, pool and audit;
only Lean itself is the stand-in (``tests/helpers/fake_lean_repl.py``), so
they pin what the agent sends to Lean and how it reads the answers.
``test_lean_integration.py`` repeats the essentials against real Lean where it exists.
"""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from paths import ROOT

pytestmark = pytest.mark.slow  # lemmata prove in a subprocess (agent, pool, audit) against the stand-in REPL
HELPERS = ROOT / "tests" / "helpers"
PROBLEM = "import Mathlib\nopen Real\n\ntheorem sq_pos' (x : ℝ) (h : 0 < x) : 0 < x ^ 2 := by sorry\n"


def info(text):
    return {"severity": "info", "pos": {"line": 1, "column": 0}, "endPos": {"line": 1, "column": 6}, "data": text}


def error(text, line=5):
    return {"severity": "error", "pos": {"line": line, "column": 2}, "endPos": {"line": line, "column": 9}, "data": text}


SORRY_WARNING = {"severity": "warning", "pos": {"line": 2, "column": 8}, "endPos": None,
                 "data": "declaration uses 'sorry'"}
HOLE = {"pos": {"line": 5, "column": 2}, "endPos": {"line": 5, "column": 7}, "goal": "x : ℝ\nh : 0 < x\n⊢ 0 < x ^ 2",
        "proofState": 0}
AXIOMS = info("'sq_pos'' depends on axioms: [propext, Classical.choice, Quot.sound]")


def script(*accepted: tuple[str, dict]) -> list:
    """Needles in the order the stand-in tries them: the audit's commands first, then the proofs."""
    return [
        ["lemmata-compare-", {"env": 4, "messages": [info("{marker} same")]}],
        ["lemmata_spec_", {"env": 1, "messages": [SORRY_WARNING]}],
        ["#print axioms", {"env": 3, "messages": [AXIOMS]}],
        *[[needle, answer] for needle, answer in accepted],
        ["  sorry", {"env": 2, "messages": [SORRY_WARNING], "sorries": [HOLE]}],  # the statement on its own
        ["theorem sq_pos'", {"env": 2, "messages": [error("linarith failed to find a contradiction")]}],
        ["import Mathlib", {"env": 0}],
    ]


@pytest.fixture
def prove(tmp_path):
    log = tmp_path / "requests.jsonl"

    def run(answers: list, *args: str, text: str = PROBLEM) -> tuple[subprocess.CompletedProcess, list[str]]:
        problem = tmp_path / "problem.lean"
        problem.write_text(text)
        (tmp_path / "script.json").write_text(json.dumps(answers))
        env = {k: v for k, v in os.environ.items() if k not in ("OPENAI_BASE_URL", "OPENAI_API_KEY", "LEMMATA_MODEL")}
        env |= {"LEMMATA_CONFIG": "/dev/null", "LEMMATA_LEAN_PROJECT": str(HELPERS),
                "LEMMATA_LEAN_REPL": f"{sys.executable} {HELPERS / 'fake_lean_repl.py'}",
                "LEMMATA_LEAN_COMPILE": f"{sys.executable} {HELPERS / 'fake_lean_tools.py'} lean",
                "LEMMATA_LEAN_TRUSTED": f"{sys.executable} {HELPERS / 'fake_lean_tools.py'} check",
                "LEMMATA_FAKE_LEAN_SCRIPT": str(tmp_path / "script.json"), "LEMMATA_FAKE_LEAN_LOG": str(log)}
        proc = subprocess.run([sys.executable, "-m", "lemmata", "prove", str(problem), "--json", *args],
                              capture_output=True, text=True, cwd=ROOT, env=env, timeout=300)
        sent = [json.loads(line).get("cmd", "") for line in log.read_text().splitlines()] if log.exists() else []
        return proc, sent

    return run


def test_automation_finds_a_lean_proof_and_the_audit_passes(prove):
    accepted = ("  positivity", {"env": 2, "messages": []})
    proc, sent = prove(script(accepted), "--no-llm", "--tactics", "norm_num,linarith,positivity")
    assert proc.returncode == 0, proc.stderr
    result = json.loads(proc.stdout)
    assert result["status"] == "proved" and result["found_by"] == "automation (positivity)"
    assert result["proof"].rstrip().endswith("positivity") and "sorry" not in result["proof"]
    tried = [c for c in sent if c.lstrip().startswith(("theorem sq_pos'", "open Real"))]
    assert any(c.rstrip().endswith("norm_num") for c in tried) and any(c.rstrip().endswith("linarith") for c in tried)
    assert any("#print axioms" in c for c in sent) and any("lemmata-compare-" in c for c in sent)


def test_a_replayed_model_proof_is_checked_by_lean(prove, tmp_path):
    replay = tmp_path / "model.jsonl"
    completion = "```lean\ntheorem sq_pos' (x : ℝ) (h : 0 < x) : 0 < x ^ 2 := by\n  nlinarith [sq_nonneg x, h]\n```"
    replay.write_text(json.dumps({"contains": "sq_pos'", "completions": [completion]}) + "\n")
    accepted = ("nlinarith [sq_nonneg x, h]", {"env": 2, "messages": []})
    proc, sent = prove(script(accepted), "--replay", str(replay), "--tactics", "linarith",
                       "--budget", "samples=2,seconds=120")
    assert proc.returncode == 0, proc.stderr
    result = json.loads(proc.stdout)
    assert result["status"] == "proved" and "nlinarith [sq_nonneg x, h]" in result["proof"]
    assert result["found_by"] != "automation (linarith)"


def test_lean_accepting_a_proof_whose_axioms_are_not_allowed_is_not_proved(prove):
    accepted = ("  positivity", {"env": 2, "messages": []})
    answers = script(accepted)
    answers[2] = ["#print axioms", {"env": 3, "messages": [info("'sq_pos'' depends on axioms: [propext, sorryAx]")]}]
    proc, _ = prove(answers, "--no-llm", "--tactics", "positivity")
    assert proc.returncode == 1
    assert json.loads(proc.stdout)["status"] != "proved"


def test_a_failing_step_is_cut_to_sorry_and_its_goal_proved_by_automation(prove, tmp_path):
    replay = tmp_path / "model.jsonl"
    completion = ("```lean\ntheorem sq_pos' (x : ℝ) (h : 0 < x) : 0 < x ^ 2 := by\n"
                  "  have h2 : 0 < x * x := by\n    nlinarith [bogus_lemma x]\n  simpa [sq] using h2\n```")
    replay.write_text(json.dumps({"contains": "sq_pos'", "completions": [completion]}) + "\n")
    step_goal = "x : ℝ\nh : 0 < x\n⊢ 0 < x * x"
    answers = script(
        ("bogus_lemma", {"env": 2, "messages": [error("unknown identifier 'bogus_lemma'", line=5)]}),
        ("    sorry\n  simpa", {"env": 2, "messages": [SORRY_WARNING], "sorries": [
            {"pos": {"line": 5, "column": 4}, "endPos": {"line": 5, "column": 9}, "goal": step_goal, "proofState": 1}]}),
        ("    positivity\n  simpa", {"env": 2, "messages": []}),
        (": 0 < x * x := by\n  positivity", {"env": 2, "messages": []}),
    )
    proc, sent = prove(answers, "--replay", str(replay), "--tactics", "linarith,positivity",
                       "--budget", "samples=1,seconds=120")
    assert proc.returncode == 0, proc.stdout + proc.stderr
    result = json.loads(proc.stdout)
    assert result["status"] == "proved" and result["found_by"] == "repair"
    assert "positivity" in result["proof"] and "bogus_lemma" not in result["proof"]
    assert "simpa [sq] using h2" in result["proof"]


PRODUCT = ("import Mathlib\nopen Real\n\ntheorem prod_gt (x y z : ℝ) (hx : 1 < x) (hy : 1 < y) (hz : 1 < z) : "
           "1 < x * y * z := by sorry\n")


def test_a_sketch_is_printed_as_lean_and_its_lemmas_proved_by_automation(prove, tmp_path):
    sketch = "```sketch\nhave h1 : 1 < x * y\nhave h2 : 1 < x * y * z using h1\nshow using h2\n```"
    replay = tmp_path / "model.jsonl"
    replay.write_text("\n".join(json.dumps(r) for r in [
        {"contains": "Prove the theorem", "completions": ["I do not know."]},
        {"contains": "Write a sketch", "completions": [sketch]},
    ]) + "\n")

    def audited(name):
        return [f"#print axioms {name}", {"env": 3, "messages": [
            info(f"'{name}' depends on axioms: [propext, Classical.choice, Quot.sound]")]}]

    context = "(x y z : ℝ) (hx : 1 < x) (hy : 1 < y) (hz : 1 < z)"
    proved = {"env": 2, "messages": []}
    answers = [
        ["lemmata-compare-", {"env": 4, "messages": [info("{marker} same")]}],
        ["lemmata_spec_", {"env": 1, "messages": [SORRY_WARNING]}],
        *[audited(name) for name in ("prod_gt_h1", "prod_gt_h2", "prod_gt_show", "prod_gt")],
        # what Lean would accept: each lemma by the tactic that proves it
        [f"prod_gt_h1 {context} : 1 < x * y := by\n  nlinarith", proved],
        [f"prod_gt_h2 {context} (h1 : 1 < x * y) : 1 < x * y * z := by\n  nlinarith", proved],
        [f"prod_gt_show {context} (h2 : 1 < x * y * z) : 1 < x * y * z := by\n  linarith", proved],
        ["  sorry", {"env": 2, "messages": [SORRY_WARNING], "sorries": [
            {"pos": {"line": 3, "column": 2}, "endPos": {"line": 3, "column": 7}, "proofState": 0,
             "goal": "x y z : ℝ\nhx : 1 < x\nhy : 1 < y\nhz : 1 < z\n⊢ 1 < x * y * z"}]}],
        ["theorem", {"env": 2, "messages": [error("linarith failed to find a contradiction")]}],
        ["import Mathlib", {"env": 0}],
    ]
    proc, sent = prove(answers, "--replay", str(replay), "--tactics", "linarith,nlinarith",
                       "--budget", "samples=3,seconds=120", text=PRODUCT)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    result = json.loads(proc.stdout)
    assert result["status"] == "proved" and result["found_by"] == "decomposition"
    proof = result["proof"]
    assert "sorry" not in proof
    assert f"theorem prod_gt_h1 {context} : 1 < x * y := by\n  nlinarith" in proof
    assert "have h1 : 1 < x * y := prod_gt_h1 x y z hx hy hz" in proof
    assert any("lemmata-compare-" in c for c in sent)  # the whole proof went through the final audit
    # each sub-lemma was checked on its own with the problem's `open`s before it (bug c)
    alone = [c for c in sent if c.lstrip().startswith("open Real") and "theorem prod_gt_h1" in c
             and "theorem prod_gt " not in c]
    assert alone and all(c.index("open Real") < c.index("theorem prod_gt_h1") for c in alone)


def test_a_hole_automation_cannot_fill_goes_to_the_model_as_a_lean_goal(prove, tmp_path):
    replay = tmp_path / "model.jsonl"
    attempt = ("```lean\ntheorem sq_pos' (x : ℝ) (h : 0 < x) : 0 < x ^ 2 := by\n"
               "  have h2 : 0 < x * x * Real.exp 0 := by\n    exact bogus_lemma x\n  simpa [sq] using h2\n```")
    # Real.exp is beyond the SMT translation, so the model is asked
    fix = ("```lean\ntheorem sq_pos'_hole0 (x : ℝ) (h : 0 < x) : 0 < x * x * Real.exp 0 := by\n"
           "  exact mul_pos (mul_pos h h) (Real.exp_pos 0)\n```")
    replay.write_text("\n".join(json.dumps(r) for r in [
        {"contains": "Prove the theorem", "completions": [attempt]},
        {"contains": "The goal to prove is", "completions": [fix]},
    ]) + "\n")
    answers = script(
        ("bogus_lemma", {"env": 2, "messages": [error("unknown identifier 'bogus_lemma'", line=5)]}),
        ("    sorry\n  simpa", {"env": 2, "messages": [SORRY_WARNING], "sorries": [
            {"pos": {"line": 5, "column": 4}, "endPos": {"line": 5, "column": 9},
             "goal": "x : ℝ\nh : 0 < x\n⊢ 0 < x * x * Real.exp 0", "proofState": 1}]}),
        ("    exact mul_pos (mul_pos h h) (Real.exp_pos 0)\n  simpa", {"env": 2, "messages": []}),
    )
    proc, _ = prove(answers, "--replay", str(replay), "--tactics", "linarith", "--budget", "samples=2,seconds=120",
                    "--trace", str(tmp_path / "trace"))
    assert proc.returncode == 0, proc.stdout + proc.stderr
    result = json.loads(proc.stdout)
    assert result["status"] == "proved" and result["found_by"] == "repair"
    assert "exact mul_pos (mul_pos h h) (Real.exp_pos 0)" in result["proof"] and "bogus_lemma" not in result["proof"]
    events = [json.loads(line) for path in (tmp_path / "trace").glob("*.jsonl") for line in path.read_text().splitlines()]
    asked = next(e["messages"][1]["content"] for e in events
                 if e["event"] == "prompt" and "goal to prove" in e["messages"][1]["content"])
    assert "unknown identifier 'bogus_lemma'" in asked and "0 < x * x * Real.exp 0" in asked
