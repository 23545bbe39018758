"""A stand-in model server: the OpenAI chat wire with a fixed time per token, started as vLLM/SGLang/llama.cpp would be.

    python -m lemmata.benchmarks.measure.openai_stand_in [the server's own flags...]

It reads ``--host``/``--port`` and the served name (``--served-model-name``,
``--model_alias``) from whatever command line ``lemmata serve-model`` builds
for the backend it stands in for, and ignores the rest. Each completion
takes ``tokens x delay`` seconds; the ``n`` completions of one request are
written side by side (as a GPU batches them), so timings measure Lemmata's
own overhead, not a model's. Environment:

- ``STAND_IN_DELAY`` seconds per token (default 0.002), ``STAND_IN_LENGTH``
  tokens per completion (default 200; cut to the request's ``max_tokens``); names
  without "TOKEN", which tools' environments drop as a likely secret;
- ``STAND_IN_COMPLETIONS`` a JSON file with a list of completion texts, served in turn;
- ``STAND_IN_IGNORE_N=1`` answers one choice whatever ``n`` asks, one request at a
  time (as llama-cpp-python's server does);
- ``STAND_IN_RECORD`` a file to write the command line to (JSON), for tests.
"""

from __future__ import annotations

import contextlib
import itertools
import json
import os
import sys
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path


class JsonHandler(BaseHTTPRequestHandler):
    """A request handler that reads and answers JSON, quietly (the stand-ins' and the tests' servers)."""

    def log_message(self, *args) -> None:
        pass

    def read_json(self) -> dict:
        return json.loads(self.rfile.read(int(self.headers.get("content-length", 0))) or b"{}")

    def send_json(self, status: int, data: dict, headers: dict | None = None) -> None:
        payload = json.dumps(data).encode()
        self.send_response(status)
        self.send_header("content-type", "application/json")
        self.send_header("content-length", str(len(payload)))
        for key, value in (headers or {}).items():
            self.send_header(key, value)
        self.end_headers()
        self.wfile.write(payload)


def _flag(argv: list[str], *names: str, default: str | None = None) -> str | None:
    """The value of the first of ``names`` that the command line has."""
    for name in names:
        if name in argv[:-1]:
            return argv[argv.index(name) + 1]
    return default


def serve(argv: list[str]) -> None:
    if record := os.environ.get("STAND_IN_RECORD"):
        Path(record).write_text(json.dumps(argv))
    host = _flag(argv, "--host", default="127.0.0.1")
    port = int(_flag(argv, "--port", default="8000"))
    name = _flag(argv, "--served-model-name", "--model_alias", "--model", "--model-path", default="stand-in")
    delay = float(os.environ.get("STAND_IN_DELAY", "0.002"))
    tokens = int(os.environ.get("STAND_IN_LENGTH", "200"))
    ignore_n = os.environ.get("STAND_IN_IGNORE_N") == "1"
    texts = json.loads(Path(os.environ["STAND_IN_COMPLETIONS"]).read_text()) \
        if os.environ.get("STAND_IN_COMPLETIONS") else ["```coq\nProof. lia. Qed.\n```"]
    turn = itertools.cycle(range(len(texts)))
    turn_lock = threading.Lock()
    one_at_a_time = threading.Lock()

    class Handler(JsonHandler):
        def do_GET(self) -> None:  # noqa: N802 - http.server's naming
            if self.path.rstrip("/") in ("/v1/models", "/health"):
                self.send_json(200, {"object": "list", "data": [{"id": name, "object": "model"}]})
            else:
                self.send_json(404, {"error": {"message": "not found"}})

        def do_POST(self) -> None:  # noqa: N802
            body = self.read_json()
            if self.path.rstrip("/") != "/v1/chat/completions":
                self.send_json(404, {"error": {"message": "not found"}})
                return
            n = 1 if ignore_n else int(body.get("n") or 1)
            length = min(tokens, int(body.get("max_tokens") or tokens))
            with one_at_a_time if ignore_n else contextlib.nullcontext():
                time.sleep(length * delay)
            with turn_lock:
                chosen = [texts[next(turn)] for _ in range(n)]
            finish = "length" if length < tokens else "stop"
            self.send_json(200, {"id": "stand-in", "object": "chat.completion", "created": 0, "model": name,
                             "choices": [{"index": i, "finish_reason": finish,
                                          "message": {"role": "assistant", "content": t}}
                                         for i, t in enumerate(chosen)],
                             "usage": {"prompt_tokens": 100, "completion_tokens": length * n,
                                       "total_tokens": 100 + length * n}})

    server = ThreadingHTTPServer((host, port), Handler)
    server.daemon_threads = True
    server.serve_forever()


if __name__ == "__main__":
    serve(sys.argv[1:])
