"""``import lemmata``: check, prove, smt and verify_steps return what the CLI prints, and refuse bad input clearly."""

from __future__ import annotations

import inspect
import json
import subprocess
import sys
from pathlib import Path

import pytest

import lemmata
from lemmata import InputError, LemmataError, ProofStatus, Statement, UnknownLanguage, Verdict

from paths import ROOT
COQ = ROOT / "examples" / "coq"
pytestmark = pytest.mark.slow  # real Coq and the CLI in a subprocess


def cli_json(*args: str) -> dict:
    proc = subprocess.run([sys.executable, "-m", "lemmata", *args, "--json"], capture_output=True, text=True,
                          cwd=ROOT, timeout=300)
    assert proc.returncode in (0, 1), proc.stderr
    return json.loads(proc.stdout)


def without_timings(data: dict) -> dict:
    drop = {"seconds", "t"}
    if isinstance(data, dict):
        return {k: without_timings(v) for k, v in data.items() if k not in drop}
    if isinstance(data, list):
        return [without_timings(v) for v in data]
    return data


def test_check_returns_what_the_cli_prints():
    proof, problem = COQ / "linear_system_wrong_step.v", COQ / "linear_system_problem.v"
    result = lemmata.check(proof, statement=problem)
    assert result.verdict is Verdict.REJECTED and result.first_error().span.line == 9
    assert without_timings(result.model_dump(mode="json")) == without_timings(
        cli_json("check", str(proof), "--statement", str(problem)))


def test_check_takes_text_and_a_statement_object():
    problem = (COQ / "linear_system_problem.v").read_text()
    assert lemmata.check(text=(COQ / "linear_system_proof.v").read_text(), language="coq",
                         statement=Statement(problem)).accepted
    cheat = lemmata.check(text=(COQ / "linear_system_cheat.v").read_text(), language="rocq", statement=Statement(problem))
    assert not cheat.accepted and cheat.reasons


def test_prove_returns_what_the_cli_prints_and_can_write_the_proof(tmp_path):
    problem = tmp_path / "linear_system_problem.v"
    problem.write_text((COQ / "linear_system_problem.v").read_text())
    events = []
    result = lemmata.prove(problem, no_llm=True, tactics="lia,lra", budget="seconds=120", write=True,
                           listener=lambda kind, data: events.append(kind))
    assert result.status is ProofStatus.PROVED and result.found_by == "automation (lra)"
    assert (tmp_path / "linear_system_problem_proof.v").read_text() == result.proof
    assert {"stage", "check", "result"} <= set(events)
    printed = cli_json("prove", str(problem), "--no-llm", "--tactics", "lia,lra", "--budget", "seconds=120")
    assert {k: printed[k] for k in ("status", "proof", "found_by", "theorem")} == \
        {k: result.model_dump(mode="json")[k] for k in ("status", "proof", "found_by", "theorem")}


def test_prove_text_with_a_recorded_model():
    result = lemmata.prove(text=(COQ / "sum_odd_problem.v").read_text(), language="coq",
                           replay=COQ / "sum_odd.replay.jsonl", tactics=["lia", "nia"])
    assert result.status is ProofStatus.PROVED and result.samples >= 1
    assert lemmata.check(text=result.proof, language="coq",
                         statement=Statement((COQ / "sum_odd_problem.v").read_text())).accepted


def test_smt_and_smtlib():
    disproved = lemmata.smt(COQ / "zmod_sign.v")
    assert disproved.verdict.value == "disproved" and disproved.counterexample
    assert lemmata.smt(ROOT / "examples" / "lean" / "int_division.lean", solver="both").verdict.value == "smt-proved"
    assert "(check-sat)" in lemmata.smtlib(COQ / "zmod_sign.v")
    unsupported = lemmata.smt(text="Require Import Reals.\nTheorem t : PI > 3.\nAdmitted.", language="coq")
    assert unsupported.verdict.value == "unsupported" and unsupported.reason


def test_verify_steps():
    report = lemmata.verify_steps("If 2x + 3 = 11, what is x?", ["Subtract 3: $2x = 8$.", "Divide by 2: x = 5."])
    assert report.first_error == 1 and [s.verdict for s in report.steps] == ["verified", "refuted"]


@pytest.mark.parametrize("call, error, message", [
    (lambda: lemmata.check(), InputError, "exactly one of a file or text="),
    (lambda: lemmata.check(COQ / "zmod_sign.v", text="x"), InputError, "exactly one"),
    (lambda: lemmata.prove(text="Theorem t : True."), InputError, "text= needs language="),
    (lambda: lemmata.smt(text="x", language="cobol"), UnknownLanguage, "unknown language 'cobol'"),
    (lambda: lemmata.check(COQ / "nothing_here.v"), InputError, "no such file"),
    (lambda: lemmata.check(COQ / "zmod_sign.v", timeout=0), InputError, "--timeout must be positive"),
    (lambda: lemmata.smt(COQ / "zmod_sign.v", solver="yices"), InputError, "unknown solver"),
    (lambda: lemmata.prove(COQ / "zmod_sign.v", no_llm=True, tactics="magic"), LemmataError, "unknown tactic"),
    (lambda: lemmata.prove(COQ / "zmod_sign.v", budget="samples=x"), InputError, "bad budget"),
    (lambda: lemmata.prove(COQ / "zmod_sign.v", replay=COQ / "none.jsonl"), LemmataError, "cannot read the replay"),
    (lambda: lemmata.check(text="import Mathlib\ntheorem t : True := trivial", language="lean"), LemmataError, "lemmata setup lean"),
])
def test_usage_errors_raise_lemmata_errors(call, error, message):
    with pytest.raises(error, match=message):
        call()


def test_the_public_api_is_documented():
    for name in lemmata.__all__:
        value = getattr(lemmata, name)
        if inspect.isfunction(value) or inspect.isclass(value):
            assert (value.__doc__ or "").strip(), f"lemmata.{name} has no docstring"
    for function in (lemmata.check, lemmata.prove, lemmata.smt, lemmata.smtlib, lemmata.verify_steps):
        doc = function.__doc__
        assert "Returns" in doc or "returns" in doc or "->" in doc, function.__name__
