"""The agent for program-verification languages (Dafny): annotate a program until its checker accepts it.

A theorem prover's loop cuts tactic proofs into steps; a program verifier's
proof is the program itself with annotations (loop invariants, assertions,
helper lemmas) added and its specification untouched. The stages, under the
same budget, trace and result as the theorem agent:

1. the checker on the program as given;
2. the language's own model-free search (Dafny: Houdini invariant inference);
3. with a model, rounds of: whole-annotation sampling; repair of the best
   failures from the checker's own messages (the failing line, its text,
   the related location); a request for helper lemmas that discharge the
   failing assertions.

Every candidate is checked against the problem with the full audit, so a
candidate is ``proved`` only when the checker accepted it and its
specification is the problem's.
"""

from __future__ import annotations

import re
from abc import ABC, abstractmethod
from collections.abc import Callable

from lemmata.prover.agent.budget import Budget, BudgetExhausted, Spending
from lemmata.prover.agent.extract import answer_code
from lemmata.prover.agent.language import Problem, ProblemError
from lemmata.prover.agent.result import ProofResult, ProofStatus
from lemmata.prover.agent.run import AgentSettings, RunActivity, ask_model, throughput
from lemmata.prover.agent.stages import staged
from lemmata.prover.agent.trace import Trace
from lemmata.prover.llm.client import LLMClient, LLMError, Message, Usage
from lemmata.verifiers.interface import Session, Statement, Verifier
from lemmata.verifiers.result import CheckResult, Severity

Check = Callable[[str], CheckResult]
MIN_CHECK_SECONDS = 60.0  # one run of a program verifier on a whole program


class ProgramLanguage(ABC):
    """What the program agent needs to know about a language (``lemmata.prover.agent.dafny.DafnyLanguage``)."""

    name: str
    title: str
    fence_tags: tuple[str, ...]
    system: str
    search_stage: str  # what the model-free search is called in the record ("invariant inference")

    nothing_to_prove: str  # what a problem without targets lacks, for the error

    @abstractmethod
    def targets(self, text: str) -> list[str]:
        """The names a run on ``text`` may be about, the default last; raises ``ValueError`` when it does not read."""

    def load(self, text: str, theorem: str | None, origin: str) -> Problem:
        """The whole program is the problem; ``theorem`` (one of its targets) names the run. Raises ``ProblemError``."""
        try:
            names = self.targets(text)
        except ValueError as exc:
            raise ProblemError(f"{origin}: {exc}") from None
        if not names:
            raise ProblemError(f"{origin}: {self.nothing_to_prove}")
        if theorem is not None and theorem not in names:
            raise ProblemError(f"{origin}: no {theorem} to prove; it has {', '.join(names)}")
        return Problem(language=self.name, text=text, theorem=theorem or names[-1], header="", declaration="",
                       origin=origin)

    @abstractmethod
    def search(self, problem: Problem, check: Check, alone: CheckResult) -> tuple[str, CheckResult] | None:
        """A proof found without a model (the program and its accepted check), or None."""

    def automation(self, problem=None) -> list:
        """No tactics: a program's proof is its annotations."""
        return []

    def proofs(self, text: str) -> list:
        """Program files are repaired whole: the agent re-annotates the program (`lemmata prove`)."""
        raise ProblemError(f"{self.title} files are repaired as a whole: run `lemmata prove` on the program "
                           "(a repair keeps every specification and all executable code)")

    def extract(self, completion: str) -> str | None:
        """The program a model's answer gives (its last fitting code block, reasoning and prose dropped)."""
        code = answer_code(completion, self.fence_tags, self.looks_like_code)
        return code + "\n" if code else None

    def looks_like_code(self, line: str) -> bool:
        """Whether an unfenced answer's line starts the program."""
        return bool(re.match(r"\s*(method|lemma|function|predicate|datatype|class|module|include|ghost)\b", line))

    def _ask(self, text: str) -> list[Message]:
        return [Message("system", self.system), Message("user", text)]

    def _fenced(self, text: str) -> str:
        return f"```{self.fence_tags[0]}\n{text.rstrip()}\n```"

    def whole_program_prompt(self, problem: Problem) -> list[Message]:
        return self._ask(f"Make {self.title} verify this program.\n\n{self._fenced(problem.text)}\n\n{self.rules}")

    def repair_prompt(self, problem: Problem, attempt: str, result: CheckResult) -> list[Message]:
        return self._ask(f"{self.title} rejected this annotated program:\n\n{self._fenced(attempt)}\n\n"
                         f"{self.title} says:\n{failures(attempt, result)}\n\nFix the annotations. {self.rules}")

    def helper_prompt(self, problem: Problem, attempt: str, result: CheckResult) -> list[Message]:
        return self._ask(f"In this program {self.title} cannot prove some assertions:\n\n{self._fenced(attempt)}\n\n"
                         f"{failures(attempt, result)}\n\nWrite helper lemmas (with proofs) that establish what is "
                         f"missing and call them where it is needed. {self.rules}")

    rules = ("Keep every specification (requires, ensures, modifies, reads, decreases), every function body and "
             "the executable code exactly as they are; add only loop invariants, decreases clauses, assertions, "
             "calc blocks, ghost variables, lemma calls and new lemmas with proofs. Never use assume or "
             "{:axiom}. Answer with the whole program in one code block.")


