"""Suites from LeanDojo's traced theorems (hand-written data in LeanDojo's record format), the dojo checker's
parts that need no Lean, and clear errors where LeanDojo or Lean is missing."""

import importlib.util
import json
import os
import shutil
import subprocess
import sys

import pytest

from lemmata.benchmarks.leandojo import problem_text, write_suite
from lemmata.benchmarks.suites import load_suite
from lemmata.verifiers.errors import InputError
from lemmata.verifiers.lean.dojo import DojoTheorem, tactic_steps, theorem_of

from paths import ROOT

SOURCE = """import Mathlib.Data.Nat.Basic
import Mathlib.Tactic

open Nat

namespace Foo

variable (n : ℕ)
  (m : ℕ)

/-- adding zero -/
theorem add_zero' : n + 0 = n := by
  simp

section Bar
theorem two : 1 + 1 = 2 := by
  norm_num
end Bar

end Foo
"""
URL, COMMIT = "https://github.com/example/lean-project", "0123abcd"
RECORDS = [  # the fields of LeanDojo's benchmark JSON / TracedTheorem
    {"url": URL, "commit": COMMIT, "file_path": "Mathlib/Foo.lean", "full_name": "Foo.add_zero'",
     "start": [12, 1], "end": [13, 7], "traced_tactics": [{"tactic": "simp", "annotated_tactic": ["simp", []],
                                                          "state_before": "n : ℕ\n⊢ n + 0 = n",
                                                          "state_after": "no goals"}]},
    {"url": URL, "commit": COMMIT, "file_path": "Mathlib/Foo.lean", "full_name": "Foo.two", "start": [16, 1],
     "end": [17, 11], "traced_tactics": []},
    {"url": URL, "commit": COMMIT, "file_path": "Mathlib/Foo.lean", "full_name": "Foo.gone", "start": [99, 1]},
    {"url": URL, "commit": COMMIT, "full_name": "Foo.no_file"},
]


def test_a_problem_keeps_its_files_imports_and_context_and_closes_its_scopes():
    theorem = DojoTheorem(URL, COMMIT, "Mathlib/Foo.lean", "Foo.two")
    text = problem_text(theorem, 16, SOURCE)
    assert text.splitlines()[0] == theorem.comment() and theorem_of(text) == theorem
    body = text.split("\n", 1)[1]
    assert body == ("import Mathlib.Data.Nat.Basic\nimport Mathlib.Tactic\n\nopen Nat\nnamespace Foo\n"
                    "variable (n : ℕ)\n  (m : ℕ)\nsection Bar\n\ntheorem two : 1 + 1 = 2 := by\n  sorry\n\n"
                    "end Bar\nend Foo\n")


def test_a_suite_is_written_one_file_per_theorem_with_what_was_skipped_and_why(tmp_path):
    summary = write_suite(RECORDS, lambda path: SOURCE if path == "Mathlib/Foo.lean" else "", tmp_path / "suite")
    assert summary.written == ["Foo.add_zero'", "Foo.two"]
    assert [t for t, _ in summary.skipped] == ["Foo.gone", "Foo.no_file"]
    first = (tmp_path / "suite" / "Foo.add_zero'.lean").read_text()
    assert "theorem add_zero' : n + 0 = n := by\n  sorry\n\nend Foo\n" in first
    manifest = json.loads((tmp_path / "suite" / "suite.json").read_text())
    assert manifest["written"] == 2 and "outside" in manifest["skipped"][0]["why"]
    suite = load_suite(str(tmp_path / "suite"))
    assert suite.language == "lean" and [p.id for p in suite.problems] == ["Foo.add_zero'", "Foo.two"]


def test_the_dojo_checker_runs_top_level_tactic_steps_and_needs_the_metadata():
    proof = SOURCE.replace("  simp\n", "  induction n with\n  | zero => rfl\n  | succ k ih => simp\n  simp\n")
    assert tactic_steps(proof, "add_zero'") == [("induction n with\n| zero => rfl\n| succ k ih => simp", 13),
                                                ("simp", 16)]
    with pytest.raises(InputError, match="not a `by` block"):
        tactic_steps("theorem t : 1 = 1 := rfl\n", "t")
    assert theorem_of("theorem t : True := trivial\n") is None
    with pytest.raises(InputError, match="malformed"):
        theorem_of("-- lemmata-leandojo: {not json}\n")


def lemmata(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "lemmata", *args], capture_output=True, text=True, cwd=ROOT,
                          timeout=120, env={k: v for k, v in os.environ.items() if not k.startswith("LEMMATA_LEAN")})


def test_the_suite_command_converts_leandojo_records_and_says_what_tracing_needs(tmp_path):
    repo = tmp_path / "repo" / "Mathlib"
    repo.mkdir(parents=True)
    (repo / "Foo.lean").write_text(SOURCE)
    (tmp_path / "records.json").write_text(json.dumps(RECORDS))
    done = lemmata("suite", "lean-repo", URL, "--commit", COMMIT, "--out", str(tmp_path / "out"),
                   "--from-json", str(tmp_path / "records.json"), "--repo-dir", str(tmp_path / "repo"))
    assert done.returncode == 0 and "wrote 2 problems" in done.stdout and "skipped 2" in done.stdout, done.stderr
    if shutil.which("lake") is None:
        traced = lemmata("suite", "lean-repo", URL, "--commit", COMMIT, "--out", str(tmp_path / "traced"))
        assert traced.returncode == 2 and "Traceback" not in traced.stderr
        assert "LeanDojo" in traced.stderr


def test_the_dojo_checker_without_leandojo_says_how_to_install_it(tmp_path):
    problem = problem_text(DojoTheorem(URL, COMMIT, "Mathlib/Foo.lean", "Foo.two"), 16, SOURCE)
    (tmp_path / "two.lean").write_text(problem.replace("sorry", "norm_num"))
    done = lemmata("check", str(tmp_path / "two.lean"), "--lean-checker", "dojo")
    if importlib.util.find_spec("lean_dojo") is None:
        assert done.returncode == 2 and "pip install 'lemmata[leandojo]'" in done.stderr
