"""`lemmata watch DIR`: keep a Coq project's proofs green as the code under them changes.

Every file is compiled in dependency order (``coqdep``); a file that fails is
repaired (``lemmata repair``: statements never change, proofs that check are
never touched) and the fix is written as a unified diff to
``DIR/.lemmata/patches/FILE.patch``, or applied with ``--write`` (the original
kept as ``FILE.orig``). Then, until Ctrl-C, each change re-checks the changed
files and every file that depends on them. ``--once`` stops after the first
pass. Exit 0 when no proof is left failing, 1 otherwise.
"""

from __future__ import annotations

import argparse
from pathlib import Path

from rich.console import Console

from lemmata.cli.options import add_agent_options, add_model_options, options_from_args
from lemmata.prover.languages import language_named
from lemmata.watcher import Keeper, open_project


def add_parser(sub) -> None:
    watch = sub.add_parser("watch", help="keep a Coq project's proofs green: check, repair, write patches, watch",
                           description=__doc__.splitlines()[0])
    watch.add_argument("dir", type=Path, metavar="DIR", help="the project (with a _CoqProject, or any .v files)")
    watch.add_argument("--write", action="store_true", help="apply repairs instead of writing patches")
    watch.add_argument("--once", action="store_true", help="one pass over the project, then exit")
    watch.add_argument("--timeout", type=float, default=300.0, metavar="S", help="seconds per file check")
    add_model_options(watch)
    add_agent_options(watch)


def run_watch(args: argparse.Namespace, console: Console) -> int:
    project = open_project(args.dir)
    options = options_from_args(args, language_named("coq"))
    keeper = Keeper(project, options, write=args.write, timeout=args.timeout, show=console.print)
    reports = keeper.check(project.files)
    if args.once:
        return 1 if any(r.status in ("failing", "blocked") for r in reports) else 0
    console.print(f"watching {project.root} (Ctrl-C to stop)", markup=False)
    keeper.watch()
    return 0


__all__ = ["add_parser", "run_watch"]
