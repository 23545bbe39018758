"""Real Lean, where it is installed (elan + the REPL built in lean/); skipped, with the reason, elsewhere."""

import shutil

import pytest

from lemmata.verifiers.interface import Statement
from lemmata.verifiers.lean.backend import LeanVerifier
from lemmata.verifiers.result import Verdict

pytestmark = pytest.mark.skipif(shutil.which("lake") is None,
                                reason="Lean 4 is not installed here (no `lake` on PATH): the Lean backend's "
                                       "integration tests need elan and `lake build repl` in lean/")

PROBLEM = "theorem two_two : 2 + 2 = 4 := sorry\n"


@pytest.fixture(scope="module")
def lean():
    return LeanVerifier()


def test_an_honest_proof_is_accepted(lean):
    result = lean.check("theorem two_two : 2 + 2 = 4 := by decide\n", statement=Statement(PROBLEM), timeout=300)
    assert result.verdict is Verdict.ACCEPTED, result.reasons
    assert result.targets[0].statement_matches is True


def test_sorry_and_a_weaker_statement_are_refused(lean):
    holed = lean.check("theorem two_two : 2 + 2 = 4 := by sorry\n", statement=Statement(PROBLEM), timeout=300)
    assert holed.verdict is Verdict.REJECTED and holed.holes
    weaker = lean.check("theorem two_two : 2 + 2 = 2 + 2 := rfl\n", statement=Statement(PROBLEM), timeout=300)
    assert weaker.verdict is Verdict.REJECTED
    assert "theorem two_two does not state exactly the reference statement" in weaker.reasons


# What the stand-in cannot vouch for: Lean's own answers to the audit's commands.
MATHLIB_PROBLEM = "import Mathlib\n\ntheorem sq_pos' (x : ℝ) (h : 0 < x) : 0 < x ^ 2 := by sorry\n"
ALLOWED = {"propext", "Classical.choice", "Quot.sound"}


def test_a_mathlib_proof_of_a_primed_name_passes_the_whole_audit(lean):
    result = lean.check(MATHLIB_PROBLEM.replace("by sorry", "by positivity"),
                        statement=Statement(MATHLIB_PROBLEM), timeout=900)
    assert result.verdict is Verdict.ACCEPTED, result.reasons
    target = result.targets[0]
    assert target.name == "sq_pos'" and target.statement_matches is True and set(target.axioms) <= ALLOWED


def test_native_decide_and_a_new_axiom_are_refused(lean):
    native = lean.check("theorem two_two : 2 + 2 = 4 := by native_decide\n", statement=Statement(PROBLEM), timeout=300)
    assert native.verdict is Verdict.REJECTED
    axiom = lean.check("axiom cheat : 2 + 2 = 4\ntheorem two_two : 2 + 2 = 4 := cheat\n",
                       statement=Statement(PROBLEM), timeout=300)
    assert axiom.verdict is Verdict.REJECTED


def test_a_session_elaborates_the_header_once_and_reports_errors_at_file_lines(lean):
    body = MATHLIB_PROBLEM.split("\n", 1)[1]
    with lean.session("import Mathlib", statement=Statement(MATHLIB_PROBLEM)) as session:
        assert session.check(body.replace("by sorry", "by positivity"), timeout=900).accepted
        wrong = session.check(body.replace("by sorry", "by\n  linarith"), timeout=300)
        assert session.pool.header_elaborations == 1
    assert wrong.verdict is Verdict.REJECTED
    error = wrong.first_error()
    assert error is not None and error.span.line == 3  # the `linarith` line of the body


# The trusted final check (lean/LemmataCheck.lean, built by `lemmata setup lean`) against real Lean. The
# exploits below are fed to it directly, past the lexical scan, so that it is the trusted check that refuses.
EXPLOITS = {
    "a BEq instance that makes every Expr equal": (
        "import Lean\ninstance (priority := high) : BEq Lean.Expr := ⟨fun _ _ => true⟩\n"
        "theorem two_two : 2 + 2 = 5 := by sorry\n"),
    "a macro that prints a clean #print axioms": (
        "import Lean\nopen Lean in\n@[macro Lean.Parser.Command.printAxioms] def hide : Macro := fun _ =>\n"
        "  `(#print \"'two_two' depends on axioms: [propext]\")\n"
        "theorem two_two : 2 + 2 = 4 := sorryAx _ false\n"),
    "a declaration the kernel never checked": (
        "import Lean\nopen Lean Elab Term in\ntheorem two_two : 2 + 2 = 4 := by_elab do\n"
        "  withOptions (fun o => o.setBool `debug.skipKernelTC true) do\n"
        "    addDecl (.thmDecl { name := `fake, levelParams := [], type := mkConst ``False,\n"
        "                        value := mkConst ``True.intro })\n"
        "  return mkApp (mkConst ``False.elim [levelZero]) (mkConst `fake)\n"),
}
LEAN_PROBLEM = "import Lean\ntheorem two_two : 2 + 2 = 4 := sorry\n"


def test_the_trusted_check_is_built_and_gives_the_final_word(lean):
    from lemmata.verifiers.lean.config import LeanConfig

    assert LeanConfig.from_env().trusted_available(), "run `lemmata setup lean` to build lemmata-check"
    result = lean.check("import Lean\ntheorem two_two : 2 + 2 = 4 := by decide\n", statement=Statement(LEAN_PROBLEM),
                        timeout=300)
    assert result.verdict is Verdict.ACCEPTED, result.reasons
    assert result.checker.endswith("+ lemmata-check")


@pytest.mark.parametrize("name", sorted(EXPLOITS))
def test_each_exploit_class_is_refused_by_the_trusted_check_itself(name):
    from lemmata.verifiers.lean.config import LeanConfig
    from lemmata.verifiers.lean.trusted import TrustedCheck

    verdict = TrustedCheck(LeanConfig.from_env()).check(EXPLOITS[name], LEAN_PROBLEM, ["two_two"], 600)["two_two"]
    assert not verdict.accepted, verdict
    assert lean_refuses_lexically(EXPLOITS[name])


def lean_refuses_lexically(text: str) -> bool:
    from lemmata.dsl.lean.source import findings

    return any(f.kind != "hole" for f in findings(text))
