"""Configuration of the Coq backend, overridable from the environment.

``LEMMATA_COQC`` / ``LEMMATA_COQTOP`` name the binaries, ``LEMMATA_COQ_FLAGS``
adds load-path flags (``-Q dir Lib``) for users' own libraries, and
``LEMMATA_COQ_MEMORY_MB`` caps a checker's address space.
"""

from __future__ import annotations

import os
import shlex
from dataclasses import dataclass, field

from lemmata.verifiers.coq.axioms import ALLOWED_AXIOMS

INSTALL_HINT = (
    "Install Coq 8.16 or newer: on Debian/Ubuntu 'sudo apt-get install coq libcoq-coquelicot libcoq-hammer', "
    "or 'opam install coq'; then run 'lemmata doctor'."
)


@dataclass(frozen=True)
class CoqConfig:
    coqc: str = "coqc"
    coqtop: str = "coqtop"
    flags: tuple[str, ...] = ()
    timeout: float = 60.0
    memory_mb: int | None = 8192
    allowed_axioms: frozenset[str] = field(default=ALLOWED_AXIOMS)

    @classmethod
    def from_env(cls, **overrides: object) -> CoqConfig:
        env = os.environ
        values: dict[str, object] = {
            "coqc": env.get("LEMMATA_COQC", "coqc"),
            "coqtop": env.get("LEMMATA_COQTOP", "coqtop"),
            "flags": tuple(shlex.split(env.get("LEMMATA_COQ_FLAGS", ""))),
        }
        if env.get("LEMMATA_COQ_MEMORY_MB"):
            values["memory_mb"] = int(env["LEMMATA_COQ_MEMORY_MB"]) or None
        values.update({k: v for k, v in overrides.items() if v is not None})
        return cls(**values)  # type: ignore[arg-type]
