"""A stand-in Kimina Lean Server on loopback: Kimina's HTTP API and response shapes, a scripted tiny "Lean" behind it.

The routes and shapes are Kimina's (project-numina/kimina-lean-server): ``GET /health``,
``POST /api/check`` (``snippets``, ``timeout``, ``reuse``, ``debug`` -> ``results`` of ``id``, ``time``,
``response`` or ``error``), the older ``POST /verify`` (``codes`` of ``custom_id``/``proof`` ->
``results`` of ``custom_id`` and ``response`` or ``error``), the key in ``X-Auth-Token``, 429 when no
REPL is free. What answers behind them is scripted, so it shows only what these tests believe Lean
says: the snippet's imports are split off as Kimina does; ``#print "X"`` logs X;
``#print axioms N`` lists ``axioms[N]`` (default ``[propext]``) when ``theorem N`` is in the snippet,
else it is an unknown constant; a ``run_meta`` comparison logs its marker with ``compare`` (default
``same``); every ``sorry`` is a sorry with a warning; a line holding a key of ``errors`` gets that
error; a snippet holding a key of ``timeouts`` answers Kimina's timeout error. ``positions`` says
whether lines count from the body after the imports (``"body"``) or from the snippet (``"snippet"``).
"""

from __future__ import annotations

import re
import threading
import time
from http.server import ThreadingHTTPServer

from lemmata.benchmarks.measure.openai_stand_in import JsonHandler


class FakeKimina:
    def __init__(self, *, api_key: str | None = None, legacy: bool = False, positions: str = "body") -> None:
        self.api_key, self.legacy, self.positions = api_key, legacy, positions
        self.errors: dict[str, str] = {}
        self.timeouts: set[str] = set()
        self.axioms: dict[str, list[str]] = {}
        self.compare = "same"
        self.busy_first = 0  # answer 429 to this many requests first
        self.delay = 0.0
        self.requests: list[dict] = []
        self.in_flight = 0
        self.most_in_flight = 0
        self._lock = threading.Lock()
        fake = self

        class Handler(JsonHandler):
            def _authorised(self) -> bool:
                if fake.api_key is None:
                    return True
                token = (self.headers.get("X-Auth-Token") or "").removeprefix("Bearer ").strip()
                if token != fake.api_key:
                    self.send_json(401, {"detail": "Invalid API key"})
                    return False
                return True

            def do_GET(self) -> None:  # noqa: N802
                if self.path.rstrip("/") in ("/health", ""):
                    if self._authorised():
                        self.send_json(200, {"status": "ok"})
                else:
                    self.send_json(404, {"detail": "Not Found"})

            def do_POST(self) -> None:  # noqa: N802
                body = self.read_json()
                if not self._authorised():
                    return
                path = self.path.rstrip("/")
                with fake._lock:
                    fake.requests.append({"path": path, **body})
                if path == "/api/check" and fake.legacy or path not in ("/api/check", "/verify"):
                    self.send_json(404, {"detail": "Not Found"})
                    return
                with fake._lock:
                    if fake.busy_first > 0:
                        fake.busy_first -= 1
                        self.send_json(429, {"detail": "No available REPLs"})
                        return
                    fake.in_flight += 1
                    fake.most_in_flight = max(fake.most_in_flight, fake.in_flight)
                try:
                    time.sleep(fake.delay)
                    if path == "/api/check":
                        results = [fake.answer(s["id"], s["code"]) for s in body["snippets"]]
                    else:
                        results = []
                        for code in body["codes"]:
                            result = fake.answer(code["custom_id"], code.get("proof") or code.get("code"))
                            result["custom_id"] = result.pop("id")
                            if "response" in result:
                                result["response"]["time"] = result.pop("time")
                            results.append(result)
                    self.send_json(200, {"results": results})
                finally:
                    with fake._lock:
                        fake.in_flight -= 1

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.httpd.daemon_threads = True
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.httpd.server_address[1]}"

    def answer(self, snippet_id: str, code: str) -> dict:
        if any(needle in code for needle in self.timeouts):
            return {"id": snippet_id, "time": 1.0, "error": "Lean REPL command timed out in 1.0 seconds"}
        lines = code.split("\n")
        header = 0
        while header < len(lines) and (not lines[header].strip() or lines[header].strip().startswith("import ")):
            header += 1
        shift = header if self.positions == "body" else 0
        declared = set(re.findall(r"(?m)^\s*(?:theorem|lemma)\s+([^\s(:]+)", code))
        messages, sorries = [], []

        def at(index: int, severity: str, data: str) -> None:
            line = index + 1 - shift
            messages.append({"severity": severity, "pos": {"line": line, "column": 0},
                             "endPos": {"line": line, "column": len(lines[index])}, "data": data})

        for index, line in enumerate(lines[header:], header):
            if m := re.match(r'#print\s+"(.*)"\s*$', line.strip()):
                at(index, "info", m[1])
            elif m := re.match(r"#print axioms\s+(\S+)", line.strip()):
                name = m[1]
                if name in declared:
                    listed = self.axioms.get(name, ["propext"])
                    at(index, "info", f"'{name}' depends on axioms: [{', '.join(listed)}]" if listed
                       else f"'{name}' does not depend on any axioms")
                else:
                    at(index, "error", f"unknown constant '{name}'")
            elif line.startswith("run_meta"):
                marker = re.search(r"lemmata-compare-[0-9a-f]+", "\n".join(lines[index:index + 40]))
                at(index, "info", f"{marker[0]} {self.compare}")
            if re.search(r"\bsorry\b", line):
                column = line.index("sorry")
                sorries.append({"pos": {"line": index + 1 - shift, "column": column},
                                "endPos": {"line": index + 1 - shift, "column": column + 5}, "goal": "⊢ True"})
                at(index, "warning", "declaration uses 'sorry'")
            for needle, error in self.errors.items():
                if needle in line:
                    at(index, "error", error)
        return {"id": snippet_id, "time": 0.01, "response": {"env": 0, "messages": messages, "sorries": sorries}}

    def __enter__(self) -> FakeKimina:
        self.thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()
