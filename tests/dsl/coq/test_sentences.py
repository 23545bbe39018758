"""Sentence splitting must agree with Coq's lexer on where sentences end."""

import pytest

from lemmata.dsl.coq.sentences import CoqSyntaxError, blank_comments, split_sentences


def texts(source: str) -> list[str]:
    return [s.text for s in split_sentences(source).sentences]


def test_qualified_names_and_decimals_do_not_end_sentences():
    assert texts("Require Import Coq.Reals.Reals. Check Nat.add. Check 1.5.") == [
        "Require Import Coq.Reals.Reals.", "Check Nat.add.", "Check 1.5."]


def test_bullets_and_braces_are_sentences():
    src = "Proof. split.\n- lra.\n+ { auto. }\n2: { reflexivity. }\n** idtac. Qed."
    assert texts(src) == ["Proof.", "split.", "-", "lra.", "+", "{", "auto.", "}", "2: {", "reflexivity.", "}",
                          "**", "idtac.", "Qed."]


def test_comments_nest_and_hide_terminators():
    src = "(* a. (* b. *) c. *) Check 1. (* \"*)\" still comment *) Check 2."
    assert texts(src) == ["Check 1.", "Check 2."]


def test_strings_hide_terminators_and_escape_quotes():
    assert texts('Check "a. b"". c". Check 3.') == ['Check "a. b"". c".', "Check 3."]


def test_offsets_point_into_the_source():
    src = "  Check 1.\n\n   Check 2."
    first, second = split_sentences(src).sentences
    assert src[first.start:first.end] == "Check 1." and src[second.start:second.end] == "Check 2."


def test_missing_final_period_is_reported_as_trailing_text():
    result = split_sentences("Check 1. Check 2")
    assert texts("Check 1.") == ["Check 1."]
    assert result.trailing_start == 9


@pytest.mark.parametrize("src", ["Check 1. (* open", 'Check "open.'])
def test_unterminated_comment_or_string_is_an_error(src):
    with pytest.raises(CoqSyntaxError):
        split_sentences(src)


def test_blank_comments_keeps_length_and_lines():
    src = "a (* x\ny *) b"
    out = blank_comments(src)
    assert len(out) == len(src) and out.count("\n") == 1 and "x" not in out


def test_ellipsis_and_recursive_notation_dots():
    assert texts("Notation \"[ x ; .. ; y ]\" := (cons x .. (cons y nil) ..). auto...") == [
        'Notation "[ x ; .. ; y ]" := (cons x .. (cons y nil) ..).', "auto..."]
