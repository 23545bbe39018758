"""F*'s IDE protocol read from F*'s own recorded transcripts: every line decodes, answers belong to requests."""

import json
from pathlib import Path

import pytest

from lemmata.verifiers.fstar.interface import (Message, ProtocolError, ProtocolInfo, Response, decode, full_buffer,
                                               push)
from lemmata.verifiers.result import Severity

from paths import SHARED

TRANSCRIPTS = SHARED / "fixtures" / "fstar-ide" / "emacs"
pytestmark = pytest.mark.skipif(not TRANSCRIPTS.is_dir(), reason=f"F* IDE transcripts not found at {TRANSCRIPTS}")


def outputs() -> list[Path]:
    return sorted(TRANSCRIPTS.glob("*.expected")) if TRANSCRIPTS.is_dir() else []


def answers(path: Path):
    return [decode(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def requests_for(output: Path) -> list[dict] | None:
    """The requests a recorded output answers: the ``.in`` of the same test (names differ in case across versions)."""
    test = output.name.split(".out.expected")[0].split(".ideout.expected")[0]
    for candidate in TRANSCRIPTS.glob("*.in"):
        if candidate.stem.lower() == test.lower():
            return [json.loads(line) for line in candidate.read_text(encoding="utf-8").splitlines() if line.strip()]
    return None


@pytest.mark.parametrize("output", outputs(), ids=lambda p: p.name)
def test_every_recorded_line_decodes_and_answers_a_request(output):
    lines = answers(output)
    assert isinstance(lines[0], ProtocolInfo) and all(not isinstance(a, ProtocolInfo) for a in lines[1:])
    requests = requests_for(output)
    if requests is None:
        return  # some outputs were recorded without their requests (fixtures README)
    order = [r["query-id"] for r in requests]
    seen = [order.index(a.request_id) for a in lines if isinstance(a, Response)]
    assert seen == sorted(seen)  # answered in request order
    for answer in lines:
        if isinstance(answer, Message):
            assert answer.query_id.split(".")[0] in order
        if isinstance(answer, Response):
            for issue in answer.issues():
                diagnostic = issue.diagnostic("Test.fst")
                assert diagnostic.message and diagnostic.severity in Severity


def test_a_failing_push_maps_to_a_diagnostic_at_its_range():
    lines = answers(TRANSCRIPTS / "FailRange.ideout.expected")
    state = next(a for a in lines if isinstance(a, Message) and a.query_id == "2")
    assert state.level == "proof-state" and state.contents["label"] == "at the time of failure"
    failed = next(a for a in lines if isinstance(a, Response) and a.query_id == "2")
    assert failed.status == "failure"
    (issue,) = failed.issues()
    diagnostic = issue.diagnostic("FailRange.fst")
    assert diagnostic.severity is Severity.ERROR and diagnostic.message == "Tactic failed\nA"
    assert (diagnostic.span.line, diagnostic.span.column, diagnostic.span.end_line, diagnostic.span.end_column) == \
        (5, 3, 5, 19)  # F*'s [5, 2]-[5, 18], columns made 1-based
    lax = next(a for a in lines if isinstance(a, Response) and a.query_id == "3")
    assert lax.status == "success" and lax.issues() == []


def test_a_full_buffer_is_answered_per_declaration_under_sub_ids():
    lines = answers(TRANSCRIPTS / "BugGensymUnderscore.out.expected")
    responses = [a for a in lines if isinstance(a, Response)]
    assert [r.query_id for r in responses if r.request_id == "2"] == ["2.2", "2.4", "2.6", "2.8"]
    assert not any(r.query_id == "2" for r in responses)  # no answer with the bare id: never wait for one
    parsed = next(a for a in lines if isinstance(a, Message) and a.query_id == "2")
    assert parsed.level == "info" and parsed.contents.startswith("Parsed 5 declarations")


def test_an_issue_in_a_library_names_its_file():
    lines = answers(TRANSCRIPTS / "FStarMode_GH73.out.expected")
    warning = next(i for a in lines if isinstance(a, Response) for i in a.issues() if i.level == "warning")
    diagnostic = warning.diagnostic("FStarMode_GH73.fst")
    assert diagnostic.span is None and "FStar.UInt.fsti:" in diagnostic.message
    assert diagnostic.severity is Severity.WARNING


def test_requests_are_written_as_f_star_reads_them():
    recorded = [json.loads(line) for line in (TRANSCRIPTS / "Integration.push-pop.in").read_text().splitlines()]
    assert json.loads(push("1", "module Integration\n", 1)) == recorded[0]
    gensym = [json.loads(line) for line in (TRANSCRIPTS / "BugGensymUnderscore.in").read_text().splitlines()]
    first = gensym[0]
    assert json.loads(full_buffer(first["query-id"], first["args"]["code"], to=(4, 9))) == first


@pytest.mark.parametrize("line", ["not json", '{"kind": "banner"}', '{"kind": "response", "query-id": "1"}', "[1, 2]"])
def test_anything_else_is_a_protocol_error(line):
    with pytest.raises(ProtocolError):
        decode(line)
