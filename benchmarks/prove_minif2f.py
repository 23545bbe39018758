"""`lemmata prove` without a model on a miniF2F split: how many problems the no-LLM stages settle.

    python -m benchmarks.prove_minif2f --data ../shared/data/minif2f/rocq/valid --out benchmarks/out/prove_rocq.json

Runs the agent exactly as the CLI does with no model configured (automation
portfolio, SMT, symbolic splitting), one problem after another, and reports
counts per status, the problems proved, and the median time per problem.
"""

from __future__ import annotations

import argparse
import collections
import json
import platform
import statistics
import sys
from datetime import date
from pathlib import Path

from prover.agent import Agent, AgentSettings, Budget, ProblemError, language_for


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", required=True, type=Path, help="folder of .v problem files")
    parser.add_argument("--limit", type=int, help="only the first N files")
    parser.add_argument("--seconds", type=float, default=120.0, help="wall-clock budget per problem")
    parser.add_argument("--tactic-timeout", type=float, default=3.0)
    parser.add_argument("--out", type=Path, help="write per-problem rows as JSON")
    args = parser.parse_args(argv)
    files = sorted(args.data.glob("*.v"))[: args.limit]
    if not files:
        parser.error(f"no .v files in {args.data}")
    language = language_for("coq")
    agent = Agent(budget=Budget(seconds=args.seconds), settings=AgentSettings(tactic_timeout=args.tactic_timeout))
    rows = []
    for number, path in enumerate(files, 1):
        try:
            problem = language.load(path.read_text(encoding="utf-8"), None, str(path))
            result = agent.prove(problem)
        except ProblemError as exc:
            rows.append({"problem": path.stem, "status": "not loaded", "reason": str(exc), "seconds": 0.0})
            print(f"[{number}/{len(files)}] {path.stem}: not loaded: {exc}", flush=True)
            continue
        rows.append({"problem": path.stem, "status": result.status.value, "found_by": result.found_by,
                     "seconds": result.seconds, "checks": result.checks, "reason": result.reason})
        print(f"[{number}/{len(files)}] {path.stem}: {result.status.value}"
              f"{' by ' + result.found_by if result.found_by else ''} ({result.seconds:.1f} s)", flush=True)
    counts = collections.Counter(r["status"] for r in rows)
    proved = sorted(r["problem"] for r in rows if r["status"] == "proved")
    summary = {
        "date": date.today().isoformat(), "machine": f"{platform.node()} {platform.machine()}",
        "command": " ".join(["python -m benchmarks.prove_minif2f", *(argv if argv is not None else sys.argv[1:])]),
        "files": len(files), "counts": dict(counts), "proved": proved,
        "by": dict(collections.Counter(r["found_by"] for r in rows if r["status"] == "proved")),
        "median_seconds": round(statistics.median(r["seconds"] for r in rows), 3),
        "median_seconds_proved": round(statistics.median(r["seconds"] for r in rows if r["status"] == "proved"), 3)
        if proved else None,
    }
    print(json.dumps(summary, indent=2))
    if args.out:
        args.out.parent.mkdir(parents=True, exist_ok=True)
        args.out.write_text(json.dumps({"summary": summary, "rows": rows}, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
