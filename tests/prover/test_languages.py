"""The table of languages: lookups, what is not built yet, and that a new language is one entry."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import toy_language

import lemmata
from lemmata.benchmarks.suites import load_suite
from lemmata.cli.doctor import diagnose
from lemmata.cli.main import main
from lemmata.dsl.ir import Conjecture
from lemmata.prover.agent.language import ProofLanguage
from lemmata.prover.agent.programs import ProgramLanguage
from lemmata.prover.languages import LANGUAGES, language_named, language_of_path, load_document, register
from lemmata.verifiers.errors import InputError, UnknownLanguage
from lemmata.verifiers.interface import Verifier

COQ = "Require Import ZArith.\nOpen Scope Z_scope.\nTheorem t : forall x : Z, x + 0 = x.\nProof. intros. lia. Qed.\n"


def test_every_registered_part_resolves():
    built = [e for e in LANGUAGES if e.verifier]
    assert {e.name for e in built} >= {"coq", "lean", "dafny", "fstar", "fstar-interface"}
    for entry in built:
        assert isinstance(entry.make_verifier(), Verifier)
    for entry in (e for e in LANGUAGES if e.adapter):
        adapter = entry.make_adapter()
        assert isinstance(adapter, (ProofLanguage, ProgramLanguage)) and adapter.name == entry.name
    assert isinstance(language_named("coq").read_conjecture(COQ, "t"), Conjecture)
    extensions = [x for e in LANGUAGES for x in e.extensions]
    assert len(extensions) == len(set(extensions))


@pytest.mark.parametrize("path, override, name", [
    ("a.v", None, "coq"), ("A.LEAN", None, "lean"), ("b.dfy", None, "dafny"), ("c.fsti", None, "fstar-interface"), ("c.fst", None, "fstar"),
    ("a.txt", "rocq", "coq"), ("a.v", "Lean4", "lean"),
])
def test_files_and_names_map_to_entries(path, override, name):
    assert language_of_path(Path(path), override).name == name


def test_unknown_and_planned_languages_say_what_is_supported():
    with pytest.raises(UnknownLanguage, match="cannot tell the language from the extension '.txt'.*--language"):
        language_of_path(Path("proof.txt"))
    with pytest.raises(UnknownLanguage, match="unknown language 'cobol'; known: coq, lean, dafny, fstar"):
        language_named("cobol")
    with pytest.raises(UnknownLanguage, match=r"an interface declares and proves nothing: prove its implementation"):
        language_named("fstar-interface").make_adapter()
    with pytest.raises(UnknownLanguage, match="SMT reads coq .* statements, not Dafny"):
        language_named("dafny").read_conjecture("method M() {}")


def test_register_refuses_a_taken_name_or_extension():
    with pytest.raises(ValueError, match="taken"):
        register(toy_language.ENTRY.__class__("rocq", "Other", (".other",)))
    with pytest.raises(ValueError, match=r"\.v already means coq"):
        register(toy_language.ENTRY.__class__("other", "Other", (".v",)))


@pytest.fixture
def toy():
    register(toy_language.ENTRY)
    yield toy_language.ENTRY
    LANGUAGES.remove(toy_language.ENTRY)


def test_a_new_language_is_one_entry(toy, tmp_path, capsys):
    good, bad = tmp_path / "good.toy", tmp_path / "bad.toy"
    good.write_text("step\nqed\n")
    bad.write_text("step\n")
    assert load_document(good).language == "toy"
    assert lemmata.check(good).accepted and not lemmata.check(bad).accepted
    assert lemmata.check(text="qed", language="toylang").accepted
    assert main(["check", str(good), "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["language"] == "toy"
    assert main(["check", str(bad)]) == 1
    assert any(row.name == "toy" and row.installed and row.version == "1.0" for row in diagnose())
    suite = load_suite(str(tmp_path), "valid")
    assert suite.language == "toy" and [p.id for p in suite.problems] == ["bad", "good"]
    with pytest.raises(UnknownLanguage, match="does not handle 'toy'"):
        lemmata.prove(good)
    capsys.readouterr()
    assert main(["smt", str(good)]) == 2
    assert "SMT reads coq (.v), lean (.lean) statements, not Toy" in capsys.readouterr().err


def test_documents_refuse_unusable_input(tmp_path):
    with pytest.raises(InputError, match="no such file"):
        load_document(tmp_path / "missing.v")
    (tmp_path / "empty.v").write_text("  \n")
    with pytest.raises(InputError, match="empty"):
        load_document(tmp_path / "empty.v")
    with pytest.raises(InputError, match="is a directory"):
        load_document(tmp_path, language="coq")
