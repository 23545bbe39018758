"""A stand-in ``fstar.exe`` that answers with F*'s real recorded IDE transcripts, plus a scripted mode.

    python fake_fstar.py [--include DIR]... --ide FILE.fst      (the IDE protocol)
    python fake_fstar.py [--include DIR]... FILE.fst            (a one-shot check: scripted only)
    python fake_fstar.py --version

``LEMMATA_FAKE_FSTAR_TRANSCRIPTS`` names recorded outputs in
``../shared/fixtures/fstar-ide/emacs`` (comma-separated, e.g.
``FailRange.ideout.expected``); each is paired with the requests of its test
(``transcript``). A request gets the recorded answers of the first unused
identical request (query and arguments; ids and comments aside), with the ids
rewritten to the request's own (``2.4`` becomes ``7.4`` for request ``7``). A
query F* does not know gets F*'s recorded protocol violation.

What no transcript holds is scripted, and so only shows what the tests
believe F* does: ``LEMMATA_FAKE_FSTAR_SCRIPT`` is a JSON file of ``[needle,
answer]`` pairs; a push, peek or one-shot file containing ``needle`` fails
with ``answer`` (an F* issue whose ranges count lines from the needle's own
line), or ``"__hang__"`` never answers, ``"__die__"`` exits, ``"__noise__"``
prints a line that is not JSON first. Anything else is accepted.
``LEMMATA_FAKE_FSTAR_LOG`` appends every request, and every start, as a JSON line.
"""

import json
import os
import sys
import time
from pathlib import Path

from paths import SHARED  # noqa: E402  (this file also runs as a script: its folder is on sys.path)

TRANSCRIPTS = SHARED / "fixtures" / "fstar-ide" / "emacs"
KNOWN = {"exit", "describe-protocol", "describe-repl", "segment", "pop", "push", "push-partial-checked-file", "peek",
         "full-buffer", "autocomplete", "lookup", "compute", "search", "vfs-add", "format", "restart-solver", "cancel"}
PROTOCOL_INFO = '{"kind": "protocol-info", "rest": "[...]"}'


def test_name(output: str) -> str:
    return output.split(".out.expected")[0].split(".ideout.expected")[0]


def requests_file(output: str) -> Path | None:
    """The ``.in`` an output answers: same name, else the same name in another case (another F* version)."""
    name = test_name(output)
    exact = TRANSCRIPTS / f"{name}.in"
    if exact.is_file():
        return exact
    return next((p for p in sorted(TRANSCRIPTS.glob("*.in")) if p.stem.lower() == name.lower()), None)


def key(request: dict) -> str:
    return json.dumps({"query": request.get("query"), "args": request.get("args")}, sort_keys=True)


def transcript(output: str) -> list[tuple[dict, list[dict]]]:
    """(request, the lines F* answered it with) for every request of the test, in order."""
    source = requests_file(output)
    if source is None:
        return []
    lines = [json.loads(line) for line in (TRANSCRIPTS / output).read_text(encoding="utf-8").splitlines()
             if line.strip()][1:]
    out = []
    for line in source.read_text(encoding="utf-8").splitlines():
        if not line.strip():
            continue
        request = json.loads(line)
        rid = request["query-id"]
        answers = [a for a in lines if a.get("query-id") == rid or str(a.get("query-id", "")).startswith(rid + ".")]
        out.append((request, answers))
    return out


def relabel(answer: dict, recorded: str, new: str) -> dict:
    rid = str(answer["query-id"])
    return {**answer, "query-id": new + rid[len(recorded):]}


def script() -> list:
    path = os.environ.get("LEMMATA_FAKE_FSTAR_SCRIPT")
    return json.loads(Path(path).read_text()) if path else []


def scripted(code: str, first_line: int, before: str = "") -> tuple[str, dict | str] | None:
    """The scripted answer for ``code``. An entry ``[needle, answer, unless]`` answers only when ``unless`` is
    in neither ``code`` nor ``before`` (what was pushed before it, where F*'s options are set)."""
    for needle, answer, *unless in script():
        at = code.find(needle)
        if at < 0 or (unless and unless[0] in before + code):
            continue
        if isinstance(answer, str):
            return needle, answer
        line = first_line + code.count("\n", 0, at)
        issue = json.loads(json.dumps(answer))
        for r in issue.get("ranges", []):
            r["beg"][0] += line - 1
            r["end"][0] += line - 1
        return needle, issue
    return None


