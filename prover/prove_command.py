"""`lemmata prove`: run the agent on one problem file and report what it found.

Exit 0 when the theorem is proved (a checker accepted the proof and the audit
passed); 1 when the run ended otherwise (smt-proved, disproved, failed); 2 for
usage and set-up errors.
"""

from __future__ import annotations

import argparse
import re
from pathlib import Path

from rich.console import Console
from rich.table import Table

from prover.agent import Agent, AgentSettings, Budget, ProblemError, ProofResult, ProofStatus, Trace, language_for
from prover.llm.client import LLMError
from prover.llm.config import LLMConfig, open_client
from prover.llm.replay import RecordingClient
from prover.progress import Progress
from verifiers.documents import load_document
from verifiers.errors import LemmataError

_STYLE = {ProofStatus.PROVED: "bold green", ProofStatus.SMT_PROVED: "bold yellow",
          ProofStatus.DISPROVED: "bold red", ProofStatus.FAILED: "bold red"}


def budget_from_text(text: str) -> Budget:
    """``samples=32,checks=2000,seconds=300`` (any subset) → Budget."""
    values: dict[str, str] = {}
    for part in filter(None, (p.strip() for p in text.split(","))):
        key, sep, value = part.partition("=")
        if not sep or key.strip() not in Budget.model_fields:
            raise argparse.ArgumentTypeError(f"bad budget item {part!r}: use samples=N,checks=N,seconds=S")
        values[key.strip()] = value.strip()
    try:
        return Budget(**values)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(f"bad budget {text!r}: {exc.errors()[0]['msg']}") from None


def add_parser(sub) -> None:
    prove = sub.add_parser(
        "prove", help="prove a theorem: automation, SMT, then an LLM with checker-guided repair",
        description="Prove the theorem of FILE. Stages: automation portfolio, SMT, symbolic splitting, then "
                    "(with a model) whole-proof sampling, compiler-guided repair and sub-lemma sketches. "
                    "Exit 0 proved, 1 smt-proved/disproved/failed, 2 usage error.")
    prove.add_argument("file", metavar="FILE", help="problem file (.v)")
    prove.add_argument("--theorem", metavar="NAME", help="theorem to prove (default: the last one)")
    prove.add_argument("--language", help="override the language guessed from the extension")
    model = prove.add_argument_group("model (flags win over OPENAI_BASE_URL, OPENAI_API_KEY, LEMMATA_MODEL, "
                                     "then the [llm] table of --config)")
    model.add_argument("--model", help="model name as the server knows it")
    model.add_argument("--base-url", help="OpenAI-compatible endpoint, e.g. http://localhost:8000/v1")
    model.add_argument("--api-key", help="API key (prefer OPENAI_API_KEY)")
    model.add_argument("--config", type=Path, metavar="TOML", help="config file (default ~/.config/lemmata/config.toml)")
    model.add_argument("--replay", type=Path, metavar="JSONL", help="serve recorded completions instead of a model")
    model.add_argument("--record", type=Path, metavar="JSONL", help="append every completion to this replay file")
    model.add_argument("--no-llm", action="store_true", help="run only the stages that need no model")
    prove.add_argument("--samples", type=int, default=4, metavar="K", help="whole proofs sampled per round")
    prove.add_argument("--budget", type=budget_from_text, default=Budget(), metavar="SPEC",
                       help="limits, e.g. samples=32,checks=2000,seconds=300 (those are the defaults)")
    prove.add_argument("--tactic-timeout", type=float, default=3.0, metavar="S", help="seconds per automation tactic")
    prove.add_argument("--tactics", metavar="LIST", help="comma-separated automation to try (default: all of "
                       "lia,lra,nia,nra,psatz,ring,field,compute,intuition,subst-lia,sauto,hammer)")
    prove.add_argument("--json", action="store_true", help="print the result as JSON")
    prove.add_argument("--trace", type=Path, metavar="DIR", help="record prompts, completions, checks as JSONL here")
    prove.add_argument("--write", action="store_true", help="write a found proof next to FILE as NAME_proof.v")


