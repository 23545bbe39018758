"""The F* audit on source text: a corpus of ways to fake a proof, each refused with its reason; honest proofs pass."""

import pytest

from lemmata.dsl.fstar.audit import compare, findings, holes, inherited, options_of, targets
from lemmata.dsl.fstar.source import declarations

PROBLEM = """module Sum
open FStar.Mul

let rec sum (n:nat) : nat = if n = 0 then 0 else n + sum (n - 1)

let sum_formula (n:nat) : Lemma (ensures 2 * sum n == n * (n + 1)) = admit ()
"""
HEAD = "module Sum\nopen FStar.Mul\n\nlet rec sum (n:nat) : nat = if n = 0 then 0 else n + sum (n - 1)\n\n"
SIGNATURE = "let sum_formula (n:nat) : Lemma (ensures 2 * sum n == n * (n + 1))"
HONEST = HEAD + "let rec sum_formula (n:nat) : Lemma (ensures 2 * sum n == n * (n + 1)) =\n" \
                "  if n > 0 then sum_formula (n - 1)\n"


def refusals(candidate: str, problem: str = PROBLEM) -> list[str]:
    mine, reference = declarations(candidate), declarations(problem)
    found = [str(f) for d in mine if not inherited(d, reference) for f in findings(d)]
    found += [f"hole at line {t.line}" for d in mine for t in holes(d)]
    return found + compare(reference, mine)


HELPED = HEAD + "let helper (n:nat) : Lemma (n * 1 == n) = ()\n\n" + HONEST[len(HEAD):]


@pytest.mark.parametrize("candidate", [
    HONEST,
    HELPED,  # a helper lemma of its own
    HEAD + '#push-options "--z3rlimit 50 --fuel 2 --ifuel 1"\n' + HONEST[len(HEAD):] + "#pop-options\n",
    HEAD + '#set-options "--admit_smt_queries false"\n' + HONEST[len(HEAD):],
    HONEST + "(* admit () and assume val are only words in a comment *)\n",
])
def test_honest_proofs_pass_the_audit(candidate):
    assert refusals(candidate) == []


CHEATS = {
    "assume val": (HEAD + "assume val sum_formula : n:nat -> Lemma (ensures 2 * sum n == n * (n + 1))\n",
                   "'assume val' (an axiom)"),
    "admit as the proof": (HEAD + SIGNATURE + " = admit ()\n", "hole at line 6"),
    "admit_smt_queries": (HEAD + '#set-options "--admit_smt_queries true"\n' + SIGNATURE + " = ()\n",
                          "the option --admit_smt_queries true"),
    "lax": (HEAD + '#push-options "--lax"\n' + SIGNATURE + " = ()\n#pop-options\n", "the option --lax"),
    "reset-options": (HEAD + '#reset-options "--admit_smt_queries true"\n' + SIGNATURE + " = ()\n",
                      "the option --admit_smt_queries true"),
    "warn_error": (HEAD + '#set-options "--warn_error -19"\n' + SIGNATURE + " = ()\n", "the option --warn_error"),
    "unsafe_tactic_exec": (HEAD + '#set-options "--unsafe_tactic_exec"\n' + SIGNATURE + " = ()\n",
                           "the option --unsafe_tactic_exec"),
    "expect_failure": (HEAD + "[@@expect_failure]\n" + SIGNATURE + " = ()\n", "sum_formula is not defined"),
    "magic": (HEAD + SIGNATURE + " = magic ()\n", "magic (a value of any type)"),
    "Obj.magic": (HEAD + SIGNATURE + " = Obj.magic ()\n", "magic (a value of any type)"),
    "unsafe_coerce": (HEAD + SIGNATURE + " = unsafe_coerce ()\n", "unsafe_coerce"),
    "assume in the body": (HEAD + SIGNATURE + " = assume (2 * sum n == n * (n + 1))\n", "assume at line 6"),
    "assume in a refinement": (HEAD + "let helper (m:nat{assume (m > 0)}) : nat = m\n" + SIGNATURE + " = ()\n",
                               "assume at line 6"),
    "admit elsewhere": (HEAD + SIGNATURE + " = let _ = admitP (1 == 2) in ()\n", "admitP"),
    "tadmit": (HEAD + "open FStar.Tactics.V2\n" + SIGNATURE + " = assert (2 * sum n == n * (n + 1)) by (tadmit ())\n",
               "the tactic tadmit"),
    "admit_termination": (HEAD + "[@@admit_termination]\nlet rec loop (n:nat) : nat = loop n\n" + SIGNATURE
                          + " = ()\n", "the attribute admit_termination"),
    "splice": (HEAD + "%splice[sum_formula] (fun () -> admit ())\n", "%splice"),
    "a weaker statement": (HEAD + "let sum_formula (n:nat) : Lemma (ensures True) = ()\n",
                           "sum_formula does not state exactly"),
    "a changed definition": (PROBLEM.replace("n + sum (n - 1)", "0").replace(" = admit ()", " = ()"),
                             "let sum must be kept exactly"),
    "a second definition": (HONEST + "let sum (n:nat) : nat = 0\n", "sum is defined more than once"),
    "another module": (HONEST.replace("module Sum", "module Other"), "the module must be Sum"),
    "a late open": (HONEST + "open FStar.List.Tot\n", "comes after definitions it could shadow"),
    "an unknown pragma": (HEAD + "#lang-pulse\n" + SIGNATURE + " = ()\n", "the pragma #lang-pulse"),
}


@pytest.mark.parametrize("name", sorted(CHEATS))
def test_every_way_to_fake_a_proof_is_refused_with_its_reason(name):
    candidate, reason = CHEATS[name]
    found = refusals(candidate)
    assert any(reason in r for r in found), found


def test_the_problems_own_axioms_are_not_the_candidates_doing():
    problem = "module A\nassume val ax : x:int -> Lemma (x + 0 == x)\nlet t (y:int) : Lemma (y + 0 == y) = admit ()\n"
    candidate = "module A\nassume val ax : x:int -> Lemma (x + 0 == x)\nlet t (y:int) : Lemma (y + 0 == y) = ax y\n"
    assert refusals(candidate, problem) == []
    assert [t.name for t in targets(declarations(problem))] == ["t"]
    assert "'assume val' (an axiom) at line 4" in refusals(candidate.replace("= ax y", "= ax y\nassume val ax2 : "
                                                                             "squash False"), problem)


def test_a_val_fixes_the_type_so_the_definition_may_name_its_binders_freely():
    problem = "module A\nval t : n:nat -> Lemma (n + 0 == n)\n"
    assert [t.name for t in targets(declarations(problem))] == ["t"]
    assert compare(declarations(problem), declarations(problem + "let t m = ()\n")) == []
    missing = compare(declarations(problem), declarations(problem))
    assert missing == ["t is not defined (the problem asks for its proof)"]
    changed = compare(declarations(problem), declarations("module A\nval t : n:nat -> Lemma True\nlet t m = ()\n"))
    assert "val t must be kept exactly as the problem has it" in changed


def test_options_are_read_from_the_pragmas_string():
    (pragma,) = [d for d in declarations('module A\n#push-options "--z3rlimit 50 --fuel 2 --split_queries always"\n')
                 if d.kind == "pragma"]
    assert options_of(pragma) == [("z3rlimit", "50"), ("fuel", "2"), ("split_queries", "always")]
