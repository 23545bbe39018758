"""Step verification: claims read from text and LaTeX, decided exactly or by SMT, first errors named."""

import json
import subprocess
import sys
from pathlib import Path

import pytest

from lemmata.benchmarks.measure.steps_eval import generate
from lemmata.dsl.mathtext import claims
from lemmata import verify_steps
from lemmata.prover.llm.replay import ReplayClient, ReplayRecord
from lemmata.prover.steps import verify_many
from lemmata.verifiers.steps.check import decide, relation

from paths import ROOT


@pytest.mark.parametrize("text, expected", [
    ("First, 3 + 4 = 7.", ["3 + 4 = 7"]),
    ("So $2x + 3 = 11$, which gives x = 4.", ["2 x + 3 = 11", "x = 4"]),
    (r"$\frac{1}{2} \cdot 8 = 4$", ["( ( 1 ) / ( 2 ) ) * 8 = 4"]),
    ("The area is 5 \\times 6 = 30 square units.", ["5 * 6 = 30"]),
    ("20% of 50 = 10.", ["( 20 / 100 ) * 50 = 10"]),
    (r"\sqrt{16} = 4 \le 5", ["sqrt ( 16 ) = 4", "4 <= 5"]),
    ("Total: 1,200 + 300 = 1,500.", ["1200 + 300 = 1500"]),
    ("x = 5, y = 3 and x ≠ y", ["x = 5", "y = 3", "x != y"]),
    ("I think a dog is good.", []),
    ("The answer is 12.", []),
])
def test_claims_in_text(text, expected):
    assert [str(c) for c in claims(text)] == expected


def verdict(text, givens=""):
    facts = [relation(c) for c in claims(givens)]
    return [decide(c, facts).verdict for c in claims(text)]


def test_deciding_claims():
    assert verdict("3 + 4 = 7") == ["verified"] and verdict("3 + 4 = 8") == ["refuted"]
    assert verdict(r"\sqrt{2} \cdot \sqrt{8} = 4") == ["verified"]
    assert verdict("0.1 + 0.2 = 0.3") == ["verified"]  # exact rationals, not floats
    assert verdict("x^2 - 4 = (x - 2)(x + 2)") == ["verified"]
    assert verdict("x = 4", "2x + 3 = 11") == ["verified"] and verdict("x = 5", "2x + 3 = 11") == ["refuted"]
    assert verdict("y^2 > 4", "y > 2") == ["verified"] and verdict("y < 1", "y > 2") == ["refuted"]
    assert verdict("y > 3", "y > 2") == ["unknown"]
    assert verdict("z = 3") == ["unknown"]
    assert verdict("1/0 = 3") == ["unknown"]  # undefined, never refuted


def test_a_chain_names_its_first_error_and_unchecked_is_never_verified():
    report = verify_steps("If 2x + 3 = 11, what is x?",
                          ["Subtract 3 from both sides: 2x = 8.", "Divide by 2: x = 5.", "So the answer is 5.", "7 - 2 = 5"])
    assert report.first_error == 1
    assert [s.verdict for s in report.steps] == ["verified", "refuted", "unchecked", "verified"]
    assert report.steps[1].claims[0].evidence == {"x": "4"}
    assert report.givens == ["2 x + 3 = 11"]


def test_only_verified_steps_become_facts():
    report = verify_steps("Let y be a number.", ["Suppose y = 3.", "Then y + 1 = 4."])
    assert [s.verdict for s in report.steps] == ["unknown", "unknown"]
    report = verify_steps("y - 2 = 1", ["y = 3", "y + 1 = 4"])
    assert [s.verdict for s in report.steps] == ["verified", "verified"]


def test_contradictory_givens_decide_nothing():
    report = verify_steps("Is it true that x = 1 and x = 2?", ["So x = 7."])
    assert report.givens == [] and report.steps[0].verdict == "unknown"


def test_formal_mode_with_a_model(tmp_path):
    llm = ReplayClient([ReplayRecord(["```coq\nTheorem step : forall x : R, 2 * x + 3 = 11 -> x * x = 16.\n```"])])
    report = verify_steps("If 2x + 3 = 11, what is x squared?", ["Squaring gives sixteen."], llm=llm)
    step = report.steps[0]
    assert step.verdict == "verified" and step.formal.startswith("Theorem step")
    assert step.claims[0].method.startswith("formal statement by the model")


def test_generated_chains_first_errors_and_no_false_alarms():
    chains = generate(60)
    results = list(verify_many(chains))
    assert all(r["first_error"] == r["label_first_error"] for r in results)
    assert any(r["label_first_error"] is not None for r in results)


def lemmata(*args):
    return subprocess.run([sys.executable, "-m", "lemmata", "steps", *args], capture_output=True, text=True, cwd=ROOT,
                          timeout=300)


def test_steps_cli_passes_fields_through_and_refuses_bad_lines(tmp_path):
    good = tmp_path / "in.jsonl"
    good.write_text(json.dumps({"problem": "If 2x + 3 = 11, what is x?", "steps": ["2x = 8", "x = 5"], "id": 7}) + "\n"
                    + json.dumps({"problem": "3 * 4 + 5?", "steps": ["3 \\times 4 = 12", "12 + 5 = 17"]}) + "\n")
    for workers in ("1", "2"):
        proc = lemmata(str(good), "--out", str(tmp_path / "out.jsonl"), "--workers", workers)
        assert proc.returncode == 0, proc.stderr
        rows = [json.loads(line) for line in (tmp_path / "out.jsonl").read_text().splitlines()]
        assert rows[0]["id"] == 7 and rows[0]["first_error"] == 1 and rows[1]["first_error"] is None
        assert rows[0]["steps"][1]["claims"][0]["evidence"] == {"x": "4"}
    bad = tmp_path / "bad.jsonl"
    bad.write_text(json.dumps({"problem": "p", "steps": ["1 = 1"]}) + "\n" + '{"problem": 3}\n')
    proc = lemmata(str(bad))
    assert proc.returncode == 2 and "bad.jsonl:2" in proc.stderr and "Traceback" not in proc.stderr
