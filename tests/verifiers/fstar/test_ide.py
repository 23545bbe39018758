"""The IDE client driven through every recorded exchange of F*'s own IDE test suite.

The stand-in answers each request with what F* recorded for it, so these tests show that the client
frames, collects and decodes exactly what F* said: pushes and pops, failing pushes with their
ranges and proof states, peeks, lookups, vfs-add, full-buffer runs answered per declaration, and
F*'s protocol violation for a query it does not know.
"""

import os
import sys

import pytest

from lemmata.verifiers.fstar.ide import FStarIde, IdeDied, IdeTimeout
from lemmata.verifiers.fstar.interface import Message, Response

from fake_fstar import TRANSCRIPTS, requests_file, transcript
from paths import HELPERS

pytestmark = pytest.mark.skipif(not TRANSCRIPTS.is_dir(), reason=f"F* IDE transcripts not found at {TRANSCRIPTS}")


def replayable() -> list[str]:
    """Recorded outputs whose every request has its answer recorded (some outputs lack their requests)."""
    if not TRANSCRIPTS.is_dir():
        return []
    names = []
    for output in sorted(p.name for p in TRANSCRIPTS.glob("*.expected")):
        pairs = transcript(output) if requests_file(output) else []
        if pairs and all(answers and any(a["kind"] == "response" for a in answers) for _, answers in pairs):
            names.append(output)
    return names


def start(tmp_path, *transcripts: str, timeout: float = 30) -> FStarIde:
    (tmp_path / "Test.fst").write_text("module Test\n")
    env = {**os.environ, "LEMMATA_FAKE_FSTAR_TRANSCRIPTS": ",".join(transcripts)}
    ide = FStarIde([sys.executable, str(HELPERS / "fake_fstar.py"), "--ide", "Test.fst"], cwd=tmp_path, env=env)
    ide.start(timeout)
    return ide


def send(ide: FStarIde, request: dict):
    args = dict(request.get("args") or {})
    if request["query"] == "full-buffer":
        to = args.get("to-position")
        return ide.full_buffer(args["code"], kind=args["kind"], to=(to["line"], to["column"]) if to else None,
                               timeout=30)
    return ide.query(request["query"], 30, **args)


@pytest.mark.parametrize("output", replayable(), ids=str)
def test_every_recorded_exchange_reads_back_as_f_star_sent_it(tmp_path, output):
    ide = start(tmp_path, output)
    try:
        for request, answers in transcript(output):
            reply = send(ide, request)
            recorded_responses = [(a["status"], a["response"]) for a in answers if a["kind"] == "response"]
            recorded_messages = [(a["level"], a.get("contents")) for a in answers if a["kind"] == "message"]
            assert [(r.status, r.response) for r in reply.responses] == recorded_responses
            assert [(m.level, m.contents) for m in reply.messages] == recorded_messages
            assert all(isinstance(r, Response) for r in reply.responses)
            assert all(isinstance(m, Message) for m in reply.messages)
    finally:
        ide.close()
    assert not ide.alive


def test_the_replay_covers_every_kind_of_exchange_the_transcripts_hold():
    queries = {r["query"] for output in replayable() for r, _ in transcript(output)}
    assert {"push", "pop", "peek", "lookup", "vfs-add", "full-buffer", "segment", "autocomplete"} <= queries
    statuses = {a["status"] for output in replayable() for _, answers in transcript(output) for a in answers
                if a["kind"] == "response"}
    assert statuses == {"success", "failure", "protocol-violation"}


def test_a_failing_push_is_not_ok_and_carries_its_proof_state_and_range(tmp_path):
    ide = start(tmp_path, "FailRange.ideout.expected")
    try:
        assert send(ide, transcript("FailRange.ideout.expected")[0][0]).ok
        failed = send(ide, transcript("FailRange.ideout.expected")[1][0])
        assert not failed.ok and failed.response.status == "failure"
        (state,) = failed.proof_states()
        assert state["label"] == "at the time of failure"
        (issue,) = failed.issues()
        assert issue.diagnostic("FailRange.fst").span.line == 5
        lax = send(ide, transcript("FailRange.ideout.expected")[2][0])
        assert lax.ok  # the same fragment pushed lax: F* admits its proofs, so this is no proof
    finally:
        ide.close()


def test_a_peek_with_errors_answers_success_but_is_not_ok(tmp_path):
    ide = start(tmp_path, "Integration.push-pop.ideout.expected")
    try:
        syntax = next(r for r, answers in transcript("Integration.push-pop.ideout.expected")
                      if r["query"] == "peek" and "Syntax error" in str(answers))
        for request, _ in transcript("Integration.push-pop.ideout.expected"):
            reply = send(ide, request)
            if request is syntax:
                assert reply.response.status == "success" and not reply.ok
                break
    finally:
        ide.close()


def test_a_full_buffer_collects_every_declaration_up_to_the_barrier(tmp_path):
    ide = start(tmp_path, "BugGensymUnderscore.out.expected")
    try:
        reply = send(ide, transcript("BugGensymUnderscore.out.expected")[0][0])
        assert [r.query_id.split(".")[1] for r in reply.responses] == ["2", "4", "6", "8"]
        assert reply.ok and reply.messages[0].contents.startswith("Parsed 5 declarations")
        # the barrier's answer was consumed: the next request reads its own answer, not a stale one
        again = send(ide, transcript("BugGensymUnderscore.out.expected")[1][0])
        assert len(again.responses) == 1 and again.ok
    finally:
        ide.close()


def test_an_unknown_query_is_answered_as_a_protocol_violation(tmp_path):
    ide = start(tmp_path)
    try:
        reply = ide.query("repl-info", 30)
        assert reply.response.status == "protocol-violation" and "Unknown query" in reply.response.response
        assert not reply.ok
    finally:
        ide.close()


def test_a_hang_is_killed_at_the_deadline_and_a_death_is_reported(tmp_path, monkeypatch):
    script = tmp_path / "script.json"
    script.write_text('[["__hang__", "__hang__"], ["__die__", "__die__"], ["__noise__", "__noise__"]]')
    monkeypatch.setenv("LEMMATA_FAKE_FSTAR_SCRIPT", str(script))
    ide = start(tmp_path)
    try:
        assert ide.push("let x = 1 (* __noise__ *)\n", 1, timeout=30).ok  # a stray line is skipped
        with pytest.raises(IdeTimeout):
            ide.push("let y = __hang__\n", 2, timeout=1)
        assert not ide.alive
        ide.start(30)
        with pytest.raises(IdeDied):
            ide.push("let z = __die__\n", 2, timeout=30)
    finally:
        ide.close()
