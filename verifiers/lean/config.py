"""How the Lean backend finds and runs the REPL, from the environment.

``LEMMATA_LEAN_PROJECT`` is the Lake project the REPL runs in (default: the
repository's ``lean/``); ``LEMMATA_LEAN_REPL`` the command (default ``lake env
repl``, run in that project, so that ``import Mathlib`` resolves);
``LEMMATA_LEAN_MEMORY_MB`` the resident size above which a REPL is replaced;
``LEMMATA_LEAN_MAX_COMMANDS`` how many commands one REPL runs before it is
replaced; ``LEMMATA_LEAN_POOL`` how many REPL processes the pool keeps;
``LEMMATA_LEAN_ALLOW`` a comma-separated list of constructs the lexical audit
refuses by default but this deployment accepts (as refusals name them, e.g.
``Lean,dbg_trace``). The trusted final check compiles with
``LEMMATA_LEAN_COMPILE`` (default ``lake env lean``) and runs
``LEMMATA_LEAN_TRUSTED`` (default ``lake env .lake/build/bin/lemmata-check``,
built by ``lemmata setup lean``).

``LEMMATA_LEAN_CHECKER`` picks where checks go: ``repl`` (default: the REPL
processes above), ``kimina`` (a Kimina Lean Server at
``LEMMATA_KIMINA_URL``, key in ``LEMMATA_KIMINA_API_KEY``, at most
``LEMMATA_KIMINA_IN_FLIGHT`` requests at once) or ``dojo`` (LeanDojo, for
theorems of a traced repository).
"""

from __future__ import annotations

import os
import shlex
import shutil
from dataclasses import dataclass, field
from pathlib import Path

DEFAULT_PROJECT = Path(__file__).resolve().parents[2] / "lean"
TRUSTED_BINARY = Path(".lake") / "build" / "bin" / "lemmata-check"
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
    allow: frozenset[str] = frozenset()  # constructs the lexical audit lets through (dsl.lean.source.findings)
    compile_command: tuple[str, ...] = ("lake", "env", "lean")  # + "-o OUT.olean IN.lean", run in the project
    trusted_command: tuple[str, ...] | None = None  # None: the project's built lemmata-check, through lake env
    checker: str = "repl"  # repl, kimina or dojo
    kimina_url: str | None = None
    kimina_api_key: str | None = None
    kimina_in_flight: int = 8

    @property
    def trusted_argv(self) -> tuple[str, ...]:
        """The command of the trusted final check (``lean/LemmataCheck.lean``)."""
        return self.trusted_command or ("lake", "env", str(self.project / TRUSTED_BINARY))

    def trusted_available(self) -> bool:
        if self.trusted_command is not None:
            return shutil.which(self.trusted_command[0]) is not None
        return (self.project / TRUSTED_BINARY).is_file() and self.available()

    @classmethod
    def from_env(cls) -> LeanConfig:
        env = os.environ
        return cls(
            project=Path(env.get("LEMMATA_LEAN_PROJECT", DEFAULT_PROJECT)),
            command=tuple(shlex.split(env["LEMMATA_LEAN_REPL"])) if env.get("LEMMATA_LEAN_REPL") else cls.command,
            memory_mb=int(env.get("LEMMATA_LEAN_MEMORY_MB", cls.memory_mb)),
            max_commands=int(env.get("LEMMATA_LEAN_MAX_COMMANDS", cls.max_commands)),
            pool_size=int(env.get("LEMMATA_LEAN_POOL", cls.pool_size)),
            allow=frozenset(a.strip() for a in env.get("LEMMATA_LEAN_ALLOW", "").split(",") if a.strip()),
            compile_command=tuple(shlex.split(env["LEMMATA_LEAN_COMPILE"])) if env.get("LEMMATA_LEAN_COMPILE")
            else cls.compile_command,
            trusted_command=tuple(shlex.split(env["LEMMATA_LEAN_TRUSTED"])) if env.get("LEMMATA_LEAN_TRUSTED") else None,
            checker=env.get("LEMMATA_LEAN_CHECKER", "repl").lower(),
            kimina_url=env.get("LEMMATA_KIMINA_URL") or None,
            kimina_api_key=env.get("LEMMATA_KIMINA_API_KEY") or None,
            kimina_in_flight=int(env.get("LEMMATA_KIMINA_IN_FLIGHT", cls.kimina_in_flight)),
        )

    def available(self) -> bool:
        return shutil.which(self.command[0]) is not None


CHECKERS = ("repl", "kimina", "dojo")

__all__ = ["CHECKERS", "DEFAULT_PROJECT", "INSTALL_HINT", "LeanConfig", "TRUSTED_BINARY"]
