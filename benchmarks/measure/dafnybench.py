"""DafnyBench without a model: Dafny alone vs Houdini invariant inference, every success audited.

    python -m lemmata.benchmarks.measure.dafnybench --data ../shared/data/dafnybench --workers 2

For each ``hints_removed/*_no_hints.dfy`` program (``ground_truth/`` is never
read), Dafny checks the program as given, then ``lemmata.prover.houdini``
adds template invariants and prunes them with Dafny. A program counts only
when the final check accepted it against the problem with the full
spec-preserving audit. Reported: solved by Dafny alone, solved with inference,
which templates the kept invariants came from, and times.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import statistics
import sys
import time
from collections import Counter
from concurrent.futures import ProcessPoolExecutor, as_completed
from datetime import date
from pathlib import Path

from lemmata.prover.houdini import infer
from lemmata.verifiers.dafny import DafnyConfig, DafnyVerifier
from lemmata.verifiers.errors import LemmataError
from lemmata.verifiers.interface import Statement


def solve(path: Path, time_limit: int, timeout: float) -> dict:
    started = time.perf_counter()
    verifier = DafnyVerifier(DafnyConfig(time_limit=time_limit))
    problem = Statement(path.read_text(encoding="utf-8"), None, path.name)
    try:
        outcome = infer(problem.text, lambda text: verifier.check(text, statement=problem, timeout=timeout))
    except LemmataError as exc:  # a problem the audit cannot read
        return {"problem": path.name, "status": "error", "by": None, "templates": [], "rounds": 0, "dropped": 0,
                "seconds": round(time.perf_counter() - started, 2), "reasons": [str(exc)]}
    return {"problem": path.name, "status": "proved" if outcome.proved else "failed",
            "by": "dafny alone" if outcome.proved and outcome.rounds == 0 else "inference" if outcome.proved else None,
            "templates": sorted({c.template for c in outcome.kept}) if outcome.proved else [],
            "rounds": outcome.rounds, "dropped": outcome.dropped, "seconds": round(time.perf_counter() - started, 2),
            "reasons": outcome.result.reasons[:2] if outcome.result and not outcome.proved else []}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", required=True, type=Path, help="the DafnyBench folder (with hints_removed/)")
    parser.add_argument("--limit", type=int)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--time-limit", type=int, default=10, help="seconds per assertion batch")
    parser.add_argument("--timeout", type=float, default=60.0, help="seconds per Dafny run")
    parser.add_argument("--out", type=Path, help="the summary and every program's row as JSON (rows are also "
                                                   "appended to OUT.rows.jsonl as they finish)")
    args = parser.parse_args(argv)
    problems = sorted((args.data / "hints_removed").glob("*.dfy"))[: args.limit]
    if not problems:
        parser.error(f"no programs in {args.data / 'hints_removed'}")
    started = time.perf_counter()
    rows = []
    log = args.out.with_suffix(".rows.jsonl") if args.out else None
    if log:
        log.parent.mkdir(parents=True, exist_ok=True)
        log.write_text("")
    with ProcessPoolExecutor(max_workers=max(1, args.workers)) as pool:
        futures = [pool.submit(solve, p, args.time_limit, args.timeout) for p in problems]
        for k, future in enumerate(as_completed(futures), 1):
            rows.append(future.result())
            if log:
                with log.open("a", encoding="utf-8") as handle:
                    handle.write(json.dumps(rows[-1]) + "\n")
            if k % 10 == 0 or k == len(futures):
                print(f"  {k}/{len(futures)}", file=sys.stderr, flush=True)
    rows.sort(key=lambda r: r["problem"])
    solved = [r for r in rows if r["status"] == "proved"]
    summary = {
        "date": date.today().isoformat(),
        "machine": f"{platform.node()} ({os.cpu_count()} cores), {DafnyVerifier().checker}, "
                   f"Python {platform.python_version()}",
        "programs": len(rows),
        "dafny_alone": sum(r["by"] == "dafny alone" for r in rows),
        "with_inference": len(solved),
        "errors": sum(r["status"] == "error" for r in rows),
        "templates_in_inferred_proofs": dict(Counter(t for r in solved if r["by"] == "inference" for t in r["templates"])),
        "median_seconds": round(statistics.median(r["seconds"] for r in rows), 2),
        "median_seconds_solved_by_inference": round(statistics.median(
            [r["seconds"] for r in solved if r["by"] == "inference"] or [0]), 2),
        "wall_seconds": round(time.perf_counter() - started, 1),
    }
    print(json.dumps(summary, indent=2))
    if args.out:
        args.out.parent.mkdir(parents=True, exist_ok=True)
        args.out.write_text(json.dumps({"summary": summary, "rows": rows}, indent=2) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
