"""Reading Dafny's output: real Dafny 2.3 recordings (``recorded/dafny2_*.txt``, made with
``dafny /compile:0 /trace /timeLimit:3 /vcsCores:1`` on this project's machines, Z3 noise included),
and Dafny 4.x output written down from its documentation (``recorded/dafny4_*.txt``: never met a real
Dafny 4 here)."""

from pathlib import Path

from lemmata.verifiers.dafny.config import command
from lemmata.verifiers.dafny.messages import member_name, parse_output

RECORDED = Path(__file__).parent / "recorded"


def read(name: str):
    return parse_output((RECORDED / name).read_text(), f"{name.split('_')[1].split('.')[0]}.dfy")


def test_a_failing_postcondition_with_its_related_locations_and_member_outcomes():
    out = read("dafny2_b.txt")
    errors = [d for d in out.diagnostics if d.severity.value == "error"]
    assert [(d.span.line, d.span.column) for d in errors] == [(34, 3), (34, 3)]  # Dafny's columns count from 0
    assert errors[0].message.startswith("A postcondition might not hold on this return path.")
    assert "related location, line 28 column 13: This is the postcondition that might not hold." in errors[0].message
    assert len([d for d in out.diagnostics if d.severity.value == "warning"]) == 3
    assert {m.name: m.outcome for m in out.members} == {"sorted": "verified", "pivot": "verified",
                                                         "BubbleSort": "error"}
    assert (out.verified, out.errors, out.timeouts, out.static_errors) == (3, 2, 0, 0)
    assert not any("model_compress" in d.message for d in out.diagnostics)


def test_a_time_out_is_its_own_outcome():
    out = read("dafny2_slow2.txt")
    assert [m.outcome for m in out.members] == ["timeout"] and out.timeouts == 1 and out.errors == 0
    assert out.timed_out_members == ["Hard"]


def test_parse_and_resolution_errors_are_counted_apart():
    parse = read("dafny2_parse.txt")
    assert parse.static_errors == 1 and parse.verified is None
    assert parse.diagnostics[0].message == "closeparen expected" and parse.diagnostics[0].span.column == 11
    resolution = read("dafny2_res.txt")
    assert resolution.static_errors == 2
    assert [d.message for d in resolution.diagnostics] == ["unresolved identifier: y",
                                                           "RHS (of type bool) not assignable to LHS (of type int)"]


def test_dafny_4_output_as_documented():
    out = parse_output((RECORDED / "dafny4_errors.txt").read_text(), "program.dfy")
    assert [d.span.line for d in out.diagnostics] == [34, 14, 3]
    assert out.diagnostics[0].message.endswith("this is the postcondition that could not be proved")
    assert "loop invariant violation" in out.diagnostics[1].message
    assert out.timed_out_members == ["Hard"] and (out.verified, out.errors, out.timeouts) == (1, 2, 1)
    assert parse_output((RECORDED / "dafny4_parse.txt").read_text(), "program.dfy").static_errors == 1


def test_each_version_gets_its_own_command_line():
    assert command("dafny", "2.3.0.10506", "p.dfy", 20) == ["dafny", "/compile:0", "/trace", "/timeLimit:20",
                                                           "/vcsCores:1", "p.dfy"]
    assert command("dafny", "4.11.0", "p.dfy", 20) == ["dafny", "verify", "--verification-time-limit", "20",
                                                      "--cores", "1", "p.dfy"]
    assert member_name("Impl$$_module.__default.Foo") == "Foo" and member_name("CheckWellformed$$M.C.m") == "M.C.m"
