"""`lemmata serve` for real: a daemon on loopback with worker processes, real Coq, its SQLite store.

Each test starts its own daemon (``lemmata serve`` in a subprocess, a fresh
store, a free port) and talks to it over HTTP, as a client would.
"""

from __future__ import annotations

import json
import os
import signal
import socket
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest

from lemmata import Client, ClientError
from paths import ROOT
from repair_cases import A, B, BROKEN, KEPT

pytestmark = pytest.mark.slow  # daemons, worker processes and real Coq

EXAMPLES = ROOT / "examples" / "coq"
QUICK_PROOF = "Theorem t : 1 + 1 = 2.\nProof. reflexivity. Qed.\n"


def lemmata(*args: str, env: dict | None = None) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "lemmata", *args], capture_output=True, text=True, timeout=300,
                          env=env or os.environ.copy())


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Daemon:
    def __init__(self, db: Path, workers: int = 2, env: dict[str, str] | None = None, extra: tuple[str, ...] = ()) -> None:
        self.db, self.workers, self.env, self.extra = db, workers, {**os.environ, **(env or {})}, extra
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.proc: subprocess.Popen | None = None

    def start(self) -> Daemon:
        self.proc = subprocess.Popen([sys.executable, "-m", "lemmata", "serve", "--db", str(self.db), "--port",
                                      str(self.port), "--workers", str(self.workers), *self.extra],
                                     stdout=subprocess.PIPE, stderr=subprocess.STDOUT, env=self.env)
        deadline = time.monotonic() + 180  # a Ray executor starts a local cluster first
        while time.monotonic() < deadline:
            try:
                if httpx.get(self.url + "/healthz", timeout=2).json()["workers"] == self.workers:
                    return self
            except (httpx.HTTPError, ValueError, KeyError):
                pass
            if self.proc.poll() is not None:
                raise AssertionError(self.proc.stdout.read())
            time.sleep(0.2)
        raise AssertionError("the daemon did not come up")

    def kill(self, signum: int = signal.SIGTERM) -> None:
        if self.proc is not None and self.proc.poll() is None:
            self.proc.send_signal(signum)
            self.proc.wait(timeout=60)

    def token(self, name: str) -> str:
        done = lemmata("token", "create", name, "--db", str(self.db))
        assert done.returncode == 0, done.stderr
        return done.stdout.strip()


@pytest.fixture
def daemons(tmp_path):
    started: list[Daemon] = []

    def make(**kwargs) -> Daemon:
        daemon = Daemon(tmp_path / "serve.db", **kwargs)
        started.append(daemon)
        return daemon.start()

    yield make
    for daemon in started:
        daemon.kill(signal.SIGKILL)
    time.sleep(0.5)  # the workers die with their daemon (PR_SET_PDEATHSIG)


def without_timings(data):
    if isinstance(data, dict):
        return {k: without_timings(v) for k, v in data.items() if k != "seconds"}
    if isinstance(data, list):
        return [without_timings(v) for v in data]
    return data


def check_job(proof: Path, statement: Path | None = None, **extra) -> dict:
    fields = {"language": "coq", "proof": proof.read_text(), **extra}
    if statement is not None:
        fields["statement"] = statement.read_text()
    return fields


def test_a_check_job_returns_what_the_cli_prints_and_the_cli_client_works(daemons):
    daemon = daemons()
    token = daemon.token("alice")
    with Client(daemon.url, token) as client:
        job = client.submit("check", **check_job(EXAMPLES / "linear_system_wrong_step.v",
                                                 EXAMPLES / "linear_system_problem.v"))
        assert job["status"] in ("queued", "running")
        done = client.wait(job["id"], timeout=120)
    printed = lemmata("check", str(EXAMPLES / "linear_system_wrong_step.v"), "--statement",
                      str(EXAMPLES / "linear_system_problem.v"), "--json")
    assert done["status"] == "done"
    assert without_timings(done["result"]) == without_timings(json.loads(printed.stdout))
    env = {**os.environ, "LEMMATA_URL": daemon.url, "LEMMATA_TOKEN": token}
    submitted = lemmata("submit", "check", str(EXAMPLES / "linear_system_proof.v"), "--statement",
                        str(EXAMPLES / "linear_system_problem.v"), "--wait", env=env)
    assert submitted.returncode == 0, submitted.stderr
    job_id = json.loads(submitted.stdout)["id"]
    result = lemmata("result", job_id, env=env)
    assert result.returncode == 0 and json.loads(result.stdout)["verdict"] == "accepted"
    status = lemmata("status", job_id, env=env)
    assert json.loads(status.stdout)["status"] == "done"


