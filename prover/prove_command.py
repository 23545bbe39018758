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

from prover.agent import Agent, ProblemError, ProofResult, ProofStatus, Trace, language_for
from prover.cli_options import add_agent_options, add_model_options, agent_settings, llm_config
from prover.llm.client import LLMError
from prover.llm.config import open_client
from prover.llm.replay import RecordingClient
from prover.progress import Progress
from verifiers.documents import load_document
from verifiers.errors import LemmataError

_STYLE = {ProofStatus.PROVED: "bold green", ProofStatus.SMT_PROVED: "bold yellow",
          ProofStatus.DISPROVED: "bold red", ProofStatus.FAILED: "bold red"}


def add_parser(sub) -> None:
    prove = sub.add_parser(
        "prove", help="prove a theorem: automation, SMT, then an LLM with checker-guided repair",
        description="Prove the theorem of FILE. Stages: automation portfolio, SMT, symbolic splitting, then "
                    "(with a model) whole-proof sampling, compiler-guided repair and sub-lemma sketches. "
                    "Exit 0 proved, 1 smt-proved/disproved/failed, 2 usage error.")
    prove.add_argument("file", metavar="FILE", help="problem file (.v)")
    prove.add_argument("--theorem", metavar="NAME", help="theorem to prove (default: the last one)")
    prove.add_argument("--language", help="override the language guessed from the extension")
    add_model_options(prove)
    prove.add_argument("--record", type=Path, metavar="JSONL", help="append every completion to this replay file")
    add_agent_options(prove)
    prove.add_argument("--json", action="store_true", help="print the result as JSON")
    prove.add_argument("--write", action="store_true", help="write a found proof next to FILE as NAME_proof.v")


def run_prove(args: argparse.Namespace, console: Console) -> int:
    document = load_document(args.file, language=args.language)
    try:
        language = language_for(document.language)
        problem = language.load(document.text, args.theorem, document.name)
    except ProblemError as exc:
        raise LemmataError(str(exc)) from None
    settings = agent_settings(args, language)
    config = llm_config(args)
    try:
        llm = open_client(config) if config is not None else None
    except LLMError as exc:
        raise LemmataError(str(exc)) from None
    if llm is not None and args.record is not None:
        llm = RecordingClient(llm, args.record)
    trace_path = args.trace / f"{problem.theorem}.jsonl" if args.trace is not None else None
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


__all__ = ["add_parser", "run_prove"]
