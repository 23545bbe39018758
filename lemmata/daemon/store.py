"""The durable job queue: jobs, their events and results, and the API tokens, in one SQLite file (WAL).

A job is ``queued`` until a worker claims it with a fresh lease (``running``);
the worker renews the lease while it works and writes the result with the
same lease, in one transaction that also records the ``finished`` event. A
job whose worker died goes back to ``queued`` with a new lease, so a late
write of the old worker is refused: every job's result is written once,
however often it ran. Every method opens its own short transaction, so the
API process and the worker processes can share the file.
"""

from __future__ import annotations

import hashlib
import json
import secrets
import sqlite3
import time
import uuid
from collections.abc import Collection, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

TERMINAL = ("done", "failed", "cancelled")
SCHEMA = """
CREATE TABLE IF NOT EXISTS tokens (
    name TEXT PRIMARY KEY, hash TEXT UNIQUE NOT NULL, created REAL NOT NULL);
CREATE TABLE IF NOT EXISTS jobs (
    id TEXT PRIMARY KEY, owner TEXT NOT NULL, kind TEXT NOT NULL, request TEXT NOT NULL,
    status TEXT NOT NULL, idempotency_key TEXT, timeout REAL NOT NULL,
    created REAL NOT NULL, started REAL, finished REAL,
    lease TEXT, lease_until REAL, worker TEXT, attempts INTEGER NOT NULL DEFAULT 0,
    cancel_requested INTEGER NOT NULL DEFAULT 0, result TEXT, error TEXT,
    UNIQUE (owner, idempotency_key));
CREATE INDEX IF NOT EXISTS jobs_by_status ON jobs (status, created);
CREATE INDEX IF NOT EXISTS jobs_by_owner ON jobs (owner, created);
CREATE TABLE IF NOT EXISTS workers (
    name TEXT PRIMARY KEY, pid INTEGER NOT NULL, job TEXT, sessions TEXT NOT NULL, seen REAL NOT NULL);
CREATE TABLE IF NOT EXISTS events (
    job TEXT NOT NULL, seq INTEGER NOT NULL, t REAL NOT NULL, kind TEXT NOT NULL, data TEXT NOT NULL,
    PRIMARY KEY (job, seq));
"""


AFFINITY_WINDOW = 64


class QueueFull(Exception):
    """More jobs are queued than the daemon accepts."""


@dataclass(frozen=True)
class Job:
    id: str
    owner: str
    kind: str
    request: dict[str, Any]
    status: str
    timeout: float
    created: float
    started: float | None
    finished: float | None
    lease: str | None
    worker: str | None
    attempts: int
    cancel_requested: bool
    result: Any
    error: str | None

    def view(self) -> dict[str, Any]:
        """What the API shows of the job (the request is the client's own, so it is left out)."""
        return {"id": self.id, "kind": self.kind, "status": self.status, "created": self.created,
                "started": self.started, "finished": self.finished, "attempts": self.attempts,
                "result": self.result, "error": self.error}


def _job(row: sqlite3.Row) -> Job:
    return Job(id=row["id"], owner=row["owner"], kind=row["kind"], request=json.loads(row["request"]),
               status=row["status"], timeout=row["timeout"], created=row["created"], started=row["started"],
               finished=row["finished"], lease=row["lease"], worker=row["worker"], attempts=row["attempts"],
               cancel_requested=bool(row["cancel_requested"]),
               result=json.loads(row["result"]) if row["result"] is not None else None, error=row["error"])


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


