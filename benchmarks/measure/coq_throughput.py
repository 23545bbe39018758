"""Checks per second of the Coq backend: one coqc process per check vs. the warm coqtop session.

For every problem of a directory of Coq statements (miniF2F-rocq style: a
header, one theorem, then ``Proof.``) and every proof attempt given with
``--proof`` (repeat it for K attempts per problem, the way the agent samples),
both paths check the same document, the statement followed by the attempt,
with the full audit, and must reach the same verdict. The warm session preloads (``Require`` without
``Import``) every library the problems import, so each attempt's own
``Require Import`` lines only import, which is how one session serves
problems with different headers.

    python -m lemmata.benchmarks.measure.coq_throughput --data ../shared/data/minif2f/rocq/valid
"""

from __future__ import annotations

import argparse
import json
import platform
import re
import signal
import statistics
import sys
import tempfile
import time
from dataclasses import asdict, dataclass
from datetime import date
from pathlib import Path

from lemmata.dsl.coq.declarations import outline
from lemmata.verifiers.coq import CoqVerifier
from lemmata.verifiers.coq.config import CoqConfig
from lemmata.verifiers.coq.oneshot import render
from lemmata.verifiers.coq.script import CoqScript
from lemmata.verifiers.coq.session import one_line
from lemmata.verifiers.coq.toplevel import CoqTop
from lemmata.verifiers.process import run
from lemmata.verifiers.result import CheckResult

DEFAULT_PROOFS = ["intros. lra."]


@dataclass(frozen=True)
class Problem:
    name: str
    theorem: str
    text: str  # header + statement + the proof attempt
    proof: str


@dataclass
class Row:
    problem: str
    proof: str
    coqc_verdict: str
    coqc_seconds: float
    session_verdict: str
    session_seconds: float


def load_problems(folder: Path, proofs: list[str], limit: int | None) -> list[Problem]:
    """One check per (problem file, proof attempt), a problem's attempts consecutive."""
    problems = []
    for path in sorted(folder.glob("*.v"))[:limit]:
        text = path.read_text(encoding="utf-8")
        theorems = outline(text).top_level_theorems()
        if not theorems:
            continue
        target = theorems[-1]
        for proof in proofs:
            attempt = text[: target.sentence.end] + f"\nProof.\n  {proof}\nQed.\n"
            problems.append(Problem(path.stem, target.name, attempt, proof))
    return problems


def preload_header(problems: list[Problem], coqtop: str) -> str:
    """``Require`` sentences (no Import) for every library the problems load and this Coq has."""
    wanted: list[str] = []
    for problem in problems:
        for sentence in outline(problem.text).sentences:
            code = " ".join(sentence.code().split())
            if re.match(r"^(From\s+\S+\s+)?Require\b", code):
                bare = re.sub(r"\s+(Import|Export)\b", "", code)
                if bare not in wanted:
                    wanted.append(bare)
    top = CoqTop([coqtop, "-emacs", "-q"])
    top.start(120)
    try:
        return "\n".join(s for s in wanted if not top.exchange(s, 120).failed)
    finally:
        top.close()


_TIMED = re.compile(r"^Chars (\d+) - \d+ \[.*\] ([\d.]+) secs", re.MULTILINE)


def coq_work(config: CoqConfig, problem: Problem, timeout: float) -> dict[str, float]:
    """Seconds coqc itself spends on the statement, the proof and the audit of one check (``coqc -time``).

    Any checker, warm or not, must do this work for the check, so the sum over
    a run bounds from below what a session can reach; the header's imports and
    the process start-up are left out, which makes the bound optimistic.
    """
    script = CoqScript()
    source, layout = render(script, problem.text, [problem.theorem])
    lines = source.split("\n")

    def line_at(number: int) -> int:  # byte offset of a 1-based line, as coqc counts
        return len("\n".join(lines[: number - 1]).encode()) + 1

    text_at = line_at(layout.text_first_line)
    theorem = outline(problem.text).top_level_theorems()[-1].sentence
    statement_at = text_at + len(problem.text[: theorem.start].encode())
    proof_at = text_at + len(problem.text[: theorem.end].encode())
    audit_at = line_at(layout.epilogue_line)
    work = {"statement": 0.0, "proof": 0.0, "audit": 0.0}
    with tempfile.TemporaryDirectory(prefix="lemmata-bench-") as tmp:
        path = Path(tmp) / "Work.v"
        path.write_text(source, encoding="utf-8")
        done = run([config.coqc, "-q", "-time", *config.flags, path.name], timeout=timeout, cwd=Path(tmp))
    for match in _TIMED.finditer(done.stdout):
        at, seconds = int(match.group(1)), float(match.group(2))
        if at >= audit_at:
            work["audit"] += seconds
        elif at >= proof_at:
            work["proof"] += seconds
        elif at >= statement_at:
            work["statement"] += seconds
    return work


class SessionAccount:
    """Where the warm session's time goes, by part of the checked document.

    Fed by the session's ``on_exchange`` hook: each exchange with coqtop is
    charged to the problem's header, its statement, the proof, the audit the
    verifier appends, or the protocol (rewinds, sentinels, ``Show``).
    """

    PARTS = ("header", "statement", "proof", "audit", "protocol")

    def __init__(self) -> None:
        self.seconds = dict.fromkeys(self.PARTS, 0.0)
        self._header: set[str] = set()
        self._statement = ""

    def problem(self, problem: Problem) -> None:
        doc = outline(problem.text)
        theorem = doc.top_level_theorems()[-1].sentence
        self._header = {one_line(s) for s in doc.sentences if s.end <= theorem.start}
        self._statement = one_line(theorem)

    def part(self, command: str) -> str:
        if command in self._header:
            return "header"
        if command == self._statement:
            return "statement"
        if not command or command.startswith(("BackTo ", "Show.")):
            return "protocol"
        if "LemmataProof_" in command or 'idtac "lemmata:' in command:
            return "audit"
        return "proof"

    def record(self, command: str, seconds: float) -> None:
        self.seconds[self.part(command)] += seconds


