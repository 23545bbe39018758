"""Configuration of the Dafny backend, overridable from the environment, and the command line for each version.

``LEMMATA_DAFNY`` names the binary, ``LEMMATA_DAFNY_TIME_LIMIT`` the seconds
one assertion batch (a procedure) may take, ``LEMMATA_DAFNY_MEMORY_MB`` caps
the address space (None by default: Dafny 2.x runs on Mono, which reserves
far more address space than it uses).
"""

from __future__ import annotations

import functools
import os
import re
import shutil
import subprocess
from dataclasses import dataclass

INSTALL_HINT = ("Install Dafny: on Debian/Ubuntu 'sudo apt-get install dafny' (2.3), or Dafny 4 from "
                "https://github.com/dafny-lang/dafny/releases ('dafny verify'); then run 'lemmata doctor'.")


@dataclass(frozen=True)
class DafnyConfig:
    dafny: str = "dafny"
    timeout: float = 120.0  # the whole file
    time_limit: int = 20  # one assertion batch (2.x /timeLimit, 4.x --verification-time-limit)
    memory_mb: int | None = None

    @classmethod
    def from_env(cls, **overrides: object) -> DafnyConfig:
        env = os.environ
        values: dict[str, object] = {"dafny": env.get("LEMMATA_DAFNY", "dafny")}
        if env.get("LEMMATA_DAFNY_TIME_LIMIT"):
            values["time_limit"] = int(env["LEMMATA_DAFNY_TIME_LIMIT"])
        if env.get("LEMMATA_DAFNY_MEMORY_MB"):
            values["memory_mb"] = int(env["LEMMATA_DAFNY_MEMORY_MB"]) or None
        values.update({k: v for k, v in overrides.items() if v is not None})
        return cls(**values)  # type: ignore[arg-type]


@functools.lru_cache(maxsize=8)
def dafny_version(binary: str) -> str | None:
    """``"2.3.0.10506"``, ``"4.11.0"``..., or None when the binary is not there or says nothing we know."""
    path = shutil.which(binary)
    if path is None:
        return None
    for flag in ("--version", "/version"):  # 4.x answers the first; 2.x prints its banner for either
        try:
            done = subprocess.run([path, flag], capture_output=True, text=True, timeout=60, stdin=subprocess.DEVNULL)
        except (OSError, subprocess.TimeoutExpired):
            return None
        text = done.stdout + done.stderr
        if m := re.search(r"Dafny (\d+(?:\.\d+)+)", text) or re.match(r"\s*(\d+\.\d+(?:\.\d+)*)", text):
            return m[1]
    return None


def major(version: str) -> int:
    return int(version.split(".")[0])


def command(binary: str, version: str, file_name: str, time_limit: int) -> list[str]:
    """The command that verifies ``file_name`` (and compiles nothing), for this Dafny version."""
    if major(version) >= 4:
        return [binary, "verify", "--verification-time-limit", str(time_limit), "--cores", "1", file_name]
    # /trace announces every procedure and its outcome: the per-member report
    return [binary, "/compile:0", "/trace", f"/timeLimit:{time_limit}", "/vcsCores:1", file_name]


__all__ = ["INSTALL_HINT", "DafnyConfig", "command", "dafny_version", "major"]
