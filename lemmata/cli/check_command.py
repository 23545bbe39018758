"""`lemmata check PROOF [--statement PROBLEM]`: the real checker and the audit on one proof file.

Exit 0 when the proof is accepted, 1 when it is rejected (or timed out, or the
checker failed), 2 for usage and set-up errors.
"""

from __future__ import annotations

import argparse

from rich.console import Console

from lemmata.cli.options import add_lean_options, apply_lean_options
from lemmata.prover.api import check
from lemmata.verifiers.documents import DEFAULT_MAX_BYTES
from lemmata.verifiers.result import CheckResult, Severity, Verdict

_VERDICT_STYLE = {
    Verdict.ACCEPTED: "bold green",
    Verdict.REJECTED: "bold red",
    Verdict.TIMEOUT: "bold yellow",
    Verdict.ERROR: "bold magenta",
}


def add_parser(sub) -> None:
    parser = sub.add_parser("check", help="check a proof file with its checker and audit it",
                            description="Check PROOF with the real checker and audit it: no admitted holes, no "
                                        "axioms beyond the allow-list, and (with --statement) exactly the "
                                        "reference statement. Exit 0 accepted, 1 rejected, 2 usage error.")
    parser.add_argument("proof", metavar="PROOF", help="proof file (.v, .lean, .dfy, .fst, .fsti)")
    parser.add_argument("--statement", metavar="PROBLEM", help="problem file whose theorem the proof must prove")
    parser.add_argument("--theorem", metavar="NAME", help="name of the theorem to audit (default: the problem's "
                                                          "theorem, or every top-level theorem of PROOF)")
    parser.add_argument("--language", help="override the language guessed from the extension")
    parser.add_argument("--timeout", type=float, default=60.0, metavar="S", help="seconds before the check is killed")
    parser.add_argument("--max-bytes", type=int, default=DEFAULT_MAX_BYTES, help=argparse.SUPPRESS)
    parser.add_argument("--json", action="store_true", help="print the result as JSON")
    add_lean_options(parser)


def run_check(args: argparse.Namespace, console: Console) -> int:
    apply_lean_options(args)
    result = check(args.proof, statement=args.statement, theorem=args.theorem, language=args.language,
                   timeout=args.timeout, max_bytes=args.max_bytes)
    if args.json:
        print(result.model_dump_json(indent=2))
    else:
        show(result, args.proof, console)
    return 0 if result.accepted else 1


def show(result: CheckResult, name: str, console: Console) -> None:
    """A check's verdict, reasons, diagnostics (with goals) and audited theorems, for people."""
    console.print(f"[{_VERDICT_STYLE[result.verdict]}]{result.verdict.value}[/]  {name}  "
                  f"[dim]({result.checker}, {result.seconds:.2f}s)[/]")
    for reason in result.reasons:
        console.print(f"  - {reason}", markup=False)
    for diag in result.diagnostics:
        if diag.severity is Severity.INFO:
            continue
        where = f"{name}:{diag.span.line}:{diag.span.column}" if diag.span else name
        console.print(f"  {where}: {diag.severity.value}: {diag.message}", markup=False, highlight=False)
        if diag.goals:
            console.print("    goals at the failure:\n" + "\n".join("      " + g for g in diag.goals.splitlines()),
                          markup=False, highlight=False)
    for member in result.members:
        obligations = f", {member.obligations} proof obligations" if member.obligations is not None else ""
        console.print(f"  {member.name}: {member.outcome} ({member.seconds:g} s{obligations})", markup=False,
                      highlight=False)
    for target in result.targets:
        if target.found and not result.members:
            axioms = ", ".join(target.axioms) or "none"
            console.print(f"  theorem {target.name}: axioms used: {axioms}", markup=False, highlight=False)


__all__ = ["add_parser", "run_check", "show"]
