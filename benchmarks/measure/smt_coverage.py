"""How the SMT backend fares on a miniF2F split: parsed, smt-proved, disproved, unknown, unsupported.

    python -m lemmata.benchmarks.measure.smt_coverage --data ../shared/data/minif2f/rocq/valid
    python -m lemmata.benchmarks.measure.smt_coverage --data ../shared/data/minif2f/lean4/MiniF2F/Valid

A ``disproved`` miniF2F statement means a translation bug or a mis-formalised
problem: each one is listed so it can be investigated.
"""

from __future__ import annotations

import argparse
import collections
import json
import statistics
import sys
from datetime import date
from pathlib import Path

from lemmata.dsl.ir import Unsupported
from lemmata.prover.languages import LanguageEntry, language_of_path
from lemmata.verifiers.errors import UnknownLanguage
from lemmata.verifiers.smt import decide


def _smt_language(path: Path) -> LanguageEntry | None:
    try:
        entry = language_of_path(path)
    except UnknownLanguage:
        return None
    return entry if entry.conjecture_reader is not None else None


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", required=True, type=Path)
    parser.add_argument("--solver", default="z3", choices=["z3", "cvc5", "both"])
    parser.add_argument("--timeout", type=float, default=5.0)
    parser.add_argument("--out", type=Path)
    args = parser.parse_args(argv)
    files = sorted(p for p in args.data.iterdir() if _smt_language(p) is not None)
    if not files:
        parser.error(f"no statement files SMT reads in {args.data}")
    counts: collections.Counter[str] = collections.Counter()
    unsupported: collections.Counter[str] = collections.Counter()
    rows, seconds = [], []
    for path in files:
        try:
            conjecture = _smt_language(path).read_conjecture(path.read_text(encoding="utf-8"))
        except Unsupported as exc:
            counts["not parsed"] += 1
            unsupported[exc.reason.split(":")[0][:60]] += 1
            rows.append({"problem": path.stem, "verdict": "not parsed", "reason": exc.reason})
            continue
        counts["parsed"] += 1
        result = decide(conjecture, solver=args.solver, timeout=args.timeout)
        counts[result.verdict.value] += 1
        seconds.append(result.seconds)
        rows.append({"problem": path.stem, **result.model_dump(mode="json")})
        print(f"  {path.stem}: {result.verdict.value}", file=sys.stderr, flush=True)
    summary = {
        "date": date.today().isoformat(),
        "data": str(args.data),
        "solver": args.solver,
        "timeout": args.timeout,
        "files": len(files),
        "counts": dict(counts),
        "median_seconds": round(statistics.median(seconds), 3) if seconds else None,
        "disproved": [r for r in rows if r.get("verdict") == "disproved"],
        "smt_proved": sorted(r["problem"] for r in rows if r.get("verdict") == "smt-proved"),
        "top_parse_refusals": unsupported.most_common(12),
    }
    if args.out:
        args.out.parent.mkdir(parents=True, exist_ok=True)
        args.out.write_text(json.dumps({"summary": summary, "rows": rows}, indent=2, ensure_ascii=False))
    print(json.dumps(summary, indent=2, ensure_ascii=False))
    return 0


if __name__ == "__main__":
    sys.exit(main())
