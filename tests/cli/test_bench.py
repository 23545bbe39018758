"""`lemmata bench` and `lemmata report` end to end on real Coq: results, resume, Ctrl-C, Ray."""

import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest

from paths import ROOT

EXAMPLES = ROOT / "examples" / "coq"
pytestmark = [pytest.mark.slow,  # the bench CLI end to end: real Coq, worker processes, a Ray cluster
              pytest.mark.skipif(shutil.which("coqtop") is None, reason="Coq is not installed (make test installs it)")]
QUICK = ["--no-llm", "--tactics", "lia,lra", "--tactic-timeout", "20", "--budget", "seconds=90"]  # roomy: two test workers share the cores


def lemmata(*args: str, **kwargs) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "lemmata", *args], capture_output=True, text=True, cwd=ROOT,
                          timeout=600, **kwargs)


def suite(tmp_path: Path) -> Path:
    folder = tmp_path / "problems"
    folder.mkdir()
    shutil.copy(EXAMPLES / "linear_system_problem.v", folder / "mathd_algebra_linear.v")
    shutil.copy(EXAMPLES / "zmod_sign.v", folder / "mathd_numbertheory_zmod.v")
    (folder / "broken.v").write_text("Require Import Arith.\nTheorem t : 1 = .\n")
    return folder


def lines(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_text().splitlines()]


def test_bench_writes_one_line_per_problem_resumes_and_reports(tmp_path):
    out = tmp_path / "run.jsonl"
    proc = lemmata("bench", str(suite(tmp_path)), "--out", str(out), "--workers", "2", *QUICK)
    assert proc.returncode == 0, proc.stderr
    rows = {row["problem"]: row for row in lines(out)}
    assert rows["mathd_algebra_linear"]["status"] == "proved" and "intros; lra." in rows["mathd_algebra_linear"]["proof"]
    assert rows["mathd_numbertheory_zmod"]["status"] == "disproved"
    assert rows["broken"]["status"] == "error" and "does not check" in rows["broken"]["reason"]
    first = rows["mathd_algebra_linear"]
    assert first["checker"].startswith("coq 8.") and first["lemmata"] and first["seconds"] > 0
    assert {"found_by", "samples", "checks", "tokens", "stages", "model"} <= set(first)
    again = lemmata("bench", str(tmp_path / "problems"), "--out", str(out), *QUICK)
    assert again.returncode == 0 and "3 already in" in again.stderr and len(lines(out)) == 3
    report = lemmata("report", str(out), "--md", str(tmp_path / "r.md"), "--plot", str(tmp_path / "r.png"))
    assert report.returncode == 0, report.stderr
    text = (tmp_path / "r.md").read_text()
    assert "| run | 1/3 (33.3%) | @1 33.3% |" in text and "mathd algebra | 1/1 (100.0%)" in text
    assert (tmp_path / "r.png").stat().st_size > 1000


def test_ctrl_c_leaves_a_valid_file_and_the_rerun_finishes(tmp_path):
    folder = tmp_path / "many"
    folder.mkdir()
    for k in range(6):  # each needs the SMT stage after the automation fails: a few seconds apiece
        shutil.copy(EXAMPLES / "zmod_sign.v", folder / f"zmod_{k}.v")
    out = tmp_path / "run.jsonl"
    command = [sys.executable, "-m", "lemmata", "bench", str(folder), "--out", str(out), "--workers", "1",
               "--no-llm", "--tactics", "lia,lra,nra"]
    # SIGINT back to its default in the child: a background job (CI, nohup ... &) inherits it ignored,
    # where a terminal's foreground command has it; this test is about the terminal.
    process = subprocess.Popen(command, cwd=ROOT, start_new_session=True, stdout=subprocess.PIPE,
                               stderr=subprocess.PIPE, text=True,
                               preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL))
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline and (not out.exists() or not out.read_text().strip()):
        time.sleep(0.2)
    os.killpg(process.pid, signal.SIGINT)  # what Ctrl-C in a terminal does
    stdout, stderr = process.communicate(timeout=60)
    assert process.returncode == 130, stderr
    assert "Traceback" not in stdout + stderr and "rerun the same command to resume" in stdout
    done = lines(out)  # every line parses
    assert 1 <= len(done) < 6
    rerun = lemmata("bench", str(folder), "--out", str(out), "--workers", "2", "--no-llm", "--tactics", "lia,lra,nra")
    assert rerun.returncode == 0 and f"{len(done)} already in" in rerun.stderr
    assert sorted(r["problem"] for r in lines(out)) == [f"zmod_{k}" for k in range(6)]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture
