"""A real local HTTP server speaking the OpenAI chat-completions wire protocol, scripted per test.

Each request pops the next scripted reply: ``("ok", [texts])`` answers 200 with
those choices (as many as the request's ``n`` asks for, at most), ``("slow",
seconds, [texts])`` does the same after a pause, ``(status, headers)`` answers
that HTTP error. With the script empty, requests get 200 and
the default completion.
"""

from __future__ import annotations

import threading
import time
from http.server import ThreadingHTTPServer

from lemmata.benchmarks.measure.openai_stand_in import JsonHandler


class FakeOpenAI:
    def __init__(self, default: str = "```coq\nProof. lia. Qed.\n```") -> None:
        self.script: list[tuple] = []
        self.requests: list[dict] = []
        self.times: list[float] = []
        self.default = default
        server = self

        class Handler(JsonHandler):
            def do_POST(self) -> None:  # noqa: N802 - http.server's naming
                body = self.read_json()
                server.requests.append(body)
                server.times.append(time.monotonic())
                reply = server.script.pop(0) if server.script else ("ok", [server.default])
                if reply[0] == "slow":
                    time.sleep(reply[1])
                    reply = ("ok", reply[2])
                if reply[0] == "ok":
                    texts = reply[1][: body.get("n", 1)]
                    data = {"id": "x", "object": "chat.completion", "created": 0, "model": body.get("model"),
                            "choices": [{"index": i, "finish_reason": "stop",
                                         "message": {"role": "assistant", "content": t}} for i, t in enumerate(texts)],
                            "usage": {"prompt_tokens": 100, "completion_tokens": 10 * len(texts),
                                      "total_tokens": 100 + 10 * len(texts)}}
                    self.send_json(200, data, {})
                else:
                    status, headers = reply
                    self.send_json(status, {"error": {"message": f"scripted {status}", "type": "test"}}, headers)

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.httpd.server_address[1]}/v1"

    def __enter__(self) -> FakeOpenAI:
        self.thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()
