"""What the agent needs to know about a proof language, behind one interface.

The agent's stages are written once; everything that differs between Coq,
Lean and the rest (how a document is put together, which automation to try,
how a proof is cut into steps, what the prompts say) is answered here. Picking
a ``ProofLanguage`` is the only place the agent looks at the language.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from dataclasses import dataclass
from typing import Protocol

from lemmata.dsl.sketch import Connectives, PrintedSketch, Sketch, split_claim
from lemmata.prover.llm.client import Message
from lemmata.verifiers.errors import InputError


class ProblemError(InputError):
    """The input is not a problem the agent can work on; the message says why."""


@dataclass(frozen=True)
class Problem:
    language: str
    text: str  # the whole problem file: the audit's reference statement
    theorem: str
    header: str  # everything before the theorem
    declaration: str  # the theorem's declaration (its statement, without the proof)
    origin: str = "<problem>"


@dataclass(frozen=True)
class ProofSite:
    """Where a theorem and its proof lie in a file (character offsets)."""

    theorem: str
    statement_start: int
    statement_end: int
    body_start: int
    body_end: int  # where the closing sentence (Qed, Admitted, ...) starts
    end: int  # just after it

    def line_range(self, text: str) -> tuple[int, int]:
        """The 1-based lines from the statement to the closer."""
        return text.count("\n", 0, self.statement_start) + 1, text.count("\n", 0, self.end) + 1


@dataclass(frozen=True)
class Tactic:
    name: str
    body: str  # the whole proof body
    imports: tuple[str, ...] = ()
    timeout_factor: float = 1.0
    tier: str = "cheap"  # cheap / shape / heavy: the order automation tries them in, one stage each


@dataclass(frozen=True)
class Lemma:
    name: str
    declaration: str
    body: str | None  # None: left as a hole
    label: str = ""  # how the model wrote it (``h1 : claim``), for feedback


@dataclass(frozen=True)
class Draft:
    """A document to check: the problem's header, then the attempt (imports, helpers, theorem, body)."""

    header: str
    attempt: str
    theorem: str
    body_line: int  # line of the attempt where the body starts: body sentence k is on line body_line + k

    @property
    def text(self) -> str:
        return self.header + self.attempt


@dataclass(frozen=True)
class Extracted:
    """What a model's answer gives: a proof body, imports it needs, helper declarations before the theorem."""

    body: str
    imports: tuple[str, ...] = ()
    preamble: str = ""


class ProofScript(Protocol):
    """A proof body as steps that holes can be cut into (``lemmata.dsl.coq.proof.ProofScript`` for Coq)."""

    sentences: tuple[str, ...]

    @property
    def holes(self) -> list[int]: ...

    def hole_at(self, index: int) -> ProofScript: ...

    def fill(self, hole_index: int, script: str) -> ProofScript: ...

    def render(self) -> str:
        """One sentence per line (checker lines map to steps)."""
        ...

    def pretty(self) -> str:
        """The same sentences laid out for people."""
        ...


class ReadGoal(Protocol):
    """A goal read back from the checker's display (``lemmata.dsl.coq.goals.CoqGoal``, ``lemmata.dsl.lean.goals.LeanGoal``)."""

    conclusion: str

    @property
    def names(self) -> list[str]: ...


