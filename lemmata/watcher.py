"""Keeping a Coq project's proofs green: what `lemmata watch` and `lemmata serve --watch DIR` run.

Files are compiled in dependency order; a file that fails is repaired
(statements never change, proofs that check are never touched) and the fix
written as a patch to ``DIR/.lemmata/patches/FILE.patch`` or, with ``write``,
applied (the original kept as ``FILE.orig``). Then each change re-checks the
changed files and every file that depends on them.
"""

from __future__ import annotations

import os
import threading
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from rich.table import Table

from lemmata.prover.languages import load_document
from lemmata.prover.proving import ProveOptions
from lemmata.prover.repair_file import repair_document, unified_diff
from lemmata.verifiers.coq.project import CoqProject


def open_project(root: Path) -> CoqProject:
    """The project at ``root``; every checker this process starts from now on finds its modules."""
    project = CoqProject.load(root)
    os.environ["LEMMATA_COQ_FLAGS"] = " ".join([os.environ.get("LEMMATA_COQ_FLAGS", ""), *project.flags]).strip()
    return project


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
                 show: Callable[[Table], None] | None = None) -> None:
        self.project, self.options, self.write, self.timeout, self.show_table = project, options, write, timeout, show
        self.last: list[FileReport] = []  # the latest pass, for the status page
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
        self.show(reports)
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
        # the files that import this one are checked against the repaired text; the source is not touched
        self.project.compile(path, timeout=self.timeout, text=result.text)
        patch = self.patches / f"{name}.patch"
        patch.parent.mkdir(parents=True, exist_ok=True)
        patch.write_text(unified_diff(document.text, result.text, name), encoding="utf-8")
        return FileReport(name, "repaired", broken, repaired, note=f"patch: {self._relative(patch)}")

    def show(self, reports: list[FileReport]) -> None:
        self.last = reports
        if self.show_table is None:
            return
        table = Table(title=f"lemmata watch {self.project.root}")
        for column in ("file", "status", "lemmas broken", "repaired", "still failing", "note"):
            table.add_column(column)
        style = {"ok": "green", "repaired": "yellow", "failing": "red", "blocked": "red"}
        for r in reports:
            table.add_row(r.file, f"[{style[r.status]}]{r.status}[/]", str(r.broken), str(r.repaired),
                          str(r.failing), r.note)
        self.show_table(table)

    def watch(self, stop: threading.Event | None = None) -> None:
        """Re-check what each change affects, until ``stop`` is set (or forever).

        Every second without an event the files are compared with what was last checked too, so a change
        made before the watcher was listening (or an event the platform dropped) is not missed.
        """
        from watchfiles import watch

        for changes in watch(self.project.root, stop_event=stop, yield_on_timeout=True, rust_timeout=1000,
                             watch_filter=lambda change, p: p.endswith(".v") and ".lemmata" not in p):
            paths = {Path(p).resolve() for _, p in changes} if changes else set(self.project.files)
            affected = self.project.affected(self.changed(paths))
            if affected:
                self.check(affected)


__all__ = ["FileReport", "Keeper", "open_project"]
