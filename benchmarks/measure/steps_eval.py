"""A labelled set of reasoning chains, and how well and how fast `verify_steps` finds their first error.

    python -m lemmata.benchmarks.measure.steps_eval --chains 400 --workers 2 --out benchmarks/out/steps_eval.json

The chains are generated here (seeded): multi-step arithmetic, linear
equations, fractions, percentages, word problems with units, and algebraic
expansions, in plain text and LaTeX. Half are correct; the other half get one
arithmetic or algebra error in one step, which later steps carry forward, as
a model's mistakes do. The label is the index of that step. Reported: first
error accuracy, false alarms on correct chains, the share of steps with a
checkable claim, and steps per second.
"""

from __future__ import annotations

import argparse
import json
import platform
import random
import sys
import time
from collections.abc import Callable
from datetime import date
from fractions import Fraction
from pathlib import Path

from lemmata.prover.steps import StepChecker

Chain = tuple[str, list[str], list[int]]  # problem, steps, the result each step states (for error injection)


def _arithmetic(r: random.Random, wrong: int | None) -> dict:
    a, b, c, d = r.randint(2, 60), r.randint(2, 60), r.randint(2, 12), r.randint(1, 90)
    values = [a + b]
    values.append(values[0] * c)
    values.append(values[1] - d)
    texts = []
    times = r.choice(["\\times", "*", "×", "\\cdot"])
    for k in range(3):
        if wrong == k:
            values[k] += r.choice([-3, -2, -1, 1, 2, 10])
            if k == 0:
                values[1] = values[0] * c
                values[2] = values[1] - d
            elif k == 1:
                values[2] = values[1] - d
    texts.append(f"First add: {a} + {b} = {values[0]}.")
    texts.append(f"Then multiply by {c}: ${values[0]} {times} {c} = {values[1]}$.")
    texts.append(f"Subtract {d} to get {values[1]} - {d} = {values[2]}.")
    texts.append(f"So the answer is {values[2]}.")
    return {"problem": f"Compute ({a} + {b}) * {c} - {d}.", "steps": texts}


def _linear(r: random.Random, wrong: int | None) -> dict:
    x, p, q = r.randint(-20, 40), r.randint(2, 9), r.randint(1, 50)
    rhs = p * x + q
    step1 = rhs - q + (r.choice([-2, -1, 1, 3]) if wrong == 0 else 0)
    value = Fraction(step1, p)
    if wrong == 1:
        value += r.choice([-1, 1, 2])
    shown = str(value.numerator) if value.denominator == 1 else f"\\frac{{{value.numerator}}}{{{value.denominator}}}"
    return {"problem": f"Solve for x: {p}x + {q} = {rhs}.",
            "steps": [f"Subtract {q} from both sides: {p}x = {step1}.", f"Divide both sides by {p}: $x = {shown}$.",
                      f"Check: {p} \\cdot {shown} + {q} = {p * value + q}."]}


def _fractions(r: random.Random, wrong: int | None) -> dict:
    a, b, c, d = r.randint(1, 9), r.randint(2, 12), r.randint(1, 9), r.randint(2, 12)
    common = b * d
    top = a * d + c * b + (r.choice([-1, 1, 2]) if wrong == 0 else 0)
    total = Fraction(top, common) + (Fraction(1, common) if wrong == 1 else 0)
    return {"problem": f"What is $\\frac{{{a}}}{{{b}}} + \\frac{{{c}}}{{{d}}}$?",
            "steps": [f"Use the common denominator {common}: $\\frac{{{a}}}{{{b}}} + \\frac{{{c}}}{{{d}}} = "
                      f"\\frac{{{top}}}{{{common}}}$.",
                      f"Simplify: $\\frac{{{top}}}{{{common}}} = \\frac{{{total.numerator}}}{{{total.denominator}}}$.",
                      "That fraction is in lowest terms."]}


def _percent(r: random.Random, wrong: int | None) -> dict:
    p, n = r.choice([5, 10, 12, 15, 20, 25, 30, 40, 50, 75]), r.randint(2, 40) * 20
    part = Fraction(p * n, 100) + (r.choice([-5, 1, 2, 10]) if wrong == 0 else 0)
    rest = n - part + (r.choice([-1, 3]) if wrong == 1 else 0)
    show = lambda v: str(v) if v.denominator == 1 else f"{float(v):g}"  # noqa: E731
    return {"problem": f"A shop has {n} items and sells {p}% of them. How many are left?",
            "steps": [f"{p}% of {n} = {show(part)} items are sold.", f"Then {n} - {show(part)} = {show(rest)} items are left.",
                      f"The answer is {show(rest)}."]}


