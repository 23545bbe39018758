"""Checks per second and latency through `lemmata serve` (warm sessions) vs one `lemmata check` process per proof.

    python -m lemmata.benchmarks.measure.daemon_throughput --data ../shared/data/minif2f/rocq/valid

Every problem file becomes one proof: its statement followed by ``Proof.
<attempt> Qed.`` (``--proof``, default ``intros. lra.``). The baseline runs
``lemmata check FILE --json`` once per proof, one after another, the way a
shell loop or a script calling the CLI does (``--baseline-limit`` of them,
spread over the set). The daemon is a real ``lemmata serve`` on loopback with
a fresh store (``--workers``); the proofs are submitted over HTTP as one
burst, and the rate is proofs / (last finish - first submission). Latency is
measured apart, one job at a time (submit, then wait for it), so that it is
the service's own and not the burst's queueing; the burst's submit-to-finish
times are reported too. Every verdict of the baseline must equal the daemon's.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

import httpx

from lemmata.benchmarks.measure.coq_throughput import Problem, load_problems


def _lemmata(*args: str, timeout: float = 600) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "lemmata", *args], capture_output=True, text=True, timeout=timeout)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def baseline(problems: list[Problem], folder: Path, timeout: float) -> tuple[dict[str, str], list[float], float]:
    """(verdict by problem, seconds per process, wall seconds) of one `lemmata check` process per proof."""
    verdicts, seconds = {}, []
    started = time.perf_counter()
    for problem in problems:
        path = folder / f"{problem.name}.v"
        path.write_text(problem.text, encoding="utf-8")
        began = time.perf_counter()
        done = _lemmata("check", str(path), "--json", "--timeout", str(timeout))
        seconds.append(time.perf_counter() - began)
        verdicts[problem.name] = json.loads(done.stdout)["verdict"] if done.stdout.strip() else f"exit {done.returncode}"
    return verdicts, seconds, time.perf_counter() - started


class Daemon:
    """A `lemmata serve` subprocess on a free loopback port with a fresh store, and a token for it."""

    def __init__(self, folder: Path, workers: int, warm_sessions: int) -> None:
        self.db = folder / "serve.db"
        self.url = f"http://127.0.0.1:{_free_port()}"
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "lemmata", "serve", "--db", str(self.db), "--port", self.url.rsplit(":", 1)[1],
             "--workers", str(workers), "--warm-sessions", str(warm_sessions), "--max-queue", "100000"],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline:
            try:
                if httpx.get(self.url + "/healthz", timeout=2).json()["workers"] == workers:
                    break
            except (httpx.HTTPError, ValueError, KeyError):
                time.sleep(0.2)
        else:
            self.stop()
            raise SystemExit("the daemon did not come up")
        token = _lemmata("token", "create", "bench", "--db", str(self.db)).stdout.strip()
        self.http = httpx.Client(base_url=self.url, headers={"Authorization": f"Bearer {token}"}, timeout=60)

    def submit(self, problem: Problem, timeout: float) -> str:
        body = {"kind": "check", "language": "coq", "proof": problem.text, "timeout": timeout}
        answer = self.http.post("/v1/jobs", json=body)
        answer.raise_for_status()
        return answer.json()["id"]

    def wait_all(self, ids: list[str]) -> dict[str, dict]:
        wanted, done = set(ids), {}
        while wanted - done.keys():
            for job in self.http.get("/v1/jobs", params={"limit": 1000}).json():
                if job["id"] in wanted and job["status"] in ("done", "failed", "cancelled"):
                    done[job["id"]] = job
            time.sleep(0.2)
        return done

    def stop(self) -> None:
        self.proc.send_signal(signal.SIGTERM)
        try:
            self.proc.wait(timeout=60)
        except subprocess.TimeoutExpired:
            self.proc.kill()


def _verdict(job: dict) -> str:
    return job["result"]["verdict"] if job["status"] == "done" else f"{job['status']}: {job['error']}"


def _quantile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", required=True, type=Path, help="directory of Coq problem files")
    parser.add_argument("--proof", default="intros. lra.", help="the proof every problem gets")
    parser.add_argument("--limit", type=int, help="only the first N problem files")
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--warm-sessions", type=int, default=8, help="warm sessions per worker")
    parser.add_argument("--baseline-limit", type=int, default=40,
                        help="how many proofs the one-process-per-proof baseline checks (evenly spread)")
    parser.add_argument("--latency-jobs", type=int, default=60, help="jobs submitted one at a time for latency")
    parser.add_argument("--timeout", type=float, default=60.0, help="seconds per check")
    parser.add_argument("--out", type=Path, help="write the summary as JSON here")
    args = parser.parse_args(argv)
    if not args.data.is_dir():
        parser.error(f"{args.data} is not a directory")
    problems = load_problems(args.data, [args.proof], args.limit)
    if not problems:
        parser.error(f"no Coq problems in {args.data}")
    step = max(1, len(problems) // max(1, args.baseline_limit))
    sample = problems[::step][: args.baseline_limit]

    with tempfile.TemporaryDirectory(prefix="lemmata-daemon-bench-") as tmp:
        folder = Path(tmp)
        print(f"baseline: {len(sample)} `lemmata check` processes", file=sys.stderr, flush=True)
        base_verdicts, base_seconds, base_wall = baseline(sample, folder, args.timeout)
        daemon = Daemon(folder, args.workers, args.warm_sessions)
        try:
            print(f"daemon: a burst of {len(problems)} check jobs", file=sys.stderr, flush=True)
            first = time.time()
            ids = [daemon.submit(p, args.timeout) for p in problems]
            submitted = time.time() - first
            jobs = daemon.wait_all(ids)
            last = max(j["finished"] for j in jobs.values())
            burst_latency = [jobs[i]["finished"] - jobs[i]["created"] for i in ids]
            print(f"daemon: {args.latency_jobs} jobs one at a time", file=sys.stderr, flush=True)
            latency = []
            for problem in problems[: args.latency_jobs]:
                began = time.perf_counter()
                job_id = daemon.submit(problem, args.timeout)
                while daemon.http.get(f"/v1/jobs/{job_id}").json()["status"] in ("queued", "running"):
                    time.sleep(0.01)
                latency.append(time.perf_counter() - began)
            sessions = httpx.get(daemon.url + "/metrics").text
        finally:
            daemon.stop()

    daemon_verdicts = {p.name: _verdict(jobs[i]) for p, i in zip(problems, ids)}
    mismatches = sorted(n for n, v in base_verdicts.items() if daemon_verdicts[n] != v)
    base_rate = len(sample) / base_wall
    daemon_rate = len(problems) / (last - first)
    summary = {
        "date": date.today().isoformat(),
        "machine": f"{platform.node()} ({platform.machine()}, {os.cpu_count()} cores), Python {platform.python_version()}",
        "problems": len(problems), "proof": args.proof, "workers": args.workers, "warm_sessions": args.warm_sessions,
        "baseline_checks": len(sample),
        "baseline_checks_per_second": round(base_rate, 3),
        "baseline_p50_seconds": round(statistics.median(base_seconds), 3),
        "baseline_p95_seconds": round(_quantile(base_seconds, 0.95), 3),
        "daemon_checks_per_second": round(daemon_rate, 3),
        "daemon_burst_submit_seconds": round(submitted, 2),
        "daemon_burst_p50_seconds": round(statistics.median(burst_latency), 3),
        "daemon_burst_p95_seconds": round(_quantile(burst_latency, 0.95), 3),
        "daemon_p50_seconds": round(statistics.median(latency), 4),
        "daemon_p95_seconds": round(_quantile(latency, 0.95), 4),
        "speedup": round(daemon_rate / base_rate, 1),
        "accepted": sum(v == "accepted" for v in daemon_verdicts.values()),
        "verdicts_compared": len(sample), "verdict_mismatches": mismatches,
        "warm_sessions_at_end": [line for line in sessions.splitlines() if line.startswith("lemmata_warm_sessions{")],
    }
    text = json.dumps(summary, indent=2)
    print(text)
    if args.out:
        args.out.parent.mkdir(parents=True, exist_ok=True)
        args.out.write_text(text + "\n", encoding="utf-8")
    return 1 if mismatches else 0


if __name__ == "__main__":
    raise SystemExit(main())
