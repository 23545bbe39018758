"""The spec-preserving audit on its own: what a candidate may add to a Dafny problem, and every cheat refused."""

import os
from pathlib import Path

import pytest

from lemmata.dsl.dafny.program import outside_access, parse
from lemmata.dsl.dafny.spec import audit
from lemmata.dsl.dafny.tokens import DafnySyntaxError

PROBLEM = """
function Sum(s: seq<int>): int
{
  if |s| == 0 then 0 else s[0] + Sum(s[1..])
}

lemma SumAppend(s: seq<int>, x: int)
  ensures Sum(s + [x]) == Sum(s) + x
{
}

method Total(a: array<int>) returns (t: int)
  requires a.Length < 1000
  ensures t == Sum(a[..])
{
  t := 0;
  var i := 0;
  while i < a.Length
  {
    t := t + a[a.Length - 1 - i];
    i := i + 1;
  }
}
"""

SOLVED = PROBLEM.replace("""lemma SumAppend(s: seq<int>, x: int)
  ensures Sum(s + [x]) == Sum(s) + x
{
}""", """lemma SumAppend(s: seq<int>, x: int)
  ensures Sum(s + [x]) == Sum(s) + x
{
  if |s| > 0 { assert s + [x] == [s[0]] + (s[1..] + [x]); SumAppend(s[1..], x); }
}

// a helper the candidate adds
lemma {:induction false} Helper(n: nat) ensures n + 0 == n {}

ghost function Twice(n: int): int { 2 * n }""").replace("""  while i < a.Length
  {""", """  ghost var seen := 0;
  while i < a.Length
    invariant 0 <= i <= a.Length
    decreases a.Length - i
    invariant t == Sum(a[a.Length - i..])
  {
    assert a[a.Length - 1 - i..] == [a[a.Length - 1 - i]] + a[a.Length - i..];
    calc { Twice(1); == 2; }
    Helper(i);
    seen := seen + 1;""")


def reasons(candidate: str, problem: str = PROBLEM) -> list[str]:
    return audit(parse(problem), parse(candidate))


def test_invariants_asserts_calc_ghost_variables_lemma_calls_and_new_lemmas_are_allowed():
    assert reasons(SOLVED) == []
    assert reasons(PROBLEM.replace("\n", "\n  // a comment\n")) == []  # layout and comments do not matter


CHEATS = {
    "assume": ("t := 0;", "t := 0; assume false;", "assume at line"),
    "axiom attribute": ("lemma SumAppend", "lemma {:axiom} SumAppend", "{:axiom}"),
    "verify false": ("method Total", "method {:verify false} Total", "{:verify false}"),
    "extern": ("method Total", "method {:extern} Total", "{:extern}"),
    "bodyless lemma": ("ensures Sum(s + [x]) == Sum(s) + x\n{\n  if |s| > 0 { assert s + [x] == [s[0]] + (s[1..] + [x]); "
                       "SumAppend(s[1..], x); }\n}", "ensures Sum(s + [x]) == Sum(s) + x\n",
                       "lemma SumAppend has no body"),
    "bodyless helper": ("method Total", "lemma Free() ensures false\nmethod Total", "new lemma Free has no body"),
    "decreases star": ("while i < a.Length\n", "while i < a.Length\n    decreases *\n", "decreases *"),
    "weakened ensures": ("ensures t == Sum(a[..])", "ensures t >= Sum(a[..]) || true", "ensures clauses were changed"),
    "dropped ensures": ("  ensures t == Sum(a[..])\n", "", "ensures clauses were dropped"),
    "added requires": ("requires a.Length < 1000", "requires a.Length < 1000\n  requires a.Length == 0",
                       "requires clauses were added"),
    "weakened lemma": ("ensures Sum(s + [x]) == Sum(s) + x", "ensures true", "SumAppend: its ensures"),
    "renamed method": ("method Total(", "method Total2(", "Total of the problem is missing"),
    "changed signature": ("returns (t: int)", "returns (t: nat)", "the signature of Total changed"),
    "changed function body": ("s[0] + Sum(s[1..])", "Sum(s[1..]) + s[0]", "the body of function Sum changed"),
    "changed code": ("i := i + 1;", "i := i + 2;", "the executable code of method Total changed"),
    "code in a ghost-looking place": ("t := 0;", "t := 0;\n  ghost var g := 0;\n  t := g;",
                                      "the executable code of method Total changed"),
    "new method": ("method Total", "method Sneaky() { }\nmethod Total", "new method Sneaky"),
    "replaced function": ("function Sum(s: seq<int>): int", "predicate Sum(s: seq<int>)", "was a function"),
}


@pytest.mark.parametrize("name", sorted(CHEATS))
def test_every_cheat_is_refused_with_its_reason(name):
    old, new, expected = CHEATS[name]
    assert old in SOLVED, name
    found = reasons(SOLVED.replace(old, new, 1))
    assert any(expected in reason for reason in found), (name, found)


def test_what_the_problem_itself_takes_on_trust_may_stay():
    problem = "lemma Given(n: nat) ensures n >= 0\nmethod M() { Given(1); }\n"
    assert reasons(problem, problem) == []
    assert outside_access('include "lib.dfy"\nmethod {:extern} M()\n') == [("include", 1), ("{:extern}", 2)]


def test_malformed_text_is_a_syntax_error():
    for text in ['method M() { var s := "never closed; }', "method M() { )", "method M( {"]:
        with pytest.raises(DafnySyntaxError):
            parse(text)


DAFNYBENCH = Path(os.environ.get("LEMMATA_DATA", Path(__file__).resolve().parents[3] / ".." / "shared" / "data")) \
    / "dafnybench"


@pytest.mark.skipif(not (DAFNYBENCH / "ground_truth").is_dir(), reason="../shared/data/dafnybench is not here")
def test_dafnybench_ground_truths_pass_against_their_problems():
    accepted = refused = unreadable = 0
    for truth in sorted((DAFNYBENCH / "ground_truth").glob("*.dfy")):
        problem = DAFNYBENCH / "hints_removed" / f"{truth.stem}_no_hints.dfy"
        try:
            found = reasons(truth.read_text(encoding="utf-8"), problem.read_text(encoding="utf-8"))
        except DafnySyntaxError:
            unreadable += 1  # problems the hint removal left unparsable (Dafny refuses them too)
            continue
        accepted, refused = accepted + (not found), refused + bool(found)
    # the refused rest: problems whose hint removal left junk in the code, and ground truths with decreases *
    assert accepted >= 250 and unreadable <= 4, (accepted, refused, unreadable)
