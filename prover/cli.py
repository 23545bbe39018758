"""The `lemmata` command line.

Exit codes are part of the interface: 0 when the job succeeded (for `check`:
the proof was accepted), 1 when it ran and the answer is no (rejected, timed
out, checker failure), 2 for usage and set-up errors (bad input, missing
tool). No traceback reaches the user unless LEMMATA_DEBUG is set.
"""

from __future__ import annotations

import argparse
import json
import os
import signal
import sys
import traceback
from collections.abc import Sequence

from rich.console import Console
from rich.table import Table

from prover.bench_command import add_parsers as add_bench_parsers
from prover.bench_command import run_bench, run_report
from prover.doctor import diagnose
from prover.prove_command import add_parser as add_prove_parser
from prover.setup_command import add_parser as add_setup_parser
from prover.setup_command import run_setup
from prover.steps_command import add_parser as add_steps_parser
from prover.steps_command import run_steps
from prover.prove_command import run_prove
from verifiers.documents import DEFAULT_MAX_BYTES, load_document
from verifiers.errors import LemmataError
from verifiers.interface import Statement
from verifiers.registry import verifier_for
from verifiers.result import CheckResult, Severity, Verdict

EXIT_OK, EXIT_NO, EXIT_USAGE = 0, 1, 2
_VERDICT_STYLE = {
    Verdict.ACCEPTED: "bold green",
    Verdict.REJECTED: "bold red",
    Verdict.TIMEOUT: "bold yellow",
    Verdict.ERROR: "bold magenta",
}


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="lemmata", description="Prove theorems and check proofs with real checkers.")
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    check = sub.add_parser("check", help="check a proof file with its checker and audit it",
                           description="Check PROOF with the real checker and audit it: no admitted holes, no "
                                       "axioms beyond the allow-list, and (with --statement) exactly the "
                                       "reference statement. Exit 0 accepted, 1 rejected, 2 usage error.")
    check.add_argument("proof", metavar="PROOF", help="proof file (.v)")
    check.add_argument("--statement", metavar="PROBLEM", help="problem file whose theorem the proof must prove")
    check.add_argument("--theorem", metavar="NAME", help="name of the theorem to audit (default: the problem's "
                                                         "theorem, or every top-level theorem of PROOF)")
    check.add_argument("--language", help="override the language guessed from the extension")
    check.add_argument("--timeout", type=float, default=60.0, metavar="S", help="seconds before the check is killed")
    check.add_argument("--max-bytes", type=int, default=DEFAULT_MAX_BYTES, help=argparse.SUPPRESS)
    check.add_argument("--json", action="store_true", help="print the result as JSON")

    smt = sub.add_parser("smt", help="decide a theorem statement with SMT solvers (Z3, cvc5)",
                         description="Translate the statement of FILE into SMT and decide it: smt-proved "
                                     "(no counterexample exists; not a checker proof), disproved (with a "
                                     "counterexample checked by exact arithmetic), unknown or unsupported.")
    smt.add_argument("file", metavar="FILE", help="statement file (.v or .lean)")
    smt.add_argument("--theorem", metavar="NAME", help="theorem to decide (default: the last one)")
    smt.add_argument("--solver", choices=["z3", "cvc5", "both"], default="z3",
                     help="'both' cross-checks and reports a disagreement as an error")
    smt.add_argument("--cross-check", action="store_true", help="same as --solver both")
    smt.add_argument("--timeout", type=float, default=10.0, metavar="S", help="seconds per solver")
    smt.add_argument("--smtlib", action="store_true", help="print the SMT-LIB 2 script instead of solving")
    smt.add_argument("--language", help="override the language guessed from the extension")
    smt.add_argument("--json", action="store_true", help="print the result as JSON")

    add_prove_parser(sub)
    add_bench_parsers(sub)
    add_setup_parser(sub)
    add_steps_parser(sub)

    doctor = sub.add_parser("doctor", help="list installed checkers, solvers and libraries")
    doctor.add_argument("--json", action="store_true", help="print the report as JSON")
    return parser


def _cmd_check(args: argparse.Namespace, console: Console) -> int:
    if args.timeout <= 0:
        raise LemmataError("--timeout must be positive")
    document = load_document(args.proof, language=args.language, max_bytes=args.max_bytes)
    statement = None
    if args.statement:
        problem = load_document(args.statement, language=args.language or document.language, max_bytes=args.max_bytes)
        if problem.language != document.language:
            raise LemmataError(f"{args.statement} is {problem.language} but {args.proof} is {document.language}")
        statement = Statement(problem.text, args.theorem, problem.name)
    verifier = verifier_for(document.language)
    result = verifier.check(document.text, statement=statement, theorem=args.theorem, timeout=args.timeout)
    if args.json:
        print(result.model_dump_json(indent=2))
    else:
        _show(result, document.name, console)
    return EXIT_OK if result.accepted else EXIT_NO


