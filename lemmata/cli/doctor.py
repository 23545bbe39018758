"""`lemmata doctor`: which checkers, solvers and libraries this machine has, and what each enables.

Checkers come from the language table (each language's verifier reports its
own status); tools no backend owns yet are probed by their version flag.
"""

from __future__ import annotations

import importlib.metadata
import re
import shutil
import subprocess
import argparse
import json
from dataclasses import asdict, dataclass
from pathlib import Path

from rich.console import Console
from rich.table import Table

from lemmata.cli.options import add_lean_options, apply_lean_options
from lemmata.prover.languages import LANGUAGES


@dataclass(frozen=True)
class Component:
    name: str
    kind: str  # "checker", "solver", "library", "python"
    installed: bool
    version: str
    enables: str
    hint: str = ""

    def to_dict(self) -> dict[str, object]:
        return asdict(self)


def _binary_version(binary: str, args: list[str], pattern: str = r"(\d+(?:\.\d+)+)") -> tuple[bool, str]:
    path = shutil.which(binary)
    if path is None:
        return False, ""
    try:
        proc = subprocess.run([path, *args], capture_output=True, text=True, timeout=20)
        out = proc.stdout + proc.stderr
    except (OSError, subprocess.TimeoutExpired):
        return True, "unknown"
    m = re.search(pattern, out)
    return True, m[1] if m else "unknown"


def _python_package(dist: str) -> tuple[bool, str]:
    try:
        return True, importlib.metadata.version(dist)
    except importlib.metadata.PackageNotFoundError:
        return False, ""


def _coq_library(coq_lib: str | None, folder: str) -> bool:
    return bool(coq_lib) and (Path(coq_lib) / "user-contrib" / folder).is_dir()


def _coq_where() -> str | None:
    if shutil.which("coqc") is None:
        return None
    try:
        return subprocess.run(["coqc", "-where"], capture_output=True, text=True, timeout=20).stdout.strip() or None
    except (OSError, subprocess.TimeoutExpired):
        return None


APT = "sudo apt-get install "


_INSTALL_HINT = {"coq": APT + "coq", "lean": "lemmata setup lean"}


def diagnose() -> list[Component]:
    """One row per checker of the language table, Coq library, solver and Python package."""
    rows = []
    tools = set()
    for entry in LANGUAGES:
        if entry.verifier is None:
            continue
        status = entry.make_verifier().status()
        if status.name in tools:
            continue  # one tool checks several kinds of file (F*'s .fst and .fsti)
        tools.add(status.name)
        hint = status.detail if status.detail and not status.available else _INSTALL_HINT.get(entry.name, status.detail)
        rows.append(Component(entry.name, "checker", status.available, status.version, entry.enables, hint))
    coq_lib = _coq_where()
    rows += [
        Component("coquelicot", "library", _coq_library(coq_lib, "Coquelicot"), "",
                  "real analysis in Coq problems (miniF2F-rocq imports it)", APT + "libcoq-coquelicot"),
        Component("coq-hammer", "library", _coq_library(coq_lib, "Hammer"), "",
                  "the sauto/hammer automation tactics", APT + "libcoq-hammer"),
        Component("coq-interval", "library", _coq_library(coq_lib, "Interval"), "",
                  "the interval tactic: bounds with sqrt, ln, exp, PI", APT + "libcoq-interval"),
        Component("coqprime", "library", _coq_library(coq_lib, "Coqprime"), "",
                  "primality certificates for Coq goals", APT + "libcoq-coqprime"),
    ]
    for name, binary, args, kind, enables, hint in [
        ("dafny", "dafny", ["/version"], "checker", "Dafny program verification", APT + "dafny"),
        ("z3", "z3", ["--version"], "solver", "SMT fallback (command-line solver)", APT + "z3"),
        ("eprover", "eprover", ["--version"], "solver", "ATP backend of CoqHammer", APT + "eprover"),
        ("csdp", "csdp", [], "solver", "psatz's positivstellensatz certificates (Coq)", APT + "coinor-csdp"),
    ]:
        if any(e.name == name and e.verifier for e in LANGUAGES):
            continue  # its verifier reported it above
        installed, version = _binary_version(binary, args)
        rows.append(Component(name, kind, installed, version, enables, hint))
    for dist, enables in [
        ("z3-solver", "SMT fallback and `lemmata smt` with Z3"),
        ("cvc5", "SMT cross-checking with cvc5"),
        ("openai", "LLM backends (any OpenAI-compatible server)"),
        ("tenacity", "retries for LLM calls"),
        ("networkx", "the sub-lemma graph of decomposition"),
        ("sympy", "exact arithmetic and algebra in `lemmata steps`"),
        ("matplotlib", "plots in `lemmata report`"),
        ("ray", "distributed benchmark runs"),
        ("fastapi", "`lemmata serve`: the proof service's HTTP API"),
        ("uvicorn", "`lemmata serve`: the HTTP server"),
        ("prometheus-client", "`lemmata serve`: /metrics"),
        ("watchfiles", "`lemmata watch`: re-checks on every save"),
    ]:
        installed, version = _python_package(dist)
        rows.append(Component(dist, "python", installed, version, enables, f"pip install {dist}"))
    return rows


def add_parser(sub) -> None:
    doctor = sub.add_parser("doctor", help="list installed checkers, solvers and libraries")
    doctor.add_argument("--json", action="store_true", help="print the report as JSON")
    add_lean_options(doctor)


def run_doctor(args: argparse.Namespace, console: Console) -> int:
    apply_lean_options(args)
    rows = diagnose()
    if args.json:
        print(json.dumps([r.to_dict() for r in rows], indent=2))
        return 0
    table = Table(title="Lemmata doctor")
    for column in ("component", "kind", "status", "version", "enables"):
        table.add_column(column)
    for row in rows:
        status = "[green]installed[/]" if row.installed else f"[red]missing[/] [dim]({row.hint})[/]"
        table.add_row(row.name, row.kind, status, row.version, row.enables)
    console.print(table)
    return 0


__all__ = ["Component", "add_parser", "diagnose", "run_doctor"]
