"""How the Lean backend finds and runs the REPL, from the environment.

``LEMMATA_LEAN_PROJECT`` is the Lake project the REPL runs in (default: the
repository's ``lean/``); ``LEMMATA_LEAN_REPL`` the command (default ``lake env
repl``, run in that project, so that ``import Mathlib`` resolves);
``LEMMATA_LEAN_MEMORY_MB`` the resident size above which a REPL is replaced;
``LEMMATA_LEAN_MAX_COMMANDS`` how many commands one REPL runs before it is
replaced; ``LEMMATA_LEAN_POOL`` how many REPL processes the pool keeps.
"""

from __future__ import annotations

import os
import shlex
import shutil
from dataclasses import dataclass, field
from pathlib import Path

DEFAULT_PROJECT = Path(__file__).resolve().parents[2] / "lean"
INSTALL_HINT = ("Lean 4 is not installed: run 'lemmata setup lean' (installs elan, fetches Mathlib's cache and "
                "builds the REPL in lean/; needs internet), or set LEMMATA_LEAN_REPL to a REPL command")


@dataclass(frozen=True)
class LeanConfig:
    project: Path = DEFAULT_PROJECT
    command: tuple[str, ...] = ("lake", "env", "repl")
    memory_mb: int = 12_000
    max_commands: int = 2_000
    pool_size: int = 2
    timeout: float = 60.0
    startup_timeout: float = 600.0  # importing Mathlib the first time reads gigabytes of .olean files
    env: dict[str, str] = field(default_factory=dict)

    @classmethod
    def from_env(cls) -> LeanConfig:
        env = os.environ
        return cls(
            project=Path(env.get("LEMMATA_LEAN_PROJECT", DEFAULT_PROJECT)),
            command=tuple(shlex.split(env["LEMMATA_LEAN_REPL"])) if env.get("LEMMATA_LEAN_REPL") else cls.command,
            memory_mb=int(env.get("LEMMATA_LEAN_MEMORY_MB", cls.memory_mb)),
            max_commands=int(env.get("LEMMATA_LEAN_MAX_COMMANDS", cls.max_commands)),
            pool_size=int(env.get("LEMMATA_LEAN_POOL", cls.pool_size)),
        )

    def available(self) -> bool:
        return shutil.which(self.command[0]) is not None


__all__ = ["DEFAULT_PROJECT", "INSTALL_HINT", "LeanConfig"]
