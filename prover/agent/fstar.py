"""The program agent's F*: problems with ``admit ()`` holes, F*'s own SMT under raised limits, what prompts say.

An F* problem is a module whose proofs are left as ``admit ()`` (or ``val``s it
declares without defining). Before any model is asked, the targets' holes are
replaced by ``()`` (the proof obligation goes to Z3) under a schedule of
``#push-options`` that raise ``--z3rlimit`` and unroll recursive definitions
(``--fuel``) and inductive types (``--ifuel``) further each time: the
checks an F* user tries by hand first. The model then writes proofs where the
holes are, repairs them from F*'s errors (with the tactic proof state when F*
printed one), and may add helper lemmas; the audit keeps every signature.
"""

from __future__ import annotations

import re

from lemmata.dsl.fstar.audit import holes, targets
from lemmata.dsl.fstar.source import Declaration, FStarSyntaxError, declarations
from lemmata.prover.agent.language import Problem
from lemmata.prover.agent.programs import Check, ProgramLanguage
from lemmata.verifiers.result import CheckResult, Verdict

# (z3rlimit, fuel, ifuel): F*'s defaults are rlimit 5, fuel 1 (max 8 with 2 initial), ifuel 1 (max 2)
SCHEDULE = ((None, None, None), (20, 2, 1), (50, 4, 2), (100, 8, 2))


def options(rlimit: int | None, fuel: int | None, ifuel: int | None) -> str:
    return " ".join(f"--{name} {value}" for name, value in (("z3rlimit", rlimit), ("fuel", fuel), ("ifuel", ifuel))
                    if value is not None)


def _arity(val: Declaration) -> int:
    """How many explicit arguments a ``val``'s type takes: its top-level arrows not after an implicit ``#x:``."""
    depth, count, implicit = 0, 0, False
    words = val.words()
    for index, word in enumerate(words):
        if word in ("(", "[", "{", "{|", "[|"):
            depth += 1
            if depth == 1 and index + 1 < len(words) and words[index + 1] == "#":
                implicit = True
        elif word in (")", "]", "}", "|}", "|]"):
            depth -= 1
        elif depth == 0 and word == "#":
            implicit = True
        elif depth == 0 and word == "->":
            count += not implicit
            implicit = False
    return count


def discharged(text: str, schedule: tuple[int | None, int | None, int | None]) -> str | None:
    """``text`` with every target's hole replaced by ``()`` (undefined vals defined as ``()``), under the
    schedule's options; None when there is nothing to discharge."""
    try:
        found = declarations(text)
    except FStarSyntaxError:
        return None
    goals = targets(found)
    if not goals:
        return None
    defined = {n for d in found if d.kind == "let" for n in d.names}
    pushed = options(*schedule)
    out, at = [], 0
    for declaration in found:
        if declaration not in goals:
            continue
        out.append(text[at:declaration.start])
        body = declaration.text_of(text)
        if declaration.kind == "let":
            for hole in reversed(holes(declaration)):
                local = hole.offset - declaration.start
                close = body.index(")", local) + 1
                body = body[:local] + "()" + body[close:]
        elif declaration.name not in defined:
            binders = " _" * _arity(declaration)
            body = body.rstrip("\n") + f"\nlet {declaration.name}{binders} = ()\n\n"
        out.append(f'#push-options "{pushed}"\n{body.rstrip()}\n#pop-options\n\n' if pushed else body)
        at = declaration.end
    out.append(text[at:])
    return "".join(out)


class FStarLanguage(ProgramLanguage):
    name = "fstar"
    title = "F*"
    fence_tags = ("fstar", "fst", "f*")
    search_stage = "SMT schedules"
    system = ("You are an expert in F* (proof-oriented programming with SMT). You write the proofs an F* module "
              "leaves as `admit ()`: lemma bodies, calls to library lemmas, assertions that guide Z3, helper "
              "lemmas, induction through recursive lemma calls, tactics where SMT is not enough.")
    rules = ("Keep the module name, every `val`, every type, every definition and every lemma's signature "
             "(binders, requires, ensures, decreases, SMT patterns) exactly as they are; replace `admit ()` with "
             "proofs, add helper lemmas above where they are used, and `#push-options \"--z3rlimit N --fuel F "
             "--ifuel I\"` where Z3 needs more room. Never use `assume`, `admit`, `magic`, `--admit_smt_queries`, "
             "`--lax` or `[@@expect_failure]`. Answer with the whole module in one code block.")

    nothing_to_prove = "nothing to prove: no `admit ()` to replace and no definition"

    def targets(self, text: str) -> list[str]:
        """The declarations left as ``admit ()`` (or undefined ``val``s); without any, every definition."""
        found = declarations(text)
        return [d.name for d in targets(found) if d.name] or \
            [n for d in found if d.kind == "let" for n in d.names if n != "_"]

    def search(self, problem: Problem, check: Check, alone: CheckResult) -> tuple[str, CheckResult] | None:
        for schedule in SCHEDULE:
            attempt = discharged(problem.text, schedule)
            if attempt is None:
                return None
            checked = check(attempt)
            if checked.accepted:
                return attempt, checked
            if checked.verdict is Verdict.TIMEOUT:
                break  # more room will not finish sooner
        return None

    def looks_like_code(self, line: str) -> bool:
        return bool(re.match(r"\s*(module|open|let|val|type|#push-options|#set-options|\[@@|noeq|assume)\b", line))

    def whole_program_prompt(self, problem: Problem):
        return self._ask(f"Prove what this F* module leaves as `admit ()`.\n\n{self._fenced(problem.text)}\n\n"
                         f"{self.rules}")


__all__ = ["FStarLanguage", "SCHEDULE", "discharged", "options"]
