"""`lemmata serve` (the daemon) and `lemmata token create NAME` (a bearer token for it)."""

from __future__ import annotations

import argparse
from pathlib import Path

from rich.console import Console

from lemmata.verifiers.errors import LemmataError


def add_parsers(sub) -> None:
    serve = sub.add_parser("serve", help="run the proof service: HTTP API, durable job queue, workers",
                           description="Serve check/prove/smt/steps jobs over HTTP (OpenAPI at /docs). Jobs live in "
                                       "an SQLite file and survive restarts. Binds to loopback unless told otherwise.")
    serve.add_argument("--host", help="address to bind (default 127.0.0.1; put a TLS proxy in front for others)")
    serve.add_argument("--port", type=int, help="port (default 8765)")
    serve.add_argument("--db", type=Path, help="the job store (default ~/.local/share/lemmata/serve.db)")
    serve.add_argument("--workers", type=int, help="worker processes (default 2)")
    serve.add_argument("--warm-sessions", type=int, metavar="N",
                       help="warm checker sessions each worker keeps between check jobs (default 4)")
    serve.add_argument("--executor", choices=["local", "ray"],
                       help="run jobs in local worker processes (default) or as Ray actors on a cluster")
    serve.add_argument("--address", help="with --executor ray: the cluster to join (default: start a local Ray)")
    serve.add_argument("--max-queue", type=int, help="queued jobs beyond which submissions get 429 (default 1000)")
    serve.add_argument("--watch", type=Path, metavar="DIR", help="also keep this Coq project green (as lemmata watch, "
                                                                 "writing patches); shown on the status page")
    token = sub.add_parser("token", help="manage the daemon's bearer tokens")
    token.add_argument("action", choices=["create"])
    token.add_argument("name", help="who the token is for")
    token.add_argument("--db", type=Path, help="the daemon's job store")


def _settings(args: argparse.Namespace):
    from lemmata.daemon.settings import ServeSettings

    return ServeSettings.from_env(host=getattr(args, "host", None), port=getattr(args, "port", None), db=args.db,
                                  workers=getattr(args, "workers", None), max_queue=getattr(args, "max_queue", None),
                                  warm_sessions=getattr(args, "warm_sessions", None),
                                  executor=getattr(args, "executor", None), ray_address=getattr(args, "address", None))


def run_serve(args: argparse.Namespace, console: Console) -> int:
    try:
        from lemmata.daemon.server import serve
    except ImportError as exc:
        raise LemmataError(f"lemmata serve needs the server extra ({exc.name} is missing): "
                           "pip install 'lemmata[server]'") from None
    settings = _settings(args)
    if settings.workers < 1:
        raise LemmataError("--workers must be at least 1")
    if settings.warm_sessions < 1:
        raise LemmataError("--warm-sessions must be at least 1")
    if settings.ray_address and settings.executor != "ray":
        raise LemmataError("--address is for --executor ray")
    console.print(f"lemmata serve on http://{settings.host}:{settings.port} (store {settings.db}, "
                  f"{settings.workers} {'Ray actors' if settings.executor == 'ray' else 'workers'}); API docs at /docs",
                  markup=False)
    serve(settings, watch=args.watch)
    return 0


def run_token(args: argparse.Namespace, console: Console) -> int:
    from lemmata.daemon.store import Store

    settings = _settings(args)
    try:
        token = Store(settings.db).create_token(args.name)
    except ValueError as exc:
        raise LemmataError(str(exc)) from None
    print(token)
    return 0


__all__ = ["add_parsers", "run_serve", "run_token"]