def _word(r: random.Random, wrong: int | None) -> dict:
    boxes, per, eaten = r.randint(3, 12), r.randint(4, 24), r.randint(1, 20)
    total = boxes * per + (r.choice([-4, -1, 1, 6]) if wrong == 0 else 0)
    left = total - eaten + (r.choice([-2, 1, 5]) if wrong == 1 else 0)
    return {"problem": f"Sam buys {boxes} boxes with {per} cookies each and eats {eaten}. How many are left?",
            "steps": [f"Sam has {boxes} \\times {per} = {total} cookies.", f"After eating, {total} - {eaten} = {left} remain.",
                      "So Sam has that many cookies left."]}


def _algebra(r: random.Random, wrong: int | None) -> dict:
    a = r.randint(1, 9)
    linear = 2 * a + (r.choice([-1, 1, 2]) if wrong == 0 else 0)
    square = a * a + (r.choice([-1, 1, 3]) if wrong == 1 else 0)
    return {"problem": f"Expand $(x + {a})^2$ and evaluate it at x = 2.",
            "steps": [f"$(x + {a})^2 = x^2 + {linear}x + {a * a}$.",
                      f"At x = 2 the value is $(2 + {a})^2 = {square}$.",
                      f"Check: $2^2 + {linear} \\cdot 2 + {a * a} = {4 + 2 * linear + a * a}$."]}


GENERATORS: list[tuple[Callable, int]] = [(_arithmetic, 3), (_linear, 2), (_fractions, 2), (_percent, 2), (_word, 2),
                                          (_algebra, 2)]


def generate(count: int, seed: int = 20261123) -> list[dict]:
    r = random.Random(seed)
    chains = []
    for i in range(count):
        make, erring_steps = GENERATORS[i % len(GENERATORS)]
        wrong = r.randrange(erring_steps) if i % 2 else None
        chain = make(r, wrong)
        chain["id"] = f"{make.__name__.strip('_')}-{i}"
        chain["label_first_error"] = wrong
        chains.append(chain)
    return chains


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--chains", type=int, default=400)
    parser.add_argument("--workers", type=int, default=1)
    parser.add_argument("--out", type=Path, help="write the chains, the verdicts and the summary as JSON")
    args = parser.parse_args(argv)
    chains = generate(args.chains)
    started = time.monotonic()
    with StepChecker(workers=args.workers) as checker:
        results = [{**c, **r.model_dump(mode="json")} for c, r in zip(chains, checker.verify_many(chains))]
    elapsed = time.monotonic() - started
    steps = sum(len(c["steps"]) for c in chains)
    correct = [r for r in results if r["label_first_error"] is None]
    erring = [r for r in results if r["label_first_error"] is not None]
    checkable = sum(1 for r in results for s in r["steps"] if s["verdict"] != "unchecked")
    summary = {
        "date": date.today().isoformat(), "machine": f"{platform.node()} {platform.machine()}",
        "command": " ".join(["python -m lemmata.benchmarks.measure.steps_eval", *(argv if argv is not None else sys.argv[1:])]),
        "chains": len(chains), "steps": steps, "workers": args.workers,
        "first_error_accuracy": round(sum(r["first_error"] == r["label_first_error"] for r in results) / len(results), 4),
        "errors_found_at_the_right_step": f"{sum(r['first_error'] == r['label_first_error'] for r in erring)}/{len(erring)}",
        "false_alarms_on_correct_chains": f"{sum(r['first_error'] is not None for r in correct)}/{len(correct)}",
        "checkable_step_share": round(checkable / steps, 4),
        "steps_per_second": round(steps / elapsed, 1), "seconds": round(elapsed, 2),
    }
    misses = [{"id": r["id"], "label": r["label_first_error"], "found": r["first_error"]}
              for r in results if r["first_error"] != r["label_first_error"]]
    print(json.dumps(summary, indent=2))
    if misses:
        print(f"{len(misses)} chains with the wrong first error, e.g. {misses[:5]}")
    if args.out:
        args.out.parent.mkdir(parents=True, exist_ok=True)
        args.out.write_text(json.dumps({"summary": summary, "misses": misses, "results": results}, indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main())
