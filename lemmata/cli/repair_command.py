"""`lemmata repair FILE`: make a proof file that no longer checks pass again, without touching a statement.

Prints what it did per theorem and the change as a unified diff; ``--write``
applies it (the original is kept as ``FILE.orig``). Exit 0 when the file
checks (repaired or unchanged), 1 when it could not be repaired, 2 for usage
errors.
"""

from __future__ import annotations

import argparse
from pathlib import Path

from rich.console import Console
from rich.table import Table

from lemmata.cli.options import add_agent_options, add_model_options, options_from_args
from lemmata.cli.progress import Progress
from lemmata.prover.languages import load_document
from lemmata.prover.repair_file import RepairResult, repair_document, unified_diff

_STYLE = {"repaired": "bold green", "unchanged": "bold green", "failed": "bold red"}


def add_parser(sub) -> None:
    repair = sub.add_parser("repair", help="repair a proof file that no longer checks (statements stay unchanged)",
                            description=__doc__.splitlines()[0])
    repair.add_argument("file", type=Path, metavar="FILE", help="proof file (.v)")
    repair.add_argument("--statement", type=Path, metavar="PROBLEM",
                        help="the problem file the repaired theorems must prove (default: FILE's own statements)")
    repair.add_argument("--language", help="override the language guessed from the extension")
    repair.add_argument("--timeout", type=float, default=60.0, metavar="S", help="seconds per whole-file check")
    add_model_options(repair)
    add_agent_options(repair)
    repair.add_argument("--write", action="store_true", help="apply the repair (the original goes to FILE.orig)")
    repair.add_argument("--json", action="store_true", help="print the result as JSON")


def run_repair(args: argparse.Namespace, console: Console) -> int:
    document = load_document(args.file, language=args.language)
    statement = load_document(args.statement, language=document.language).text if args.statement else None
    options = options_from_args(args, document.entry)
    err = Console(stderr=True, highlight=False, soft_wrap=True)
    with Progress(err, args.file.name, options.budget.samples) as progress:
        result = repair_document(document, options, statement=statement, timeout=args.timeout, listener=progress)
    if args.write and result.status == "repaired":
        backup = args.file.with_name(args.file.name + ".orig")
        backup.write_text(document.text, encoding="utf-8")
        args.file.write_text(result.text, encoding="utf-8")
    if args.json:
        print(result.model_dump_json(indent=2))
    else:
        show(result, document.text, console, written=args.write and result.status == "repaired")
    return 1 if result.status == "failed" else 0


def show(result: RepairResult, before: str, console: Console, *, written: bool) -> None:
    console.print(f"[{_STYLE[result.status]}]{result.status}[/]  {result.origin}  [dim]({result.seconds:.1f} s)[/]")
    for reason in result.reasons:
        console.print(f"  - {reason}", markup=False)
    if result.theorems:
        table = Table(show_header=True, box=None, padding=(0, 2))
        for column in ("theorem", "lines", "status", "how"):
            table.add_column(column)
        for t in result.theorems:
            table.add_row(t.theorem, f"{t.lines[0]}-{t.lines[1]}", t.status, t.found_by or t.reason or "")
        console.print(table)
    if result.status == "repaired":
        if written:
            console.print(f"wrote {result.origin} (the original is in {result.origin}.orig)", markup=False)
        else:
            console.print(unified_diff(before, result.text, result.origin), markup=False, highlight=False)


__all__ = ["add_parser", "run_repair"]
