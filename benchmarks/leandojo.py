"""Problem suites from Lean repositories traced by LeanDojo: one file per theorem, as `lemmata bench` reads them.

LeanDojo describes each traced theorem by its repository (``url``,
``commit``), ``file_path``, ``full_name`` and the ``start``/``end``
positions of its declaration in that file (the fields of LeanDojo's
benchmark JSON and of its ``TracedTheorem``). A problem file holds, in
order: a metadata line naming the theorem (so ``--lean-checker dojo`` can
check a proof in place), the file's ``import``s, the commands before the
theorem that shape how its statement reads (``open``, ``namespace``,
``section``/``end``, ``variable``, ``universe``, ``set_option``), the
statement with ``by sorry`` for its proof, and the ``end``s that close what
is still open. A statement that needs definitions made earlier in its own
file does not elaborate on its own; such problems are meant for the dojo
checker, which checks them inside their file.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

from lemmata.dsl.lean.source import LeanSyntaxError, declarations
from lemmata.verifiers.errors import InputError
from lemmata.verifiers.lean.dojo import INSTALL, DojoTheorem

_IMPORT = re.compile(r"^import\s+\S")
_CONTEXT = re.compile(r"^(?:open|namespace|section|noncomputable\s+section|end|variable|universe|set_option)\b")
_SAFE = re.compile(r"[^A-Za-z0-9_.'-]+")


@dataclass
class SuiteWritten:
    written: list[str] = field(default_factory=list)
    skipped: list[tuple[str, str]] = field(default_factory=list)  # (full name, why)


def _context(lines: list[str], before: int) -> tuple[list[str], list[str]]:
    """The context commands among ``lines[:before]`` (continuation lines kept) and the scopes left open."""
    kept: list[str] = []
    scopes: list[str] = []
    taking = False
    for line in lines[:before]:
        if _CONTEXT.match(line):
            taking = True
            kept.append(line)
            words = line.split("--")[0].split()
            if words[0] == "noncomputable":
                words = words[1:]
            if words[0] in ("namespace", "section"):
                scopes.append(words[1] if len(words) > 1 else "")  # a section may be anonymous
            elif words[0] == "end" and scopes:
                scopes.pop()
        elif taking and line[:1] in (" ", "\t") and line.strip():
            kept.append(line)  # a `variable` binder list on more lines
        else:
            taking = False
    return kept, scopes


def problem_text(theorem: DojoTheorem, start_line: int, source: str) -> str:
    """The problem file for the theorem declared at ``start_line`` (1-based) of ``source``; raises ``InputError``."""
    lines = source.splitlines()
    if not 1 <= start_line <= len(lines):
        raise InputError(f"line {start_line} is outside {theorem.file_path} ({len(lines)} lines)")
    rest = "\n".join(lines[start_line - 1:])
    try:
        found = [d for d in declarations(rest) if d.keyword in ("theorem", "lemma")]
    except LeanSyntaxError as exc:
        raise InputError(f"{theorem.full_name}: {exc}") from None
    if not found or found[0].body_start is None:
        raise InputError(f"{theorem.full_name}: no theorem with a ':=' proof at line {start_line}")
    declaration = found[0]
    statement = rest[:declaration.body_start - 2].rstrip()
    imports = [line for line in lines if _IMPORT.match(line)]
    context, scopes = _context(lines, start_line - 1)
    closing = [f"end {name}".rstrip() for name in reversed(scopes)]
    parts = [theorem.comment(), *imports, "", *context, "", statement + " := by\n  sorry", "", *closing]
    return "\n".join(parts).rstrip() + "\n"


def write_suite(records: Iterable[dict], read_file: Callable[[str], str], out: Path) -> SuiteWritten:
    """One ``.lean`` file per traced theorem in ``out``, and ``suite.json`` saying what was written and skipped.

    ``records``: LeanDojo's per-theorem data (``url``, ``commit``, ``file_path``, ``full_name``, ``start``);
    ``read_file``: the text of a file of the repository, by its path in it.
    """
    out.mkdir(parents=True, exist_ok=True)
    summary = SuiteWritten()
    sources: dict[str, str] = {}
    for record in records:
        try:
            theorem = DojoTheorem(record["url"], record["commit"], record["file_path"], record["full_name"])
            start = int(record["start"][0])
        except (KeyError, TypeError, ValueError, IndexError) as exc:
            summary.skipped.append((str(record.get("full_name", "?")), f"not a LeanDojo theorem record ({exc})"))
            continue
        try:
            if theorem.file_path not in sources:
                sources[theorem.file_path] = read_file(theorem.file_path)
            text = problem_text(theorem, start, sources[theorem.file_path])
        except (InputError, OSError) as exc:
            summary.skipped.append((theorem.full_name, str(exc)))
            continue
        name = _SAFE.sub("_", theorem.full_name).strip("._") or "theorem"
        (out / f"{name}.lean").write_text(text, encoding="utf-8")
        summary.written.append(name)
    (out / "suite.json").write_text(json.dumps({"source": "leandojo", "written": len(summary.written),
                                                "skipped": [{"theorem": t, "why": w} for t, w in summary.skipped]},
                                               indent=2) + "\n", encoding="utf-8")
    return summary


def trace_repo(url: str, commit: str) -> tuple[list[dict], Callable[[str], str]]:
    """Trace ``url`` at ``commit`` with LeanDojo: its theorems' records and a reader of its files.

    Raises ``InputError`` when LeanDojo is missing or tracing fails (no Lean, no network, a bad commit).
    """
    try:
        import lean_dojo  # noqa: PLC0415 - the optional extra
    except ImportError:
        raise InputError(f"LeanDojo is not installed: {INSTALL}") from None
    try:
        repo = lean_dojo.LeanGitRepo(url, commit)
        traced = lean_dojo.trace(repo)
    except Exception as exc:  # noqa: BLE001 - LeanDojo raises many kinds; the user needs the message
        raise InputError(f"LeanDojo could not trace {url} at {commit}: {type(exc).__name__}: {exc}") from None
    records = [{"url": url, "commit": commit, "file_path": str(t.theorem.file_path), "full_name": t.theorem.full_name,
                "start": [t.start.line_nb, t.start.column_nb]} for t in traced.get_traced_theorems()]
    root = Path(traced.root_dir)
    return records, lambda path: (root / path).read_text(encoding="utf-8")


__all__ = ["SuiteWritten", "problem_text", "trace_repo", "write_suite"]
