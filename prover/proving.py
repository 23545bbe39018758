"""One way to prove a problem file: what `lemmata prove`, the bench worker, the daemon and ``lemmata.prove`` call.

``prove_options`` turns what a user says (model flags, budget, tactics) into
``ProveOptions``, plain data that pickles to a worker process and travels as
JSON; ``load_problem`` reads the theorem out of a document; ``prove_problem``
opens the model client, runs the agent and closes everything it opened.
"""

from __future__ import annotations

import re
from pathlib import Path

from pydantic import BaseModel

from lemmata.prover.agent import Agent, AgentSettings, Budget, Problem, ProofResult, ProofStatus, Trace
from lemmata.prover.agent.trace import Listener
from lemmata.prover.languages import Document, LanguageEntry
from lemmata.prover.llm.client import LLMClient, LLMError
from lemmata.prover.llm.config import LLMConfig, open_client
from lemmata.prover.llm.replay import RecordingClient
from lemmata.verifiers.errors import InputError, LemmataError


class ProveOptions(BaseModel):
    """How to prove, apart from what: the budget, the agent's settings, the model, where to record."""

    theorem: str | None = None  # None: the file's last theorem
    budget: Budget = Budget()
    settings: AgentSettings = AgentSettings()
    llm: LLMConfig | None = None  # None: no model (automation, SMT, symbolic splitting)
    record: Path | None = None  # append every completion to this replay file
    trace_dir: Path | None = None  # write the run's events as JSON Lines here
    trace_name: str | None = None  # the trace file's stem (default: the theorem's name)


def budget_from_text(text: str) -> Budget:
    """``samples=32,checks=2000,seconds=300`` (any subset) as a ``Budget``; raises ``InputError``."""
    values: dict[str, str] = {}
    for part in filter(None, (p.strip() for p in text.split(","))):
        key, sep, value = part.partition("=")
        if not sep or key.strip() not in Budget.model_fields:
            raise InputError(f"bad budget item {part!r}: use samples=N,checks=N,seconds=S")
        values[key.strip()] = value.strip()
    try:
        return Budget(**values)
    except ValueError as exc:
        raise InputError(f"bad budget {text!r}: {exc.errors()[0]['msg']}") from None


def model_config(*, model: str | None = None, base_url: str | None = None, api_key: str | None = None,
                 config: Path | None = None, replay: Path | None = None, no_llm: bool = False,
                 concurrency: int | None = None) -> LLMConfig | None:
    """The model these settings, the environment and the config file describe; None when there is none.

    Arguments win over ``OPENAI_BASE_URL``, ``OPENAI_API_KEY``, ``LEMMATA_MODEL``, which win over the
    ``[llm]`` table of ``config`` (default ``~/.config/lemmata/config.toml``). Raises ``LemmataError``.
    """
    if no_llm:
        return None
    try:
        resolved = LLMConfig.resolve({"model": model, "base_url": base_url, "api_key": api_key, "replay": replay,
                                      "concurrency": concurrency}, config_file=config)
    except LLMError as exc:
        raise LemmataError(str(exc)) from None
    if resolved.replay is not None and not resolved.replay.is_file():
        raise LemmataError(f"cannot read the replay file {resolved.replay}: no such file")
    return resolved if resolved.configured else None


def agent_settings(entry: LanguageEntry, *, samples: int = 4, tactic_timeout: float = 3.0,
                   tactics: str | list[str] | tuple[str, ...] | None = None) -> AgentSettings:
    """The agent's settings, checked against the language's automation; raises ``LemmataError``."""
    if samples < 1:
        raise LemmataError("--samples must be at least 1")
    if tactic_timeout <= 0:
        raise LemmataError("--tactic-timeout must be positive")
    chosen = None
    if tactics is not None:
        names = tactics.split(",") if isinstance(tactics, str) else tactics
        chosen = tuple(t.strip() for t in names if t.strip())
        known = {t.name for t in entry.make_adapter().automation()} | {"reconstruction"}
        if unknown := [t for t in chosen if t not in known and not t.startswith("prime-certificate")]:
            raise LemmataError(f"unknown tactic(s) {', '.join(unknown)}; known: {', '.join(sorted(known))}")
    return AgentSettings(samples_per_round=samples, tactic_timeout=tactic_timeout, tactics=chosen)


def prove_options(entry: LanguageEntry, *, theorem: str | None = None, model: str | None = None,
                  base_url: str | None = None, api_key: str | None = None, config: Path | None = None,
                  replay: Path | None = None, no_llm: bool = False, concurrency: int | None = None,
                  record: Path | None = None, samples: int = 4,
                  budget: Budget | str | None = None, tactics: str | list[str] | tuple[str, ...] | None = None,
                  tactic_timeout: float = 3.0, trace: Path | None = None) -> ProveOptions:
    """``ProveOptions`` from the options `lemmata prove` takes (the same names); raises ``LemmataError``."""
    if isinstance(budget, str):
        budget = budget_from_text(budget)
    return ProveOptions(
        theorem=theorem, budget=budget or Budget(),
        settings=agent_settings(entry, samples=samples, tactic_timeout=tactic_timeout, tactics=tactics),
        llm=model_config(model=model, base_url=base_url, api_key=api_key, config=config, replay=replay,
                         no_llm=no_llm, concurrency=concurrency),
        record=Path(record) if record is not None else None, trace_dir=Path(trace) if trace is not None else None)


def load_problem(document: Document, theorem: str | None = None) -> Problem:
    """The theorem ``theorem`` (default: the last one) of ``document`` as a problem; raises ``InputError``."""
    return document.entry.make_adapter().load(document.text, theorem, document.name)


def prove_problem(problem: Problem, options: ProveOptions, *, listener: Listener | None = None,
                  llm: LLMClient | None = None, broken_body: str | None = None) -> ProofResult:
    """Run the agent on ``problem``: automation, SMT, then the model ``options`` name (or ``llm``).

    With ``broken_body`` (the theorem's proof that no longer checks) that proof is repaired first.
    The client it opens and the trace are closed before it returns. Raises ``InputError`` when the
    problem's own statement does not check and ``LemmataError`` when the model cannot be opened;
    every other way a run ends is in the returned ``ProofResult``.
    """
    opened = None
    if llm is None and options.llm is not None:
        try:
            llm = opened = open_client(options.llm)
        except LLMError as exc:
            raise LemmataError(str(exc)) from None
    if llm is not None and options.record is not None:
        llm = RecordingClient(llm, options.record)
    trace_path = (options.trace_dir / f"{options.trace_name or problem.theorem}.jsonl"
                  if options.trace_dir is not None else None)
    trace = Trace(trace_path, listener=listener)
    try:
        return Agent(llm=llm, budget=options.budget, settings=options.settings, trace=trace).prove(
            problem, broken_body=broken_body)
    finally:
        trace.close()
        if opened is not None:
            opened.close()


def write_proof(document: Document, result: ProofResult) -> Path | None:
    """Save a proved result's proof as ``NAME_proof.EXT`` beside the problem file; the path, or None."""
    if result.status is not ProofStatus.PROVED or result.proof is None or document.path is None:
        return None
    path = document.path.with_name(re.sub(r"\W", "_", document.path.stem) + "_proof" + document.path.suffix)
    path.write_text(result.proof, encoding="utf-8")
    return path


__all__ = ["ProveOptions", "agent_settings", "budget_from_text", "load_problem", "model_config", "prove_options",
           "prove_problem", "write_proof"]
