"""The Lean backend through a Kimina Lean Server: the stand-in (``tests/helpers/fake_kimina.py``) speaks
Kimina's HTTP API and response shapes; the "Lean" behind it is scripted, so these tests show the
client, the one-snippet audit and the mapping of answers, not Lean itself."""

import json
import os
import subprocess
import sys
import threading

import pytest

from lemmata.verifiers.interface import Statement
from lemmata.verifiers.lean.backend import LeanVerifier
from lemmata.verifiers.lean.config import LeanConfig
from lemmata.verifiers.lean.kimina import KiminaUnavailable
from lemmata.verifiers.result import Verdict

from fake_kimina import FakeKimina
from paths import ROOT

PROBLEM = "import Mathlib\n\ntheorem two_le (n : ℕ) (h : 2 ≤ n) : 1 ≤ n := by\n  sorry\n"
PROOF = "import Mathlib\n\ntheorem two_le (n : ℕ) (h : 2 ≤ n) : 1 ≤ n := by\n  omega\n"


def verifier(server: FakeKimina, **config) -> LeanVerifier:
    return LeanVerifier(LeanConfig(checker="kimina", kimina_url=server.url, **config))


@pytest.fixture
def kimina():
    with FakeKimina() as server:
        yield server


def test_an_honest_proof_passes_the_whole_audit_through_the_server(kimina):
    result = verifier(kimina).check(PROOF, statement=Statement(PROBLEM), timeout=30)
    assert result.verdict is Verdict.ACCEPTED, result.reasons
    (target,) = result.targets
    assert (target.name, target.statement_matches, target.axioms) == ("two_le", True, ["propext"])
    assert "Kimina" in result.checker
    (request,) = kimina.requests
    assert request["path"] == "/api/check" and request["reuse"] is True and request["timeout"] == 30
    code = request["snippets"][0]["code"]
    assert code.startswith('import Mathlib\n#print "lemmata-probe-') and "namespace LemmataSpec_" in code  # one snippet
    assert "#print axioms two_le" in code and "lemmata-compare-" in code


@pytest.mark.parametrize("positions", ["body", "snippet"])
def test_errors_and_holes_are_reported_at_the_proofs_own_lines_whatever_kimina_counts_from(positions):
    with FakeKimina(positions=positions) as server:
        server.errors["omega"] = "omega could not prove the goal"
        failed = verifier(server).check(PROOF, statement=Statement(PROBLEM), timeout=30)
        holed = verifier(server).check(PROBLEM, statement=Statement(PROBLEM), timeout=30)
    assert failed.verdict is Verdict.REJECTED
    error = failed.first_error()
    assert error.message == "omega could not prove the goal" and error.span.line == 4  # the file's line 4
    assert holed.verdict is Verdict.REJECTED and [h.span.line for h in holed.holes] == [4]


def test_a_different_statement_and_a_foreign_axiom_are_refused(kimina):
    kimina.compare = "differ"
    weaker = verifier(kimina).check(PROOF, statement=Statement(PROBLEM), timeout=30)
    assert "theorem two_le does not state exactly the reference statement" in weaker.reasons
    kimina.compare, kimina.axioms["two_le"] = "same", ["propext", "sorryAx"]
    axiom = verifier(kimina).check(PROOF, statement=Statement(PROBLEM), timeout=30)
    assert any("sorryAx" in r for r in axiom.reasons) and axiom.verdict is Verdict.REJECTED


def test_the_source_scan_refuses_before_anything_is_sent(kimina):
    result = verifier(kimina).check(PROOF.replace("omega", "native_decide"), timeout=30)
    assert result.verdict is Verdict.REJECTED and kimina.requests == []


def test_a_timeout_busy_replicas_and_the_old_api_are_handled(kimina):
    kimina.timeouts.add("omega")
    assert verifier(kimina).check(PROOF, timeout=30).verdict is Verdict.TIMEOUT
    kimina.timeouts.clear()
    kimina.busy_first = 2  # "No available REPLs" twice, then an answer: retried with backoff
    assert verifier(kimina).check(PROOF, timeout=30).accepted
    assert [r["path"] for r in kimina.requests][-3:] == ["/api/check"] * 3
    with FakeKimina(legacy=True) as old:
        result = verifier(old).check(PROOF, statement=Statement(PROBLEM), timeout=30)
        assert result.accepted and [r["path"] for r in old.requests] == ["/api/check", "/verify"]


def test_many_checks_go_out_together_but_never_more_than_in_flight(kimina):
    kimina.delay = 0.3
    lean = verifier(kimina, kimina_in_flight=2)
    results = []
    threads = [threading.Thread(target=lambda: results.append(lean.check(PROOF, timeout=30))) for _ in range(6)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(results) == 6 and all(r.accepted for r in results)
    assert kimina.most_in_flight == 2


def test_a_key_is_sent_and_a_server_that_is_down_or_refuses_it_is_a_clear_error():
    with FakeKimina(api_key="s3cret") as server:
        assert verifier(server, kimina_api_key="s3cret").check(PROOF, timeout=30).accepted
        with pytest.raises(KiminaUnavailable, match="refused the API key"):
            verifier(server, kimina_api_key="wrong").check(PROOF, timeout=30)
    with pytest.raises(KiminaUnavailable, match="does not answer"):
        LeanVerifier(LeanConfig(checker="kimina", kimina_url="http://127.0.0.1:9")).check(PROOF)
    assert not LeanVerifier(LeanConfig(checker="kimina", kimina_url="http://127.0.0.1:9")).status().available


def lemmata(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "lemmata", *args], capture_output=True, text=True, cwd=ROOT,
                          timeout=120, env={k: v for k, v in os.environ.items() if not k.startswith("LEMMATA_LEAN")})


def test_the_command_line_checks_through_a_server_and_doctor_reports_its_health(kimina, tmp_path):
    (tmp_path / "proof.lean").write_text(PROOF)
    (tmp_path / "problem.lean").write_text(PROBLEM)
    done = lemmata("check", str(tmp_path / "proof.lean"), "--statement", str(tmp_path / "problem.lean"),
                   "--lean-url", kimina.url, "--json")
    assert done.returncode == 0, done.stdout + done.stderr
    assert json.loads(done.stdout)["targets"][0]["statement_matches"] is True
    doctor = lemmata("doctor", "--json", "--lean-checker", "kimina", "--lean-url", kimina.url)
    lean = next(r for r in json.loads(doctor.stdout) if r["name"] == "lean")
    assert lean["installed"] and "Kimina" in lean["version"]
    down = lemmata("check", str(tmp_path / "proof.lean"), "--lean-url", "http://127.0.0.1:9")
    assert down.returncode == 2 and "does not answer" in down.stderr and "Traceback" not in down.stderr
