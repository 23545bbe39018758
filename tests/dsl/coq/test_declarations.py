"""The source scan finds targets, holes and suspicious declarations with positions."""

from lemmata.dsl.coq.declarations import outline

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
