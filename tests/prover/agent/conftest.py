import shutil

import pytest

from agent_cases import FAST, events, problem, replay

from lemmata.prover.agent import Agent, AgentSettings, Budget, Trace

if shutil.which("coqc") is None or shutil.which("coqtop") is None:  # pragma: no cover - CI installs Coq
    pytest.skip("Coq (coqc/coqtop) is not installed: run 'make test', which installs it", allow_module_level=True)

@pytest.fixture
def prove(tmp_path):
    """prove(text, records, **budget) -> (result, trace events)."""

    def run(text: str, records: list[dict] | None, *, tactics=FAST, k: int = 2, tactic_timeout: float = 3.0, **budget):
        trace_path = tmp_path / "trace.jsonl"
        llm = replay(tmp_path, records) if records is not None else None
        trace = Trace(trace_path)
        agent = Agent(llm=llm, budget=Budget(**({"seconds": 120} | budget)),
                      settings=AgentSettings(tactics=tactics, samples_per_round=k, tactic_timeout=tactic_timeout),
                      trace=trace)
        try:
            result = agent.prove(problem(text))
        finally:
            trace.close()
        return result, events(trace_path)

    return run
