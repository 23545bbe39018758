"""`lemmata smt FILE`: decide a theorem statement with Z3 and cvc5 (exit 0 whenever it ran)."""

from __future__ import annotations

import argparse

from rich.console import Console

from lemmata.prover.api import smt, smtlib


def add_parser(sub) -> None:
    parser = sub.add_parser("smt", help="decide a theorem statement with SMT solvers (Z3, cvc5)",
                            description="Translate the statement of FILE into SMT and decide it: smt-proved "
                                        "(no counterexample exists; not a checker proof), disproved (with a "
                                        "counterexample checked by exact arithmetic), unknown or unsupported.")
    parser.add_argument("file", metavar="FILE", help="statement file (.v or .lean)")
    parser.add_argument("--theorem", metavar="NAME", help="theorem to decide (default: the last one)")
    parser.add_argument("--solver", choices=["z3", "cvc5", "both"], default="z3",
                        help="'both' cross-checks and reports a disagreement as an error")
    parser.add_argument("--cross-check", action="store_true", help="same as --solver both")
    parser.add_argument("--timeout", type=float, default=10.0, metavar="S", help="seconds per solver")
    parser.add_argument("--smtlib", action="store_true", help="print the SMT-LIB 2 script instead of solving")
    parser.add_argument("--language", help="override the language guessed from the extension")
    parser.add_argument("--json", action="store_true", help="print the result as JSON")


def run_smt(args: argparse.Namespace, console: Console) -> int:
    if args.smtlib:
        print(smtlib(args.file, language=args.language, theorem=args.theorem), end="")
        return 0
    solver = "both" if args.cross_check else args.solver
    result = smt(args.file, language=args.language, theorem=args.theorem, solver=solver, timeout=args.timeout)
    if args.json:
        print(result.model_dump_json(indent=2))
        return 0
    style = {"smt-proved": "bold green", "disproved": "bold red"}.get(result.verdict.value, "bold yellow")
    console.print(f"[{style}]{result.verdict.value}[/]  {args.file}  [dim]({result.solver}, {result.seconds:.2f}s)[/]")
    if result.counterexample:
        console.print(f"  counterexample: {result.counterexample_text()}", markup=False)
    if result.reason:
        console.print(f"  reason: {result.reason}", markup=False)
    return 0


__all__ = ["add_parser", "run_smt"]
