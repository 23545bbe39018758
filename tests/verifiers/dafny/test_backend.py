"""The Dafny backend against the real Dafny (Debian's 2.3 here): verdicts, error lines, time-outs, the audit."""

import shutil
import subprocess
import sys

import pytest

from lemmata.verifiers.dafny import DafnyConfig, DafnyVerifier
from lemmata.verifiers.interface import Statement

pytestmark = [pytest.mark.slow,  # each check starts Dafny (about 1.5 s)
              pytest.mark.skipif(shutil.which("dafny") is None, reason="Dafny is not installed: 'make test' installs it")]

PROBLEM = """method CountUp(n: nat) returns (i: nat)
  ensures i == n
{
  i := 0;
  while i < n
  {
    i := i + 1;
  }
}
"""
PROOF = PROBLEM.replace("  while i < n\n", "  while i < n\n    invariant i <= n\n")
REFERENCE = Statement(PROBLEM, None, "problem.dfy")


@pytest.fixture(scope="module")
def dafny():
    return DafnyVerifier()


def test_an_annotated_program_is_accepted_and_each_member_reported(dafny):
    result = dafny.check(PROOF, statement=REFERENCE)
    assert result.accepted, result.reasons
    assert [(m.name, m.outcome) for m in result.members] == [("CountUp", "verified")]
    assert result.targets[0].statement_matches is True and result.checker.startswith("dafny 2.")


@pytest.mark.parametrize("text, line, message", [
    (PROBLEM, 5, "postcondition might not hold"),  # at the loop: the return path it leaves by
    (PROOF.replace("invariant i <= n", "invariant i <= n\n    invariant i < n"), 7, "loop invariant might not hold"),
    (PROOF.replace("i := 0;", "i := 0;\n  assert n == 0;"), 5, "assertion violation"),
    (PROOF.replace("returns (i: nat)", "returns (i: nat"), 2, "closeparen expected"),  # seen at the next token
    (PROOF.replace("i := i + 1;", "i := j + 1;"), 8, "unresolved identifier: j"),
])
def test_each_error_class_at_its_line(dafny, text, line, message):
    result = dafny.check(text)
    assert result.verdict.value == "rejected"
    error = result.first_error()
    assert error.span.line == line and message.lower() in error.message.lower(), error


def test_a_batch_past_its_time_limit_is_a_timeout_and_a_file_past_its_limit_is_killed():
    hard = ("lemma Hard(x: int, y: int, z: int)\n  requires x > 1 && y > 1 && z > 1\n"
            "  requires x*x*x*x + y*y*y*y == z*z*z*z + 7*x*y*z\n  ensures x*y > 100000\n{\n}\n")
    batch = DafnyVerifier(DafnyConfig(time_limit=3)).check(hard, timeout=120)  # (at 2 s Z3 gives up: an error)
    assert batch.verdict.value == "timeout" and [m.outcome for m in batch.members] == ["timeout"]
    whole = DafnyVerifier(DafnyConfig(time_limit=100)).check(hard, timeout=3)
    assert whole.verdict.value == "timeout" and whole.seconds < 10
    assert subprocess.run(["pgrep", "-f", "lemmata-dafny-"], capture_output=True).stdout == b""


@pytest.mark.parametrize("cheat, reason", [
    (PROBLEM.replace("i := 0;", "i := n; assume false;"), "assume at line"),
    (PROBLEM.replace("method CountUp", "method {:verify false} CountUp"), "{:verify false}"),
    (PROOF.replace("ensures i == n", "ensures i >= 0"), "ensures clauses were changed"),
    (PROOF.replace("while i < n\n", "while i < n\n    decreases *\n"), "decreases *"),
    (PROOF.replace("i := i + 1;", "i := i + 1;\n    Free();") + "lemma Free() ensures true\n", "new lemma Free has no body"),
    (PROOF.replace("i := 0;", "i := n;"), "executable code of method CountUp changed"),
])
def test_cheats_that_dafny_accepts_are_refused_by_the_audit(dafny, cheat, reason):
    result = dafny.check(cheat, statement=REFERENCE)
    assert not result.accepted and any(reason in r for r in result.reasons), result.reasons


def lemmata(*args):
    return subprocess.run([sys.executable, "-m", "lemmata", *args], capture_output=True, text=True, timeout=120)


def test_the_cli_checks_dafny_files_and_refuses_bad_input(tmp_path):
    proof, problem = tmp_path / "proof.dfy", tmp_path / "problem.dfy"
    proof.write_text(PROOF)
    problem.write_text(PROBLEM)
    done = lemmata("check", str(proof), "--statement", str(problem))
    assert done.returncode == 0 and done.stdout.startswith("accepted") and "CountUp: verified" in done.stdout
    assert lemmata("check", str(problem)).returncode == 1
    (tmp_path / "binary.dfy").write_bytes(b"\x00\x01\x02method")
    (tmp_path / "empty.dfy").write_text("")
    (tmp_path / "huge.dfy").write_text("// " + "x" * (11 * 2**20))
    (tmp_path / "proof.dfyx").write_text(PROOF)
    for name in ("binary.dfy", "empty.dfy", "huge.dfy", "proof.dfyx", "missing.dfy"):
        bad = lemmata("check", str(tmp_path / name))
        assert bad.returncode == 2 and bad.stderr.startswith("lemmata: error:") and "Traceback" not in bad.stderr, name
