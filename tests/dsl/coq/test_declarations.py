"""The source scan finds targets, holes and suspicious declarations with positions."""

from lemmata.dsl.coq.declarations import library_preload, outline

SOURCE = """Require Import Arith.
Definition double (n : nat) := n + n.
Section S.
  Hypothesis H : 1 = 1.
  Lemma inner : 1 = 1. Proof. exact H. Qed.
End S.
Axiom cheat : False.
Lemma helper : 2 = 2. Proof. admit. Admitted.
Theorem main (n : nat) : double n = 2 * n.
Proof. (* admit here is only a comment *) unfold double. lia. Qed.
Module M. Theorem nested : True. Proof. exact I. Qed. End M.
Unset Guard Checking.
Reset Initial.
"""


def test_targets_are_top_level_theorems_only():
    doc = outline(SOURCE)
    assert [t.name for t in doc.top_level_theorems()] == ["helper", "main"]
    assert doc.theorem("inner") is None and doc.theorem("nested") is None
    assert [d.name for d in doc.definitions] == ["double"]


def test_findings_name_holes_axioms_unsafe_flags_and_forbidden_commands():
    doc = outline(SOURCE)
    found = {(f.kind, f.what) for f in doc.findings}
    assert ("hole", "admit") in found and ("hole", "Admitted") in found
    assert ("axiom", "Axiom cheat") in found
    assert ("unsafe", "Unset Guard Checking") in found
    assert ("forbidden", "Reset") in found
    # a section hypothesis is a local assumption, discharged at End; not flagged
    assert not any(w.startswith("Hypothesis") for k, w in found)
    # 'admit' inside a comment is not a hole
    assert sum(1 for k, w in found if w == "admit") == 1


def test_finding_offsets_point_at_the_token():
    doc = outline(SOURCE)
    admit = next(f for f in doc.findings if f.what == "admit")
    assert SOURCE[admit.start:admit.end] == "admit"


def test_top_level_hypothesis_is_an_axiom():
    doc = outline("Hypothesis h : False.\nVariable v : nat.")
    assert {f.what for f in doc.findings} == {"Hypothesis h", "Variable v"}


def test_commands_that_reach_outside_the_document_are_named_with_their_lines():
    from lemmata.dsl.coq.declarations import outside_access

    text = ('Require Import Arith.\nRedirect "/tmp/x" Print nat.\nLoad "evil.v".\nCd "/".\n'
            'Add Rec LoadPath "/etc" as Etc.\nDeclare ML Module "plugin".\nExtraction "/tmp/o.ml" nat.\n'
            "Extraction nat.\nRecursive Extraction Library Nat.\nFrom Coq Extra Dependency \"/etc/passwd\" as pw.\n"
            "Time Load x.\n(* Load in a comment *)\nDefinition Loader := 1.\nTheorem t : True. Proof. exact I. Qed.\n")
    assert outside_access(text) == [("Redirect", 2), ("Load", 3), ("Cd", 4), ("Add Rec LoadPath", 5),
                                    ("Declare ML Module", 6), ("Extraction", 7), ("Recursive Extraction Library", 9),
                                    ("From Coq Extra Dependency", 10), ("Load", 11)]


def test_library_preload_loads_the_leading_requires_without_importing_them():
    text = ("(* header *)\nRequire Import Reals.\nFrom Coq Require Export\n  Lia.\nRequire   Arith ZArith.\n"
            "Open Scope R_scope.\nRequire Import List.\nTheorem t : True.\nProof. exact I. Qed.\n")
    assert library_preload(text) == "Require Reals.\nFrom Coq Require Lia.\nRequire Arith ZArith."
    assert library_preload(text, limit=1) == "Require Reals."
    assert library_preload("Theorem t : True.\nProof. exact I. Qed.\n") == ""
    assert library_preload("Set Implicit Arguments.\nRequire Import Reals.\n") == ""  # not leading: run in order