def _client(args: argparse.Namespace):
    if args.no_llm:
        return None
    config = LLMConfig.resolve({"model": args.model, "base_url": args.base_url, "api_key": args.api_key,
                                "replay": args.replay}, config_file=args.config)
    client = open_client(config)
    if client is not None and args.record is not None:
        client = RecordingClient(client, args.record)
    return client


def run_prove(args: argparse.Namespace, console: Console) -> int:
    if args.samples < 1:
        raise LemmataError("--samples must be at least 1")
    if args.tactic_timeout <= 0:
        raise LemmataError("--tactic-timeout must be positive")
    document = load_document(args.file, language=args.language)
    try:
        language = language_for(document.language)
        problem = language.load(document.text, args.theorem, document.name)
        llm = _client(args)
    except (ProblemError, LLMError) as exc:
        raise LemmataError(str(exc)) from None
    trace_path = None
    if args.trace is not None:
        trace_path = args.trace / f"{problem.theorem}.jsonl"
    tactics = None
    if args.tactics is not None:
        tactics = tuple(t.strip() for t in args.tactics.split(",") if t.strip())
        known = {t.name for t in language.automation()}
        if unknown := [t for t in tactics if t not in known]:
            raise LemmataError(f"unknown tactic(s) {', '.join(unknown)}; known: {', '.join(sorted(known))}")
    settings = AgentSettings(samples_per_round=args.samples, tactic_timeout=args.tactic_timeout, tactics=tactics)
    err = Console(stderr=True, highlight=False, soft_wrap=True)
    with Progress(err, problem.theorem, args.budget.samples) as progress:
        trace = Trace(trace_path, listener=progress)
        try:
            result = Agent(llm=llm, budget=args.budget, settings=settings, trace=trace).prove(problem)
        except ProblemError as exc:
            raise LemmataError(str(exc)) from None
        finally:
            trace.close()
            if llm is not None:
                llm.close()
    written = None
    if args.write and result.status is ProofStatus.PROVED and result.proof is not None and document.path:
        written = document.path.with_name(re.sub(r"\W", "_", document.path.stem) + "_proof" + document.path.suffix)
        written.write_text(result.proof, encoding="utf-8")
    if args.json:
        print(result.model_dump_json(indent=2))
    else:
        _show(result, console, written)
    return 0 if result.status is ProofStatus.PROVED else 1


def _show(result: ProofResult, console: Console, written: Path | None) -> None:
    by = f" by {result.found_by}" if result.found_by else ""
    console.print(f"[{_STYLE[result.status]}]{result.status.value}[/]  {result.theorem}{by}  "
                  f"[dim]({result.seconds:.1f} s, {result.checks} checks, {result.samples} samples)[/]")
    for note in result.notes:
        console.print(f"  note: {note}", markup=False)
    if result.reason:
        console.print(f"  {result.reason}", markup=False)
    if result.counterexample:
        console.print("  counterexample: " + ", ".join(f"{k} = {v}" for k, v in result.counterexample.items()),
                      markup=False)
    table = Table(show_header=True, box=None, padding=(0, 2))
    for column in ("stage", "outcome", "seconds", "samples", "checks"):
        table.add_column(column)
    for record in result.stages:
        table.add_row(record.stage, record.outcome, f"{record.seconds:.2f}", str(record.samples), str(record.checks))
    console.print(table)
    if result.usage.get("requests"):
        console.print(f"  tokens: {int(result.usage['prompt_tokens'])} prompt, "
                      f"{int(result.usage['completion_tokens'])} completion; cost ${result.usage['cost_usd']:.4f}")
    if result.proof is not None:
        console.print("proof:" if result.status is ProofStatus.PROVED else "skeleton (holes rest on SMT):")
        console.print(result.proof, markup=False, highlight=False)
    if written is not None:
        console.print(f"wrote {written}", markup=False)


__all__ = ["add_parser", "budget_from_text", "run_prove"]
