"""`lemmata steps IN.jsonl [--out OUT.jsonl] [--workers W]`: check reasoning chains, one JSON line each.

The input is streamed: lines are read, checked on ``--workers`` processes and
written in input order with a bounded number in flight, so memory stays flat
on a file of any size. Each output line keeps the input line's fields and adds
``first_error``, ``steps`` (each step's text, verdict and claims), ``givens``,
``score`` and ``input_line``; ``--schema`` prints the JSON schema of an output
line. A line that is not a chain (bad JSON, missing fields, over the size
limit) gets an output line with ``error`` and the run goes on; the command then
exits 2. Output is flushed line by line: re-running with the same ``--out``
resumes after the last complete line.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from collections import deque
from collections.abc import Iterator
from concurrent.futures import Future
from pathlib import Path
from typing import IO, Any

from pydantic import ValidationError
from rich.console import Console

from lemmata.cli.options import add_model_options, llm_config
from lemmata.prover.steps import ChainInput, ChainReport, StepChecker
from lemmata.verifiers.errors import LemmataError

MAX_LINE_BYTES = 4 * 1024 * 1024  # a chain of thousands of steps fits; a runaway line does not reach the checker
SHAPE = '{"problem": str, "steps": [str, ...], "context"?: str | [str, ...]}'


def add_parser(sub) -> None:
    steps = sub.add_parser("steps", help="check each step of reasoning chains (JSON lines) with exact arithmetic "
                                         "and SMT", description=__doc__.splitlines()[0])
    steps.add_argument("input", type=Path, nargs="?", metavar="IN.jsonl",
                       help=f"lines of {SHAPE}; '-' reads standard input")
    steps.add_argument("--out", type=Path, metavar="OUT.jsonl",
                       help="write here, resuming after its last complete line (default: standard output)")
    steps.add_argument("--workers", type=int, default=1, metavar="W", help="processes")
    steps.add_argument("--timeout", type=float, default=10.0, metavar="S", help="seconds per chain (default 10)")
    steps.add_argument("--schema", action="store_true", help="print the JSON schema of an output line and exit")
    add_model_options(steps)  # with a model: formal mode for the steps plain reading cannot decide


def output_schema() -> dict[str, Any]:
    """JSON schema of one output line: a checked chain (the input's fields plus the report) or an unreadable line."""
    report = ChainReport.model_json_schema()
    defs = report.pop("$defs", {})
    line = {"type": "integer", "minimum": 1, "description": "1-based number of the input line this answers"}
    report["title"] = "CheckedChain"
    report["description"] = ("The input line's own fields, and these. " + (report.get("description") or "")).strip()
    report["properties"]["input_line"] = line
    report["required"] = [*report.get("required", []), "input_line"]
    report["additionalProperties"] = True
    unreadable = {"title": "UnreadableLine", "type": "object", "additionalProperties": False,
                  "properties": {"input_line": line, "error": {"type": "string", "description": "why it is not a chain"}},
                  "required": ["input_line", "error"]}
    return {"$schema": "https://json-schema.org/draft/2020-12/schema", "title": "lemmata steps output line",
            "oneOf": [report, unreadable], "$defs": defs}


def _read_lines(stream: IO[bytes]) -> Iterator[tuple[int, bytes | None]]:
    """``(number, line)``, or ``(number, None)`` for a line over ``MAX_LINE_BYTES`` (skipped unread)."""
    number = 0
    while True:
        line = stream.readline(MAX_LINE_BYTES + 1)
        if not line:
            return
        number += 1
        if len(line) > MAX_LINE_BYTES and not line.endswith(b"\n"):
            while line and not line.endswith(b"\n"):
                line = stream.readline(1 << 20)
            yield number, None
            continue
        yield number, line


def _parse(line: bytes | None) -> tuple[dict[str, Any], ChainInput] | str:
    """The line's JSON object and the chain it holds; or why it is not one."""
    if line is None:
        return f"longer than {MAX_LINE_BYTES // 2**20} MiB"
    try:
        item = json.loads(line)
    except UnicodeDecodeError:
        return "not UTF-8 text"
    except json.JSONDecodeError as exc:
        return f"not JSON ({exc.msg})"
    if not isinstance(item, dict):
        return f"expected {SHAPE}"
    try:
        return item, ChainInput.model_validate(item)
    except ValidationError:
        return f"expected {SHAPE}"


def _resume_point(path: Path) -> int:
    """The input line after which a previous run stopped; a cut last line is removed first."""
    if not path.exists() or not path.stat().st_size:
        return 0
    last, keep = 0, 0
    with path.open("rb") as f:
        for line in iter(f.readline, b""):
            try:
                record = json.loads(line) if line.endswith(b"\n") else None
            except (json.JSONDecodeError, UnicodeDecodeError):
                record = None
            if not isinstance(record, dict) or not isinstance(record.get("input_line"), int):
                break  # a line cut by a kill, and nothing after it counts
            last, keep = record["input_line"], keep + len(line)
    with path.open("rb+") as f:
        f.truncate(keep)
    return last


def _done(value: dict[str, Any]) -> Future:
    future: Future = Future()
    future.set_result(value)
    return future


def run_steps(args: argparse.Namespace, console: Console) -> int:
    if args.schema:
        console.print(json.dumps(output_schema(), indent=2), markup=False)
        return 0
    if args.input is None:
        raise LemmataError("give the chains to check (IN.jsonl, or '-' for standard input)")
    if args.workers < 1:
        raise LemmataError("--workers must be at least 1")
    if args.timeout <= 0:
        raise LemmataError("--timeout must be positive")
    stdin = str(args.input) == "-"
    if not stdin and not args.input.is_file():
        raise LemmataError(f"{args.input}: no such file")
    config = llm_config(args)
    skip = _resume_point(args.out) if args.out else 0
    err = Console(stderr=True, highlight=False, soft_wrap=True)
    if skip:
        err.print(f"{args.out}: resuming after input line {skip}", markup=False)
    name = "<stdin>" if stdin else str(args.input)
    source = sys.stdin.buffer if stdin else args.input.open("rb")
    out = args.out.open("a", encoding="utf-8") if args.out else sys.stdout
    counts = {"chains": 0, "refuted": 0, "bad": 0}
    bad_lines: list[str] = []
    checker = StepChecker(args.workers, timeout=args.timeout,
                          llm_config=config.model_dump(mode="json") if config else None)
    pending: deque[tuple[int, dict[str, Any] | None, Future]] = deque()

    def emit(number: int, item: dict[str, Any] | None, future: Future) -> None:
        result = future.result()
        if item is None:
            record = {"input_line": number, **result}
            counts["bad"] += 1
            if len(bad_lines) < 5:
                bad_lines.append(f"{name}:{number}: {result['error']}")
        else:
            report = result.model_dump(mode="json")
            record = {**item, **report, "input_line": number}
            counts["chains"] += 1
            counts["refuted"] += report["first_error"] is not None
        out.write(json.dumps(record, ensure_ascii=False) + "\n")
        out.flush()

    interrupted = False
    try:
        for number, line in _read_lines(source):
            if number <= skip:
                continue
            parsed = _parse(line)
            if isinstance(parsed, str):
                pending.append((number, None, _done({"error": parsed})))
            else:
                item, chain = parsed
                pending.append((number, item, checker.submit(chain)))
            while len(pending) > args.workers * 8 or (pending and pending[0][2].done()):
                emit(*pending.popleft())
        while pending:
            emit(*pending.popleft())
    except KeyboardInterrupt:
        interrupted = True
    finally:
        checker.close(wait=not interrupted)
        if not stdin:
            source.close()
        if args.out:
            out.flush()
            os.fsync(out.fileno())
            out.close()
    if interrupted:
        err.print("interrupted: rerun the same command to resume" if args.out else "interrupted", markup=False)
        return 130
    for message in bad_lines:
        err.print(message, markup=False)
    where = f"; results in {args.out}" if args.out else ""
    err.print(f"{counts['chains']} chains, {counts['refuted']} with a refuted step"
              + (f", {counts['bad']} unreadable lines (an \"error\" line each)" if counts["bad"] else "") + where,
              markup=False)
    return 2 if counts["bad"] else 0


__all__ = ["add_parser", "output_schema", "run_steps"]
