"""`serve-model` and `--serve-model`: the command line per backend, start, readiness, stop, errors.

The servers here are the stand-in (``benchmarks/measure/openai_stand_in.py``) started through the very
code path vLLM, SGLang and llama.cpp are started through (``--launcher`` replaces ``python -m MODULE``);
the real llama.cpp server runs in `make test-llm` (tests/llm/).
"""

import json
import os
import signal
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from lemmata.prover.llm.serve import LLAMA_CPP_CONTEXT, ModelServer, ServeOptions, command, parse_spec
from lemmata.verifiers.errors import InputError, LemmataError, ToolMissing

from paths import ROOT

STAND_IN = (sys.executable, "-m", "lemmata.benchmarks.measure.openai_stand_in")


def test_each_backend_gets_the_flags_bulk_sampling_wants(tmp_path):
    vllm = command(ServeOptions("vllm", "deepseek-ai/DeepSeek-Prover-V2-7B", port=8001, context_length=16384))
    assert vllm[:3] == [sys.executable, "-m", "vllm.entrypoints.openai.api_server"]
    assert {"--enable-prefix-caching", "--max-num-seqs", "256", "--max-model-len", "16384"} <= set(vllm)
    assert vllm[vllm.index("--served-model-name") + 1] == "DeepSeek-Prover-V2-7B"
    sglang = command(ServeOptions("sglang", "/models/prover", port=8002, concurrency=64))
    assert sglang[2] == "sglang.launch_server" and sglang[sglang.index("--max-running-requests") + 1] == "64"
    gguf = tmp_path / "tiny.gguf"
    gguf.write_bytes(b"GGUF")
    llama = command(ServeOptions("llama.cpp", str(gguf), port=8003))
    assert llama[llama.index("--model") + 1] == str(gguf) and llama[llama.index("--model_alias") + 1] == "tiny"
    assert llama[llama.index("--n_ctx") + 1] == str(LLAMA_CPP_CONTEXT)
    assert parse_spec("llama.cpp:/m/x.gguf") == ("llama.cpp", "/m/x.gguf")
    for bad in ("vllm", "tgi:model", "vllm:"):
        with pytest.raises(InputError):
            parse_spec(bad)


def test_a_missing_backend_says_how_to_install_it():
    with pytest.raises(ToolMissing, match=r"pip install 'lemmata\[vllm\]'"):
        ModelServer(ServeOptions("vllm", "some/model")).start()


@pytest.mark.parametrize("backend, model", [("vllm", "org/prover-7b"), ("sglang", "org/prover-7b")])
def test_a_server_starts_answers_and_is_gone_after_the_run(tmp_path, monkeypatch, backend, model):
    monkeypatch.setenv("STAND_IN_RECORD", str(tmp_path / "argv.json"))
    with ModelServer(ServeOptions(backend, model, launcher=STAND_IN)) as server:
        pid = server.process.pid
        with urllib.request.urlopen(f"{server.base_url}/models", timeout=5) as answer:
            assert json.load(answer)["data"][0]["id"] == "prover-7b" == server.model
        assert json.loads((tmp_path / "argv.json").read_text()) == server.argv[len(STAND_IN):]
    assert not Path(f"/proc/{pid}").exists()


def test_a_server_that_dies_while_starting_is_an_error_with_its_output():
    launcher = (sys.executable, "-c", "import sys; print('CUDA out of memory'); sys.exit(3)")
    with pytest.raises(LemmataError, match="exited while starting .status 3.: CUDA out of memory"):
        ModelServer(ServeOptions("vllm", "org/m", launcher=launcher)).start()


def lemmata(*args: str, **kwargs) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "-m", "lemmata", *args], cwd=ROOT, text=True, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, **kwargs)


def test_serve_model_prints_its_url_and_stops_on_ctrl_c(tmp_path):
    env = {**os.environ, "STAND_IN_RECORD": str(tmp_path / "argv.json")}
    proc = lemmata("serve-model", "--backend", "sglang", "--model", "org/m", "--port", "0",
                   "--launcher", " ".join(STAND_IN), env=env)
    try:
        line = proc.stdout.readline()
        assert line.startswith("serving m at http://127.0.0.1:"), line + proc.stderr.read()
        url = line.split(" at ")[1].strip()
        with urllib.request.urlopen(f"{url}/models", timeout=5) as answer:
            assert answer.status == 200
    finally:
        proc.send_signal(signal.SIGINT)
        assert proc.wait(timeout=30) == 0
    with pytest.raises(OSError):
        urllib.request.urlopen(f"{url}/models", timeout=2)


@pytest.mark.slow
def test_prove_with_serve_model_samples_from_the_server_it_started(tmp_path):
    completions = tmp_path / "completions.json"
    proof = (ROOT / "examples" / "coq" / "sum_odd_proof.v").read_text()
    completions.write_text(json.dumps([f"```coq\n{proof}```"]))
    env = {**os.environ, "STAND_IN_COMPLETIONS": str(completions), "STAND_IN_RECORD": str(tmp_path / "argv.json")}
    proc = lemmata("prove", str(ROOT / "examples" / "coq" / "sum_odd_problem.v"), "--serve-model", "vllm:org/m",
                   "--launcher", " ".join(STAND_IN), "--tactics", "lia", "--json", env=env)
    out, err = proc.communicate(timeout=300)
    result = json.loads(out)
    assert result["status"] == "proved" and result["found_by"] == "sampling", err
    assert result["usage"]["samples"] >= 1 and result["throughput"]["samples_per_second"] > 0
    argv = json.loads((tmp_path / "argv.json").read_text())
    port = argv[argv.index("--port") + 1]
    time.sleep(0.5)
    with pytest.raises(OSError):  # stopped with the run
        urllib.request.urlopen(f"http://127.0.0.1:{port}/v1/models", timeout=2)


@pytest.mark.slow
def test_ctrl_c_during_a_run_stops_the_server_it_started(tmp_path):
    env = {**os.environ, "STAND_IN_DELAY": "1", "STAND_IN_RECORD": str(tmp_path / "argv.json")}
    proc = lemmata("prove", str(ROOT / "examples" / "coq" / "sum_odd_problem.v"), "--serve-model", "vllm:org/m",
                   "--launcher", " ".join(STAND_IN), "--tactics", "lia", env=env)
    try:
        for line in proc.stderr:  # wait until it samples from the server it started
            if line.startswith("serving m at "):
                url = line.split(" at ")[1].strip()
                break
        time.sleep(2)
    finally:
        proc.send_signal(signal.SIGINT)
        assert proc.wait(timeout=60) == 130
    with pytest.raises(OSError):
        urllib.request.urlopen(f"{url}/models", timeout=2)