def test_tokens_and_ownership(daemons):
    daemon = daemons()
    alice, bob = daemon.token("alice"), daemon.token("bob")
    body = {"kind": "smt", "language": "coq", "statement": (EXAMPLES / "zmod_sign.v").read_text()}
    assert httpx.post(daemon.url + "/v1/jobs", json=body).status_code == 401
    assert httpx.post(daemon.url + "/v1/jobs", json=body, headers={"Authorization": "Bearer nope"}).status_code == 401
    with Client(daemon.url, alice) as a, Client(daemon.url, bob) as b:
        job = a.submit(**body)
        with pytest.raises(ClientError) as hidden:
            b.job(job["id"])
        assert hidden.value.status == 404
        assert [j["id"] for j in a.jobs()] == [job["id"]] and b.jobs() == []
        result = a.wait(job["id"], timeout=120)["result"]
        assert result["verdict"] == "disproved" and result["counterexample"]
    row = sqlite3.connect(daemon.db).execute("SELECT hash FROM tokens WHERE name = 'alice'").fetchone()
    assert row[0] != alice and alice not in (daemon.db.read_bytes().decode("latin-1"))  # only a hash is kept


@pytest.mark.parametrize("body, status, message", [
    (b"{not json", 422, ""),
    (b'{"kind": "check", "language": "coq"}', 422, "proof"),
    (b'{"kind": "compile", "language": "coq"}', 422, ""),
    (json.dumps({"kind": "check", "language": "cobol", "proof": "x"}).encode(), 400, "unknown language 'cobol'"),
    (json.dumps({"kind": "check", "language": "coq", "proof": "Theorem t\u0000"}).encode(), 400, "binary"),
    (json.dumps({"kind": "prove", "language": "fstar-interface", "problem": "module M\nval x : int"}).encode(), 400,
     "proves nothing"),
    (json.dumps({"kind": "check", "language": "coq", "proof": "  "}).encode(), 400, "empty"),
    (json.dumps({"kind": "check", "language": "coq", "proof": "x", "extra": 1}).encode(), 422, "extra"),
    (b'{"kind": "check", "language": "coq", "proof": "' + b"a" * (5 * 1024 * 1024) + b'"}', 413, "larger than"),
])
def test_bad_input_is_a_4xx_with_a_message_and_queues_nothing(daemons, body, status, message):
    daemon = daemons(workers=1)
    token = daemon.token("alice")
    answer = httpx.post(daemon.url + "/v1/jobs", content=body, timeout=30,
                        headers={"Authorization": f"Bearer {token}", "Content-Type": "application/json"})
    assert answer.status_code == status, answer.text
    assert message in json.dumps(answer.json()["detail"])
    assert httpx.get(daemon.url + "/healthz").json()["queued"] == 0
    assert sqlite3.connect(daemon.db).execute("SELECT COUNT(*) FROM jobs").fetchone()[0] == 0


def test_idempotency_keys_and_a_full_queue(daemons, tmp_path):
    daemon = daemons(workers=1)
    token = daemon.token("alice")
    with Client(daemon.url, token) as client:
        first = client.submit("check", idempotency_key="k1", **check_job(EXAMPLES / "linear_system_proof.v"))
        again = httpx.post(daemon.url + "/v1/jobs", headers={"Authorization": f"Bearer {token}", "Idempotency-Key": "k1"},
                           json={"kind": "check", **check_job(EXAMPLES / "linear_system_proof.v")})
        assert again.status_code == 200 and again.json()["id"] == first["id"]
        client.wait(first["id"], timeout=120)
    daemon.kill()
    full = Daemon(tmp_path / "full.db", workers=1, env={"LEMMATA_SERVE_MAX_QUEUE": "0"}).start()
    try:
        answer = httpx.post(full.url + "/v1/jobs", json={"kind": "check", **check_job(EXAMPLES / "linear_system_proof.v")},
                            headers={"Authorization": f"Bearer {full.token('alice')}"})
        assert answer.status_code == 429 and answer.headers["Retry-After"] == "5"
    finally:
        full.kill(signal.SIGKILL)


