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
import os
from dataclasses import dataclass
from pathlib import Path

from rich.console import Console
from rich.table import Table

from lemmata.cli.options import add_agent_options, add_model_options, options_from_args
from lemmata.cli.repair_command import diff
from lemmata.prover.languages import language_named, load_document
from lemmata.prover.proving import ProveOptions
from lemmata.prover.repair_file import repair_document
from lemmata.verifiers.coq.project import CoqProject
from lemmata.verifiers.errors import LemmataError


def add_parser(sub) -> None:
    watch = sub.add_parser("watch", help="keep a Coq project's proofs green: check, repair, write patches, watch",
                           description=__doc__.splitlines()[0])
    watch.add_argument("dir", type=Path, metavar="DIR", help="the project (with a _CoqProject, or any .v files)")
    watch.add_argument("--write", action="store_true", help="apply repairs instead of writing patches")
    watch.add_argument("--once", action="store_true", help="one pass over the project, then exit")
    watch.add_argument("--timeout", type=float, default=300.0, metavar="S", help="seconds per file check")
    add_model_options(watch)
    add_agent_options(watch)


@dataclass
class FileReport:
    file: str
    status: str  # ok, repaired, failing, blocked
    broken: int = 0
    repaired: int = 0
    failing: int = 0
    note: str = ""


class Keeper:
    """One project under watch: checks files in order, repairs what broke, writes or applies the fixes."""

    def __init__(self, project: CoqProject, options: ProveOptions, *, write: bool, timeout: float,
                 console: Console) -> None:
        self.project, self.options, self.write, self.timeout, self.console = project, options, write, timeout, console
        self.patches = project.root / ".lemmata" / "patches"
        self.seen: dict[Path, str] = {}  # each file's text when it was last checked: what is not a change

    def changed(self, paths: set[Path]) -> set[Path]:
        """Those of ``paths`` whose text differs from what was last checked (writes of our own are not changes)."""
        return {p for p in paths if p.is_file() and p.read_text(encoding="utf-8", errors="replace") != self.seen.get(p)}

    def _relative(self, path: Path) -> str:
        return str(path.relative_to(self.project.root))

    def check(self, files: list[Path]) -> list[FileReport]:
        reports: list[FileReport] = []
        broken_files: set[Path] = set()
        for path in files:
            name = self._relative(path)
            if self.project.depends_on.get(path, set()) & broken_files:
                reports.append(FileReport(name, "blocked", note="a file it imports still fails"))
                broken_files.add(path)
                continue
            compiled = self.project.compile(path, timeout=self.timeout)
            if compiled.returncode == 0:
                reports.append(FileReport(name, "ok"))
                continue
            report = self._repair(path, name)
            reports.append(report)
            if report.status != "repaired":
                broken_files.add(path)
        for path in files:
            self.seen[path] = path.read_text(encoding="utf-8", errors="replace")
        return reports

    def _repair(self, path: Path, name: str) -> FileReport:
        document = load_document(path)
        result = repair_document(document, self.options, timeout=self.timeout)
        broken = len(result.theorems)
        repaired = sum(t.status == "repaired" for t in result.theorems)
        if result.status != "repaired":
            why = result.reasons[0] if result.reasons else "the file does not check"
            return FileReport(name, "failing", broken, repaired, broken - repaired or 1, why)
        if self.write:
            path.with_name(path.name + ".orig").write_text(document.text, encoding="utf-8")
            path.write_text(result.text, encoding="utf-8")
            self.project.compile(path, timeout=self.timeout)  # its .vo, for the files that import it
            return FileReport(name, "repaired", broken, repaired, note="applied")
        patch = self.patches / f"{name}.patch"
        patch.parent.mkdir(parents=True, exist_ok=True)
        patch.write_text(diff(document.text, result.text, name), encoding="utf-8")
        # the files that import this one are checked against the repaired text; the source is put back at once
        try:
            path.write_text(result.text, encoding="utf-8")
            self.project.compile(path, timeout=self.timeout)
        finally:
            path.write_text(document.text, encoding="utf-8")
        return FileReport(name, "repaired", broken, repaired, note=f"patch: {self._relative(patch)}")

    def show(self, reports: list[FileReport]) -> None:
        table = Table(title=f"lemmata watch {self.project.root}")
        for column in ("file", "status", "lemmas broken", "repaired", "still failing", "note"):
            table.add_column(column)
        style = {"ok": "green", "repaired": "yellow", "failing": "red", "blocked": "red"}
        for r in reports:
            table.add_row(r.file, f"[{style[r.status]}]{r.status}[/]", str(r.broken), str(r.repaired),
                          str(r.failing), r.note)
        self.console.print(table)


def run_watch(args: argparse.Namespace, console: Console) -> int:
    project = CoqProject.load(args.dir)
    # every checker Lemmata starts for this run finds the project's modules
    os.environ["LEMMATA_COQ_FLAGS"] = " ".join([os.environ.get("LEMMATA_COQ_FLAGS", ""), *project.flags]).strip()
    options = options_from_args(args, language_named("coq"))
    keeper = Keeper(project, options, write=args.write, timeout=args.timeout, console=console)
    reports = keeper.check(project.files)
    keeper.show(reports)
    if args.once:
        return 1 if any(r.status in ("failing", "blocked") for r in reports) else 0
    from watchfiles import watch

    console.print(f"watching {project.root} (Ctrl-C to stop)", markup=False)
    for changes in watch(project.root, watch_filter=lambda change, p: p.endswith(".v") and ".lemmata" not in p):
        affected = project.affected(keeper.changed({Path(p).resolve() for _, p in changes}))
        if affected:
            reports = keeper.check(affected)
            keeper.show(reports)
    return 0


__all__ = ["add_parser", "run_watch"]
