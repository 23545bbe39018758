"""The command line: exit codes, JSON output, and clear errors (never a traceback) on bad input."""

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from paths import ROOT

slow = pytest.mark.slow  # runs a real checker or solver; the usage-error tests here start none
EXAMPLES = ROOT / "examples" / "coq"
needs_coq = pytest.mark.skipif(shutil.which("coqc") is None, reason="Coq is not installed (make test installs it)")


def lemmata(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "lemmata", *args], capture_output=True, text=True, cwd=ROOT,
                          env={**os.environ, **(env or {})}, timeout=300)


def assert_clean_error(proc: subprocess.CompletedProcess, needle: str) -> None:
    assert proc.returncode == 2, proc.stderr
    assert "Traceback" not in proc.stderr + proc.stdout
    assert needle in proc.stderr, proc.stderr


@slow
@needs_coq
def test_accepted_proof_exits_zero_with_json():
    proc = lemmata("check", str(EXAMPLES / "linear_system_proof.v"), "--statement",
                   str(EXAMPLES / "linear_system_problem.v"), "--json")
    assert proc.returncode == 0, proc.stdout + proc.stderr
    result = json.loads(proc.stdout)
    assert result["verdict"] == "accepted" and result["targets"][0]["statement_matches"] is True
    assert set(result) >= {"verdict", "reasons", "diagnostics", "holes", "targets", "seconds", "checker"}


@slow
@needs_coq
def test_rejected_proof_exits_one_and_says_where():
    proc = lemmata("check", str(EXAMPLES / "linear_system_wrong_step.v"), "--statement",
                   str(EXAMPLES / "linear_system_problem.v"))
    assert proc.returncode == 1
    assert "rejected" in proc.stdout and "linear_system_wrong_step.v:9:11" in proc.stdout


@slow
@needs_coq
def test_theorem_flag_picks_the_target(tmp_path):
    proof = tmp_path / "two.v"
    proof.write_text("Theorem a : True.\nProof. exact I. Qed.\nTheorem b : False.\nAdmitted.\n")
    assert lemmata("check", str(proof)).returncode == 1  # b is admitted
    proc = lemmata("check", str(proof), "--theorem", "a", "--json")
    result = json.loads(proc.stdout)
    # the Admitted hole still refuses the file: a checked document must be finished
    assert proc.returncode == 1 and [t["name"] for t in result["targets"]] == ["a"]


@pytest.mark.parametrize(
    "name, content, needle",
    [
        ("garbage.v", bytes(range(256)) * 8, "binary"),
        ("latin1.v", "Theorem caf\xe9 : True.".encode("latin-1"), "UTF-8"),
        ("empty.v", b"   \n", "empty"),
        ("huge.v", b"(* padding *)\n" * 400_000, "larger than"),
        ("proof.txt", b"Theorem t : True. Proof. exact I. Qed.", "extension"),
    ],
)
def test_malformed_input_is_a_clear_usage_error(tmp_path, name, content, needle):
    path = tmp_path / name
    path.write_bytes(content)
    assert_clean_error(lemmata("check", str(path)), needle)


def test_missing_file_and_directory(tmp_path):
    assert_clean_error(lemmata("check", str(tmp_path / "nope.v")), "no such file")
    folder = tmp_path / "dir.v"
    folder.mkdir()
    assert_clean_error(lemmata("check", str(folder)), "is a directory")


def test_unknown_language_override(tmp_path):
    path = tmp_path / "t.v"
    path.write_text("Theorem t : True. Proof. exact I. Qed.")
    assert_clean_error(lemmata("check", str(path), "--language", "cobol"), "unknown language")


@pytest.mark.skipif(shutil.which("lake") is not None, reason="Lean is installed here")
def test_lean_without_a_toolchain_says_how_to_install(tmp_path):
    path = tmp_path / "t.lean"
    path.write_text("theorem t : True := trivial")
    proc = lemmata("check", str(path))
    assert_clean_error(proc, "Lean 4 REPL")
    assert "elan" in proc.stderr


