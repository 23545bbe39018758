"""The job store on its own: leases, exactly-once results, re-queueing, idempotency, back-pressure, tokens."""

import sqlite3
import time

import pytest

from lemmata.daemon.store import QueueFull, Store


@pytest.fixture
def store(tmp_path):
    return Store(tmp_path / "jobs.db")


def submit(store, n=1, **kwargs):
    return [store.submit("alice", "check", {"i": i}, timeout=60, max_queue=100, **kwargs)[0] for i in range(n)]


def test_a_result_is_written_once_under_the_lease_that_holds_the_job(store):
    (job,) = submit(store)
    first = store.claim("w0", 30)
    assert first.id == job.id and first.status == "running" and first.attempts == 1
    store.requeue(job.id, "its worker died", max_attempts=3)
    second = store.claim("w1", 30)
    assert second.lease != first.lease and second.attempts == 2
    assert not store.finish(job.id, first.lease, "done", result={"from": "the dead worker"})  # stale lease
    assert store.finish(job.id, second.lease, "done", result={"from": "w1"})
    assert not store.finish(job.id, second.lease, "done", result={"again": True})  # never twice
    done = store.get(job.id)
    assert done.status == "done" and done.result == {"from": "w1"}
    assert [e["event"] for e in store.events(job.id)] == ["queued", "started", "requeued", "started", "finished"]


def test_a_job_whose_workers_keep_dying_fails_after_its_attempts(store):
    (job,) = submit(store)
    for _ in range(2):
        store.claim("w0", 30)
        store.requeue(job.id, "its worker died", max_attempts=2)
    failed = store.get(job.id)
    assert failed.status == "failed" and failed.error == "its worker died, 2 times"


def test_leases_expire_unless_renewed(store):
    (job,) = submit(store)
    claimed = store.claim("w0", 0.2)
    assert store.expired() == []
    time.sleep(0.3)
    assert [j.id for j in store.expired()] == [job.id]
    assert store.renew(job.id, claimed.lease, 30) and store.expired() == []
    assert not store.renew(job.id, "not-the-lease", 30)


def test_idempotency_keys_belong_to_their_owner_and_the_queue_is_bounded(store):
    job, created = store.submit("alice", "check", {}, timeout=60, max_queue=2, idempotency_key="k")
    again, created_again = store.submit("alice", "check", {}, timeout=60, max_queue=2, idempotency_key="k")
    assert created and not created_again and again.id == job.id
    other, created_other = store.submit("bob", "check", {}, timeout=60, max_queue=2, idempotency_key="k")
    assert created_other and other.id != job.id
    with pytest.raises(QueueFull):
        store.submit("alice", "check", {}, timeout=60, max_queue=2)
    assert store.get(job.id, "bob") is None and store.get(job.id, "alice") is not None


def test_cancel_a_queued_job_at_once_and_mark_a_running_one(store):
    queued, running = submit(store, 2)
    claimed = store.claim("w0", 30)
    assert claimed.id == queued.id
    assert store.cancel(running.id, "alice").status == "cancelled"
    marked = store.cancel(queued.id, "alice")
    assert marked.status == "running" and marked.cancel_requested
    assert store.cancel(queued.id, "bob") is None


def test_tokens_are_stored_as_hashes(store, tmp_path):
    token = store.create_token("alice")
    assert token.startswith("lmt_") and store.owner_of(token) == "alice" and store.owner_of(token + "x") is None
    with pytest.raises(ValueError, match="exists already"):
        store.create_token("alice")
    stored = sqlite3.connect(tmp_path / "jobs.db").execute("SELECT hash FROM tokens").fetchone()[0]
    assert token not in stored and len(stored) == 64


def test_a_worker_takes_first_a_job_its_warm_sessions_can_run_within_the_window(store):
    from lemmata.daemon.store import AFFINITY_WINDOW

    cold = store.submit("alice", "check", {}, timeout=60, max_queue=1000, session_key="reals")[0]
    warm = store.submit("alice", "check", {}, timeout=60, max_queue=1000, session_key="arith")[0]
    assert store.claim("w0", 30, warm=["arith"]).id == warm.id  # younger, but its session is open
    assert store.claim("w0", 30, warm=["arith"]).id == cold.id  # nothing warm left: the oldest
    first = store.submit("alice", "check", {}, timeout=60, max_queue=1000, session_key="nat")[0]
    for _ in range(AFFINITY_WINDOW):
        store.submit("alice", "check", {}, timeout=60, max_queue=1000, session_key="reals")
    store.submit("alice", "check", {}, timeout=60, max_queue=1000, session_key="far")
    assert store.claim("w1", 30, warm=["far"]).id == first.id  # beyond the window: no passing over forever
    assert store.claim("w1", 30).request == {}


def test_workers_report_their_warm_sessions(store):
    store.heartbeat("w0", 123, None, [{"header": "Require Reals.", "checks": 3}])
    store.heartbeat("w0", 123, "job1", [{"header": "Require Reals.", "checks": 4}])
    (worker,) = store.workers()
    assert worker["job"] == "job1" and worker["sessions"][0]["checks"] == 4
    assert store.workers(since=time.time() + 10) == []


def test_a_store_written_before_session_keys_opens_and_works(tmp_path):
    path = tmp_path / "old.db"
    db = sqlite3.connect(path)
    db.executescript("""
        CREATE TABLE jobs (id TEXT PRIMARY KEY, owner TEXT NOT NULL, kind TEXT NOT NULL, request TEXT NOT NULL,
            status TEXT NOT NULL, idempotency_key TEXT, timeout REAL NOT NULL, created REAL NOT NULL, started REAL,
            finished REAL, lease TEXT, lease_until REAL, worker TEXT, attempts INTEGER NOT NULL DEFAULT 0,
            cancel_requested INTEGER NOT NULL DEFAULT 0, result TEXT, error TEXT, UNIQUE (owner, idempotency_key));
        INSERT INTO jobs (id, owner, kind, request, status, timeout, created)
            VALUES ('old', 'alice', 'check', '{}', 'queued', 60, 1.0);""")
    db.commit()
    db.close()
    store = Store(path)
    assert store.claim("w0", 30, warm=["k"]).id == "old"
    submit(store, session_key="k")
