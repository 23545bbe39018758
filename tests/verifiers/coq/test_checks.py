"""Real Coq: verdicts, error locations, goals, timeouts, and the warm session's guarantees."""

import time

import pytest

from lemmata.verifiers.result import Severity, Verdict
from paths import ROOT

slow = pytest.mark.slow  # every test but the first two smoke checks starts more coqc/coqtop processes

REAL_HEADER = "Require Import Reals Lra.\nOpen Scope R_scope.\n"
GOOD = REAL_HEADER + "Theorem t : forall x : R, x + 1 > x.\nProof.\n  intro x.\n  lra.\nQed.\n"
TYPE_ERROR = REAL_HEADER + "Theorem t : forall x : R, x + 1 > x.\nProof.\n  intro x.\n  exact (eq_refl x).\nQed.\n"
INCOMPLETE = REAL_HEADER + "Theorem t : forall x : R, x + 1 > x.\nProof.\n  intro x.\n"
# A tactic that runs for hours in constant stack (an Ltac recursion would overflow the stack in seconds,
# which Coq reports as an error, not a timeout): 10^12 iterations of the identity, reduced by cbv.
LOOPING = ("Require Import PArith.\nTheorem t : False.\nProof.\n"
           "  assert (Pos.iter (fun x : nat => x) 0 1000000000000%positive = 0) by (cbv; reflexivity).\nQed.\n")


@pytest.fixture(scope="module")
def session(coq):
    with coq.session("Require Reals Lra.") as s:
        yield s


def test_accepted(coq, session):
    for result in (coq.check(GOOD), session.check(GOOD)):
        assert result.verdict is Verdict.ACCEPTED, result.reasons
        assert result.targets[0].name == "t" and result.seconds > 0


def test_type_error_is_reported_at_its_line_and_column(coq, session):
    for result in (coq.check(TYPE_ERROR), session.check(TYPE_ERROR)):
        assert result.verdict is Verdict.REJECTED
        error = result.first_error()
        assert error is not None and error.severity is Severity.ERROR
        assert (error.span.line, error.span.column) == (6, 10)  # 'eq_refl x' inside '  exact ('
        assert "expected to have type" in error.message


@slow
def test_session_shows_goals_at_the_failure(session):
    error = session.check(TYPE_ERROR).first_error()
    assert error.goals and "x + 1 > x" in error.goals and "x : R" in error.goals


@slow
def test_goals_survive_sentences_that_print_nothing(session):
    # coqtop prints goals only when a sentence changed the proof: neither `Proof.`
    # nor an `intros` with nothing to introduce prints any, and `idtac` neither.
    text = REAL_HEADER + "Theorem t (x : R) : x + 1 > x.\nProof.\n  intros.\n  idtac.\n  exact I.\nQed.\n"
    error = session.check(text).first_error()
    assert error.span.line == 7
    assert error.goals and "x + 1 > x" in error.goals and "x : R" in error.goals
    changed = REAL_HEADER + "Theorem t : forall x : R, x + 1 > x.\nProof.\n  intros y.\n  idtac.\n  exact I.\nQed.\n"
    error = session.check(changed).first_error()
    assert error.goals and "y : R" in error.goals and "y + 1 > y" in error.goals


@slow
def test_incomplete_proof_is_rejected(coq, session):
    for result in (coq.check(INCOMPLETE), session.check(INCOMPLETE)):
        assert result.verdict is Verdict.REJECTED
        assert any("end of the document" in r for r in result.reasons), result.reasons


@slow
def test_missing_final_period_is_a_syntax_error(coq):
    result = coq.check(GOOD.rstrip().removesuffix("."))
    assert result.verdict is Verdict.REJECTED and "not terminated" in result.reasons[0]


@slow
def test_looping_tactic_times_out_cleanly_in_coqc(coq):
    started = time.monotonic()
    result = coq.check(LOOPING, timeout=3)
    assert result.verdict is Verdict.TIMEOUT
    assert time.monotonic() - started < 15


@slow
def test_session_recovers_from_timeout_and_stays_warm(session):
    result = session.check(LOOPING, timeout=2)
    assert result.verdict is Verdict.TIMEOUT
    after = session.check(GOOD)
    assert after.verdict is Verdict.ACCEPTED, after.reasons


@slow
def test_session_replaces_a_crashed_process(session):
    session._top.proc.kill()  # simulate a crash between checks
    session._top.proc.wait()
    restarts = session.restarts
    result = session.check(GOOD)
    assert result.verdict is Verdict.ACCEPTED and session.restarts == restarts + 1


