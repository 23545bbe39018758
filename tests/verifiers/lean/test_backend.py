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
    monkeypatch.setenv("LEMMATA_FAKE_LEAN_LOG", str(tmp_path / "requests.jsonl"))

    def make(**overrides):
        path = tmp_path / "script.json"
        path.write_text(json.dumps(answers(**overrides)))
        monkeypatch.setenv("LEMMATA_FAKE_LEAN_SCRIPT", str(path))
        tools = (sys.executable, str(HELPERS / "fake_lean_tools.py"))
        config = LeanConfig(project=HELPERS, command=(sys.executable, str(HELPERS / "fake_lean_repl.py")), timeout=5,
                            compile_command=(*tools, "lean"), trusted_command=(*tools, "check"))
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


def sent(tmp_path) -> list[str]:
    log = tmp_path / "requests.jsonl"
    return [json.loads(line).get("cmd", "") for line in log.read_text().splitlines()] if log.exists() else []


PREAMBLE = ('open Real\n\ndef f (x : ℝ) : ℝ := x ^ 2\nnotation "⟦" x "⟧" => f x\n'
            "namespace Foo\nabbrev c : ℝ := 1\nend Foo\n\n")
PROBLEM_WITH_DEFS = f"import Mathlib\n{PREAMBLE}theorem t (x : ℝ) (h : 0 < x) : 0 < ⟦x⟧ + Foo.c := by sorry\n"
PROOF_WITH_DEFS = f"import Mathlib\n{PREAMBLE}theorem t (x : ℝ) (h : 0 < x) : 0 < ⟦x⟧ + Foo.c := by\n  positivity\n"


def test_a_preamble_that_declares_definitions_does_not_reject_honest_proofs(lean, tmp_path, monkeypatch):
    # bug a: the spec's preamble used to be declared in the environment the proof is elaborated in, so the
    # proof's own copy of `f` was "already declared"; the stand-in now keeps declarations per environment
    monkeypatch.setenv("LEMMATA_FAKE_LEAN_DECLARATIONS", "1")
    result = check(lean(), proof=PROOF_WITH_DEFS, statement=PROBLEM_WITH_DEFS)
    assert result.verdict is Verdict.ACCEPTED, result.reasons
    spec = next(c for c in sent(tmp_path) if "theorem lemmata_spec_" in c and "run_meta" not in c)
    assert spec.startswith("namespace LemmataSpec_") and spec.rstrip().endswith(spec.split()[1])
    assert 'local notation "⟦" x "⟧" => f x' in spec
    compare = next(c for c in sent(tmp_path) if "run_meta" in c)
    namespace = spec.split()[1]
    # the target against the spec, and every definition of the preamble against the proof's own
    for spec_name, proof_name in ((f"{namespace}.lemmata_spec_", "`t)"), (f"{namespace}.f", "`f)"),
                                  (f"{namespace}.Foo.c", "`Foo.c)")):
        assert f"(`{spec_name}" in compare and proof_name in compare


def test_the_same_definition_twice_in_one_environment_is_what_the_stand_in_refuses(lean, tmp_path, monkeypatch):
    # the stand-in's model of the bug, shown directly: a document declaring `f` twice
    monkeypatch.setenv("LEMMATA_FAKE_LEAN_DECLARATIONS", "1")
    result = check(lean(), proof=PROOF_WITH_DEFS.replace("namespace Foo", "def f (x : ℝ) : ℝ := x\nnamespace Foo"),
                   statement=PROBLEM_WITH_DEFS)
    assert result.verdict is Verdict.REJECTED and "'f' has already been declared" in result.reasons[0]


def test_a_header_without_the_meta_api_gets_import_lean(lean, tmp_path):
    # bug b: the comparison runs Lean's meta API, which a bare header does not bring
    problem = "theorem t : 1 + 1 = 2 := by sorry\n"
    result = check(lean(**{"import Lean": {"env": 0}}), proof="theorem t : 1 + 1 = 2 := by\n  decide\n",
                   statement=problem)
    assert result.verdict is Verdict.ACCEPTED, result.reasons
    assert sent(tmp_path)[0] == "import Lean\n"


def test_the_statement_and_the_proof_must_import_the_same(lean, tmp_path):
    # bug f: the statement's imports were ignored when the spec was elaborated
    result = check(lean(), proof=PROOF.replace("import Mathlib", "import Mathlib\nimport Aesop"))
    assert result.verdict is Verdict.REJECTED
    assert "the document imports Mathlib, Aesop but the statement imports Mathlib" in result.reasons
    assert sent(tmp_path) == []  # refused before any Lean ran