def ray_cluster(tmp_path):
    pytest.importorskip("ray", reason="Ray is not installed (pip install 'lemmata[distributed]')")
    ray_cli = Path(sys.executable).with_name("ray")
    port = _free_port()
    env = {**os.environ, "RAY_USAGE_STATS_ENABLED": "0"}
    start = subprocess.run([str(ray_cli), "start", "--head", f"--port={port}", "--num-cpus=2",
                            "--include-dashboard=false", "--disable-usage-stats"],
                           capture_output=True, text=True, timeout=180, env=env)
    assert start.returncode == 0, start.stderr[-2000:]
    try:
        yield f"127.0.0.1:{port}"
    finally:
        subprocess.run([str(ray_cli), "stop", "--force"], capture_output=True, timeout=120, env=env)


def test_ray_executor_against_a_local_cluster(tmp_path, ray_cluster):
    out = tmp_path / "ray.jsonl"
    proc = lemmata("bench", str(suite(tmp_path)), "--out", str(out), "--executor", "ray", "--address", ray_cluster,
                   "--workers", "2", *QUICK, env={**os.environ, "RAY_USAGE_STATS_ENABLED": "0"})
    assert proc.returncode == 0, proc.stderr[-3000:]
    rows = {row["problem"]: row["status"] for row in lines(out)}
    assert rows == {"mathd_algebra_linear": "proved", "mathd_numbertheory_zmod": "disproved", "broken": "error"}


def test_bench_with_a_model_replay_in_worker_processes(tmp_path):
    folder = tmp_path / "odd"
    folder.mkdir()
    shutil.copy(EXAMPLES / "sum_odd_problem.v", folder / "induction_sum_odd.v")
    out = tmp_path / "model.jsonl"
    proc = lemmata("bench", str(folder), "--out", str(out), "--replay", str(EXAMPLES / "sum_odd.replay.jsonl"),
                   "--tactics", "lia,nia", "--attempts", "2")
    assert proc.returncode == 0, proc.stderr
    rows = lines(out)
    assert [r["attempt"] for r in rows] == [0, 1] or sorted(r["attempt"] for r in rows) == [0, 1]
    assert all(r["status"] == "proved" and r["found_by"] == "repair" and r["samples"] == 1 for r in rows)
    assert rows[0]["model"] == "replay:sum_odd.replay.jsonl"


@pytest.mark.parametrize("args, needle", [
    (["minif2f-klingon"], "unknown suite"),
    (["minif2f-rocq", "--data", "/nonexistent"], "no valid/*.v under /nonexistent"),
    pytest.param(["minif2f-dafny", "--data", "DAFNY"], "is written for dafny 4 or newer",
                 marks=pytest.mark.skipif(shutil.which("dafny") is None, reason="needs an installed (2.x) Dafny")),
    pytest.param(["minif2f-lean4", "--data", "LEAN"], "lemmata setup lean",
                 marks=pytest.mark.skipif(shutil.which("lake") is not None, reason="Lean is installed here")),
    (["minif2f-rocq", "--data", "/tmp", "--workers", "0"], "--workers must be at least 1"),
])
def test_bench_usage_errors(tmp_path, args, needle):
    dafny = tmp_path / "dafny" / "dataset" / "valid"
    dafny.mkdir(parents=True)
    (dafny / "p.dfy").write_text("lemma p() ensures true {}\n")
    lean = tmp_path / "lean" / "MiniF2F" / "Valid"
    lean.mkdir(parents=True)
    (lean / "p.lean").write_text("theorem p : True := by sorry\n")
    args = [{"DAFNY": str(tmp_path / "dafny"), "LEAN": str(tmp_path / "lean")}.get(a, a) for a in args]
    proc = lemmata("bench", *args, "--out", str(tmp_path / "o.jsonl"), "--no-llm")
    assert proc.returncode == 2 and needle in proc.stderr and "Traceback" not in proc.stderr, proc.stderr


def test_report_usage_errors(tmp_path):
    empty = tmp_path / "empty.jsonl"
    empty.write_text("")
    for path, needle in ((tmp_path / "none.jsonl", "no such results file"), (empty, "no result records")):
        proc = lemmata("report", str(path))
        assert proc.returncode == 2 and needle in proc.stderr
