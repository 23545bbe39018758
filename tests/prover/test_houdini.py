"""Houdini invariant inference for Dafny: the templates, and a real Dafny pruning them to a proof."""

import shutil

import pytest

from lemmata.dsl.dafny.program import parse
from lemmata.prover.houdini import annotate, candidates_for, infer

FILL = """method Fill(a: array<int>, v: int)
  modifies a
  ensures forall k :: 0 <= k < a.Length ==> a[k] == v
{
  var i := 0;
  while i < a.Length
  {
    a[i] := v;
    i := i + 1;
  }
}
"""


def test_templates_come_from_the_guard_the_indexing_and_the_postcondition():
    method = parse(FILL).named()["Fill"]
    found = {(c.template, c.keyword, c.text) for c in candidates_for(method)}
    assert ("bounds", "invariant", "i <= a.Length") in found
    assert ("bounds", "invariant", "0 <= i <= a.Length") in found
    assert ("nonneg", "invariant", "0 <= i") in found
    assert ("post", "invariant", "forall k :: 0 <= k < i ==> a[k] == v") in found
    assert ("decreases", "decreases", "a.Length - i") in found
    text, lines = annotate(FILL, candidates_for(method))
    for line, candidate in lines.items():
        assert text.splitlines()[line - 1].strip() == f"{candidate.keyword} {candidate.text}"
    assert parse(text).named()["Fill"].clauses == method.clauses  # the method's own spec is untouched


@pytest.mark.slow
@pytest.mark.skipif(shutil.which("dafny") is None, reason="Dafny is not installed: 'make test' installs it")
def test_dafny_prunes_the_candidates_to_an_inductive_set_and_the_proof_is_audited():
    from lemmata.verifiers.dafny import DafnyVerifier
    from lemmata.verifiers.interface import Statement

    def audited(problem):
        return lambda text: DafnyVerifier().check(text, statement=Statement(problem), timeout=120)

    outcome = infer(FILL, audited(FILL))
    assert outcome.proved and outcome.rounds >= 1 and outcome.result.accepted
    assert outcome.result.targets[0].statement_matches is True
    assert "forall k :: 0 <= k < i ==> a[k] == v" in {c.text for c in outcome.kept}
    hopeless = FILL.replace("ensures forall k :: 0 <= k < a.Length ==> a[k] == v", "ensures a.Length == 0")
    assert not infer(hopeless, audited(hopeless)).proved


def test_a_bound_variable_named_like_the_counter_is_renamed_before_the_bound_is_replaced():
    from lemmata.prover.houdini import with_counter

    assert with_counter("forall i :: 0 <= i < a.Length ==> c[i] == a[i]", "a.Length", "i") == \
        "forall i' :: 0 <= i' < i ==> c[i'] == a[i']"
    assert with_counter("forall k :: 0 <= k < n ==> a[k] == v", "n", "i") == "forall k :: 0 <= k < i ==> a[k] == v"
    assert with_counter("r == 0", "n", "i") is None


def test_postconditions_give_their_consequents_and_conjuncts_too():
    from lemmata.prover.houdini import _pieces

    pieces = _pieces("index == -1 ==> (forall i :: 0 <= i < a.Length ==> a[i] != key)")
    assert "forall i :: 0 <= i < a.Length ==> a[i] != key" in pieces
    assert _pieces("(x > 0) && (y > 0)")[1:] == ["x > 0", "y > 0"]
    assert _pieces("p <==> q") == ["p <==> q"]  # an equivalence is not an implication
