"""The `lemmata` command line: one sub-command per module of ``lemmata.cli``, dispatched here.

Exit codes are part of the interface: 0 when the job succeeded (for `check`:
the proof was accepted), 1 when it ran and the answer is no (rejected, timed
out, checker failure), 2 for usage and set-up errors (bad input, missing
tool). No traceback reaches the user unless LEMMATA_DEBUG is set.
"""

from __future__ import annotations

import argparse
import os
import signal
import sys
import traceback
from collections.abc import Callable, Sequence

from rich.console import Console

from lemmata.cli import (bench_command, check_command, client_command, doctor, prove_command, repair_command,
                         serve_command, serve_model_command, setup_command, smt_command, steps_command,
                         suite_command, watch_command)
from lemmata.verifiers.errors import LemmataError

EXIT_OK, EXIT_NO, EXIT_USAGE = 0, 1, 2

Command = Callable[[argparse.Namespace, Console], int]
COMMANDS: dict[str, Command] = {
    "check": check_command.run_check, "smt": smt_command.run_smt, "prove": prove_command.run_prove, "repair": repair_command.run_repair,
    "watch": watch_command.run_watch,
    "bench": bench_command.run_bench, "report": bench_command.run_report, "setup": setup_command.run_setup,
    "steps": steps_command.run_steps, "doctor": doctor.run_doctor,
    "serve": serve_command.run_serve, "token": serve_command.run_token,
    "serve-model": serve_model_command.run_serve_model, "suite": suite_command.run_suite,
    "submit": client_command.run_submit, "status": client_command.run_status, "result": client_command.run_result,
}


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="lemmata", description="Prove theorems and check proofs with real checkers.")
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    check_command.add_parser(sub)
    smt_command.add_parser(sub)
    prove_command.add_parser(sub)
    repair_command.add_parser(sub)
    watch_command.add_parser(sub)
    bench_command.add_parsers(sub)
    setup_command.add_parser(sub)
    steps_command.add_parser(sub)
    doctor.add_parser(sub)
    serve_command.add_parsers(sub)
    serve_model_command.add_parser(sub)
    suite_command.add_parser(sub)
    client_command.add_parsers(sub)
    return parser


def _exit_on_sigterm(signum: int, frame: object) -> None:
    # SystemExit unwinds the stack, so open sessions close and kill their checkers
    raise SystemExit(128 + signum)


def main(argv: Sequence[str] | None = None) -> int:
    """Run one `lemmata` command with ``argv`` (default: the process's arguments); returns the exit code."""
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
    """The console script's entry point: exits with ``main()``'s code."""
    sys.exit(main())


__all__ = ["COMMANDS", "main", "run"]