class Store:
    def __init__(self, path: Path) -> None:
        self.path = Path(path)
        self.path.parent.mkdir(parents=True, exist_ok=True)
        with self._connection() as db:
            db.execute("PRAGMA journal_mode=WAL")
            db.executescript(SCHEMA)
            columns = {r["name"] for r in db.execute("PRAGMA table_info(jobs)")}
            if "session_key" not in columns:  # a store written before jobs were routed to warm sessions
                db.execute("ALTER TABLE jobs ADD COLUMN session_key TEXT")

    @contextmanager
    def _connection(self) -> Iterator[sqlite3.Connection]:
        db = sqlite3.connect(self.path, timeout=30, isolation_level=None)
        db.row_factory = sqlite3.Row
        db.execute("PRAGMA busy_timeout=30000")
        db.execute("PRAGMA synchronous=NORMAL")
        try:
            yield db
        finally:
            db.close()

    @contextmanager
    def _transaction(self) -> Iterator[sqlite3.Connection]:
        with self._connection() as db:
            db.execute("BEGIN IMMEDIATE")
            try:
                yield db
            except BaseException:
                db.execute("ROLLBACK")
                raise
            db.execute("COMMIT")

    # -- tokens ---------------------------------------------------------------
    def create_token(self, name: str) -> str:
        """A new bearer token for ``name`` (only its hash is kept); raises ``ValueError`` if the name exists."""
        token = "lmt_" + secrets.token_urlsafe(32)
        try:
            with self._transaction() as db:
                db.execute("INSERT INTO tokens VALUES (?, ?, ?)", (name, token_hash(token), time.time()))
        except sqlite3.IntegrityError:
            raise ValueError(f"a token named {name!r} exists already") from None
        return token

    def owner_of(self, token: str) -> str | None:
        with self._connection() as db:
            row = db.execute("SELECT name FROM tokens WHERE hash = ?", (token_hash(token),)).fetchone()
        return row["name"] if row else None

    # -- jobs, as the API sees them -------------------------------------------
    def submit(self, owner: str, kind: str, request: dict[str, Any], *, timeout: float, max_queue: int,
               idempotency_key: str | None = None, session_key: str | None = None) -> tuple[Job, bool]:
        """(the job, whether it is new): a retried submission with the same key returns the first one.

        ``session_key``: the warm session that can run the job, so a worker holding it open takes it first."""
        with self._transaction() as db:
            if idempotency_key is not None:
                row = db.execute("SELECT * FROM jobs WHERE owner = ? AND idempotency_key = ?",
                                 (owner, idempotency_key)).fetchone()
                if row is not None:
                    return _job(row), False
            queued = db.execute("SELECT COUNT(*) FROM jobs WHERE status = 'queued'").fetchone()[0]
            if queued >= max_queue:
                raise QueueFull(f"{queued} jobs are queued (the limit is {max_queue})")
            job_id = uuid.uuid4().hex
            now = time.time()
            db.execute("INSERT INTO jobs (id, owner, kind, request, status, idempotency_key, timeout, created, "
                       "session_key) VALUES (?, ?, ?, ?, 'queued', ?, ?, ?, ?)",
                       (job_id, owner, kind, json.dumps(request), idempotency_key, timeout, now, session_key))
            self._event(db, job_id, "queued", {})
            row = db.execute("SELECT * FROM jobs WHERE id = ?", (job_id,)).fetchone()
        return _job(row), True

    def get(self, job_id: str, owner: str | None = None) -> Job | None:
        """The job, or None when there is none (or it is not ``owner``'s)."""
        with self._connection() as db:
            row = db.execute("SELECT * FROM jobs WHERE id = ?", (job_id,)).fetchone()
        if row is None or (owner is not None and row["owner"] != owner):
            return None
        return _job(row)

    def list(self, owner: str, *, status: str | None = None, limit: int = 100) -> list[Job]:
        query = "SELECT * FROM jobs WHERE owner = ?" + (" AND status = ?" if status else "")
        args = (owner, status) if status else (owner,)
        with self._connection() as db:
            rows = db.execute(query + " ORDER BY created DESC LIMIT ?", (*args, limit)).fetchall()
        return [_job(r) for r in rows]

    def cancel(self, job_id: str, owner: str) -> Job | None:
        """A queued job is cancelled at once; a running one is marked, and the supervisor stops its worker."""
        with self._transaction() as db:
            row = db.execute("SELECT status FROM jobs WHERE id = ? AND owner = ?", (job_id, owner)).fetchone()
            if row is None:
                return None
            if row["status"] == "queued":
                db.execute("UPDATE jobs SET status = 'cancelled', finished = ?, lease = NULL WHERE id = ?",
                           (time.time(), job_id))
                self._event(db, job_id, "finished", {"status": "cancelled"})
            elif row["status"] == "running":
                db.execute("UPDATE jobs SET cancel_requested = 1 WHERE id = ?", (job_id,))
        return self.get(job_id)

    # -- events ---------------------------------------------------------------
    @staticmethod
    def _event(db: sqlite3.Connection, job_id: str, kind: str, data: dict[str, Any]) -> None:
        seq = db.execute("SELECT COALESCE(MAX(seq), 0) + 1 FROM events WHERE job = ?", (job_id,)).fetchone()[0]
        db.execute("INSERT INTO events VALUES (?, ?, ?, ?, ?)",
                   (job_id, seq, time.time(), kind, json.dumps(data, default=str)))

    def event(self, job_id: str, lease: str, kind: str, data: dict[str, Any]) -> bool:
        """Record a progress event of a running job; False when ``lease`` no longer holds it."""
        with self._transaction() as db:
            held = db.execute("SELECT 1 FROM jobs WHERE id = ? AND lease = ? AND status = 'running'",
                              (job_id, lease)).fetchone()
            if held:
                self._event(db, job_id, kind, data)
        return bool(held)

    def events(self, job_id: str, after: int = 0, limit: int = 500) -> list[dict[str, Any]]:
        with self._connection() as db:
            rows = db.execute("SELECT seq, t, kind, data FROM events WHERE job = ? AND seq > ? ORDER BY seq LIMIT ?",
                              (job_id, after, limit)).fetchall()
        return [{"seq": r["seq"], "t": r["t"], "event": r["kind"], "data": json.loads(r["data"])} for r in rows]

    # -- jobs, as workers and the supervisor see them ------------------------------
    def claim(self, worker: str, lease_seconds: float, warm: Collection[str] = ()) -> Job | None:
        """A queued job, now running under a fresh lease held by ``worker``: among the ``AFFINITY_WINDOW``
        oldest, the oldest one a session in ``warm`` (the worker's open session keys) can run, else the oldest.

        The window bounds how long a job can be passed over for others that find a warm session."""
        with self._transaction() as db:
            rows = db.execute("SELECT id, session_key FROM jobs WHERE status = 'queued' ORDER BY created LIMIT ?",
                              (AFFINITY_WINDOW if warm else 1,)).fetchall()
            if not rows:
                return None
            row = next((r for r in rows if r["session_key"] in warm), rows[0])
            now = time.time()
            db.execute("UPDATE jobs SET status = 'running', lease = ?, lease_until = ?, worker = ?, started = ?, "
                       "attempts = attempts + 1 WHERE id = ?",
                       (uuid.uuid4().hex, now + lease_seconds, worker, now, row["id"]))
            job = _job(db.execute("SELECT * FROM jobs WHERE id = ?", (row["id"],)).fetchone())
            self._event(db, job.id, "started", {"worker": worker, "attempt": job.attempts})
        return job

    def renew(self, job_id: str, lease: str, lease_seconds: float) -> bool:
        with self._transaction() as db:
            done = db.execute("UPDATE jobs SET lease_until = ? WHERE id = ? AND lease = ? AND status = 'running'",
                              (time.time() + lease_seconds, job_id, lease))
        return done.rowcount == 1

    def finish(self, job_id: str, lease: str | None, status: str, *, result: Any = None,
               error: str | None = None) -> bool:
        """Write the outcome once: refused (False) unless ``lease`` still holds the running job
        (``lease=None``: the supervisor's word, for whatever lease holds it)."""
        with self._transaction() as db:
            held = "lease IS NOT NULL" if lease is None else "lease = ?"
            args = () if lease is None else (lease,)
            done = db.execute(f"UPDATE jobs SET status = ?, result = ?, error = ?, finished = ?, lease = NULL "
                              f"WHERE id = ? AND status = 'running' AND {held}",
                              (status, json.dumps(result) if result is not None else None, error, time.time(),
                               job_id, *args))
            if done.rowcount == 1:
                self._event(db, job_id, "finished", {"status": status, "error": error})
        return done.rowcount == 1

    def requeue(self, job_id: str, why: str, max_attempts: int) -> None:
        """A running job whose worker is gone: queued again, or failed after ``max_attempts`` tries."""
        with self._transaction() as db:
            row = db.execute("SELECT attempts FROM jobs WHERE id = ? AND status = 'running'", (job_id,)).fetchone()
            if row is None:
                return
            if row["attempts"] >= max_attempts:
                db.execute("UPDATE jobs SET status = 'failed', error = ?, finished = ?, lease = NULL WHERE id = ?",
                           (f"{why}, {row['attempts']} times", time.time(), job_id))
                self._event(db, job_id, "finished", {"status": "failed", "error": why})
            else:
                db.execute("UPDATE jobs SET status = 'queued', lease = NULL, lease_until = NULL, worker = NULL "
                           "WHERE id = ?", (job_id,))
                self._event(db, job_id, "requeued", {"why": why})

    def running(self) -> list[Job]:
        with self._connection() as db:
            rows = db.execute("SELECT * FROM jobs WHERE status = 'running'").fetchall()
        return [_job(r) for r in rows]

    def expired(self, now: float | None = None) -> list[Job]:
        with self._connection() as db:
            rows = db.execute("SELECT * FROM jobs WHERE status = 'running' AND lease_until < ?",
                              (now or time.time(),)).fetchall()
        return [_job(r) for r in rows]

    def recent(self, limit: int = 20) -> list[Job]:
        """The jobs that ended last, newest first."""
        with self._connection() as db:
            rows = db.execute("SELECT * FROM jobs WHERE finished IS NOT NULL ORDER BY finished DESC LIMIT ?",
                              (limit,)).fetchall()
        return [_job(r) for r in rows]

    def last_event(self, job_id: str) -> dict[str, Any] | None:
        with self._connection() as db:
            row = db.execute("SELECT seq, t, kind, data FROM events WHERE job = ? ORDER BY seq DESC LIMIT 1",
                             (job_id,)).fetchone()
        return {"seq": row["seq"], "t": row["t"], "event": row["kind"], "data": json.loads(row["data"])} if row else None

    def finished_since(self, since: float) -> int:
        with self._connection() as db:
            return db.execute("SELECT COUNT(*) FROM jobs WHERE finished >= ?", (since,)).fetchone()[0]

    # -- workers -----------------------------------------------------------------
    def heartbeat(self, worker: str, pid: int, job: str | None, sessions: list[dict[str, Any]]) -> None:
        """A worker's word that it lives, what it runs and which warm sessions it holds."""
        with self._transaction() as db:
            db.execute("INSERT OR REPLACE INTO workers VALUES (?, ?, ?, ?, ?)",
                       (worker, pid, job, json.dumps(sessions), time.time()))

    def workers(self, since: float = 0.0) -> list[dict[str, Any]]:
        """Workers heard from since ``since``, by name."""
        with self._connection() as db:
            rows = db.execute("SELECT * FROM workers WHERE seen >= ? ORDER BY name", (since,)).fetchall()
        return [{"name": r["name"], "pid": r["pid"], "job": r["job"], "sessions": json.loads(r["sessions"]),
                 "seen": r["seen"]} for r in rows]

    def counts(self) -> dict[tuple[str, str], int]:
        """(kind, status) -> how many jobs, for the metrics and the health check."""
        with self._connection() as db:
            rows = db.execute("SELECT kind, status, COUNT(*) AS n FROM jobs GROUP BY kind, status").fetchall()
        return {(r["kind"], r["status"]): r["n"] for r in rows}


__all__ = ["AFFINITY_WINDOW", "Job", "QueueFull", "Store", "TERMINAL", "token_hash"]
