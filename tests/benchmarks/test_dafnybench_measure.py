"""The DafnyBench measurement script on two tiny programs with real Dafny (the shared set takes 20 minutes)."""

import json
import shutil

import pytest

from lemmata.benchmarks.measure import dafnybench

pytestmark = [pytest.mark.slow,
              pytest.mark.skipif(shutil.which("dafny") is None, reason="Dafny is not installed: 'make test' installs it")]


def test_dafny_alone_and_inference_are_counted_apart_and_rows_are_kept(tmp_path):
    folder = tmp_path / "hints_removed"
    folder.mkdir()
    (folder / "easy_no_hints.dfy").write_text("method Id(x: int) returns (y: int) ensures y == x { y := x; }\n")
    (folder / "loop_no_hints.dfy").write_text(
        "method CountUp(n: nat) returns (i: nat)\n  ensures i == n\n{\n  i := 0;\n  while i < n\n  {\n    i := i + 1;\n  }\n}\n")
    (tmp_path / "ground_truth").mkdir()  # never read
    (tmp_path / "ground_truth" / "loop.dfy").write_text("this is not Dafny")
    out = tmp_path / "out.json"
    assert dafnybench.main(["--data", str(tmp_path), "--workers", "1", "--out", str(out)]) == 0
    summary = json.loads(out.read_text())["summary"]
    assert (summary["programs"], summary["dafny_alone"], summary["with_inference"]) == (2, 1, 2)
    assert "bounds" in summary["templates_in_inferred_proofs"]
    assert len(out.with_suffix(".rows.jsonl").read_text().splitlines()) == 2