class ProofLanguage(ABC):
    name: str  # the verifier's language key
    fence_tags: tuple[str, ...]
    connectives: Connectives  # how the language writes the connectives a goal splits at

    @abstractmethod
    def load(self, text: str, theorem: str | None, origin: str) -> Problem:
        """Raises ``ProblemError``."""

    @abstractmethod
    def automation(self, problem: Problem | None = None) -> list[Tactic]:
        """The automation portfolio, cheap tactics first; for ``problem``, only what can apply to its shape."""

    @abstractmethod
    def draft(self, problem: Problem, body: str, *, imports: tuple[str, ...] = (), preamble: str = "",
              holes_allowed: bool = False) -> Draft:
        """The problem's theorem with ``body`` as its proof, after ``imports`` and ``preamble``."""

    @abstractmethod
    def lemma_text(self, lemma: Lemma) -> str:
        """A lemma and its proof (or a hole) as a declaration to put in a preamble."""

    @abstractmethod
    def extract(self, completion: str, problem: Problem) -> Extracted | None:
        """What an answer gives, or None when it holds no code."""

    @abstractmethod
    def script(self, body: str) -> ProofScript: ...

    @abstractmethod
    def intro_probe(self) -> str:
        """A body that introduces everything and leaves one hole: its hole's goal is the context."""

    @abstractmethod
    def read_goal(self, display: str) -> ReadGoal:
        """The first goal of a checker's display; raises ``ValueError`` when it is not one."""

    def context(self, problem: Problem) -> str:
        """What a statement of ``problem``'s file needs after the header (Lean: its ``open``s and definitions)."""
        return ""

    def lemma_problem(self, problem: Problem, lemma: Lemma) -> Problem:
        """A sketch's sub-lemma as a problem of its own, in ``problem``'s context."""
        declaration = self.context(problem) + lemma.declaration
        return Problem(problem.language, problem.header + self.lemma_text(Lemma(lemma.name, declaration, None)),
                       lemma.name, problem.header, declaration, f"{problem.origin}#{lemma.name}")

    # ---- whole files (repair): languages that can say where each proof lies override these ----------

    def proofs(self, text: str) -> list[ProofSite]:
        """Where each top-level theorem's proof lies in ``text``; raises ``ProblemError`` (not supported, or
        the text does not read)."""
        raise ProblemError(f"repairing whole {self.title} files is not supported yet")

    def site_problem(self, text: str, site: ProofSite, origin: str) -> Problem:
        """The theorem of ``site`` as a problem: what precedes it in ``text`` is its header."""
        raise ProblemError(f"repairing whole {self.title} files is not supported yet")

    def splice(self, text: str, site: ProofSite, body: str, imports: tuple[str, ...], preamble: str) -> str:
        """``text`` with the proof at ``site`` replaced by ``body`` (the imports and helpers it needs before it)."""
        raise ProblemError(f"repairing whole {self.title} files is not supported yet")

    def statements_only(self, text: str) -> str:
        """``text`` with every proof given up: the reference the repaired file's statements are audited against."""
        raise ProblemError(f"repairing whole {self.title} files is not supported yet")

    @abstractmethod
    def standalone(self, problem: Problem, goal: ReadGoal, name: str) -> Problem:
        """``goal`` as a lemma named ``name``, in the problem's context (header, opens, definitions)."""

    # ---- reconstruction: what an SMT proof's facts become in this language (None: not supported) ------------

    def without_hypothesis(self, goal: ReadGoal, name: str) -> ReadGoal | None:
        """``goal`` with the hypothesis ``name`` dropped."""
        return None

    def cleared(self, names: list[str], tactic: Tactic) -> Tactic | None:
        """``tactic`` run after clearing the hypotheses ``names``."""
        return None

    def case_split(self, variable: str, natural: bool, low: int, high: int) -> Tactic | None:
        """A proof that splits on every value of an integer ``variable`` in ``low..high`` and closes each case."""
        return None

    def goal_problem(self, problem: Problem, display: str, name: str) -> Problem:
        """The first goal of ``display`` as a standalone lemma; raises ``ProblemError``."""
        try:
            goal = self.read_goal(display)
        except ValueError as exc:
            raise ProblemError(str(exc)) from None
        return self.standalone(problem, goal, name)

    def split_conclusion(self, display: str) -> list[str] | None:
        """Claims whose conjunction is the goal (a ∧ b, a ↔ b), or None when it does not split."""
        try:
            return split_claim(self.read_goal(display).conclusion, self.connectives)
        except ValueError:
            return None

    def reserved_names(self, display: str) -> set[str]:
        """Names already taken in the goal's context (a sketch may not reuse them)."""
        try:
            return set(self.read_goal(display).names)
        except ValueError:
            return set()

    @abstractmethod
    def printed_sketch(self, theorem: str, goal: ReadGoal, sketch: Sketch) -> PrintedSketch:
        """The sketch's lemmas stated over ``goal`` and the theorem's body that applies them."""

    def print_sketch(self, problem: Problem, display: str, sketch: Sketch) -> tuple[tuple[Lemma, ...], str, dict[str, tuple[str, ...]]]:
        """(lemmas with holes, the theorem's body applying them, lemma -> lemmas it uses); raises ``ProblemError``."""
        try:
            printed = self.printed_sketch(problem.theorem, self.read_goal(display), sketch)
        except ValueError as exc:
            raise ProblemError(str(exc)) from None
        lemmas = tuple(Lemma(lemma.name, lemma.declaration, None, lemma.label) for lemma in printed.lemmas)
        return lemmas, printed.proof, {lemma.name: lemma.uses for lemma in printed.lemmas}

    # ---- prompts: one wording for every language; each says how its code is shown and answered ----------

    title: str  # "Coq", "Lean"
    system: str
    whole_answer: str  # what a whole-proof answer holds
    hole_answer: str  # what the answer for one goal holds

    @abstractmethod
    def shown(self, problem: Problem) -> str:
        """The problem as the model sees it, in a code block."""

    def _ask(self, text: str) -> list[Message]:
        return [Message("system", self.system), Message("user", text)]

    def whole_proof_prompt(self, problem: Problem) -> list[Message]:
        fence = self.fence_tags[0]
        return self._ask(f"Prove the theorem `{problem.theorem}`.\n\n```{fence}\n{self.shown(problem)}\n```\n\n"
                         f"Answer with one ```{fence} block {self.whole_answer}")

    def hole_prompt(self, goal: Problem, display: str, error: str | None) -> list[Message]:
        fence = self.fence_tags[0]
        why = f"{self.title} rejected the previous attempt at this step with:\n{error}\n\n" if error else ""
        return self._ask(f"{why}The goal to prove is:\n{display.strip()}\n\nAs a lemma:\n```{fence}\n{self.shown(goal)}\n```\n\n"
                         f"Answer with one ```{fence} block {self.hole_answer}")

    def sketch_prompt(self, problem: Problem, display: str, feedback: str | None) -> list[Message]:
        again = f"\n\nYour previous sketch did not work:\n{feedback}\nRevise it." if feedback else ""
        return self._ask(
            f"Plan a proof of the theorem `{problem.theorem}`:\n```{self.fence_tags[0]}\n{self.shown(problem)}\n```\n"
            f"After `intros` the goal is:\n{display.strip()}\n\n"
            "Do not write the proof. Write a sketch: intermediate claims, each easy to prove from the context and "
            f"the claims it uses, in this form (claims are {self.title} propositions over the variables and hypotheses "
            "above):\n```sketch\nhave h1 : <claim>\nhave h2 : <claim> using h1\nshow using h1 h2\n```\n"
            f"`show` names the claims the goal follows from.{again}")


__all__ = ["Draft", "Extracted", "Lemma", "Problem", "ProblemError", "ProofLanguage", "ProofScript", "ProofSite",
           "Tactic"]
