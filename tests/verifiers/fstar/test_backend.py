"""The F* backend driven through the stand-in ``fstar.exe``.

The session tests replay F*'s recorded answers (``Integration.push-pop``, ``FailRange``): the pushes the
session makes are the very requests F*'s editor mode made, so what comes back is what F* said. One-shot
checks and the scripted failures (``fake_fstar`` script) show only that the backend does what we believe
F* does; no F* ever ran here (the integration tests in test_integration.py run where it is installed).
"""

from pathlib import Path

import pytest

from lemmata.verifiers.errors import ToolMissing
from lemmata.verifiers.fstar.backend import FStarInterfaceVerifier, FStarVerifier
from lemmata.verifiers.fstar.config import fstar_version
from lemmata.verifiers.fstar.session import fragments
from lemmata.verifiers.fstar.audit import read
from lemmata.verifiers.audit import AuditFacts
from lemmata.verifiers.interface import Statement
from lemmata.verifiers.result import Verdict

PROBLEM = ("module Sum\nopen FStar.Mul\n\nlet rec sum (n:nat) : nat = if n = 0 then 0 else n + sum (n - 1)\n\n"
           "let sum_formula (n:nat) : Lemma (ensures 2 * sum n == n * (n + 1)) = admit ()\n")
HONEST = PROBLEM.replace("let sum_formula", "let rec sum_formula").replace(
    "= admit ()", "=\n  if n > 0 then sum_formula (n - 1)")
ERROR = {"level": "error", "message": "- Assertion failed\n- The SMT solver could not prove the query.\n",
         "number": 19, "ranges": [{"beg": [1, 2], "end": [1, 12], "fname": "<input>"}]}
INTEGRATION = "module Integration\n\nlet xxxxxx = 1\n\nlet yyyyyy = xxxxxx\n\nlet aaaaaa = yyyyyy\n\n" \
              "let aaaaaaaaaaaaaaaaaaaaaaaa = yyyyyy\n\nlet xx : nat = -1\n"


def test_status_and_a_missing_f_star_say_how_to_install_it(fake_fstar, monkeypatch):
    assert FStarVerifier().status().version == "2025.03.25"
    monkeypatch.setenv("LEMMATA_FSTAR", "/nonexistent/fstar.exe")
    fstar_version.cache_clear()
    status = FStarVerifier().status()
    assert not status.available and "github.com/FStarLang/FStar/releases" in status.detail
    with pytest.raises(ToolMissing, match="F\\* is not installed"):
        FStarVerifier().check(HONEST)


def test_a_one_shot_check_accepts_an_honest_proof_of_the_problem(fake_fstar):
    result = FStarVerifier().check(HONEST, statement=Statement(PROBLEM))
    assert result.verdict is Verdict.ACCEPTED, result.reasons
    assert [(t.name, t.found, t.statement_matches) for t in result.targets] == [("sum_formula", True, True)]
    assert {m.name: m.outcome for m in result.members} == {"sum": "verified", "sum_formula": "verified"}
    assert fake_fstar.log() == [{"batch": "Sum.fst"}]  # the file is named after its module, as F* demands


def test_a_one_shot_error_is_a_diagnostic_at_its_line_and_fails_its_declaration(fake_fstar):
    fake_fstar([["sum_formula (n - 1)", ERROR]])
    result = FStarVerifier().check(HONEST, statement=Statement(PROBLEM))
    assert result.verdict is Verdict.REJECTED
    error = result.first_error()
    assert error.span.line == 7 and error.message.startswith("Assertion failed")
    assert {m.name: m.outcome for m in result.members} == {"sum": "verified", "sum_formula": "error"}


def test_a_hole_is_an_unfinished_proof_after_f_star_ran(fake_fstar):
    result = FStarVerifier().check(PROBLEM, statement=Statement(PROBLEM))
    assert result.verdict is Verdict.REJECTED
    assert [(h.kind, h.span.line) for h in result.holes] == [("admit ()", 6)]
    assert "unfinished proof: 'admit ()' at line 6" in result.reasons


def test_a_cheat_is_refused_before_f_star_sees_it(fake_fstar):
    cheat = PROBLEM.replace("= admit ()", "= ()").replace("open FStar.Mul", 'open FStar.Mul\n#set-options "--lax"')
    result = FStarVerifier().check(cheat, statement=Statement(PROBLEM))
    assert result.verdict is Verdict.REJECTED
    assert "the option --lax at line 3" in result.reasons
    assert fake_fstar.log() == []


