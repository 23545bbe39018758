"""Sampling against a real HTTP model server (the stand-in, with a fixed time per token) and real Coq.

Completions are checked as they arrive while the server writes the rest; identical answers are checked
once; when the budget ends mid-round every completion received is still in the record, checked, and
the requests still running are counted as abandoned.
"""

import json
import shutil
import sys

import pytest

import lemmata
from agent_cases import events
from lemmata.prover.llm.serve import ModelServer, ServeOptions

from paths import ROOT

pytestmark = [pytest.mark.slow,
              pytest.mark.skipif(shutil.which("coqc") is None, reason="Coq is not installed (make test installs it)")]
PROBLEM = ROOT / "examples" / "coq" / "sum_odd_problem.v"
STAND_IN = (sys.executable, "-m", "lemmata.benchmarks.measure.openai_stand_in")
WRONG = ["```coq\nTheorem sum_odd_square : forall n : nat, sum_odd n = n * n.\nProof.\n  intros n. lia.\nQed.\n```",
         "```coq\nTheorem sum_odd_square : forall n : nat, sum_odd n = n * n.\nProof.\n  intros n.   lia.\nQed.\n```",
         "```coq\nTheorem sum_odd_square : forall n : nat, sum_odd n = n * n.\nProof.\n  reflexivity.\nQed.\n```",
         "```coq\nTheorem sum_odd_square : forall n : nat, sum_odd n = n * n.\nProof.\n  auto.\nQed.\n```"]


@pytest.fixture
def stand_in(tmp_path, monkeypatch):
    def start(texts: list[str], *, seconds_each: float) -> ModelServer:
        (tmp_path / "texts.json").write_text(json.dumps(texts))
        monkeypatch.setenv("STAND_IN_COMPLETIONS", str(tmp_path / "texts.json"))
        monkeypatch.setenv("STAND_IN_LENGTH", "100")
        monkeypatch.setenv("STAND_IN_DELAY", str(seconds_each / 100))
        monkeypatch.setenv("STAND_IN_IGNORE_N", "1")  # llama.cpp's way: one choice, one request at a time
        return ModelServer(ServeOptions("llama.cpp", "tiny.gguf", launcher=STAND_IN, concurrency=4)).start()

    servers = []
    yield lambda *a, **k: servers.append(start(*a, **k)) or servers[-1]
    for server in servers:
        server.stop()


def run(server: ModelServer, tmp_path, budget: str):
    return lemmata.prove(PROBLEM, model=server.model, base_url=server.base_url, samples=4, budget=budget,
                         tactics="lia", trace=tmp_path / "trace")


def test_completions_are_checked_as_they_arrive_and_duplicates_once(stand_in, tmp_path):
    server = stand_in(WRONG, seconds_each=0.6)
    result = run(server, tmp_path, "samples=4,seconds=120")
    trace = events(tmp_path / "trace" / "sum_odd_square.jsonl")
    arrived = [e["t"] for e in trace if e["event"] == "completion" and e["stage"] == "sampling"]
    checked = [e["t"] for e in trace if e["event"] == "check" and e["stage"] == "sampling"]
    assert len(arrived) == 4 and len(checked) == 3  # the second answer differs from the first only in spacing
    assert [e["event"] for e in trace].count("duplicate") == 1
    assert checked[0] < arrived[-1]  # the checker worked while the server was still writing
    assert result.usage["samples"] == 4 and result.samples == 4 and result.usage["requests"] == 4
    rate = result.throughput
    assert rate["generating_seconds"] >= 4 * 0.6 * 0.9 and rate["checking_seconds"] > 0
    assert rate["samples_per_second"] > 0 and 0 < rate["checker_utilisation"] < 1


def test_when_the_budget_ends_mid_round_what_arrived_is_kept_checked_and_counted(stand_in, tmp_path):
    server = stand_in(WRONG[2:], seconds_each=2.5)
    result = run(server, tmp_path, "samples=4,seconds=7")
    trace = events(tmp_path / "trace" / "sum_odd_square.jsonl")
    arrived = [e for e in trace if e["event"] == "completion"]
    assert 1 <= len(arrived) < 4 and result.reason.startswith("budget exhausted")
    assert result.usage["samples"] == len(arrived) == result.samples  # the budget counts what came, no more
    assert result.usage["abandoned"] >= 1 and result.usage["completion_tokens"] == 100 * len(arrived)
    checked = [e for e in trace if e["event"] in ("check", "duplicate") and e.get("stage") == "sampling"]
    assert len(checked) == len(arrived)  # each one received was checked, the last after the clock ran out
