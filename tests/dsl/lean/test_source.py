"""The lexical layer of the Lean audit: every cheat of the Lean issue is named, honest text passes."""

import pytest

from lemmata.dsl.lean.source import LeanSyntaxError, blank, declarations, findings

STATEMENT = "theorem two_plus_two : (2 : ℕ) + 2 = 4"
HONEST = f"""import Mathlib
-- a comment mentioning sorry and native_decide is fine
/- so is a block comment: axiom, #eval, /- nested -/ -/
{STATEMENT} := by
  norm_num  -- "sorry" in a comment
example : "sorry".length = 5 := by decide
"""

CHEATS = {
    "sorry": (f"{STATEMENT} := by sorry", "sorry"),
    "admit": (f"{STATEMENT} := by\n  admit", "admit"),
    "term sorry": (f"{STATEMENT} := sorry", "sorry"),
    "axiom": ("axiom cheat : (2 : ℕ) + 2 = 4\n" + f"{STATEMENT} := cheat", "axiom cheat"),
    "native_decide": (f"{STATEMENT} := by native_decide", "native_decide"),
    "ofReduceBool": (f"{STATEMENT} := Lean.ofReduceBool _ _ rfl", "Lean.ofReduceBool"),
    "implemented_by": ('@[implemented_by foo] def bar : ℕ := 4\n' + f"{STATEMENT} := rfl", "implemented_by"),
    "extern": ('@[extern "c_fn"] opaque baz : ℕ\n' + f"{STATEMENT} := rfl", "extern"),
    "skipKernelTC": (f"set_option debug.skipKernelTC true\n{STATEMENT} := rfl", "set_option debug.skipKernelTC"),
    "#eval": (f"#eval IO.println 1\n{STATEMENT} := rfl", "#eval"),
    "run_cmd": (f"run_cmd Lean.logInfo \"x\"\n{STATEMENT} := rfl", "run_cmd"),
    "run_tac": (f"{STATEMENT} := by run_tac pure ()", "run_tac"),
    "IO": (f"def leak : IO Unit := IO.println 1\n{STATEMENT} := rfl", "IO.println"),
    "notation on the statement's symbol": (f'local notation:65 a " + " b => a * b\n{STATEMENT} := rfl', "notation redefining +"),
    "macro": (f'macro "norm_num" : tactic => `(tactic| sorry)\n{STATEMENT} := by norm_num', "macro (a macro can rewrite any syntax)"),
    "macro_rules": (f"macro_rules | `(tactic| rfl) => `(tactic| exact sorry)\n{STATEMENT} := by rfl", "macro_rules"),
    "unsafe def": (f"unsafe def u : ℕ := 4\n{STATEMENT} := rfl", "unsafe"),
}


def test_honest_text_has_no_findings():
    assert findings(HONEST, STATEMENT) == []


@pytest.mark.parametrize("name", sorted(CHEATS))
def test_each_cheat_is_named(name):
    text, label = CHEATS[name]
    found = [f.what for f in findings(text, STATEMENT)]
    assert label in found, (name, found)


def test_a_notation_for_other_symbols_is_allowed():
    assert findings(f'local notation "⟪" x "⟫" => x + 1\n{STATEMENT} := rfl', STATEMENT) == []


def test_blanking_keeps_offsets_and_rejects_unterminated_text():
    text = 'a -- c\n/- x /- y -/ z -/ "s\\"t" \'c\' b'
    blanked = blank(text)
    assert len(blanked) == len(text) and blanked.count("\n") == 1
    assert blanked.split() == ["a", "\"", "\"", "'", "'", "b"]
    with pytest.raises(LeanSyntaxError):
        blank("/- open")
    with pytest.raises(LeanSyntaxError):
        blank('"open')


def test_declarations_and_their_signatures():
    text = "import Mathlib\n\ntheorem t (x : ℕ) (h : x > 0 := by omega) : x ≥ 1 := by\n  omega\n\nlemma u : True := trivial\n"
    found = declarations(text)
    assert [(d.keyword, d.name) for d in found] == [("theorem", "t"), ("lemma", "u")]
    assert found[0].signature == "(x : ℕ) (h : x > 0 := by omega) : x ≥ 1"
    assert text[found[1].body_start:].strip() == "trivial"