def _show(result: CheckResult, name: str, console: Console) -> None:
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
    for target in result.targets:
        if target.found:
            axioms = ", ".join(target.axioms) or "none"
            console.print(f"  theorem {target.name}: axioms used: {axioms}", markup=False, highlight=False)


def _cmd_smt(args: argparse.Namespace, console: Console) -> int:
    from dsl.coq.statement import parse_coq_statement
    from dsl.ir import Unsupported
    from dsl.lean.statement import parse_lean_statement
    from verifiers.smt import SmtResult, SmtVerdict, decide
    from verifiers.smt.smtlib import translate

    if args.timeout <= 0:
        raise LemmataError("--timeout must be positive")
    if args.cross_check:
        args.solver = "both"
    document = load_document(args.file, language=args.language)
    parsers = {"coq": parse_coq_statement, "lean": parse_lean_statement}
    if document.language not in parsers:
        raise LemmataError(f"lemmata smt reads Coq (.v) and Lean 4 (.lean) statements, not {document.language}")
    try:
        statement = parsers[document.language](document.text, args.theorem)
    except Unsupported as exc:
        result = SmtResult(verdict=SmtVerdict.UNSUPPORTED, solver=args.solver, seconds=0.0, reason=exc.reason)
    except ValueError as exc:  # the Coq text itself cannot be split into sentences
        raise LemmataError(f"{document.name}: {exc}") from None
    else:
        if args.smtlib:
            try:
                print(translate(statement).script, end="")
            except Unsupported as exc:
                raise LemmataError(f"cannot translate to SMT-LIB: {exc.reason}") from None
            return EXIT_OK
        result = decide(statement, solver=args.solver, timeout=args.timeout)
    if args.json:
        print(result.model_dump_json(indent=2))
    else:
        style = {"smt-proved": "bold green", "disproved": "bold red"}.get(result.verdict.value, "bold yellow")
        console.print(f"[{style}]{result.verdict.value}[/]  {document.name}  [dim]({result.solver}, "
                      f"{result.seconds:.2f}s)[/]")
        if result.counterexample:
            console.print(f"  counterexample: {result.counterexample_text()}", markup=False)
        if result.reason:
            console.print(f"  reason: {result.reason}", markup=False)
    return EXIT_OK


def _cmd_doctor(args: argparse.Namespace, console: Console) -> int:
    rows = diagnose()
    if args.json:
        print(json.dumps([r.to_dict() for r in rows], indent=2))
        return EXIT_OK
    table = Table(title="Lemmata doctor")
    for column in ("component", "kind", "status", "version", "enables"):
        table.add_column(column)
    for row in rows:
        status = "[green]installed[/]" if row.installed else f"[red]missing[/] [dim]({row.hint})[/]"
        table.add_row(row.name, row.kind, status, row.version, row.enables)
    console.print(table)
    return EXIT_OK


COMMANDS = {"check": _cmd_check, "smt": _cmd_smt, "prove": run_prove, "bench": run_bench, "report": run_report,
            "setup": run_setup, "steps": run_steps, "doctor": _cmd_doctor}


def _exit_on_sigterm(signum: int, frame: object) -> None:
    # SystemExit unwinds the stack, so open sessions close and kill their checkers
    raise SystemExit(128 + signum)


def main(argv: Sequence[str] | None = None) -> int:
    signal.signal(signal.SIGTERM, _exit_on_sigterm)
    args = _parser().parse_args(argv)
    console = Console(highlight=False, soft_wrap=True)
    err = Console(stderr=True, highlight=False, soft_wrap=True)
    try:
        return COMMANDS[args.command](args, console)
    except LemmataError as exc:
        err.print(f"lemmata: error: {exc}", markup=False)
        return EXIT_USAGE
    except KeyboardInterrupt:
        err.print("lemmata: interrupted")
        return 130
    except Exception as exc:  # noqa: BLE001 - the promise is: no tracebacks for users
        if os.environ.get("LEMMATA_DEBUG"):
            traceback.print_exc()
        err.print(f"lemmata: internal error: {type(exc).__name__}: {exc} (set LEMMATA_DEBUG=1 for details)",
                  markup=False)
        return EXIT_USAGE


def run() -> None:
    sys.exit(main())


if __name__ == "__main__":
    run()
