"""The program agent on Dafny with real Dafny: Houdini without a model; a replayed model's sampling and repair;
every proof audited against the problem."""

import json
import shutil

import pytest

import lemmata
from agent_cases import events, replay

pytestmark = [pytest.mark.slow,
              pytest.mark.skipif(shutil.which("dafny") is None, reason="Dafny is not installed: 'make test' installs it")]

MUL = """method Mul(a: nat, b: nat) returns (r: nat)
  ensures r == a * b
{
  r := 0;
  var j := b;
  while j > 0
  {
    r := r + a;
    j := j - 1;
  }
}
"""
WRONG = MUL.replace("  while j > 0\n", "  while j > 0\n    invariant r == a * j\n")
RIGHT = MUL.replace("  while j > 0\n", "  while j > 0\n    invariant 0 <= j <= b\n    invariant r == a * (b - j)\n")
CHEAT = MUL.replace("  r := 0;\n", "  r := a * b;\n  assume r == a * b;\n")


def fenced(text: str) -> str:
    return f"Here you are.\n```dafny\n{text}```\n"


def test_without_a_model_houdini_proves_what_templates_cover_and_says_so_otherwise(tmp_path):
    fill = tmp_path / "fill.dfy"
    fill.write_text("method Fill(a: array<int>, v: int)\n  modifies a\n  ensures forall k :: 0 <= k < a.Length ==> a[k] == v\n"
                    "{\n  var i := 0;\n  while i < a.Length\n  {\n    a[i] := v;\n    i := i + 1;\n  }\n}\n")
    proved = lemmata.prove(fill, no_llm=True)
    assert proved.status.value == "proved" and proved.found_by == "invariant inference"
    assert lemmata.check(text=proved.proof, language="dafny", statement=str(fill)).accepted
    mul = tmp_path / "mul.dfy"
    mul.write_text(MUL)
    failed = lemmata.prove(mul, no_llm=True)
    assert failed.status.value == "failed" and [s.stage for s in failed.stages] == ["Dafny alone", "invariant inference"]


def test_a_model_answer_that_fails_is_repaired_from_dafnys_messages_and_a_cheat_is_refused(tmp_path):
    client = replay(tmp_path, [
        {"contains": "Make Dafny verify this program", "completions": [fenced(CHEAT), fenced(WRONG)]},
        {"contains": "Dafny rejected this annotated program", "completions": [fenced(RIGHT)]},
    ])
    mul = tmp_path / "mul.dfy"
    mul.write_text(MUL)
    result = lemmata.prove(mul, llm=client, samples=2, trace=tmp_path / "trace")
    assert result.status.value == "proved" and result.found_by == "repair", result
    assert "invariant r == a * (b - j)" in result.proof
    trace = events(tmp_path / "trace" / "Mul.jsonl")
    checks = [e for e in trace if e["event"] == "check" and e["stage"] == "sampling"]
    assert [c["verdict"] for c in checks] == ["rejected", "rejected"]  # the cheat verifies, the audit refuses it
    repair_prompt = next(e for e in trace if e["event"] == "prompt" and e["stage"] == "repair")["messages"][1]["content"]
    assert "invariant r == a * j" in repair_prompt and "line 7" in repair_prompt  # the failing line, quoted
    assert json.loads(result.model_dump_json())["language"] == "dafny"