@slow
def test_nothing_leaks_between_attempts(session):
    first = REAL_HEADER + "Lemma helper : 1 = 1.\nProof. reflexivity. Qed.\nTheorem t : 1 = 1.\nProof. exact helper. Qed.\n"
    assert session.check(first).verdict is Verdict.ACCEPTED
    uses_helper = "Theorem t : 1 = 1.\nProof. exact helper. Qed.\n"
    result = session.check(uses_helper)
    assert result.verdict is Verdict.REJECTED and "helper" in result.first_error().message
    # an import made by one attempt is gone in the next: lra is not imported here
    no_import = "Theorem t : forall x : Reals.Rdefinitions.R, Reals.Rdefinitions.Rle x x.\nProof. intro x. lra. Qed.\n"
    assert session.check(no_import).verdict is Verdict.REJECTED
    # a scope opened by one attempt does not change how the next one parses
    assert session.check("Theorem t : 2 + 2 = 4.\nProof. reflexivity. Qed.\n").verdict is Verdict.ACCEPTED


@slow
def test_session_verdicts_match_coqc(coq, session):
    for text in (GOOD, TYPE_ERROR, INCOMPLETE):
        assert coq.check(text).verdict == session.check(text).verdict


def _coq_children() -> set[int]:
    import os
    import subprocess
    out = subprocess.run(["ps", "-o", "pid=,ppid=,comm=", "-e"], capture_output=True, text=True).stdout
    me = str(os.getpid())
    return {int(pid) for pid, ppid, comm in (line.split(None, 2) for line in out.splitlines())
            if ppid == me and comm.startswith("coq")}


@slow
def test_no_coq_process_outlives_its_session(coq):
    before = _coq_children()
    with coq.session() as s:
        assert s.check("Theorem t : True.\nProof. exact I. Qed.\n").accepted
        assert _coq_children() - before
    assert _coq_children() == before
    coq.check(LOOPING, timeout=2)
    assert _coq_children() == before


@slow
def test_prefix_reuse_gives_the_same_results_as_a_fresh_run(coq):
    attempts = [GOOD, TYPE_ERROR, GOOD, INCOMPLETE, GOOD.replace("lra", "nra")]
    with coq.session() as warm:
        reused = [warm.check(a) for a in attempts]
        assert warm.reused_sentences > 0
    for attempt, result in zip(attempts, reused):
        with coq.session() as fresh:
            expected = fresh.check(attempt)
        assert result.verdict == expected.verdict
        assert [(d.message, d.span) for d in result.diagnostics] == [(d.message, d.span) for d in expected.diagnostics]


@slow
def test_fake_prompt_cannot_desynchronise_the_session(session):
    fake = ('Theorem t : False.\nProof.\n  idtac "</prompt>".\n  idtac "<prompt>Coq < 2 || 0 < </prompt>".\n'
            "  exact I.\nQed.\n")
    result = session.check(fake)
    assert result.verdict is Verdict.REJECTED
    # and the next honest attempt is judged correctly
    assert session.check(GOOD).verdict is Verdict.ACCEPTED
    assert session.check(TYPE_ERROR).first_error().span.line == 6


@slow
def test_holes_are_located_and_the_session_gives_their_goals(coq, session):
    text = REAL_HEADER + "Theorem t : forall x : R, x + 1 > x /\\ x - 1 < x.\nProof.\n  intro x.\n  split.\n  - admit.\n  - lra.\nAdmitted.\n"
    for result in (coq.check(text), session.check(text)):
        assert result.verdict is Verdict.REJECTED
        assert [(h.kind, h.span.line, h.span.column) for h in result.holes] == [("admit", 7, 5), ("Admitted", 9, 1)]
    admit = session.check(text).holes[0]
    assert admit.goal and "x + 1 > x" in admit.goal


@slow
def test_checker_dies_with_a_killed_parent(tmp_path):
    """Even SIGKILL of the Python process leaves no coqtop behind (PR_SET_PDEATHSIG)."""
    import os
    import signal
    import subprocess
    import sys
    import time

    script = ("from lemmata.verifiers.coq import CoqVerifier\n"
              "s = CoqVerifier().session()\n"
              "print(s._top.proc.pid, flush=True)\n"
              "import time; time.sleep(60)\n")
    parent = subprocess.Popen([sys.executable, "-c", script], stdout=subprocess.PIPE, text=True,
                              cwd=ROOT)
    child = int(parent.stdout.readline())
    os.kill(parent.pid, signal.SIGKILL)
    parent.wait()
    for _ in range(50):
        try:
            os.kill(child, 0)
        except ProcessLookupError:
            return
        time.sleep(0.1)
    os.kill(child, signal.SIGKILL)
    raise AssertionError("coqtop outlived its killed parent")


@slow
def test_session_recycles_a_bloated_checker(coq):
    with coq.session() as s:
        s.recycle_rss_mb = 1  # any coqtop is larger than this
        for _ in range(25):
            s.check("Theorem t : True.\nProof. exact I. Qed.\n")
        assert s.restarts == 1
        assert s.check("Theorem t : True.\nProof. exact I. Qed.\n").accepted
