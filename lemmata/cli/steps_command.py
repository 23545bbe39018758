"""`lemmata steps IN.jsonl [--out OUT.jsonl] [--workers W]`: check reasoning chains, one JSON line each.

Every input line is read and validated before any work starts (a malformed
line stops the run with its line number, exit 2); output lines keep the input's
fields and add ``first_error``, ``steps`` and ``givens``.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from rich.console import Console

from lemmata.cli.options import add_model_options, llm_config
from lemmata.prover.steps import verify_many
from lemmata.verifiers.documents import DEFAULT_MAX_BYTES
from lemmata.verifiers.errors import LemmataError


def add_parser(sub) -> None:
    steps = sub.add_parser("steps", help="check each step of reasoning chains (JSON lines) with exact arithmetic "
                                         "and SMT", description=__doc__.splitlines()[0])
    steps.add_argument("input", type=Path, metavar="IN.jsonl", help='lines of {"problem": str, "steps": [str, ...]}')
    steps.add_argument("--out", type=Path, metavar="OUT.jsonl", help="write here (default: standard output)")
    steps.add_argument("--workers", type=int, default=1, metavar="W", help="processes")
    add_model_options(steps)  # with a model: formal mode for the steps plain reading cannot decide


def _read(path: Path) -> list[dict]:
    if not path.is_file():
        raise LemmataError(f"{path}: no such file")
    if path.stat().st_size > 50 * DEFAULT_MAX_BYTES:
        raise LemmataError(f"{path}: larger than {50 * DEFAULT_MAX_BYTES // 2**20} MiB")
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except UnicodeDecodeError:
        raise LemmataError(f"{path}: not UTF-8 text") from None
    items = []
    for number, line in enumerate(lines, 1):
        if not line.strip():
            continue
        try:
            item = json.loads(line)
        except json.JSONDecodeError as exc:
            raise LemmataError(f"{path}:{number}: not JSON ({exc.msg})") from None
        if not isinstance(item, dict) or not isinstance(item.get("problem"), str) \
                or not isinstance(item.get("steps"), list) or not all(isinstance(s, str) for s in item["steps"]):
            raise LemmataError(f'{path}:{number}: expected {{"problem": str, "steps": [str, ...]}}')
        items.append(item)
    return items


def run_steps(args: argparse.Namespace, console: Console) -> int:
    if args.workers < 1:
        raise LemmataError("--workers must be at least 1")
    items = _read(args.input)
    config = llm_config(args)
    out = args.out.open("w", encoding="utf-8") if args.out else sys.stdout
    refuted = 0
    try:
        for result in verify_many(items, workers=args.workers,
                                  llm_config=config.model_dump(mode="json") if config else None):
            refuted += result["first_error"] is not None
            out.write(json.dumps(result, ensure_ascii=False) + "\n")
            out.flush()
    finally:
        if args.out:
            out.close()
    if args.out:
        console.print(f"{len(items)} chains, {refuted} with a refuted step; results in {args.out}", markup=False)
    return 0


__all__ = ["add_parser", "run_steps"]
