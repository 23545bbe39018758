"""The Lean verifier's audit pipeline against a stand-in REPL scripted with answers in Lean's format.

The stand-in answers the backend's own commands (header, reference statement,
document, ``#print axioms``, the type comparison) as the test scripts them, so
these tests pin the plumbing: what is sent in which environment, and how the
answers become a verdict. ``test_lean_integration.py`` runs real Lean where it exists.
"""

import json
import sys
from pathlib import Path

import pytest

from lemmata.verifiers.interface import Statement
from lemmata.verifiers.lean.backend import LeanVerifier, split_header
from lemmata.verifiers.lean.config import LeanConfig
from lemmata.verifiers.result import Verdict

from paths import HELPERS
PROBLEM = "import Mathlib\nopen Real\n\ntheorem t (x : ℝ) (h : 0 < x) : 0 < x ^ 2 := by sorry\n"
PROOF = "import Mathlib\nopen Real\n\ntheorem t (x : ℝ) (h : 0 < x) : 0 < x ^ 2 := by\n  positivity\n"


def info(text, line=1):
    return {"severity": "info", "pos": {"line": line, "column": 0}, "endPos": {"line": line, "column": 6}, "data": text}


def answers(**overrides):
    script = {
        "lemmata-compare-": {"env": 4, "messages": [info("{marker} same")]},  # first: it names the spec too
        "lemmata_spec_": {"env": 1, "messages": [{"severity": "warning", "pos": {"line": 2, "column": 8},
                                                  "endPos": None, "data": "declaration uses 'sorry'"}]},
        "theorem t": {"env": 2, "messages": []},
        "#print axioms t": {"env": 3, "messages": [info("'t' depends on axioms: [propext, Classical.choice, Quot.sound]")]},
        "import Mathlib": {"env": 0},
    } | overrides
    return [[needle, response] for needle, response in script.items()]


@pytest.fixture
def lean(tmp_path, monkeypatch):
    def make(**overrides):
        path = tmp_path / "script.json"
        path.write_text(json.dumps(answers(**overrides)))
        monkeypatch.setenv("LEMMATA_FAKE_LEAN_SCRIPT", str(path))
        config = LeanConfig(project=HELPERS, command=(sys.executable, str(HELPERS / "fake_lean_repl.py")), timeout=5)
        return LeanVerifier(config)

    return make


def check(verifier, proof=PROOF, statement=PROBLEM, **kwargs):
    return verifier.check(proof, statement=Statement(statement) if statement else None, **kwargs)


def test_header_split():
    header, body, lines = split_header("import Mathlib\nimport Aesop\n\n-- c\ntheorem t : True := trivial\n")
    assert header == "import Mathlib\nimport Aesop\n" and body.startswith("theorem t") and lines == 4


def test_accepted_when_lean_accepts_and_the_audit_passes(lean):
    result = check(lean())
    assert result.verdict is Verdict.ACCEPTED, result.reasons
    target = result.targets[0]
    assert target.name == "t" and target.statement_matches is True and target.disallowed == []
    assert target.axioms == ["propext", "Classical.choice", "Quot.sound"]


def test_a_different_elaborated_statement_is_refused(lean):
    result = check(lean(**{"lemmata-compare-": {"env": 4, "messages": [info("{marker} differ")]}}))
    assert result.verdict is Verdict.REJECTED
    assert "theorem t does not state exactly the reference statement" in result.reasons


def test_an_unanswered_comparison_refuses(lean):
    result = check(lean(**{"lemmata-compare-": {"env": 4, "messages": []}}))
    assert "the audit queries did not all answer; refusing to accept" in result.reasons


def test_sorry_is_a_hole_with_its_goal_at_the_file_line(lean):
    # positions count from the command the REPL was sent: the document without its import line
    sorry = {"env": 2, "sorries": [{"pos": {"line": 3, "column": 46}, "endPos": {"line": 3, "column": 51},
                                    "goal": "x : ℝ\nh : 0 < x\n⊢ 0 < x ^ 2", "proofState": 0}],
             "messages": [{"severity": "warning", "pos": {"line": 1, "column": 8}, "endPos": None,
                           "data": "declaration uses 'sorry'"}]}
    result = check(lean(**{"theorem t": sorry,
                           "#print axioms t": {"env": 3, "messages": [info("'t' depends on axioms: [sorryAx]")]}}),
                   proof=PROOF.replace("positivity", "sorry"))
    assert result.verdict is Verdict.REJECTED
    assert result.holes[0].span.line == 4 and result.holes[0].goal.endswith("⊢ 0 < x ^ 2")
    assert "theorem t rests on an assumption outside the allow-list: sorryAx" in result.reasons


def test_errors_are_diagnostics_at_file_lines(lean):
    error = {"env": 2, "messages": [{"severity": "error", "pos": {"line": 4, "column": 2},
                                     "endPos": {"line": 4, "column": 12}, "data": "linarith failed to find a contradiction"}]}
    result = check(lean(**{"theorem t": error}))
    assert result.verdict is Verdict.REJECTED
    assert result.diagnostics[0].span.line == 5 and result.diagnostics[0].span.column == 3
    assert result.reasons[0] == "checker error at line 5: linarith failed to find a contradiction"


def test_lean_accepting_a_cheat_does_not_make_it_accepted(lean):
    result = check(lean(), proof=PROOF.replace("positivity", "native_decide"))
    assert result.verdict is Verdict.REJECTED and "uses 'native_decide' at line 5" in result.reasons


def test_a_hung_check_times_out(lean):
    result = check(lean(**{"theorem t": "__hang__"}), timeout=1.0)
    assert result.verdict is Verdict.TIMEOUT


def test_without_a_statement_every_theorem_gets_the_axiom_audit(lean):
    result = check(lean(), statement=None)
    assert result.verdict is Verdict.ACCEPTED and result.targets[0].statement_matches is None


def test_session_reuses_the_header(lean):
    with lean().session("import Mathlib", statement=Statement(PROBLEM)) as session:
        body = PROOF.split("\n", 1)[1]
        assert session.check(body).accepted and session.check(body).accepted
        assert session.pool.header_elaborations == 1
        repls = [slot.repl for slot in session.pool._slots]
        assert repls and all(r.alive for r in repls)
    assert not any(r.alive for r in repls)  # closing the session stops its REPL processes
