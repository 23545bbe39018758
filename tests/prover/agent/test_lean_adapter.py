"""The agent's Lean adapter on text: problems, documents, answers, tactic steps and holes, goals, sketches."""

import pytest

from lemmata.dsl.lean.proof import LeanProofScript
from lemmata.dsl.sketch import parse_sketch, split_claim
from lemmata.prover.agent.language import Lemma
from lemmata.prover.agent.lean import LEAN_CONNECTIVES, LeanLanguage
from lemmata.prover.languages import language_named

LEAN = LeanLanguage()
PROBLEM = """import Mathlib
import Aesop

open Real

/-- a docstring -/
theorem sq_pos' (x : ℝ) (h₀ : 0 < x) : 0 < x ^ 2 ∧ x ≠ 0 := by
  sorry
"""


def problem():
    return LEAN.load(PROBLEM, None, "p.lean")


def test_problem_header_is_the_imports_and_the_statement_carries_the_rest():
    p = problem()
    assert p.header == "import Mathlib\nimport Aesop\n" and p.theorem == "sq_pos'"
    assert p.declaration.startswith("open Real") and p.declaration.endswith("(h₀ : 0 < x) : 0 < x ^ 2 ∧ x ≠ 0")
    assert language_named("lean").read_conjecture(p.text, p.theorem).goal is not None


def test_draft_puts_the_body_under_by_and_knows_its_line():
    draft = LEAN.draft(problem(), "constructor\n· positivity\n· linarith")
    lines = draft.attempt.splitlines()
    assert lines[draft.body_line - 1] == "  constructor" and lines[draft.body_line - 2].endswith(":= by")


def test_reindenting_keeps_bullet_bodies_under_their_bullets():
    # bug d: lines that already started with two spaces were left as they were, so a bullet's body moved out
    for body in ("constructor\n· positivity\n  linarith", "  constructor\n  · positivity\n    linarith"):
        draft = LEAN.draft(problem(), body)
        assert draft.attempt.endswith("  constructor\n  · positivity\n    linarith\n")
    lemma = LEAN.lemma_text(Lemma("aux", "theorem aux : True", "refine ?_\n· trivial\n  done"))
    assert lemma.endswith(":= by\n  refine ?_\n  · trivial\n    done\n")
    assert LEAN.lemma_text(Lemma("aux", "theorem aux : True", None)).endswith(":= by\n  sorry\n")


def test_a_sub_lemma_is_its_own_problem_with_the_problems_opens():
    # bug c: sub-lemmas were checked without `open Real`, so their goals' notation (π, n !) did not parse
    sub = LEAN.lemma_problem(problem(), Lemma("sq_pos'_h1", "theorem sq_pos'_h1 (x : ℝ) : 0 ≤ π * x ^ 2", None))
    assert sub.text.startswith("import Mathlib\nimport Aesop\n") and "open Real" in sub.text
    assert sub.text.index("open Real") < sub.text.index("theorem sq_pos'_h1") and sub.theorem == "sq_pos'_h1"
    assert "docstring" not in sub.text
    draft = LEAN.draft(sub, "positivity")
    assert draft.text.index("open Real") < draft.text.index("theorem sq_pos'_h1")


def test_helpers_go_after_the_problems_opens_and_before_its_doc_comment():
    helper = "theorem aux (x : ℝ) : 0 ≤ π * x ^ 2 := by\n  sorry"  # `π` needs the problem's `open Real`
    draft = LEAN.draft(problem(), "sorry", preamble=helper, holes_allowed=True)
    text = draft.attempt
    assert text.index("open Real") < text.index("theorem aux") < text.index("/-- a docstring -/") \
        < text.index("theorem sq_pos'")
    assert draft.attempt.splitlines()[draft.body_line - 1] == "  sorry"


@pytest.mark.parametrize("answer, body", [
    ("```lean\ntheorem sq_pos' (x : ℝ) (h₀ : 0 < x) : 0 < x ^ 2 ∧ x ≠ 0 := by\n  constructor\n  · positivity\n  · linarith\n```",
     "constructor\n· positivity\n· linarith"),
    ("Proof:\n```lean4\nby\n  nlinarith [sq_nonneg x]\n```", "nlinarith [sq_nonneg x]"),
    ("```lean\nimport Mathlib\nlemma aux : True := trivial\ntheorem sq_pos' (x : ℝ) (h₀ : 0 < x) : 0 < x ^ 2 ∧ x ≠ 0 := by\n  exact ⟨by positivity, by linarith⟩\n```",
     "exact ⟨by positivity, by linarith⟩"),
])
def test_extracting_lean_answers(answer, body):
    extracted = LEAN.extract(answer, problem())
    assert [line.strip() for line in extracted.body.splitlines()] == body.splitlines()
    if "aux" in answer:
        assert extracted.preamble == "lemma aux : True := trivial"


@pytest.mark.parametrize("answer", ["", "I give up.", "```coq\nlia.\n```", "```lean\n/- open comment\n```"])
def test_unusable_lean_answers(answer):
    assert LEAN.extract(answer, problem()) is None


def test_tactic_holes_by_indentation():
    script = LeanProofScript.parse("constructor\n· nlinarith [h₀]\n  simp\n· exact ne_of_gt h₀")
    cut = script.hole_at(1)
    assert cut.sentences == ("constructor", "· sorry", "· exact ne_of_gt h₀") and cut.holes == [1]
    assert cut.fill(1, "positivity").sentences[1] == "· positivity"
    assert script.hole_at(9).sentences[-1] == "all_goals sorry"
    assert LeanProofScript.parse("have h : x > 0 := by\n  linarith\nexact h").hole_at(1).sentences == \
        ("have h : x > 0 := by", "  sorry", "exact h")


def test_goals_become_theorems_and_split():
    display = "x : ℝ\nh₀ : 0 < x\n⊢ 0 < x ^ 2 ∧ x ≠ 0"
    goal = LEAN.goal_problem(problem(), display, "g")
    assert goal.declaration == "open Real\n\ntheorem g (x : ℝ) (h₀ : 0 < x) : 0 < x ^ 2 ∧ x ≠ 0"  # keeps the opens
    assert LEAN.split_conclusion(display) == ["0 < x ^ 2", "x ≠ 0"]
    assert split_claim("a ↔ b", LEAN_CONNECTIVES) == ["(a) → (b)", "(b) → (a)"]
    assert split_claim("∀ n, n = n ∧ True", LEAN_CONNECTIVES) is None


def test_sketch_printed_as_lean():
    display = "x : ℝ\nh₀ : 0 < x\n⊢ 0 < x ^ 2 ∧ x ≠ 0"
    lemmas, body, uses = LEAN.print_sketch(problem(), display, parse_sketch("have a : 0 < x ^ 2\nhave b : x ≠ 0\nshow"))
    assert [l.name for l in lemmas] == ["sq_pos'_a", "sq_pos'_b", "sq_pos'_show"]
    assert lemmas[2].declaration == "theorem sq_pos'_show (x : ℝ) (h₀ : 0 < x) (a : 0 < x ^ 2) (b : x ≠ 0) : 0 < x ^ 2 ∧ x ≠ 0"
    assert body.splitlines() == ["intros", "have a : 0 < x ^ 2 := sq_pos'_a x h₀", "have b : x ≠ 0 := sq_pos'_b x h₀",
                                 "exact sq_pos'_show x h₀ a b"]
    assert LEAN.lemma_text(lemmas[0]).endswith(":= by\n  sorry\n")
