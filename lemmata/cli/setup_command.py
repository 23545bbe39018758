"""`lemmata setup lean`: the Lean toolchain, Mathlib's build cache and the REPL, for the Lean backend.

Steps, each skipped when already done: elan (the Lean version manager), the
toolchain ``lean/lean-toolchain`` names, Mathlib's prebuilt ``.olean`` cache
(``lake exe cache get``), the REPL (``lake build repl``) and the trusted
checker that gives every Lean proof its final word (``lake build
lemmata-check``, ``lean/LemmataCheck.lean``); then one REPL
command proves the result works. Every step needs the internet except the
last two once their downloads are there; when a step cannot run, the command
stops and says exactly what is missing and how to do it by hand.
"""

from __future__ import annotations

import argparse
import os
import shutil
import signal
import subprocess
import tempfile
import urllib.request
from pathlib import Path

from rich.console import Console

from lemmata.verifiers.errors import LemmataError
from lemmata.verifiers.lean.config import DEFAULT_PROJECT

ELAN_URL = os.environ.get("LEMMATA_ELAN_URL", "https://raw.githubusercontent.com/leanprover/elan/master/elan-init.sh")
MANUAL = """To do it by hand (needs the internet):
  curl -sSf {url} | sh -s -- -y --default-toolchain none
  cd {project} && lake exe cache get && lake build repl lemmata-check"""


def add_parser(sub) -> None:
    setup = sub.add_parser("setup", help="install what a backend needs (today: lean)",
                           description="Install the Lean 4 toolchain with elan, fetch Mathlib's cache and build "
                                       "the REPL in the Lake project, then check that the REPL answers.")
    setup.add_argument("component", choices=["lean"])
    setup.add_argument("--project", type=Path, default=DEFAULT_PROJECT, help="the Lake project (default: lean/)")
    setup.add_argument("--dry-run", action="store_true", help="say what would be done, do nothing")


def _elan() -> str | None:
    found = shutil.which("elan")
    home = Path(os.environ.get("ELAN_HOME", "~/.elan")).expanduser() / "bin" / "elan"
    return found or (str(home) if home.is_file() else None)


def _step(console: Console, argv: list[str], cwd: Path, timeout: float, env: dict[str, str]) -> None:
    console.print(f"$ {' '.join(argv)}", markup=False)
    proc = subprocess.Popen(argv, cwd=cwd, env=env, start_new_session=True)
    try:
        code = proc.wait(timeout=timeout)
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, signal.SIGKILL)
        proc.wait()
        raise LemmataError(f"{' '.join(argv)} did not finish in {timeout:g} s") from None
    except BaseException:
        os.killpg(proc.pid, signal.SIGKILL)
        proc.wait()
        raise
    if code != 0:
        raise LemmataError(f"{' '.join(argv)} failed with exit code {code}")


def run_setup(args: argparse.Namespace, console: Console) -> int:
    project = args.project.resolve()
    manual = MANUAL.format(url=ELAN_URL, project=project)
    if not (project / "lean-toolchain").is_file():
        raise LemmataError(f"{project} is not a Lake project (no lean-toolchain)")
    elan = _elan()
    plan = ([] if elan else ["install elan"]) + ["install the toolchain in lean-toolchain (lake does it)",
                                                  "lake exe cache get", "lake build repl lemmata-check"]
    if args.dry_run:
        console.print("would: " + "; ".join(plan), markup=False)
        return 0
    env = dict(os.environ)
    if elan is None:
        try:
            with urllib.request.urlopen(ELAN_URL, timeout=30) as response:
                script = response.read()
        except OSError as exc:
            raise LemmataError(f"elan is not installed and cannot be downloaded from {ELAN_URL} ({exc}).\n"
                               f"Missing: elan, the Lean toolchain, Mathlib's cache, the REPL build.\n{manual}") from None
        with tempfile.NamedTemporaryFile("wb", suffix=".sh", delete=False) as handle:
            handle.write(script)
        try:
            _step(console, ["sh", handle.name, "-y", "--default-toolchain", "none"], project, 900, env)
        finally:
            os.unlink(handle.name)
        elan = _elan()
        if elan is None:
            raise LemmataError(f"elan installed but not found on PATH or in ~/.elan/bin.\n{manual}")
    env["PATH"] = f"{Path(elan).parent}{os.pathsep}{env.get('PATH', '')}"
    lake = shutil.which("lake", path=env["PATH"]) or "lake"
    _step(console, [lake, "exe", "cache", "get"], project, 3600, env)
    _step(console, [lake, "build", "repl", "lemmata-check"], project, 3600, env)
    console.print(f"Lean is ready in {project}: `lemmata doctor` lists it, `lemmata check FILE.lean` uses it.",
                  markup=False)
    return 0


__all__ = ["add_parser", "run_setup"]