def test_a_check_past_its_time_is_a_timeout_and_leaves_nothing_running(fake_fstar):
    fake_fstar([["sum_formula (n - 1)", "__hang__"]])
    result = FStarVerifier().check(HONEST, timeout=2)
    assert result.verdict is Verdict.TIMEOUT
    (pid,) = [entry["hang"] for entry in fake_fstar.log() if "hang" in entry]
    assert not Path(f"/proc/{pid}").exists()


def test_an_interface_is_checked_as_one(fake_fstar):
    result = FStarInterfaceVerifier().check("module Sum\n\nval sum_formula : n:nat -> Lemma (n + 0 == n)\n")
    assert result.verdict is Verdict.ACCEPTED, result.reasons
    assert [t.name for t in result.targets] == ["sum_formula"]
    assert fake_fstar.log() == [{"batch": "Sum.fsti"}]


def test_fragments_are_cut_as_f_stars_editor_mode_cuts_them():
    facts = AuditFacts(language="fstar", checker="F*")
    cut = fragments(read(INTEGRATION, ".fst", facts))
    assert [(f.line, f.code) for f in cut][:3] == [(1, "module Integration\n"), (2, "\nlet xxxxxx = 1\n"),
                                                   (4, "\nlet yyyyyy = xxxxxx\n")]
    assert "".join(f.code for f in cut) == INTEGRATION


def test_a_session_replays_f_stars_recorded_answers_and_re_pushes_only_what_changed(fake_fstar, monkeypatch):
    monkeypatch.setenv("LEMMATA_FAKE_FSTAR_TRANSCRIPTS", "Integration.push-pop.ideout.expected")
    with FStarVerifier().session() as session:
        failed = session.check(INTEGRATION)
        assert failed.verdict is Verdict.REJECTED
        error = failed.first_error()  # F*'s own words and range, recorded
        assert error.message.startswith("Subtyping check failed\nExpected type nat got type int")
        assert (error.span.line, error.span.column) == (11, 16)
        assert {m.name: m.outcome for m in failed.members}["xx"] == "error"
        fixed = session.check(INTEGRATION.replace("nat = -1", "nat = 1"))
        assert fixed.verdict is Verdict.ACCEPTED, fixed.reasons
    pushes = [entry["args"]["code"] for entry in fake_fstar.log() if entry.get("query") == "push"]
    assert pushes[-1] == "\nlet xx : nat = 1\n" and len(pushes) == 7  # 6 for the first document, 1 for the second
    assert [entry for entry in fake_fstar.log() if "start" in entry] == [{"start": "Integration.fst"}]


def test_a_failing_tactic_gives_its_proof_state_as_the_goals_of_the_error(fake_fstar, monkeypatch):
    monkeypatch.setenv("LEMMATA_FAKE_FSTAR_TRANSCRIPTS", "FailRange.ideout.expected")
    text = 'module FailRange\nopen FStar.Tactics.V2\n\nlet a : unit =\n  assert_by_tactic (True /\\ True)\n' \
           '    (fun () -> split (); fail "A")\n'
    with FStarVerifier().session() as session:
        result = session.check(text)
    error = result.first_error()
    assert error.message == "Tactic failed\nA" and error.span.line == 5
    assert "squash (l_True /\\ l_True)" in error.goals and error.goals.startswith("at the time of failure")


def test_new_dependencies_start_a_fresh_process_and_a_hang_is_stopped(fake_fstar):
    fake_fstar([["__hang__", "__hang__"]])
    with FStarVerifier().session() as session:
        assert session.check(HONEST).verdict is Verdict.ACCEPTED
        assert session.check(HONEST.replace("open FStar.Mul", "open FStar.Mul\nopen FStar.List.Tot")).accepted
        assert session.starts == 2
        hung = session.check(HONEST + "\nlet later = __hang__\n", timeout=2)
        assert hung.verdict is Verdict.TIMEOUT
        assert session.check(HONEST).accepted and session.starts == 4  # the hung process was replaced
    (pid,) = [entry["hang"] for entry in fake_fstar.log() if "hang" in entry]
    assert not Path(f"/proc/{pid}").exists()