def test_events_stream_and_metrics(daemons):
    daemon = daemons()
    with Client(daemon.url, daemon.token("alice")) as client:
        job = client.submit("prove", language="coq", problem=(EXAMPLES / "linear_system_problem.v").read_text(),
                            no_llm=True, tactics=["lia", "lra"])
        events = list(client.events(job["id"]))
        kinds = [e["event"] for e in events]
        assert kinds[:2] == ["queued", "started"] and kinds[-1] == "finished" and "stage" in kinds and "check" in kinds
        assert [e["seq"] for e in events] == list(range(1, len(events) + 1))
        assert client.job(job["id"])["result"]["status"] == "proved"
    metrics = httpx.get(daemon.url + "/metrics").text
    assert 'lemmata_jobs{kind="prove",status="done"} 1.0' in metrics
    assert 'lemmata_jobs_submitted_total{kind="prove"} 1.0' in metrics and "lemmata_workers_alive 2.0" in metrics
    schema = httpx.get(daemon.url + "/openapi.json").json()
    assert {"/v1/jobs", "/v1/jobs/{job_id}", "/v1/jobs/{job_id}/cancel", "/v1/jobs/{job_id}/events", "/healthz",
            "/metrics"} <= set(schema["paths"])
    assert httpx.get(daemon.url + "/docs").status_code == 200


HARD = ("Require Import ZArith Lia.\nOpen Scope Z_scope.\n"
        "Theorem fermat3 : forall x y z : Z, 0 < x -> 0 < y -> 0 < z -> x^3 + y^3 <> z^3.\nAdmitted.\n")


def test_a_job_past_its_limit_fails_and_its_worker_is_replaced_and_cancel_works(daemons):
    daemon = daemons()
    with Client(daemon.url, daemon.token("alice")) as client:
        hung = client.submit("smt", language="coq", statement=HARD, solver_timeout=120, timeout=2)
        ended = client.wait(hung["id"], timeout=60)
        assert ended["status"] == "failed" and "ran past its time limit of 2 s" in ended["error"]
        stuck = client.submit("smt", language="coq", statement=HARD, solver_timeout=120, timeout=600)
        while client.job(stuck["id"])["status"] == "queued":
            time.sleep(0.2)
        client.cancel(stuck["id"])
        assert client.wait(stuck["id"], timeout=30)["status"] == "cancelled"
        deadline = time.monotonic() + 30
        while client.health()["workers"] != 2 and time.monotonic() < deadline:
            time.sleep(0.2)
        assert client.health()["workers"] == 2
        quick = client.submit("check", language="coq", proof=QUICK_PROOF)
        assert client.wait(quick["id"], timeout=120)["result"]["verdict"] == "accepted"
    assert "lemmata_workers_replaced 2.0" in httpx.get(daemon.url + "/metrics").text


def test_kill_9_then_restart_every_job_finishes_exactly_once(daemons, tmp_path):
    daemon = daemons()
    token = daemon.token("alice")
    with Client(daemon.url, token) as client:
        ids = [client.submit("check", language="coq", proof=QUICK_PROOF.replace("t :", f"t{i} :"))["id"]
               for i in range(50)]
        while not any(client.job(i)["status"] == "done" for i in ids[:4]):
            time.sleep(0.1)
    daemon.kill(signal.SIGKILL)  # mid-run: some jobs done, some running, most queued
    time.sleep(1)
    assert subprocess.run(["pgrep", "-f", f"lemmata.daemon.worker --db {daemon.db}"], capture_output=True).stdout == b""
    restarted = daemons()
    with Client(restarted.url, token) as client:
        final = [client.wait(i, timeout=300) for i in ids]
    assert all(j["status"] == "done" and j["result"]["verdict"] == "accepted" for j in final)
    db = sqlite3.connect(restarted.db)
    finished = dict(db.execute("SELECT job, COUNT(*) FROM events WHERE kind = 'finished' GROUP BY job").fetchall())
    assert finished == {i: 1 for i in ids}  # each result written once
    assert db.execute("SELECT COUNT(*) FROM jobs").fetchone()[0] == 50


