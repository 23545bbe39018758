"""F* source read lexically: tokens, and top-level declarations split where F* itself splits them."""

import json

import pytest

from lemmata.dsl.fstar.source import FStarSyntaxError, body_start, declarations, module_name, tokenize

from paths import SHARED

TRANSCRIPTS = SHARED / "fixtures" / "fstar-ide" / "emacs"


@pytest.mark.skipif(not TRANSCRIPTS.is_dir(), reason=f"F* IDE transcripts not found at {TRANSCRIPTS}")
def test_declarations_start_where_f_stars_own_segment_query_put_them():
    request = json.loads((TRANSCRIPTS / "Tutorial.segment.in").read_text().splitlines()[0])
    answer = next(json.loads(line) for line in (TRANSCRIPTS / "Tutorial.segment.ideout.expected").read_text()
                  .splitlines() if '"response"' in line)
    theirs = [d["def_range"]["beg"][0] for d in answer["response"]["decls"]]
    assert [d.line for d in declarations(request["args"]["code"])] == theirs


@pytest.mark.skipif(not TRANSCRIPTS.is_dir(), reason=f"F* IDE transcripts not found at {TRANSCRIPTS}")
def test_every_recorded_source_reads_and_names_its_module():
    for source in sorted(TRANSCRIPTS.glob("*.fst*")):
        text = source.read_text(encoding="utf-8")
        assert module_name(text).lower() == source.name.split(".")[0].lower()
        assert declarations(text)[0].kind == "module"


def test_comments_strings_and_chars_hide_nothing_and_fake_nothing():
    tokens = tokenize('let s = "admit ()" (* assume val x (* nested *) *) // admit\nlet c = \'a\' \nlet f (x:\'a) = x')
    words = [t.text for t in tokens]
    assert "admit" not in words and "assume" not in words
    assert '"admit ()"' in words and "'a'" in words and "'a" in words
    assert [t.kind for t in tokens if t.text == "'a"] == ["tyvar"]
    assert "*" in [t.text for t in tokenize("let m = op_Star 2 3 let n = ( * ) 2 3")]


def test_attributes_and_qualifiers_join_the_declaration_below_and_and_continues_one():
    text = ("module M\n\n[@@expect_failure]\nlet bad = assert False\n\nprivate\nlet rec even n = if n = 0 then true "
            "else odd (n - 1)\nand odd n = if n = 0 then false else even (n - 1)\n\n#push-options \"--fuel 2\"\n"
            "let lemma_x (n:nat) : Lemma (ensures n + 0 == n) = ()\n#pop-options\n")
    found = declarations(text)
    assert [(d.kind, d.names) for d in found] == [
        ("module", ["M"]), ("let", ["bad"]), ("let", ["even", "odd"]), ("pragma", []), ("let", ["lemma_x"]),
        ("pragma", [])]
    assert found[1].attribute_words() == {"expect_failure"} and found[2].qualifiers == ["private"]
    assert found[4].signature() == ["let", "lemma_x", "(", "n", ":", "nat", ")", ":", "Lemma", "(", "ensures", "n",
                                    "+", "0", "==", "n", ")"]
    assert [t.text for t in found[4].body()] == ["(", ")"]
    assert found[4].text_of(text).startswith("let lemma_x") and found[4].line == 11


def test_the_body_starts_at_the_first_equals_sign_outside_brackets():
    (lemma,) = [d for d in declarations("let f (x:int{x = 1}) : y:int{y = x} = x\n") if d.kind == "let"]
    assert [t.text for t in lemma.tokens[body_start(lemma.tokens) + 1:]] == ["x"]


@pytest.mark.parametrize("text, message", [
    ("module M\nlet x = (* never closed", "never closed"),
    ('module M\nlet s = "never closed', "never closed"),
    ("module M\nlet x = (1 + 2]", "does not close"),
    ("module M\nlet x = (1 + 2", "never closed"),
])
def test_unreadable_text_is_a_syntax_error_with_its_line(text, message):
    with pytest.raises(FStarSyntaxError, match=message):
        declarations(text)