def log(entry: dict) -> None:
    if path := os.environ.get("LEMMATA_FAKE_FSTAR_LOG"):
        with open(path, "a", encoding="utf-8") as out:
            out.write(json.dumps(entry) + "\n")


def hang() -> None:
    log({"hang": os.getpid()})
    time.sleep(3600)


def send(answer: dict) -> None:
    sys.stdout.write(json.dumps(answer) + "\n")
    sys.stdout.flush()


def ide(filename: str) -> None:
    pairs = [p for name in os.environ.get("LEMMATA_FAKE_FSTAR_TRANSCRIPTS", "").split(",") if name
             for p in transcript(name)]
    used = [False] * len(pairs)
    stack: list[str] = []  # the code of each accepted push, for "!" needles and pops
    log({"start": filename})
    send(json.loads(PROTOCOL_INFO))
    for line in sys.stdin:
        if not line.strip():
            continue
        request = json.loads(line)
        log(request)
        qid, query, args = request["query-id"], request.get("query"), request.get("args") or {}
        if query not in KNOWN:
            send({"kind": "response", "query-id": qid, "response": f"Unknown query '{query}'",
                  "status": "protocol-violation"})
            continue
        recorded = next((i for i, (r, _) in enumerate(pairs) if not used[i] and key(r) == key(request)), None)
        if recorded is not None:
            used[recorded] = True
            original, answers = pairs[recorded]
            for answer in answers:
                send(relabel(answer, original["query-id"], qid))
            continue
        if recorded is None and query == "pop" and stack:
            stack.pop()
        outcome = scripted(args.get("code", ""), args.get("line", 1), "".join(stack)) \
            if query in ("push", "peek") else None
        if outcome is not None and outcome[1] == "__hang__":
            hang()
        if outcome is not None and outcome[1] == "__die__":
            os._exit(3)
        if outcome is not None and outcome[1] == "__noise__":
            sys.stdout.write("Warning: a stray line that is not JSON\n")
            outcome = None
        if query in ("push", "peek"):
            failed = outcome is not None
            status = "failure" if failed and query == "push" else "success"  # a peek reports, it never fails
            send({"kind": "response", "query-id": qid, "response": [outcome[1]] if failed else [], "status": status})
            if query == "push" and not failed:
                stack.append(args.get("code", ""))
        else:
            send({"kind": "response", "query-id": qid, "response": None, "status": "success"})


def batch(filename: str) -> int:
    code = Path(filename).read_text(encoding="utf-8")
    log({"batch": filename})
    outcome = scripted(code, 1)
    if outcome is not None and outcome[1] == "__hang__":
        hang()
    if outcome is None:
        module = Path(filename).name.rsplit(".", 1)[0]
        print(f"Verified module: {module}\nAll verification conditions discharged successfully")
        return 0
    issue = outcome[1]
    (beg_line, beg_col), (end_line, end_col) = issue["ranges"][0]["beg"], issue["ranges"][0]["end"]
    bullets = "".join(f"  - {line.removeprefix('- ')}\n" for line in issue["message"].strip().splitlines())
    print(f"* Error {issue.get('number', 19)} at {filename}({beg_line},{beg_col}-{end_line},{end_col}):\n{bullets}")
    print("1 error was reported (see above)")
    return 1


def main() -> int:
    args = sys.argv[1:]
    if "--version" in args:
        print("F* 2025.03.25\nplatform=Linux_x86_64\ncompiler=OCaml 4.14.2")
        return 0
    files = [a for i, a in enumerate(args) if a.endswith((".fst", ".fsti")) and (i == 0 or args[i - 1] != "--include")]
    if "--ide" in args:
        ide(files[-1])
        return 0
    return batch(files[-1])


if __name__ == "__main__":
    sys.exit(main())
