"""`lemmata suite lean-repo URL --commit REV --out DIR`: a problem suite from a Lean repository, via LeanDojo."""

from __future__ import annotations

import argparse
import json
from pathlib import Path

from rich.console import Console

from lemmata.benchmarks.leandojo import trace_repo, write_suite
from lemmata.verifiers.errors import InputError


def add_parser(sub) -> None:
    suite = sub.add_parser("suite", help="build a problem suite from a Lean repository (LeanDojo)")
    kinds = suite.add_subparsers(dest="suite_kind", required=True)
    repo = kinds.add_parser("lean-repo", help="trace a Lean repository with LeanDojo; one problem per theorem",
                            description="Trace URL at --commit with LeanDojo (the optional extra lemmata[leandojo]) "
                                        "and write one .lean problem per theorem to --out, as `lemmata bench` reads "
                                        "them. With --from-json, convert LeanDojo's traced-theorem JSON instead, "
                                        "reading the files from --repo-dir (a checkout at that commit).")
    repo.add_argument("url")
    repo.add_argument("--commit", required=True, help="the commit (or tag) to trace")
    repo.add_argument("--out", required=True, type=Path, help="directory for the problem files")
    repo.add_argument("--from-json", type=Path, metavar="FILE", help="LeanDojo's theorem records (a JSON list)")
    repo.add_argument("--repo-dir", type=Path, metavar="DIR", help="the repository's checkout, with --from-json")
    repo.add_argument("--limit", type=int, help="at most this many theorems")


def run_suite(args: argparse.Namespace, console: Console) -> int:
    if args.from_json is not None:
        if args.repo_dir is None or not args.repo_dir.is_dir():
            raise InputError("--from-json needs --repo-dir: the repository's checkout at that commit")
        try:
            records = json.loads(args.from_json.read_text(encoding="utf-8"))
        except (OSError, ValueError) as exc:
            raise InputError(f"{args.from_json}: cannot read LeanDojo's records ({exc})") from None
        if not isinstance(records, list):
            raise InputError(f"{args.from_json}: expected a JSON list of theorem records")
        records = [dict(r, url=r.get("url", args.url), commit=r.get("commit", args.commit)) for r in records
                   if isinstance(r, dict)]
        root = args.repo_dir

        def read_file(path: str) -> str:
            return (root / path).read_text(encoding="utf-8")
    else:
        records, read_file = trace_repo(args.url, args.commit)
    if args.limit is not None:
        records = records[: args.limit]
    summary = write_suite(records, read_file, args.out)
    console.print(f"wrote {len(summary.written)} problems to {args.out}"
                  + (f"; skipped {len(summary.skipped)} (see {args.out / 'suite.json'})" if summary.skipped else ""),
                  markup=False)
    return 0 if summary.written else 1


__all__ = ["add_parser", "run_suite"]
