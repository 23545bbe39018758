"""`lemmata prove`: run the agent on one problem file and report what it found.

Exit 0 when the theorem is proved (a checker accepted the proof and the audit
passed); 1 when the run ended otherwise (smt-proved, disproved, failed); 2 for
usage and set-up errors.
"""

from __future__ import annotations

import argparse
from pathlib import Path

from rich.console import Console
from rich.table import Table

from lemmata.cli.options import add_agent_options, add_lean_options, add_model_options, apply_lean_options, \
    options_from_args
from lemmata.cli.serve_model_command import served
from lemmata.cli.progress import Progress
from lemmata.prover.agent import ProofResult, ProofStatus
from lemmata.prover.languages import load_document
from lemmata.prover.proving import load_problem, prove_problem, write_proof

_STYLE = {ProofStatus.PROVED: "bold green", ProofStatus.SMT_PROVED: "bold yellow",
          ProofStatus.DISPROVED: "bold red", ProofStatus.FAILED: "bold red"}


def add_parser(sub) -> None:
    prove = sub.add_parser(
        "prove", help="prove a theorem: automation, SMT, then an LLM with checker-guided repair",
        description="Prove the theorem of FILE. Stages: automation portfolio, SMT, symbolic splitting, then "
                    "(with a model) whole-proof sampling, compiler-guided repair and sub-lemma sketches. "
                    "Exit 0 proved, 1 smt-proved/disproved/failed, 2 usage error.")
    prove.add_argument("file", metavar="FILE", help="problem file (.v, .lean, .dfy, .fst)")
    prove.add_argument("--theorem", metavar="NAME", help="theorem to prove (default: the last one)")
    prove.add_argument("--language", help="override the language guessed from the extension")
    add_model_options(prove)
    prove.add_argument("--record", type=Path, metavar="JSONL", help="append every completion to this replay file")
    add_agent_options(prove)
    add_lean_options(prove)
    prove.add_argument("--json", action="store_true", help="print the result as JSON")
    prove.add_argument("--write", action="store_true", help="write a found proof next to FILE as NAME_proof.v")


def run_prove(args: argparse.Namespace, console: Console) -> int:
    apply_lean_options(args)
    document = load_document(args.file, language=args.language)
    problem = load_problem(document, args.theorem)
    if args.serve_model:
        options_from_args(args, document.entry)  # bad options fail before a model server starts
    err = Console(stderr=True, highlight=False, soft_wrap=True)
    with served(args):
        options = options_from_args(args, document.entry)
        with Progress(err, problem.theorem, options.budget.samples) as progress:
            result = prove_problem(problem, options, listener=progress)
    written = write_proof(document, result) if args.write else None
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
        rate = result.throughput
        console.print(f"  sampling: {int(result.usage['requests'])} requests, {int(result.usage['samples'])} samples "
                      f"({rate.get('samples_per_second', 0):.2f}/s, {rate.get('tokens_per_second', 0):.0f} tokens/s"
                      + (f", {int(result.usage['abandoned'])} requests abandoned" if result.usage.get("abandoned") else "")
                      + f"); server busy {rate.get('generating_seconds', 0):.1f} s, checker busy "
                      f"{rate.get('checking_seconds', 0):.1f} s ({100 * rate.get('checker_utilisation', 0):.0f}%), "
                      f"neither {rate.get('idle_seconds', 0):.1f} s", markup=False)
    if result.proof is not None:
        console.print("proof:" if result.status is ProofStatus.PROVED else "skeleton (holes rest on SMT):")
        console.print(result.proof, markup=False, highlight=False)
    if written is not None:
        console.print(f"wrote {written}", markup=False)


__all__ = ["add_parser", "run_prove"]
