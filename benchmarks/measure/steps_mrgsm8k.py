"""Step verification on real, human-labelled reasoning chains: MR-GSM8K's development half.

    python -m lemmata.benchmarks.measure.steps_mrgsm8k --data ../shared/data/steps/mr-gsm8k --workers 2 \
        --out benchmarks/out/steps_mrgsm8k.json

``correct.jsonl`` holds GSM8K's human-written reference solutions: any chain
with a refuted step is a false alarm. ``wrong.jsonl`` holds model-written
solutions with the first wrong step labelled by people (1-based); a flagged
chain is counted at, before (a false alarm inside a wrong chain) or after
that step. Many labelled errors are misread questions no arithmetic check can
see, so recall has a ceiling well below 100%. Reported besides: claims per
step, the share of steps with a checkable claim, steps per second.
"""

from __future__ import annotations

import argparse
import json
import platform
import sys
import time
from collections import Counter
from datetime import date
from pathlib import Path

from lemmata.prover.steps import StepChecker


def _read(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def _flagged_claims(result: dict) -> list[dict]:
    index = result["first_error"]
    step = result["steps"][index]
    return [{"id": result["id"], "step": index, "text": step["text"], "claim": claim["claim"],
             "method": claim["method"], "evidence": claim["evidence"]}
            for claim in step["claims"] if claim["verdict"] == "refuted"]


def summarise(correct: list[dict], wrong: list[dict], seconds: float) -> dict:
    results = correct + wrong
    steps = [s for r in results for s in r["steps"]]
    claims = [c for s in steps for c in s["claims"]]
    placed = Counter()
    for r in wrong:
        if r["first_error"] is None:
            placed["not flagged"] += 1
        else:
            label = r["label"] - 1
            placed["at the labelled step" if r["first_error"] == label else
                   "before it" if r["first_error"] < label else "after it"] += 1
    flagged_wrong = len(wrong) - placed["not flagged"]
    return {
        "chains": {"correct": len(correct), "wrong": len(wrong)}, "steps": len(steps), "claims": len(claims),
        "false_alarms_on_correct": sum(r["first_error"] is not None for r in correct),
        "refuted_steps_on_correct": sum(s["verdict"] == "refuted" for r in correct for s in r["steps"]),
        "wrong_flagged": flagged_wrong,
        "wrong_flagged_at_labelled_step": placed["at the labelled step"],
        "wrong_flagged_before_it": placed["before it"],
        "wrong_flagged_after_it": placed["after it"],
        "claims_per_step": round(len(claims) / max(1, len(steps)), 3),
        "checkable_step_share": round(sum(s["verdict"] != "unchecked" for s in steps) / max(1, len(steps)), 4),
        "step_verdicts": dict(Counter(s["verdict"] for s in steps)),
        "claim_methods": dict(Counter(f"{c['verdict']}: {c['method']}" for c in claims).most_common()),
        "steps_per_second": round(len(steps) / seconds, 1), "seconds": round(seconds, 2),
    }


def measure(data: Path, workers: int) -> tuple[dict, list[dict], list[dict]]:
    """The summary, and every checked chain of ``correct.jsonl`` and ``wrong.jsonl`` (the latter with its label)."""
    correct_in, wrong_in = _read(data / "correct.jsonl"), _read(data / "wrong.jsonl")
    # The human label must not reach the checker: it sees the problem and the steps only.
    chains = [{"id": c["id"], "problem": c["problem"], "steps": c["steps"]} for c in correct_in + wrong_in]
    started = time.monotonic()
    with StepChecker(workers=workers) as checker:
        reports = checker.verify_many(chains)
    seconds = time.monotonic() - started
    results = [{**chain, **report.model_dump(mode="json")} for chain, report in zip(chains, reports)]
    correct = results[:len(correct_in)]
    wrong = [{**r, "label": w["first_error"]} for r, w in zip(results[len(correct_in):], wrong_in)]
    return summarise(correct, wrong, seconds), correct, wrong


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, required=True, help="folder with correct.jsonl and wrong.jsonl")
    parser.add_argument("--workers", type=int, default=1)
    parser.add_argument("--out", type=Path, help="write the summary, every verdict and the flagged claims as JSON")
    args = parser.parse_args(argv)
    measured, correct, wrong = measure(args.data, args.workers)
    summary = {"date": date.today().isoformat(), "machine": f"{platform.node()} {platform.machine()}",
               "command": " ".join(["python -m lemmata.benchmarks.measure.steps_mrgsm8k",
                                    *(argv if argv is not None else sys.argv[1:])]),
               "workers": args.workers, **measured}
    print(json.dumps(summary, indent=2))
    if args.out:
        args.out.parent.mkdir(parents=True, exist_ok=True)
        alarms = [c for r in correct if r["first_error"] is not None for c in _flagged_claims(r)]
        early = [c for r in wrong if r["first_error"] is not None and r["first_error"] < r["label"] - 1
                 for c in _flagged_claims(r)]
        args.out.write_text(json.dumps({"summary": summary, "false_alarms": alarms, "early_flags_in_wrong": early,
                                        "results": correct + wrong}, indent=1, ensure_ascii=False))
    return 0


if __name__ == "__main__":
    sys.exit(main())
