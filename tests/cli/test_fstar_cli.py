"""`lemmata check` and `lemmata prove` on F* files: through the stand-in ``fstar.exe``, and without any F*."""

import json
import os
import subprocess
import sys

from paths import HELPERS, ROOT

PROBLEM = ("module Sum\nopen FStar.Mul\n\nlet rec sum (n:nat) : nat = if n = 0 then 0 else n + sum (n - 1)\n\n"
           "let sum_formula (n:nat) : Lemma (ensures 2 * sum n == n * (n + 1)) = admit ()\n")
PROOF = PROBLEM.replace("let sum_formula", "let rec sum_formula").replace(
    "= admit ()", "=\n  if n > 0 then sum_formula (n - 1)")
FAKE = f"{sys.executable} {HELPERS / 'fake_fstar.py'}"


def lemmata(*args: str, fstar: str = FAKE) -> subprocess.CompletedProcess:
    env = {**os.environ, "LEMMATA_FSTAR": fstar}
    return subprocess.run([sys.executable, "-m", "lemmata", *args], capture_output=True, text=True, cwd=ROOT,
                          env=env, timeout=120)


def test_check_accepts_a_proof_of_the_problem_and_refuses_the_hole(tmp_path):
    (tmp_path / "problem.fst").write_text(PROBLEM)
    (tmp_path / "Sum.fst").write_text(PROOF)
    accepted = lemmata("check", str(tmp_path / "Sum.fst"), "--statement", str(tmp_path / "problem.fst"), "--json")
    assert accepted.returncode == 0, accepted.stdout + accepted.stderr
    assert json.loads(accepted.stdout)["targets"][0]["statement_matches"] is True
    holed = lemmata("check", str(tmp_path / "problem.fst"))
    assert holed.returncode == 1 and "unfinished proof: 'admit ()' at line 6" in holed.stdout


def test_an_interface_file_is_checked_as_an_interface(tmp_path):
    (tmp_path / "Sum.fsti").write_text("module Sum\nval sum_formula : n:nat -> Lemma (n + 0 == n)\n")
    proc = lemmata("check", str(tmp_path / "Sum.fsti"), "--json")
    assert proc.returncode == 0 and json.loads(proc.stdout)["language"] == "fstar-interface"
    refused = lemmata("prove", str(tmp_path / "Sum.fsti"), "--no-llm")
    assert refused.returncode == 2 and "prove its implementation (.fst)" in refused.stderr


def test_prove_without_a_model_tries_f_stars_own_smt_first(tmp_path):
    (tmp_path / "Sum.fst").write_text(PROBLEM)
    proc = lemmata("prove", str(tmp_path / "Sum.fst"), "--no-llm", "--json")
    assert proc.returncode == 0, proc.stdout + proc.stderr
    result = json.loads(proc.stdout)
    assert result["status"] == "proved" and result["found_by"] == "SMT schedules"


def test_without_f_star_check_says_how_to_install_it_and_exits_2(tmp_path):
    (tmp_path / "Sum.fst").write_text(PROOF)
    proc = lemmata("check", str(tmp_path / "Sum.fst"), fstar="/nonexistent/fstar.exe")
    assert proc.returncode == 2 and "Traceback" not in proc.stderr
    assert "github.com/FStarLang/FStar/releases" in proc.stderr


def test_a_malformed_f_star_file_is_rejected_with_its_line_and_f_star_never_runs(tmp_path):
    (tmp_path / "Sum.fst").write_text("module Sum\nlet x = (1 + 2\n")
    proc = lemmata("check", str(tmp_path / "Sum.fst"))
    assert proc.returncode == 1 and "line 2: '(' is never closed" in proc.stdout and "Traceback" not in proc.stderr
