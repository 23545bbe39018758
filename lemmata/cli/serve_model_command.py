"""`lemmata serve-model`: start a local model server for bulk sampling, print its URL, stop it on Ctrl-C.

Also the shared ``--serve-model BACKEND:MODEL`` of `prove` and `bench`, which
starts one for the length of a run and points the run's model options at it.
"""

from __future__ import annotations

import argparse
import contextlib
import shlex
import signal
import threading
from collections.abc import Iterator

from rich.console import Console

from lemmata.prover.llm.serve import BACKENDS, ModelServer, ServeOptions, parse_spec


def add_serve_options(parser: argparse.ArgumentParser) -> None:
    """What both `serve-model` and `--serve-model` take to shape the server."""
    parser.add_argument("--context-length", type=int, metavar="TOKENS",
                        help="the context the server allocates (default: the model's; llama.cpp: 8192)")
    parser.add_argument("--server-concurrency", type=int, metavar="N",
                        help="sequences the server runs at once (default: vllm/sglang 256, llama.cpp 1)")
    parser.add_argument("--server-arg", action="append", default=[], metavar="ARG",
                        help="one more argument for the server's command line (repeatable)")
    parser.add_argument("--launcher", metavar="CMD",
                        help="command to run instead of 'python -m MODULE' (another environment's Python, a wrapper)")
    parser.add_argument("--startup-timeout", type=float, default=900.0, metavar="S",
                        help="seconds to wait for the server to answer (default 900)")


def add_parser(sub) -> None:
    serve = sub.add_parser("serve-model", help="start a local OpenAI-compatible model server for bulk sampling",
                           description="Start vLLM, SGLang or llama.cpp with the flags bulk sampling wants, wait until "
                                       "it answers, print the base URL to pass to prove/bench, and stop it on Ctrl-C.")
    serve.add_argument("--backend", required=True, choices=sorted(BACKENDS))
    serve.add_argument("--model", required=True, help="Hugging Face id or directory (vllm, sglang); a .gguf file or "
                                                      "a package that ships one (llama.cpp)")
    serve.add_argument("--port", type=int, default=8000)
    serve.add_argument("--host", default="127.0.0.1")
    serve.add_argument("--name", help="the model name clients ask for (default: the model's last path part)")
    add_serve_options(serve)


def options_from(args: argparse.Namespace, backend: str, model: str, *, port: int = 0,
                 host: str = "127.0.0.1") -> ServeOptions:
    return ServeOptions(backend=backend, model=model, host=host, port=port, name=getattr(args, "name", None),
                        context_length=args.context_length, concurrency=args.server_concurrency,
                        extra_args=tuple(args.server_arg), startup_timeout=args.startup_timeout,
                        launcher=tuple(shlex.split(args.launcher)) if args.launcher else None)


def run_serve_model(args: argparse.Namespace, console: Console) -> int:
    err = Console(stderr=True, highlight=False, soft_wrap=True)
    err.print(f"starting {args.backend} with {args.model} ...", markup=False)
    stopped = threading.Event()
    previous = signal.signal(signal.SIGTERM, lambda *_: stopped.set())
    try:
        with ModelServer(options_from(args, args.backend, args.model, port=args.port, host=args.host)) as server:
            console.print(f"serving {server.model} at {server.base_url}", markup=False)
            console.print(f"use: --base-url {server.base_url} --model {server.model}   (Ctrl-C stops it)",
                          markup=False)
            while not stopped.is_set():
                if server.process is None or server.process.poll() is not None:
                    err.print(f"lemmata: the server exited: {server.log_tail()}", markup=False)
                    return 1
                stopped.wait(1.0)
    except KeyboardInterrupt:
        pass
    finally:
        signal.signal(signal.SIGTERM, previous)
    err.print("server stopped", markup=False)
    return 0


@contextlib.contextmanager
def served(args: argparse.Namespace) -> Iterator[ModelServer | None]:
    """With ``--serve-model``, a started server and ``args`` pointed at it; otherwise nothing."""
    if not getattr(args, "serve_model", None):
        yield None
        return
    backend, model = parse_spec(args.serve_model)
    err = Console(stderr=True, highlight=False, soft_wrap=True)
    err.print(f"starting {backend} with {model} for this run ...", markup=False)
    with ModelServer(options_from(args, backend, model)) as server:
        args.base_url, args.model, args.concurrency = server.base_url, server.model, server.concurrency
        err.print(f"serving {server.model} at {server.base_url}", markup=False)
        yield server
        if server.process is not None and server.process.poll() is not None:  # explain "cannot connect"
            err.print(f"lemmata: the {backend} server exited during the run (status {server.process.returncode}): "
                      f"{server.log_tail()}", markup=False)


__all__ = ["add_parser", "add_serve_options", "run_serve_model", "served"]
