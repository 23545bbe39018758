"""A stand-in Lean REPL that answers with Lean's real recorded responses.

    python fake_lean_repl.py FIXTURE [FIXTURE ...]

Each FIXTURE names a recorded transcript in ``../shared/fixtures/lean-repl/test``
(``FIXTURE.in`` holds the requests, ``FIXTURE.expected.out`` what the real REPL
answered). A request gets the recorded answer of the first unused identical
request, so a client that replays a transcript sees exactly what Lean said,
environment and proof-state numbers included. Requests no transcript holds
get the REPL's own complaint. With ``LEMMATA_FAKE_LEAN_SCRIPT`` set to a JSON
file of ``[needle, response]`` pairs, a command containing a needle gets that
response (in Lean's format, written by the test; ``{marker}`` is replaced by
the ``lemmata-compare-...`` marker of the request). With ``LEMMATA_FAKE_LEAN_LOG``
set, every request is appended to that file as a JSON line. With
``LEMMATA_FAKE_LEAN_DECLARATIONS`` set, it keeps the names each environment
declares and answers a command that declares one of them again with Lean's
"'NAME' has already been declared" error. Four commands misbehave on purpose:
``__die__`` (exit mid-command), ``__hang__`` (never answer), ``__noise__``
(a stray non-JSON line, then a real answer) and ``__stderr__`` (a multi-line
message with blank lines on stderr, then a real answer), for the failure-path tests.
"""

import json
import os
import re
import sys
import time
from pathlib import Path

from paths import LEAN_FIXTURES as FIXTURES  # noqa: E402  (this file also runs as a script: its folder is on sys.path)


def chunks(text: str) -> list[str]:
    return [c.strip() for c in re.split(r"\n\s*\n", text) if c.strip()]


def load(names: list[str]) -> list[tuple[dict, str]]:
    pairs = []
    for name in names:
        requests = [json.loads(c) for c in chunks((FIXTURES / f"{name}.in").read_text())]
        responses = chunks((FIXTURES / f"{name}.expected.out").read_text())
        pairs += list(zip(requests, responses))
    return pairs


def requests(stream):
    buffer = []
    for line in stream:
        if line.strip():
            buffer.append(line)
        elif buffer:
            yield json.loads("".join(buffer))
            buffer = []
    if buffer:
        yield json.loads("".join(buffer))


def scripted(request: dict) -> str | None:
    path = os.environ.get("LEMMATA_FAKE_LEAN_SCRIPT")
    if not path or "cmd" not in request:
        return None
    for needle, response in json.loads(Path(path).read_text()):
        if needle in request["cmd"]:
            if response == "__hang__":
                time.sleep(3600)
            marker = re.search(r"lemmata-compare-[0-9a-f]+", request["cmd"])
            return json.dumps(response).replace("{marker}", marker[0] if marker else "")
    return None


def redeclared(request: dict, answer: str, declared: dict[int, set[str]]) -> str:
    """``answer``, or Lean's error when the command declares a name its environment already has."""
    from lemmata.dsl.lean.source import declared_names

    try:
        response = json.loads(answer)
    except ValueError:
        return answer
    names = declared_names(request["cmd"])
    before = declared.get(request.get("env"), set())
    seen = set(before)
    for name in names:
        if name not in seen:
            seen.add(name)
        else:
            line = next((i for i, text in enumerate(request["cmd"].splitlines(), 1) if name.split(".")[-1] in text), 1)
            return json.dumps({"env": response.get("env", 0), "messages": [{
                "severity": "error", "pos": {"line": line, "column": 0}, "endPos": None,
                "data": f"'{name}' has already been declared"}]})
    if "env" in response:
        declared[response["env"]] = seen
    return answer


def main() -> None:
    pairs = load(sys.argv[1:])
    used = [False] * len(pairs)
    declared: dict[int, set[str]] = {}
    log = os.environ.get("LEMMATA_FAKE_LEAN_LOG")
    for request in requests(sys.stdin):
        if log:
            with open(log, "a", encoding="utf-8") as out:
                out.write(json.dumps(request) + "\n")
        command = request.get("cmd")
        if command == "__die__":
            os._exit(3)
        if command == "__hang__":
            time.sleep(3600)
        if command == "__noise__":
            sys.stdout.write("warning: a stray line from the build tool\n")
            answer = json.dumps({"env": 99})
        elif command == "__stderr__":
            sys.stderr.write("warning: a message\n\nover several lines\n\n{\"env\": 1}\n\n")
            sys.stderr.flush()
            answer = json.dumps({"env": 98})
        elif (answer := scripted(request)) is None:
            answer = json.dumps({"message": f"no recorded answer for {json.dumps(request)}"})
            for i, (recorded, response) in enumerate(pairs):
                if not used[i] and recorded == request:
                    used[i] = True
                    answer = response
                    break
        if os.environ.get("LEMMATA_FAKE_LEAN_DECLARATIONS") and command:
            answer = redeclared(request, answer, declared)
        sys.stdout.write(answer + "\n\n")
        sys.stdout.flush()


if __name__ == "__main__":
    main()