def failures(text: str, result: CheckResult, limit: int = 6) -> str:
    """The checker's errors with the source line each points at (and the related locations it names)."""
    lines = text.splitlines()
    out = []
    for diagnostic in [d for d in result.diagnostics if d.severity is Severity.ERROR][:limit]:
        where = ""
        if diagnostic.span is not None and 0 < diagnostic.span.line <= len(lines):
            where = f"line {diagnostic.span.line}: `{lines[diagnostic.span.line - 1].strip()}`\n  "
        goals = "\n  proof state:\n    " + diagnostic.goals.replace("\n", "\n    ") if diagnostic.goals else ""
        out.append(f"- {where}{diagnostic.message}{goals}")
    return "\n".join(out) or "- " + "; ".join(result.reasons)


class ProgramAgent:
    def __init__(self, *, llm: LLMClient | None, budget: Budget, settings: AgentSettings, trace: Trace) -> None:
        self.llm, self.budget, self.settings, self.trace = llm, budget, settings, trace

    def prove(self, problem: Problem, language: ProgramLanguage, verifier: Verifier) -> ProofResult:
        spending = Spending(self.budget)
        statement = Statement(problem.text, None, problem.origin)
        result = ProofResult(status=ProofStatus.FAILED, theorem=problem.theorem, language=problem.language,
                             origin=problem.origin, model=self.llm.model if self.llm else None)
        if self.llm is None:
            result.notes.append(f"no LLM configured: ran {language.title} alone and {language.search_stage} only")
        self.trace.emit("problem", theorem=problem.theorem, origin=problem.origin, budget=self.budget.model_dump())
        # one warm checker for the whole run (F*: an IDE process that keeps the dependencies loaded)
        activity = RunActivity()
        with verifier.session(statement=statement) as session:
            self._search(problem, language, session, spending, result, activity)
        result.samples, result.checks = spending.samples, spending.checks
        result.seconds = round(spending.elapsed, 3)
        self.trace.emit("result", **result.model_dump(mode="json", exclude={"stages"}))
        return result

    def _search(self, problem: Problem, language: ProgramLanguage, session: Session, spending: Spending,
                result: ProofResult, activity: RunActivity) -> None:
        def checker(stage: str) -> Check:
            def check(text: str) -> CheckResult:
                limit = spending.take_check(max(self.settings.check_timeout, MIN_CHECK_SECONDS))
                with activity.checking.track():
                    checked = session.check(text, timeout=limit)
                error = checked.first_error()
                self.trace.emit("check", stage=stage, theorem=problem.theorem, verdict=checked.verdict.value,
                                seconds=checked.seconds, error=error.message if error else None, attempt=text)
                return checked
            return check

        def stage(name: str, action: Callable[[], tuple[str, CheckResult] | None]) -> bool:
            with staged(name, result, spending, self.trace) as record:
                found = action()
                if found is not None:
                    record.outcome = "proved"
                    result.status, result.proof, result.found_by = ProofStatus.PROVED, found[0], name
                return found is not None

        failed: list[tuple[str, CheckResult]] = []

        def first(stage_name: str, texts: list[str]) -> tuple[str, CheckResult] | None:
            check = checker(stage_name)
            for text in texts:
                program = language.extract(text)
                if program is None:
                    self.trace.emit("unusable", stage=stage_name, reason="no code in the completion", text=text[:2000])
                    continue
                checked = check(program)
                if checked.accepted:
                    return program, checked
                failed.append((program, checked))
            return None

        usage = Usage()

        def ask(messages: list[Message], n: int, stage_name: str) -> list[str]:
            assert self.llm is not None
            texts, used = ask_model(self.llm, spending, self.trace, messages, n, stage_name, activity.generating)
            usage.add(used)
            return texts

        def best() -> list[tuple[str, CheckResult]]:
            ranked = sorted(failed, key=lambda f: (len([d for d in f[1].diagnostics
                                                         if d.severity is Severity.ERROR]) or 99, len(f[1].reasons)))
            failed.clear()
            return ranked[: self.settings.repair_candidates]

        try:
            alone: list[CheckResult] = []

            def as_given() -> tuple[str, CheckResult] | None:
                alone.append(checker(f"{language.title} alone")(problem.text))
                return (problem.text, alone[0]) if alone[0].accepted else None

            done = stage(f"{language.title} alone", as_given)
            done = done or stage(language.search_stage,
                                 lambda: language.search(problem, checker(language.search_stage), alone[0]))
            while not done and self.llm is not None:
                done = stage("sampling", lambda: first("sampling", ask(
                    language.whole_program_prompt(problem), self.settings.samples_per_round, "sampling")))
                for program, checked in ([] if done else best()):
                    done = stage("repair", lambda p=program, c=checked: first("repair", ask(
                        language.repair_prompt(problem, p, c), self.settings.hole_samples, "repair")))
                    if done:
                        break
                    done = stage("helper lemmas", lambda p=program, c=checked: first("helper lemmas", ask(
                        language.helper_prompt(problem, p, c), 1, "helper lemmas")))
                    if done:
                        break
        except BudgetExhausted as exc:
            result.reason = str(exc)
        except LLMError as exc:
            result.reason = f"LLM unavailable: {exc}"
        result.usage = usage.as_dict()
        result.throughput = throughput(activity, usage, spending.elapsed)


__all__ = ["ProgramAgent", "ProgramLanguage", "failures"]
