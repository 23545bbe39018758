"""How the F* backend finds and runs ``fstar.exe``, from the environment.

``LEMMATA_FSTAR`` is the command (default ``fstar.exe``, then ``fstar``);
``LEMMATA_FSTAR_INCLUDE`` directories (``:``-separated) passed as
``--include`` (a project's other modules); ``LEMMATA_FSTAR_OPTIONS`` extra
options for every run (``--z3rlimit 20``); ``LEMMATA_FSTAR_MEMORY_MB`` an
address-space cap (none by default: Z3 and OCaml's runtime reserve far more
than they use).
"""

from __future__ import annotations

import functools
import os
import re
import shlex
import shutil
import subprocess
from dataclasses import dataclass

INSTALL_HINT = ("F* is not installed: get a release from https://github.com/FStarLang/FStar/releases (it bundles "
                "Z3), or 'opam install fstar'; put fstar.exe on PATH or set LEMMATA_FSTAR; then run 'lemmata doctor'.")


@dataclass(frozen=True)
class FStarConfig:
    command: tuple[str, ...] = ("fstar.exe",)
    include: tuple[str, ...] = ()
    options: tuple[str, ...] = ()
    timeout: float = 120.0  # one whole file
    startup_timeout: float = 120.0  # an IDE process loading a module's dependencies
    memory_mb: int | None = None

    @classmethod
    def from_env(cls) -> FStarConfig:
        env = os.environ
        if env.get("LEMMATA_FSTAR"):
            command = tuple(shlex.split(env["LEMMATA_FSTAR"]))
        else:
            command = ("fstar.exe",) if shutil.which("fstar.exe") or not shutil.which("fstar") else ("fstar",)
        memory = int(env.get("LEMMATA_FSTAR_MEMORY_MB", "0")) or None
        return cls(command=command,
                   include=tuple(p for p in env.get("LEMMATA_FSTAR_INCLUDE", "").split(os.pathsep) if p),
                   options=tuple(shlex.split(env.get("LEMMATA_FSTAR_OPTIONS", ""))), memory_mb=memory)

    def argv(self, *rest: str) -> list[str]:
        """The command line: the binary, every ``--include``, the configured options, then ``rest``."""
        includes = [arg for path in self.include for arg in ("--include", path)]
        return [*self.command, *includes, *self.options, *rest]


@functools.lru_cache(maxsize=8)
def fstar_version(command: tuple[str, ...]) -> str | None:
    """``"2025.03.25"`` or ``"0.9.6.0"`` from ``fstar.exe --version`` ("F* 2025.03.25"), or None when absent."""
    if shutil.which(command[0]) is None:
        return None
    try:
        done = subprocess.run([*command, "--version"], capture_output=True, text=True, timeout=60,
                              stdin=subprocess.DEVNULL)
    except (OSError, subprocess.TimeoutExpired):
        return None
    m = re.search(r"F\*\s+(?:version\s+)?v?([\w.~+-]+)", done.stdout + done.stderr)
    return m[1] if m else None


__all__ = ["FStarConfig", "INSTALL_HINT", "fstar_version"]
