"""The text side of the agent: proof steps and holes, goal displays, sketches, answers from a model."""

import pytest
from agent_cases import SUM_ODD, problem

from lemmata.dsl.coq.goals import CoqGoalError, parse_coq_goal
from lemmata.dsl.coq.proof import ProofScript
from lemmata.dsl.coq.sketch import print_coq_sketch
from lemmata.dsl.sketch import SketchError, parse_sketch
from lemmata.dsl.sketch import split_claim
from lemmata.prover.agent.coq import COQ_CONNECTIVES, CoqLanguage

SCRIPT = "Proof. intros. assert (h2 : 0 < x*x). { nra. lra. } split.\n - exact h2.\n - lia. idtac.\nQed."


def test_script_sentences_and_blocks():
    script = ProofScript.parse(SCRIPT)
    assert script.sentences[:3] == ("intros.", "assert (h2 : 0 < x*x).", "{")
    assert script.blocks() == [(3, 5), (8, 9), (10, 12)]


@pytest.mark.parametrize("index, expected", [
    (3, ("{", "admit.", "}", "split.")),  # inside braces: the rest of the braces' block
    (10, ("-", "admit.")),  # inside the last bullet: to its end
    (7, ("split.", "admit.", "-")),  # a failing bullet: the goal before it was not finished
])
def test_holes_replace_the_failing_step_and_the_rest_of_its_block(index, expected):
    cut = ProofScript.parse(SCRIPT).hole_at(index)
    text = " ".join(cut.sentences)
    assert " ".join(expected) in text
    assert len(cut.holes) == 1


def test_failure_at_qed_closes_every_open_goal_and_fill_puts_scripts_in_braces():
    script = ProofScript.parse("intros. split.")
    cut = script.hole_at(2)
    assert cut.sentences[-1] == "all: admit."
    assert cut.fill(2, "lra.").sentences[-1] == "all: lra."
    assert cut.fill(2, "intros. nra.").sentences[-1] == "all: (intros; nra)."  # every open goal, not the first
    assert cut.fill(2, "- lra.\n- lra.").sentences[-2:] == ("-", "lra.")  # its own structure: as written
    inner = ProofScript.parse("intros. admit.").fill(1, "induction n. reflexivity. simpl; lia.")
    assert inner.sentences == ("intros.", "{", "induction n.", "reflexivity.", "simpl; lia.", "}")
    with pytest.raises(ValueError):
        inner.fill(0, "lia.")


def test_truncated_script_keeps_what_is_there():
    assert ProofScript.parse("Proof.\n intros n. induction n as [|k IH].\n - reflexivity.\n - simpl").sentences[-1] == "simpl."


def test_goal_display_round_trips_to_a_lemma():
    display = ("1 goal (ID 5)\n  \n  x, y : R\n  H : 0 < x\n  H0 : x + y =\n       2\n  n := 3%nat : nat\n"
               "  ============================\n  0 < x * x\n\ngoal 2 (ID 7) is:\n x = x")
    goal = parse_coq_goal(display)
    assert goal.names == ["x", "y", "H", "H0", "n"]
    assert goal.argument_names() == ["x", "y", "H", "H0"]
    assert goal.hypotheses[2].type == "x + y = 2"
    assert goal.declaration("g") == "Lemma g (x y : R) (H : 0 < x) (H0 : x + y = 2) (n : nat := 3%nat) : 0 < x * x."
    with pytest.raises(CoqGoalError):
        parse_coq_goal("No more goals.")


def test_sketch_language():
    sketch = parse_sketch("Plan:\n```sketch\nhave h1 : 0 < x * x\nhave h2 : x * x <= 4\n  /\\ x <> 0 using h1\n"
                          "show using h1 h2\n```\nDone.")
    assert [s.name for s in sketch.steps] == ["h1", "h2"]
    assert sketch.steps[1].claim == "x * x <= 4 /\\ x <> 0" and sketch.steps[1].uses == ("h1",)
    assert parse_sketch(sketch.render()) == sketch
    assert parse_sketch("have a : P").conclusion_uses == ("a",)


