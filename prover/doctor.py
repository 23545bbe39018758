"""`lemmata doctor`: which checkers, solvers and libraries this machine has, and what each enables."""

from __future__ import annotations

import importlib.metadata
import re
import shutil
import subprocess
from dataclasses import asdict, dataclass
from pathlib import Path

from verifiers.coq import CoqVerifier


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


def diagnose() -> list[Component]:
    coq = CoqVerifier().status()
    coq_lib = _coq_where()
    rows = [
        Component("coq", "checker", coq.available, coq.version,
                  "lemmata check/prove on .v files (coqc one-shot, coqtop warm sessions)", APT + "coq"),
        Component("coquelicot", "library", _coq_library(coq_lib, "Coquelicot"), "",
                  "real analysis in Coq problems (miniF2F-rocq imports it)", APT + "libcoq-coquelicot"),
        Component("coq-hammer", "library", _coq_library(coq_lib, "Hammer"), "",
                  "the sauto/hammer automation tactics", APT + "libcoq-hammer"),
    ]
    for name, binary, args, kind, enables, hint in [
        ("lean", "lake", ["--version"], "checker", "Lean 4 checks through the REPL", "lemmata setup lean"),
        ("dafny", "dafny", ["/version"], "checker", "Dafny program verification", APT + "dafny"),
        ("fstar", "fstar.exe", ["--version"], "checker", "F* checks", "install F* from its releases"),
        ("z3", "z3", ["--version"], "solver", "SMT fallback (command-line solver)", APT + "z3"),
        ("eprover", "eprover", ["--version"], "solver", "ATP backend of CoqHammer", APT + "eprover"),
    ]:
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
        ("fastapi", "the proof-repair daemon's HTTP API"),
    ]:
        installed, version = _python_package(dist)
        rows.append(Component(dist, "python", installed, version, enables, f"pip install {dist}"))
    return rows
