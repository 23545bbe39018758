"""`lemmata submit / status / result`: the daemon's client on the command line (``LEMMATA_URL``, ``LEMMATA_TOKEN``)."""

from __future__ import annotations

import argparse
import json
from pathlib import Path

from rich.console import Console

from lemmata.prover.languages import load_document
from lemmata.verifiers.errors import LemmataError


def add_parsers(sub) -> None:
    submit = sub.add_parser("submit", help="submit a job to a lemmata serve daemon",
                            description="Submit FILE as a check, prove, repair or smt job; prints the job as JSON "
                                        "(with --wait, once it has ended).")
    submit.add_argument("kind", choices=["check", "prove", "repair", "smt"])
    submit.add_argument("file", type=Path, metavar="FILE")
    submit.add_argument("--statement", type=Path, metavar="PROBLEM", help="check, repair: the problem file")
    submit.add_argument("--theorem", metavar="NAME")
    submit.add_argument("--language", help="override the language guessed from the extension")
    submit.add_argument("--no-llm", action="store_true", help="prove, repair: no model")
    submit.add_argument("--timeout", type=float, metavar="S", help="seconds the job may take")
    submit.add_argument("--idempotency-key", metavar="KEY", help="a retried submission with the same key is not run twice")
    submit.add_argument("--wait", action="store_true", help="wait for the job to end")
    for name in ("status", "result"):
        parser = sub.add_parser(name, help=f"the {name} of a daemon job")
        parser.add_argument("job", metavar="JOB")
        if name == "result":
            parser.add_argument("--wait", action="store_true", help="wait for the job to end")
    for parser in (submit, sub.choices["status"], sub.choices["result"]):
        parser.add_argument("--url", help="the daemon (default LEMMATA_URL, else http://127.0.0.1:8765)")
        parser.add_argument("--token", help="bearer token (prefer LEMMATA_TOKEN)")


def _client(args: argparse.Namespace):
    from lemmata.daemon.client import Client

    return Client(args.url, args.token)


def run_submit(args: argparse.Namespace, console: Console) -> int:
    document = load_document(args.file, language=args.language)
    fields: dict = {"language": document.language, "theorem": args.theorem, "timeout": args.timeout}
    if args.kind in ("check", "repair"):
        fields["proof"] = document.text
        if args.statement is not None:
            fields["statement"] = load_document(args.statement, language=document.language).text
        if args.kind == "repair":
            fields.pop("theorem")
            fields["no_llm"] = args.no_llm
    elif args.kind == "prove":
        fields.update(problem=document.text, no_llm=args.no_llm)
    else:
        fields["statement"] = document.text
    with _client(args) as client:
        job = client.submit(args.kind, idempotency_key=args.idempotency_key,
                            **{k: v for k, v in fields.items() if v is not None})
        if args.wait:
            job = client.wait(job["id"])
    print(json.dumps(job, indent=2))
    return 0 if job["status"] != "failed" else 1


def run_status(args: argparse.Namespace, console: Console) -> int:
    with _client(args) as client:
        job = client.job(args.job)
    print(json.dumps({k: v for k, v in job.items() if k != "result"}, indent=2))
    return 0


def run_result(args: argparse.Namespace, console: Console) -> int:
    with _client(args) as client:
        job = client.wait(args.job) if args.wait else client.job(args.job)
    if job["status"] == "done":
        print(json.dumps(job["result"], indent=2))  # what the matching command prints with --json
        return 0
    if job["status"] == "failed":
        raise LemmataError(f"job {args.job} failed: {job['error']}")
    raise LemmataError(f"job {args.job} is {job['status']}: no result yet" if job["status"] != "cancelled"
                       else f"job {args.job} was cancelled")


__all__ = ["add_parsers", "run_result", "run_status", "run_submit"]
