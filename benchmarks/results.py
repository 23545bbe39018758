"""The results file of a benchmark run: one JSON line per attempt at a problem.

Lines are appended and flushed one at a time, so an interrupted run leaves a
valid file (at worst its last line is cut, and reading skips it), and a new
run with the same ``--out`` resumes: attempts already recorded are not run
again.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

from pydantic import BaseModel, Field, ValidationError


class ResultRecord(BaseModel):
    problem: str
    suite: str
    split: str
    attempt: int = 0
    status: str  # proved / smt-proved / disproved / failed / error
    found_by: str | None = None
    proof: str | None = None
    reason: str | None = None
    samples: int = 0
    checks: int = 0
    tokens: int = 0
    cost_usd: float = 0.0
    seconds: float = 0.0
    model: str | None = None
    checker: str = ""
    lemmata: str = ""
    stages: list[dict] = Field(default_factory=list)
    usage: dict[str, float] = Field(default_factory=dict)  # requests, samples, tokens, abandoned, generating_seconds
    throughput: dict[str, float] = Field(default_factory=dict)  # wall seconds the server, the checker, neither were busy

    @property
    def key(self) -> tuple[str, int]:
        return (self.problem, self.attempt)


def read_results(path: Path) -> list[ResultRecord]:
    """Every complete record of ``path`` (none if it does not exist)."""
    if not path.exists():
        return []
    records = []
    for line in path.read_text(encoding="utf-8").splitlines():
        if not line.strip():
            continue
        try:
            records.append(ResultRecord.model_validate_json(line))
        except ValidationError:
            continue  # a line cut short by a kill: that attempt runs again
    return records


class ResultsWriter:
    def __init__(self, path: Path) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        self._repair_tail(path)
        self._file = path.open("a", encoding="utf-8")

    @staticmethod
    def _repair_tail(path: Path) -> None:
        """A file whose last line was cut gets its newline back, so the next record starts clean."""
        if path.exists() and path.stat().st_size:
            with path.open("rb+") as f:
                f.seek(-1, os.SEEK_END)
                if f.read(1) != b"\n":
                    f.write(b"\n")

    def write(self, record: ResultRecord) -> None:
        self._file.write(json.dumps(record.model_dump(mode="json"), ensure_ascii=False) + "\n")
        self._file.flush()
        os.fsync(self._file.fileno())

    def close(self) -> None:
        self._file.close()


__all__ = ["ResultRecord", "ResultsWriter", "read_results"]