def test_missing_coq_says_how_to_install(tmp_path):
    path = tmp_path / "t.v"
    path.write_text("Theorem t : True. Proof. exact I. Qed.")
    proc = lemmata("check", str(path), env={"LEMMATA_COQC": "/nonexistent/coqc"})
    assert_clean_error(proc, "apt-get install coq")


@slow
@needs_coq
@pytest.mark.parametrize("problem_text, needle", [
    ("Theorem t : undefined_thing = 1.\nAdmitted.\n", "reference statement"),
    ("Definition x := 1.\n", "no Theorem"),
])
def test_unusable_statement_file_is_a_usage_error(tmp_path, problem_text, needle):
    problem = tmp_path / "problem.v"
    problem.write_text(problem_text)
    proof = tmp_path / "proof.v"
    proof.write_text("Theorem t : True.\nProof. exact I. Qed.\n")
    assert_clean_error(lemmata("check", str(proof), "--statement", str(problem)), needle)


def test_usage_errors_exit_two():
    assert lemmata().returncode == 2
    assert lemmata("check").returncode == 2
    assert lemmata("frobnicate").returncode == 2


def test_doctor_lists_components_as_json():
    proc = lemmata("doctor", "--json")
    assert proc.returncode == 0
    rows = {row["name"]: row for row in json.loads(proc.stdout)}
    assert {"coq", "lean", "dafny", "z3", "z3-solver", "cvc5"} <= set(rows)
    assert rows["lean"]["installed"] is (shutil.which("lake") is not None)
    assert rows["coq"]["installed"] is (shutil.which("coqc") is not None)
    assert all(row["enables"] for row in rows.values())


@slow
def test_smt_json_has_the_promised_fields(tmp_path):
    problem = tmp_path / "p.v"
    problem.write_text("Require Import ZArith.\nTheorem t : forall x : Z, (x mod 0 = 0)%Z.\nProof.\nAdmitted.\n")
    proc = lemmata("smt", str(problem), "--json")
    assert proc.returncode == 0, proc.stderr
    result = json.loads(proc.stdout)
    assert {"verdict", "counterexample", "solver", "seconds", "reason"} <= set(result)
    assert result["verdict"] == "disproved" and result["counterexample"]["x"] != "(0)%Z"


@slow
def test_smt_lean_file_and_unsupported_reason(tmp_path):
    lean_file = tmp_path / "t.lean"
    lean_file.write_text("import Mathlib\ntheorem t (x : ℝ) (h : 0 < x) : Real.log x < x := by sorry\n")
    proc = lemmata("smt", str(lean_file), "--json")
    assert proc.returncode == 0
    result = json.loads(proc.stdout)
    assert result["verdict"] == "unsupported" and "Real.log" in result["reason"]
    proved = tmp_path / "u.lean"
    proved.write_text("import Mathlib\ntheorem u (a b : ℕ) (h : a < b) : a - b = 0 := by sorry\n")
    assert "smt-proved" in lemmata("smt", str(proved), "--solver", "both").stdout
    assert "(both," in lemmata("smt", str(proved), "--cross-check").stdout


def test_smt_prints_smtlib(tmp_path):
    problem = tmp_path / "p.v"
    problem.write_text("Require Import Reals.\nOpen Scope R_scope.\nTheorem t : forall x : R, x / 0 = 0.\nAdmitted.\n")
    proc = lemmata("smt", str(problem), "--smtlib")
    assert proc.returncode == 0 and "(check-sat)" in proc.stdout and "(declare-const x Real)" in proc.stdout


def test_smt_usage_errors(tmp_path):
    problem = tmp_path / "p.v"
    problem.write_text("Theorem t : True.\nAdmitted.\n")
    assert lemmata("smt", str(problem), "--solver", "yices").returncode == 2
    assert_clean_error(lemmata("smt", str(problem), "--timeout", "0"), "--timeout")
    assert_clean_error(lemmata("smt", str(tmp_path / "none.v")), "no such file")
