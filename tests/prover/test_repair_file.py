"""Repairing whole Coq files with real Coq: broken proofs cut and filled, everything else kept byte for byte."""

import json
import subprocess
import sys

import pytest

import lemmata
from lemmata.prover.languages import load_document, text_document
from lemmata.prover.proving import prove_options
from lemmata.prover.repair_file import repair_document
from lemmata.verifiers.errors import InputError
from paths import ROOT
from repair_cases import BROKEN, KEPT, STATEMENTS

pytestmark = pytest.mark.slow  # real Coq, many checks

def repair(text, **kwargs):
    document = text_document(text, "coq")
    return repair_document(document, prove_options(document.entry, no_llm=True, tactics="lia,ring",
                                                   budget="seconds=120"), **kwargs)


def test_two_broken_lemmas_are_repaired_and_the_rest_kept_byte_for_byte():
    result = repair(BROKEN)
    assert result.status == "repaired", result.reasons
    assert [(t.theorem, t.status, t.found_by) for t in result.theorems] == [
        ("double_spec", "repaired", "repair"), ("double_mul", "repaired", "repair")]
    assert all(block in result.text for block in KEPT) and all(s in result.text for s in STATEMENTS)
    assert "  intros n.\n  unfold double.\n" in result.text  # the steps before the failing one stay
    assert lemmata.check(text=result.text, language="coq").accepted


def test_a_file_that_checks_is_unchanged():
    fixed = repair(BROKEN).text
    result = repair(fixed)
    assert result.status == "unchanged" and result.text == fixed and result.theorems == []


def test_what_cannot_be_repaired_fails_with_the_checkers_diagnostics():
    hopeless = BROKEN.replace("Lemma double_3 : double 3 = 6.", "Lemma double_3 : double 3 = 7.")
    result = repair(hopeless)
    assert result.status == "failed" and result.text == hopeless
    failed = [t for t in result.theorems if t.status == "failed"]
    assert [t.theorem for t in failed] == ["double_3"] and result.diagnostics
    outside = repair(BROKEN.replace("n + n.", "n + .", 1))
    assert outside.status == "failed" and "outside every proof" in outside.reasons[0]


def test_lean_files_are_not_repaired_yet():
    with pytest.raises(InputError, match="not supported yet"):
        repair_document(text_document("theorem t : True := trivial\n", "lean"), prove_options(
            text_document("theorem t : True := trivial\n", "lean").entry, no_llm=True))


def test_the_cli_prints_a_diff_and_writes_with_a_backup(tmp_path):
    path = tmp_path / "double.v"
    path.write_text(BROKEN)
    shown = subprocess.run([sys.executable, "-m", "lemmata", "repair", str(path), "--no-llm", "--tactics", "lia,ring"],
                           capture_output=True, text=True, timeout=300, cwd=ROOT)
    assert shown.returncode == 0, shown.stderr
    assert "-  rewrite Nat.add_0_r." in shown.stdout and path.read_text() == BROKEN
    written = subprocess.run([sys.executable, "-m", "lemmata", "repair", str(path), "--no-llm", "--tactics", "lia,ring",
                              "--write", "--json"], capture_output=True, text=True, timeout=300, cwd=ROOT)
    assert json.loads(written.stdout)["status"] == "repaired"
    assert (tmp_path / "double.v.orig").read_text() == BROKEN and path.read_text() != BROKEN
    assert load_document(path).text == json.loads(written.stdout)["text"]
