"""`lemmata prove` end to end: exit codes, --json, --write, --trace, and a real OpenAI-wire HTTP endpoint."""

import json
import os
import shutil
import subprocess
import sys
import time
import pytest
from pathlib import Path

from agent_cases import SUM_ODD

from paths import ROOT

pytestmark = pytest.mark.slow  # lemmata prove in a subprocess with real Coq, many times
EXAMPLES = ROOT / "examples" / "coq"
PROOF = "```coq\nRequire Import Lia.\nProof.\n  intros n. induction n as [|k IH].\n  - reflexivity.\n  - simpl. rewrite IH. nia.\nQed.\n```"
QUICK = ["--tactics", "lia,lra,nra", "--budget", "samples=4,seconds=120"]


def lemmata(*args: str, env: dict | None = None) -> subprocess.CompletedProcess:
    clean = {k: v for k, v in os.environ.items() if k not in ("OPENAI_BASE_URL", "OPENAI_API_KEY", "LEMMATA_MODEL")}
    return subprocess.run([sys.executable, "-m", "lemmata", "prove", *args], capture_output=True, text=True,
                          cwd=ROOT, env={**clean, "LEMMATA_CONFIG": "/dev/null", **(env or {})}, timeout=300)


def sum_odd(tmp_path: Path) -> Path:
    path = tmp_path / "sum_odd.v"
    path.write_text(SUM_ODD)
    return path


def test_no_model_proves_with_automation_and_writes_only_when_asked(tmp_path):
    problem = tmp_path / "linear.v"
    problem.write_text((EXAMPLES / "linear_system_problem.v").read_text())
    proc = lemmata(str(problem), "--json", *QUICK)
    assert proc.returncode == 0, proc.stderr
    result = json.loads(proc.stdout)
    assert result["status"] == "proved" and result["found_by"] == "automation (lra)"
    assert not (tmp_path / "linear_proof.v").exists()
    proc = lemmata(str(problem), "--write", "--trace", str(tmp_path / "trace"), *QUICK)
    assert proc.returncode == 0 and "proved" in proc.stdout and "no LLM configured" in proc.stdout
    written = (tmp_path / "linear_proof.v").read_text()
    assert "intros; lra." in written and written == result["proof"]
    kinds = {json.loads(line)["event"] for line in (tmp_path / "trace" / "linear_system.jsonl").read_text().splitlines()}
    assert {"problem", "stage", "check", "audit", "result"} <= kinds


def test_disproved_exits_one_with_the_counterexample():
    proc = lemmata(str(EXAMPLES / "zmod_sign.v"), *QUICK)
    assert proc.returncode == 1
    assert "disproved" in proc.stdout and "counterexample: a = " in proc.stdout


def test_proves_through_a_local_openai_compatible_server(server, tmp_path):
    server.script = [(429, {"retry-after": "0"}), ("ok", [PROOF])]
    proc = lemmata(str(sum_odd(tmp_path)), "--base-url", server.base_url, "--model", "local-prover", "--samples", "1",
                   "--json", *QUICK)
    assert proc.returncode == 0, proc.stderr + proc.stdout
    result = json.loads(proc.stdout)
    assert result["status"] == "proved" and result["found_by"] == "sampling" and result["model"] == "local-prover"
    assert result["usage"]["prompt_tokens"] == 100 and result["usage"]["requests"] == 1
    assert len(server.requests) == 2 and server.requests[1]["model"] == "local-prover"


def test_a_failing_endpoint_ends_the_run_cleanly(server, tmp_path):
    server.script = [(500, {})] * 50
    proc = lemmata(str(sum_odd(tmp_path)), "--base-url", server.base_url, "--model", "m", *QUICK,
                   env={"LEMMATA_CONFIG": str(_config(tmp_path, "max_attempts = 3\nmax_wait = 0.1\n"))})
    assert proc.returncode == 1, proc.stderr
    assert "Traceback" not in proc.stdout + proc.stderr
    assert "failed" in proc.stdout and "gave up after 3 attempts" in proc.stdout and "HTTP 500" in proc.stdout
    assert len(server.requests) == 3


def test_wall_clock_budget_cuts_a_slow_model_short(server, tmp_path):
    server.script = [("slow", 60, ["too late"])] * 5
    started = time.monotonic()
    proc = lemmata(str(sum_odd(tmp_path)), "--base-url", server.base_url, "--model", "m",
                   "--tactics", "lia", "--budget", "seconds=4")
    assert proc.returncode == 1 and "budget exhausted: 4 s of wall clock" in proc.stdout, proc.stdout + proc.stderr
    assert time.monotonic() - started < 20


def test_replay_file_and_environment_configuration(tmp_path):
    replay = tmp_path / "r.jsonl"
    replay.write_text(json.dumps({"completions": [PROOF]}) + "\n")
    proc = lemmata(str(sum_odd(tmp_path)), "--replay", str(replay), *QUICK)
    assert proc.returncode == 0 and "proved" in proc.stdout and "by sampling" in proc.stdout


def _config(tmp_path: Path, body: str) -> Path:
    path = tmp_path / "lemmata.toml"
    path.write_text("[llm]\n" + body)
    return path


def test_bad_input_is_a_clear_usage_error(tmp_path):
    lean = tmp_path / "p.lean"
    lean.write_text("theorem t : 1 = 1 := by sorry\n")
    broken = tmp_path / "broken.v"
    broken.write_text("Require Import Arith.\nTheorem t : 1 = .\n")
    cases = [
        ([str(broken)], "the statement of t does not check: Syntax error"),
        ([str(tmp_path / "missing.v")], "missing.v"),
        ([str(EXAMPLES / "zmod_sign.v"), "--theorem", "nope"], "no top-level theorem named nope"),
        ([str(EXAMPLES / "zmod_sign.v"), "--budget", "samples=-1"], "bad budget"),
        ([str(EXAMPLES / "zmod_sign.v"), "--tactics", "magic"], "unknown tactic"),
        ([str(EXAMPLES / "zmod_sign.v"), "--replay", str(tmp_path / "none.jsonl")], "cannot read the replay file"),
    ]
    if shutil.which("lake") is None:  # no Lean toolchain on this machine: say how to install it
        cases.append(([str(lean)], "Lean 4 REPL"))
    for args, needle in cases:
        proc = lemmata(*args)
        assert proc.returncode == 2, (args, proc.stdout, proc.stderr)
        assert "Traceback" not in proc.stderr and needle in proc.stderr, (args, proc.stderr)
