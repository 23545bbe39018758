"""The agent's view of Lean 4 + Mathlib: documents, automation, tactic steps, sketches, prompts.

A Lean document's header is its ``import`` lines (what the REPL pool keeps
warm); everything between the imports and the theorem (``open``,
``set_option``, local definitions) travels with the statement.
"""

from __future__ import annotations

import re
import textwrap

from lemmata.dsl.lean.goals import LeanGoal, parse_lean_goal, print_lean_sketch
from lemmata.dsl.lean.proof import LeanProofScript
from lemmata.dsl.lean.source import LeanSyntaxError, blank, declarations, target_theorem
from lemmata.dsl.sketch import Connectives, PrintedSketch, Sketch
from lemmata.dsl.text import NoSuchTheorem
from lemmata.prover.agent.extract import answer_code
from lemmata.prover.agent.language import Draft, Extracted, Lemma, Problem, ProblemError, ProofLanguage, Tactic
from lemmata.verifiers.lean.backend import split_header

LEAN_CONNECTIVES = Connectives("∧", "↔", ("→", "∨"), ("∀", "∃", "fun", "let", "match", "if"))
_CODE_START = re.compile(r"\s*(theorem|lemma|import|open|by\b|:= by|[a-z_][\w']*(\s|$)|·|\()")
SYSTEM = ("You are an expert in Lean 4 and Mathlib. You write complete proofs that compile: no sorry, no admit, "
          "no new axioms, no native_decide.")


_DOC_COMMENT_AT_END = re.compile(r"/--(?:(?!-/).)*-/\s*$", re.DOTALL)


def _context_and_theorem(problem: Problem) -> tuple[str, str]:
    """The problem's statement split into what precedes the theorem (``open``s, definitions) and the theorem.

    A doc comment right before the theorem stays with it: it cannot precede an ``open``.
    """
    at = problem.declaration.rfind(f"theorem {problem.theorem} ")
    if at < 0:
        return "", problem.declaration
    doc = _DOC_COMMENT_AT_END.search(problem.declaration[:at])
    if doc is not None:
        at = doc.start()
    context = problem.declaration[:at].rstrip()
    return (context + "\n\n" if context else ""), problem.declaration[at:]


def _tactic_block(body: str | None) -> str:
    """``body`` as the block under ``:= by``: every line moved by the same amount, so that the relative
    indentation (a bullet's body under its bullet) survives; an empty body is a hole."""
    block = textwrap.dedent(body or "").strip("\n")
    if not block.strip():
        return "  sorry"
    return textwrap.indent(block, "  ", lambda line: bool(line.strip()))


class LeanLanguage(ProofLanguage):
    name = "lean"
    fence_tags = ("lean", "lean4")
    connectives = LEAN_CONNECTIVES

    def load(self, text: str, theorem: str | None, origin: str) -> Problem:
        header, body, _ = split_header(text)
        try:
            target = target_theorem(body, theorem)
        except (LeanSyntaxError, NoSuchTheorem) as exc:
            raise ProblemError(f"{origin}: {exc}") from None
        start, end = target.signature_span
        statement = body[: target.start] + f"theorem {target.name} " + body[start:end].strip()
        return Problem("lean", text, target.name, header, statement.strip(), origin)

    def automation(self, problem: Problem | None = None) -> list[Tactic]:
        return [Tactic(name, body, tier="heavy" if name == "aesop" else "cheap") for name, body in (
            ("norm_num", "norm_num"), ("linarith", "linarith"), ("nlinarith", "nlinarith"),
            ("positivity", "positivity"), ("omega", "omega"), ("decide", "decide"), ("simp", "simp"),
            ("simp_all", "simp_all"), ("field_simp", "field_simp"), ("ring_nf", "ring_nf"),
            ("norm_num-linarith", "norm_num <;> linarith"), ("norm_num-nlinarith", "norm_num <;> nlinarith"),
            ("aesop", "aesop"),
        )]

    def draft(self, problem: Problem, body: str, *, imports: tuple[str, ...] = (), preamble: str = "",
              holes_allowed: bool = False) -> Draft:
        # Lean takes imports only at the top of a file: the header's are all there is. Helpers go after the
        # problem's own `open`s and definitions, which their statements may need (`π`, `n !`, `∑ x ∈ s`).
        context, theorem = _context_and_theorem(problem)
        head = preamble.strip() + "\n\n" if preamble.strip() else ""
        before_body = f"{context}{head}{theorem} := by\n"
        return Draft(problem.header, before_body + _tactic_block(body) + "\n", problem.theorem,
                     before_body.count("\n") + 1)

    def lemma_text(self, lemma: Lemma) -> str:
        return f"{lemma.declaration} := by\n{_tactic_block(lemma.body)}\n"

    def extract(self, completion: str, problem: Problem) -> Extracted | None:
        code = answer_code(completion, self.fence_tags, _CODE_START.match)
        if code is None:
            return None
        code = "\n".join(line for line in code.splitlines() if not line.startswith("import "))
        try:
            decls = [d for d in declarations(code) if d.name == problem.theorem]
            blank(code)
        except LeanSyntaxError:
            return None
        if decls and decls[-1].body_start is not None:
            target = decls[-1]
            preamble = code[: target.start].strip()
            body = code[target.body_start:]
        else:
            preamble, body = "", code
        # a tactic on the `by` line keeps its continuation lines' indentation relative to it
        body = re.sub(r"^\s*(:=\s*)?by\b[ \t]*", "", body, count=1)
        body = "\n".join(line for line in body.splitlines() if line.strip())
        if not body.strip():
            return None
        return Extracted(body, (), preamble)

    def script(self, body: str) -> LeanProofScript:
        return LeanProofScript.parse(body)

    def intro_probe(self) -> str:
        return "intros\nsorry"

    def read_goal(self, display: str) -> LeanGoal:
        return parse_lean_goal(display)

    def context(self, problem: Problem) -> str:
        return _context_and_theorem(problem)[0]

    def standalone(self, problem: Problem, goal: LeanGoal, name: str) -> Problem:  # type: ignore[override]
        statement = self.context(problem) + goal.declaration(name)
        return Problem("lean", f"{problem.header}{statement} := by sorry\n", name, problem.header, statement,
                       f"{problem.origin}#{name}")

    def printed_sketch(self, theorem: str, goal: LeanGoal, sketch: Sketch) -> PrintedSketch:  # type: ignore[override]
        return print_lean_sketch(theorem, goal, sketch)

    # ---- how prompts show and ask for Lean -----------------------------------

    title = "Lean"
    system = SYSTEM
    whole_answer = ("that restates the theorem unchanged with its complete proof in place of `sorry`. Helper lemmas, "
                    "if you need any, go before it in the same block.")
    hole_answer = "that holds the tactic proof that replaces `sorry`."

    def shown(self, problem: Problem) -> str:
        return f"{problem.header}\n{problem.declaration} := by\n  sorry"


__all__ = ["LEAN_CONNECTIVES", "LeanLanguage"]
