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
    "skipKernelTC": (f"set_option debug.skipKernelTC true\n{STATEMENT} := rfl", "debug.skipKernelTC"),
    "#eval": (f"#eval IO.println 1\n{STATEMENT} := rfl", "#eval"),
    "run_cmd": (f"run_cmd Lean.logInfo \"x\"\n{STATEMENT} := rfl", "run_cmd"),
    "run_tac": (f"{STATEMENT} := by run_tac pure ()", "run_tac"),
    "IO": (f"def leak : IO Unit := IO.println 1\n{STATEMENT} := rfl", "IO.println"),
    "notation on the statement's symbol": (f'local notation:65 a " + " b => a * b\n{STATEMENT} := rfl', "notation redefining +"),
    "macro": (f'macro "norm_num" : tactic => `(tactic| sorry)\n{STATEMENT} := by norm_num', "macro"),
    "macro_rules": (f"macro_rules | `(tactic| rfl) => `(tactic| exact sorry)\n{STATEMENT} := by rfl", "macro_rules"),
    "unsafe def": (f"unsafe def u : ℕ := 4\n{STATEMENT} := rfl", "unsafe"),
    # metaprogramming a competition proof never needs (issue 13, part 2)
    "open Lean": (f"open Lean in\n{STATEMENT} := rfl", "Lean (metaprogramming)"),
    "open Lean among others": (f"open Real Lean Nat\n{STATEMENT} := rfl", "Lean (metaprogramming)"),
    "by_elab": (f"{STATEMENT} := by_elab pure (mkConst ``True.intro)", "by_elab"),
    "#print with a string": (f'#print "two_plus_two depends on axioms: [propext]"\n{STATEMENT} := rfl', "#print with a string"),
    "dbg_trace": (f'{STATEMENT} := dbg_trace "x"; rfl', "dbg_trace"),
    "run_meta": (f"run_meta pure ()\n{STATEMENT} := rfl", "run_meta"),
    "elab after open in": (f'open Nat in elab "cheat" : tactic => pure ()\n{STATEMENT} := by cheat', "elab"),
    "syntax": (f'syntax "cheat" : tactic\n{STATEMENT} := rfl', "syntax"),
    "axiom after open in": (f"open Nat in axiom cheat : (2 : ℕ) + 2 = 4\n{STATEMENT} := cheat", "axiom cheat"),
    "debug option in a term": (f"set_option debug.proofAsSorry true in\n{STATEMENT} := rfl", "debug.proofAsSorry"),
    "decide +native": (f"{STATEMENT} := by decide +native", "decide +native"),
    "decide native config": (f"{STATEMENT} := by decide (config := {{ native := true }})", "decide +native"),
    "sorryAx by name": (f"{STATEMENT} := sorryAx _ false", "sorryAx"),
    "attribute registering a tactic": (f"@[tactic norm_num] def cheat : Unit := ()\n{STATEMENT} := rfl", "attribute [tactic]"),
    "attribute command": (f"attribute [local macro Nat.add] cheat\n{STATEMENT} := rfl", "attribute [macro]"),
}

# The three exploit classes a read of Lean's sources found: each is refused before any Lean runs.
EXPLOITS = {
    "BEq instance on Lean.Expr": (
        "instance (priority := high) : BEq Lean.Expr := ⟨fun _ _ => true⟩\n"
        "theorem two_plus_two : (2 : ℕ) + 2 = 5 := by\n  exact absurd rfl (by decide)\n",
        {"Lean (metaprogramming)"}),
    "macro attribute replacing #print axioms": (
        "open Lean in\n"
        "@[macro Lean.Parser.Command.print] def hidePrint : Macro := fun _ =>\n"
        "  `(#print \"'two_plus_two' depends on axioms: [propext]\")\n"
        f"{STATEMENT} := sorryAx _ false\n",
        {"Lean (metaprogramming)", "attribute [macro]", "sorryAx", "#print with a string"}),
    "by_elab adding a kernel-unchecked declaration": (
        f"{STATEMENT} := by_elab do\n"
        "  withOptions (fun o => o.setBool `debug.skipKernelTC true) do\n"
        "    addDecl (.thmDecl {{ name := `fake, levelParams := [], type := mkConst ``False, value := mkConst ``True.intro }})\n"
        "  return mkConst `fake\n",
        {"by_elab", "debug.skipKernelTC"}),
}


@pytest.mark.parametrize("name", sorted(EXPLOITS))
def test_each_exploit_class_is_refused_with_what_it_uses(name):
    text, expected = EXPLOITS[name]
    assert expected <= {f.what for f in findings(text, STATEMENT)}


def test_an_allow_list_admits_named_constructs():
    text = f"open Lean in\n{STATEMENT} := by decide +native"
    assert {f.what for f in findings(text, STATEMENT)} == {"Lean (metaprogramming)", "decide +native"}
    assert [f.what for f in findings(text, STATEMENT, allow={"Lean"})] == ["decide +native"]


def test_words_that_merely_contain_the_constructs_pass():
    honest = (f"{STATEMENT} := by\n  have axioms_count : 2 = 2 := rfl\n  have h : Leanish = 1 := sorry_free\n"
              "  simp [Nat.debug_helper, elabo, macros]\n")
    assert {f.what for f in findings(honest, STATEMENT)} == set()


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