@pytest.mark.parametrize("text, needle", [
    ("", "no 'have' step"),
    ("have h1 : P using h9", "no earlier step"),
    ("have h1 : P\nhave h1 : Q", "already taken"),
    ("have H : P", "already taken"),
    ("have h1 : P\nshow using h2", "no step defines"),
    ("have h1 : P\nshow\nhave h2 : Q", "must be the last line"),
    ("have h1 : P\nshow\nand more", "unexpected text after 'show'"),
    ("lemma h1 : P", "no 'have' step"),  # lines before the first 'have' are prose
    ("have 1x : P", "cannot read"),
    ("have h1 : P\nshow h1", "write 'show using"),
    ("have h1 :", "no claim"),
])
def test_malformed_sketches_say_why(text, needle):
    with pytest.raises(SketchError, match=needle):
        parse_sketch(text, reserved={"H"})


def test_sketch_printed_as_coq_shares_equal_claims():
    goal = parse_coq_goal("x : R\nH : 0 < x\n============================\n0 < x * x /\\ x <> 0")
    sketch = parse_sketch("have a : x <> 0\nhave b : x <> 0\nhave c : 0 < x * x using a\nshow using b c")
    printed = print_coq_sketch("t", goal, sketch)
    assert [l.name for l in printed.lemmas] == ["t_a", "t_c", "t_show"]  # b is a's lemma
    assert printed.lemmas[1].declaration == "Lemma t_c (x : R) (H : 0 < x) (a : x <> 0) : 0 < x * x."
    assert "pose proof (t_a x H) as b." in printed.proof
    assert printed.proof.endswith("exact (t_show x H b c).")


@pytest.mark.parametrize("conclusion, parts", [
    ("0 < x /\\ x < 2 /\\ (y = 1 \\/ y = 2)", ["0 < x", "x < 2", "(y = 1 \\/ y = 2)"]),
    ("a = b <-> b = a", ["(a = b) -> (b = a)", "(b = a) -> (a = b)"]),
    ("a /\\ b -> c", None),
    ("a \\/ b /\\ c", None),
    ("forall n, n = n /\\ True", None),
    ("x = 1", None),
])
def test_symbolic_split(conclusion, parts):
    assert split_claim(conclusion, COQ_CONNECTIVES) == parts


COQ = CoqLanguage()


@pytest.mark.parametrize("answer, body", [
    ("```coq\nProof.\n  lia.\nQed.\n```", "Proof.\n  lia.\nQed."),
    ("Sure! Here it is:\n```coq\nintros. lia.\n```\nHope it helps.", "intros.\nlia."),
    ("<think>try ```coq\nProof. auto. Qed.\n``` hmm</think>\n```coq\nProof. lia. Qed.\n```", "Proof.\nlia.\nQed."),
    ("```coq\nProof. auto. Qed.\n```\nBetter:\n```coq\nProof. lia. Qed.\n```", "Proof.\nlia.\nQed."),
    ("intros n.\ninduction n; simpl; lia.", "intros n.\ninduction n; simpl; lia."),
    ("```coq\nProof.\n  induction n as [|k IH].\n  - reflexivity.\n  - simpl", "Proof.\ninduction n as [|k IH].\n-\nreflexivity.\n-\nsimpl"),
])
def test_extraction_of_the_proof_body(answer, body):
    extracted = COQ.extract(answer, problem(SUM_ODD))
    assert extracted is not None
    assert " ".join(extracted.body.split()) == " ".join(body.split())


@pytest.mark.parametrize("answer", ["", "   ", "I cannot prove this.", "```python\nprint(1)\n```", "```coq\n(* unterminated\n```"])
def test_answers_without_usable_code(answer):
    assert COQ.extract(answer, problem(SUM_ODD)) is None


def test_extraction_keeps_imports_and_helper_lemmas_and_drops_the_restated_theorem():
    answer = ("```coq\nRequire Import Lia.\nLemma helper : forall k, sum_odd (S k) = sum_odd k + 2 * k + 1.\n"
              "Proof. reflexivity. Qed.\nTheorem sum_odd_square : forall n : nat, sum_odd n = n * n.\n"
              "Proof. induction n; simpl; lia. Qed.\n```")
    extracted = COQ.extract(answer, problem(SUM_ODD))
    assert extracted.imports == ("Require Import Lia.",)
    assert extracted.preamble.startswith("Lemma helper") and "Proof. reflexivity. Qed." in " ".join(extracted.preamble.split())
    assert " ".join(extracted.body.split()) == "Proof. induction n; simpl; lia. Qed."