def test_what_the_scan_refuses_never_reaches_lean(lean, tmp_path):
    exploit = PROOF.replace("theorem t", "instance (priority := high) : BEq Lean.Expr := ⟨fun _ _ => true⟩\ntheorem t")
    result = check(lean(), proof=exploit)
    assert result.verdict is Verdict.REJECTED
    assert result.reasons == ["uses 'Lean (metaprogramming)' at line 4",
                              "Lean was not run on it: the source scan refuses what it uses"]
    assert sent(tmp_path) == []


def test_the_allow_list_lets_a_named_construct_through(tmp_path, monkeypatch):
    monkeypatch.setenv("LEMMATA_LEAN_ALLOW", "dbg_trace, Lean")
    from lemmata.verifiers.lean.config import LeanConfig as Config

    assert Config.from_env().allow == frozenset({"dbg_trace", "Lean"})


# The trusted final check: what LeanVerifier.check asks after the REPL's audit passed. The commands are
# stand-ins (tests/helpers/fake_lean_tools.py); these tests pin how they are driven and how their answer
# decides the verdict. The real lemmata-check (lean/LemmataCheck.lean) runs only where Lean is installed.

def trusted_calls(tmp_path) -> list[list[str]]:
    log = tmp_path / "trusted.jsonl"
    return [json.loads(line) for line in log.read_text().splitlines()] if log.exists() else []


@pytest.fixture
def trusted_log(tmp_path, monkeypatch):
    monkeypatch.setenv("LEMMATA_FAKE_TRUSTED_LOG", str(tmp_path / "trusted.jsonl"))


def test_the_final_word_is_the_trusted_check_on_both_compiled_files(lean, tmp_path, trusted_log, monkeypatch):
    monkeypatch.setenv("LEMMATA_FAKE_TRUSTED", json.dumps({"verdict": "accepted", "reasons": [], "axioms": ["propext"]}))
    result = check(lean())
    assert result.verdict is Verdict.ACCEPTED and result.checker.endswith("+ lemmata-check")
    calls = trusted_calls(tmp_path)
    assert [c[0] for c in calls] == ["lean", "lean", "check"]  # reference, candidate, then the check
    reference, candidate = calls[0][-1], calls[1][-1]
    assert reference.endswith("LemmataReference.lean") and candidate.endswith("LemmataCandidate.lean")
    assert Path(reference).parent != Path(candidate).parent  # compiled apart: one cannot overwrite the other
    assert calls[2][1:4] == [calls[0][2], calls[1][2], "t"]
    assert set(calls[2][4:]) == {"propext", "Classical.choice", "Quot.sound"}
    assert result.targets[0].axioms == ["propext"]  # as the trusted traversal found them


def test_a_proof_that_fooled_the_repl_is_refused_by_the_trusted_check(lean, monkeypatch, trusted_log):
    # the REPL (scripted) says the statement matches, as a proof's own BEq instance could make it say
    monkeypatch.setenv("LEMMATA_FAKE_TRUSTED", json.dumps({
        "verdict": "rejected", "reasons": ["t does not state exactly the reference statement"], "axioms": []}))
    result = check(lean())
    assert result.verdict is Verdict.REJECTED
    assert result.reasons == ["t does not state exactly the reference statement"]


def test_a_candidate_that_does_not_compile_is_refused(lean, tmp_path, trusted_log):
    result = check(lean(**{"theorem t": {"env": 2, "messages": []}}), proof=PROOF + "-- __compile_error__\n")
    assert result.verdict is Verdict.REJECTED
    assert result.reasons[0].startswith("the candidate does not compile:") and "__compile_error__" in result.reasons[0]
    assert [c[0] for c in trusted_calls(tmp_path)] == ["lean", "lean"]


def test_without_the_trusted_check_built_nothing_is_accepted(tmp_path, monkeypatch):
    path = tmp_path / "script.json"
    path.write_text(json.dumps(answers()))
    monkeypatch.setenv("LEMMATA_FAKE_LEAN_SCRIPT", str(path))
    config = LeanConfig(project=tmp_path, command=(sys.executable, str(HELPERS / "fake_lean_repl.py")), timeout=5)
    result = check(LeanVerifier(config))
    assert result.verdict is Verdict.REJECTED and "lemmata setup lean" in result.reasons[0]


def test_sessions_are_the_fast_path_and_do_not_run_the_trusted_check(lean, tmp_path, trusted_log):
    with lean().session("import Mathlib", statement=Statement(PROBLEM)) as session:
        assert session.check(PROOF.split("\n", 1)[1]).accepted
    assert trusted_calls(tmp_path) == []