def _run(label: str, problems: list[Problem], check) -> tuple[list[CheckResult], float]:
    results = []
    started = time.perf_counter()
    for i, problem in enumerate(problems, 1):
        results.append(check(problem))
        if i % 25 == 0 or i == len(problems):
            print(f"  {label}: {i}/{len(problems)}", file=sys.stderr, flush=True)
    return results, time.perf_counter() - started


def main(argv: list[str] | None = None) -> int:
    signal.signal(signal.SIGTERM, lambda signum, frame: sys.exit(128 + signum))  # close sessions on kill
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", required=True, type=Path, help="directory of Coq problem files")
    parser.add_argument("--proof", action="append", dest="proofs", metavar="TACTICS",
                        help=f"a proof attempt for every problem; repeat for several (default {DEFAULT_PROOFS})")
    parser.add_argument("--limit", type=int, help="only the first N problem files")
    parser.add_argument("--order", choices=["file", "header"], default="file",
                        help="check problems in file-name order, or grouped by identical header (as a "
                             "header-keyed checker service would schedule them)")
    parser.add_argument("--timeout", type=float, default=30.0, help="seconds per check")
    parser.add_argument("--out", type=Path, help="write per-problem results as JSON here")
    parser.add_argument("--floor", action="store_true",
                        help="also time, with coqc -time, the statement, proof and audit work every check needs, "
                             "and report the highest ratio any session could reach on this run")
    args = parser.parse_args(argv)
    if not args.data.is_dir():
        parser.error(f"{args.data} is not a directory")

    coq = CoqVerifier()
    coq.require(session=True)
    proofs = args.proofs or DEFAULT_PROOFS
    problems = load_problems(args.data, proofs, args.limit)
    if args.order == "header":
        problems.sort(key=lambda p: (p.text[: p.text.find(p.theorem)], p.name))  # stable: attempts stay together
    if not problems:
        parser.error(f"no Coq problems in {args.data}")
    header = preload_header(problems, coq.config.coqtop)

    print(f"{len(problems)} checks; proof attempts: {proofs}", file=sys.stderr)
    coqc_results, coqc_wall = _run(
        "coqc", problems, lambda p: coq.check(p.text, theorem=p.theorem, timeout=args.timeout))

    started = time.perf_counter()
    with coq.session(header) as session:
        startup = time.perf_counter() - started

        account = SessionAccount()
        session.on_exchange = account.record  # start-up is timed apart, above

        def check(problem: Problem) -> CheckResult:
            account.problem(problem)
            return session.check(problem.text, theorem=problem.theorem, timeout=args.timeout)
        session_results, session_wall = _run("session", problems, check)
        restarts = session.restarts

    rows = [Row(p.name, p.proof, a.verdict.value, a.seconds, b.verdict.value, b.seconds)
            for p, a, b in zip(problems, coqc_results, session_results)]
    mismatches = [r for r in rows if r.coqc_verdict != r.session_verdict]
    accepted = sorted({r.problem for r in rows if r.coqc_verdict == "accepted"})
    coqc_rate = len(rows) / coqc_wall
    session_rate = len(rows) / (session_wall + startup)
    summary = {
        "date": date.today().isoformat(),
        "machine": f"{platform.node()} ({platform.machine()}, {platform.processor() or 'cpu'}), "
                   f"{coq.checker}, Python {platform.python_version()}",
        "problems": len({r.problem for r in rows}),
        "checks": len(rows),
        "proofs": proofs,
        "order": args.order,
        "accepted_checks": sum(r.coqc_verdict == "accepted" for r in rows),
        "coqc_checks_per_second": round(coqc_rate, 3),
        "coqc_median_seconds": round(statistics.median(r.coqc_seconds for r in rows), 4),
        "session_startup_seconds": round(startup, 3),
        "session_checks_per_second": round(session_rate, 3),
        "session_median_seconds": round(statistics.median(r.session_seconds for r in rows), 4),
        "session_restarts": restarts,
        "session_seconds_by_part": {"startup": round(startup, 3),
                                    **{k: round(v, 3) for k, v in account.seconds.items()}},
        "ratio": round(session_rate / coqc_rate, 1),
        "verdict_mismatches": [asdict(r) for r in mismatches],
        "accepted_problems": accepted,
    }
    if args.floor:
        work = [coq_work(coq.config, p, args.timeout) for p in problems]
        floor = {part: round(sum(w[part] for w in work), 3) for part in ("statement", "proof", "audit")}
        summary["coq_work_seconds"] = floor
        summary["ratio_bound"] = round(coqc_wall / max(sum(floor.values()), 1e-9), 1)
    if args.out:
        args.out.parent.mkdir(parents=True, exist_ok=True)
        args.out.write_text(json.dumps({"summary": summary, "rows": [asdict(r) for r in rows]}, indent=2))
    print(json.dumps(summary, indent=2))
    return 0 if not mismatches else 1


if __name__ == "__main__":
    sys.exit(main())