def rss_mb(pid: int) -> float:
    with open(f"/proc/{pid}/statm") as handle:
        return int(handle.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") / 2**20


def test_a_burst_of_500_submissions_keeps_memory_bounded_and_every_job_finishes(daemons):
    daemon = daemons()
    with Client(daemon.url, daemon.token("alice")) as client:
        client.wait(client.submit("steps", problem="If 2x + 3 = 11, what is x?", steps=["2x = 8"])["id"], timeout=120)
        before = rss_mb(daemon.proc.pid)
        ids = [client.submit("steps", problem=f"If 2x + {i} = {i + 8}, what is x?", steps=["2x = 8", "x = 4"])["id"]
               for i in range(500)]
        during = rss_mb(daemon.proc.pid)
        final = [client.wait(i, timeout=600, poll=0.2) for i in ids]
        after = rss_mb(daemon.proc.pid)
    assert all(j["status"] == "done" and j["result"]["first_error"] is None for j in final)
    assert max(during, after) - before < 100, (before, during, after)  # the queue lives in SQLite, not in memory


def test_a_second_daemon_on_the_same_store_is_refused(daemons):
    daemon = daemons(workers=1)
    second = lemmata("serve", "--db", str(daemon.db), "--port", str(free_port()))
    assert second.returncode == 2 and "another lemmata serve is using" in second.stderr


def test_a_repair_job(daemons, tmp_path):
    daemon = daemons()
    path = tmp_path / "double.v"
    path.write_text(BROKEN)
    env = {**os.environ, "LEMMATA_URL": daemon.url, "LEMMATA_TOKEN": daemon.token("alice")}
    submitted = lemmata("submit", "repair", str(path), "--no-llm", "--wait", env=env)
    assert submitted.returncode == 0, submitted.stderr
    result = json.loads(submitted.stdout)["result"]
    assert result["status"] == "repaired"
    assert [t["theorem"] for t in result["theorems"]] == ["double_spec", "double_mul"]
    assert all(block in result["text"] for block in KEPT)


def dom(url: str, profile: Path) -> str:
    """The page as headless Chromium loaded it (Debian's chromium, installed by the set-up)."""
    done = subprocess.run(["chromium", "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                           "--disable-background-networking", "--disable-component-update", "--disable-sync",
                           f"--user-data-dir={profile}", "--dump-dom", url],
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr[-2000:]
    return done.stdout


@pytest.mark.skipif(subprocess.run(["which", "chromium"], capture_output=True).returncode != 0,
                    reason="Debian's chromium is not installed (make test installs it)")
def test_the_status_page_in_a_real_browser_shows_a_job_change_state(daemons, tmp_path):
    daemon = daemons()
    with Client(daemon.url, daemon.token("alice")) as client:
        job = client.submit("smt", language="coq", statement=HARD, solver_timeout=8)
        while client.job(job["id"])["status"] == "queued":
            time.sleep(0.2)
        running = dom(daemon.url + "/", tmp_path / "profile")
        assert "<h1>Lemmata</h1>" in running and "Workers: 2 alive" in running
        section = running.split("<h2>Running</h2>")[1].split("<h2>")[0]
        assert f'id="job-{job["id"]}"' in section and "smt" in section
        client.wait(job["id"], timeout=120)
    done = dom(daemon.url + "/", tmp_path / "profile")
    recent = done.split("<h2>Recent results</h2>")[1]
    assert f'id="job-{job["id"]}"' in recent and '<span class="done">done</span>' in recent
    assert "Nothing is running." in done


def test_serve_watch_keeps_a_project_green_and_shows_it(daemons, tmp_path):
    project = tmp_path / "proj"
    project.mkdir()
    (project / "_CoqProject").write_text("-Q . Proj\nA.v\nB.v\n")
    (project / "A.v").write_text(A)
    (project / "B.v").write_text(B)
    daemon = daemons(extra=("--watch", str(project)))
    patches = [project / ".lemmata" / "patches" / name for name in ("A.v.patch", "B.v.patch")]
    deadline = time.monotonic() + 300
    while time.monotonic() < deadline and not all(p.exists() for p in patches):
        time.sleep(0.5)
    assert all(p.exists() for p in patches)
    assert (project / "A.v").read_text() == A and (project / "B.v").read_text() == B
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and "<td>B.v</td>" not in (page := httpx.get(daemon.url + "/").text):
        time.sleep(0.5)
    assert f"<h2>Project {project.resolve()}</h2>" in page and '<span class="repaired">repaired</span>' in page



ARITH = "Require Import Arith.\nTheorem t{i} : {i} + 1 = S {i}.\nProof. reflexivity. Qed.\n"


def test_workers_keep_warm_sessions_by_header_and_show_them(daemons):
    daemon = daemons(workers=1)
    with Client(daemon.url, daemon.token("alice")) as client:
        ids = [client.submit("check", language="coq", proof=ARITH.format(i=i))["id"] for i in range(3)]
        results = [client.wait(i, timeout=120)["result"] for i in ids]
        health = client.health()
    assert [r["verdict"] for r in results] == ["accepted"] * 3
    page = httpx.get(daemon.url + "/").text
    assert "Warm sessions" in page and "Require Arith." in page
    assert 'lemmata_warm_sessions{worker="w0"} 1.0' in httpx.get(daemon.url + "/metrics").text
    assert health["network_isolation"] != "off"


def test_the_ray_executor_runs_jobs_in_actors_and_replaces_one_past_its_limit(daemons, tmp_path):
    pytest.importorskip("ray")
    daemon = daemons(workers=1, extra=("--executor", "ray"))
    with Client(daemon.url, daemon.token("alice")) as client:
        job = client.submit("check", **check_job(EXAMPLES / "linear_system_wrong_step.v",
                                                 EXAMPLES / "linear_system_problem.v"))
        done = client.wait(job["id"], timeout=180)
        printed = lemmata("check", str(EXAMPLES / "linear_system_wrong_step.v"), "--statement",
                          str(EXAMPLES / "linear_system_problem.v"), "--json")
        assert done["status"] == "done" and without_timings(done["result"]) == without_timings(json.loads(printed.stdout))
        hung = client.submit("smt", language="coq", statement=HARD, solver_timeout=120, timeout=2)
        ended = client.wait(hung["id"], timeout=120)
        assert ended["status"] == "failed" and "ran past its time limit of 2 s" in ended["error"]
        quick = client.submit("check", language="coq", proof=QUICK_PROOF)
        assert client.wait(quick["id"], timeout=180)["result"]["verdict"] == "accepted"
        events = [e["event"] for e in client.events(quick["id"])]
    assert events[0] == "queued" and "started" in events and events[-1] == "finished"
    assert "lemmata_workers_replaced 1.0" in httpx.get(daemon.url + "/metrics").text
    daemon.kill(signal.SIGTERM)  # a clean stop shuts the local Ray down with the daemon
    time.sleep(2)
    assert subprocess.run(["pgrep", "-f", "ray::JobActor"], capture_output=True).stdout.strip() == b""


DAFNY = "method Id(x: int) returns (y: int)\n  ensures y == x\n{\n  y := x;\n}\n"


@pytest.mark.skipif(subprocess.run(["which", "dafny"], capture_output=True).returncode != 0, reason="no Dafny")
def test_a_dafny_check_job_is_what_the_cli_prints_and_include_is_refused(daemons, tmp_path):
    daemon = daemons(workers=1)
    program = tmp_path / "id.dfy"
    program.write_text(DAFNY)
    with Client(daemon.url, daemon.token("alice")) as client:
        done = client.wait(client.submit("check", language="dafny", proof=DAFNY, statement=DAFNY)["id"], timeout=180)
        with pytest.raises(ClientError, match="'include' at line 1 reaches outside the document"):
            client.submit("check", language="dafny", proof='include "/etc/passwd.dfy"\n' + DAFNY)
    printed = lemmata("check", str(program), "--statement", str(program), "--json")
    assert done["result"]["verdict"] == "accepted"
    assert without_timings(done["result"]) == without_timings(json.loads(printed.stdout))
