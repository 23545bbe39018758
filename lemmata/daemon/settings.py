"""How the daemon runs, from flags and ``LEMMATA_SERVE_*`` environment variables."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from lemmata.verifiers.process import NO_NETWORK

DEFAULT_DB = Path(os.environ.get("LEMMATA_HOME", Path.home() / ".local" / "share" / "lemmata")) / "serve.db"


def _env(name: str, default: str) -> str:
    return os.environ.get(f"LEMMATA_SERVE_{name}", default)


@dataclass(frozen=True)
class ServeSettings:
    db: Path = DEFAULT_DB
    host: str = "127.0.0.1"
    port: int = 8765
    workers: int = 2
    executor: str = "local"  # "local": worker processes; "ray": Ray actors (ray_address: the cluster, None: local)
    ray_address: str | None = None
    max_queue: int = 1000  # queued jobs beyond which submissions get 429
    max_body_bytes: int = 4 * 1024 * 1024  # a request body larger than this gets 413
    max_job_seconds: float = 3600.0  # the longest time limit a job may ask for
    default_job_seconds: float = 600.0
    lease_seconds: float = 30.0  # a worker that stops renewing its lease this long loses its job
    max_attempts: int = 3  # a job whose worker died this many times fails
    warm_sessions: int = 4  # warm checker sessions each worker keeps between check jobs
    isolate_network: bool = True  # checkers of jobs start without network where the platform allows it
    worker_memory_mb: int | None = 16_384  # address-space cap of a worker process (its checkers have their own)

    def worker_env(self) -> dict[str, str]:
        """Environment variables a worker runs with, on top of the daemon's."""
        return {NO_NETWORK: "1"} if self.isolate_network else {}

    @classmethod
    def from_env(cls, **overrides) -> ServeSettings:
        values = dict(
            db=Path(_env("DB", str(DEFAULT_DB))),
            host=_env("HOST", cls.host),
            port=int(_env("PORT", str(cls.port))),
            workers=int(_env("WORKERS", str(cls.workers))),
            executor=_env("EXECUTOR", cls.executor),
            ray_address=os.environ.get("LEMMATA_SERVE_RAY_ADDRESS") or None,
            max_queue=int(_env("MAX_QUEUE", str(cls.max_queue))),
            max_body_bytes=int(_env("MAX_BODY_BYTES", str(cls.max_body_bytes))),
            max_job_seconds=float(_env("MAX_JOB_SECONDS", str(cls.max_job_seconds))),
            lease_seconds=float(_env("LEASE_SECONDS", str(cls.lease_seconds))),
            warm_sessions=int(_env("WARM_SESSIONS", str(cls.warm_sessions))),
            isolate_network=_env("ISOLATE_NETWORK", "1") not in ("0", "false", "no"),
        )
        values.update({k: v for k, v in overrides.items() if v is not None})
        return cls(**values)


__all__ = ["DEFAULT_DB", "ServeSettings"]
