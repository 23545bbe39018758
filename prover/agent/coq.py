"""The agent's view of Coq/Rocq: documents, automation, proof steps, prompts."""

from __future__ import annotations

import functools

import re
import textwrap
from dataclasses import replace

from lemmata.dsl.coq.declarations import outline, proof_spans, target_theorem
from lemmata.dsl.coq.goals import CoqGoal, parse_coq_goal
from lemmata.dsl.coq.proof import ProofScript
from lemmata.dsl.coq.shape import shape_of
from lemmata.dsl.coq.sentences import CoqSyntaxError, split_sentences
from lemmata.dsl.coq.sketch import print_coq_sketch
from lemmata.dsl.sketch import Connectives, PrintedSketch, Sketch
from lemmata.dsl.text import NoSuchTheorem
from lemmata.prover.agent.coq_tactics import case_split, cleared, portfolio
from lemmata.prover.agent.extract import answer_code
from lemmata.prover.agent.language import (Draft, Extracted, Lemma, Problem, ProblemError, ProofLanguage, ProofSite,
                                           Tactic)

_IMPORT_LINE = re.compile(r"(?m)^\s*(?:From\s+\S+\s+)?Require(?:\s+(?:Import|Export))?\s+([^.]+(?:\.[\w]+)*)\.")
_IMPORT_KEYWORDS = re.compile(r"\b(From|Require|Import|Export)\b|\.\s*$")
_IMPORT = re.compile(r"(From\s+\S+\s+)?Require(\s+(Import|Export))?\b")
_CODE_START = re.compile(
    r"\s*(Proof|Require|From|Theorem|Lemma|Example|Fact|Corollary|Definition|Fixpoint|Import|Open|Ltac)\b"
    r"|\s*[a-z_][\w']*(\s|\.|;|$)|\s*[-+*{}]")
_DECLARATION = re.compile(r"(Theorem|Lemma|Example|Fact|Corollary|Proposition|Remark)\s+(?P<name>[A-Za-z_][\w']*)")

SYSTEM = ("You are an expert user of the Coq proof assistant (Coq 8.16, standard library; Coquelicot and "
          "CoqHammer are installed). You write complete, compiling proofs: no admit, no Admitted, no new axioms.")


COQ_CONNECTIVES = Connectives("/\\", "<->", ("->", "\\/"), ("forall", "exists", "fun", "let", "match", "if"))


@functools.lru_cache(maxsize=64)
def _header_sentences(header: str) -> frozenset[str]:
    try:
        return frozenset(" ".join(s.code().split()) for s in split_sentences(header).sentences)
    except CoqSyntaxError:
        return frozenset()


class CoqLanguage(ProofLanguage):
    name = "coq"
    fence_tags = ("coq", "rocq", "v", "gallina")
    connectives = COQ_CONNECTIVES

    def load(self, text: str, theorem: str | None, origin: str) -> Problem:
        try:
            doc = outline(text)
        except CoqSyntaxError as exc:
            raise ProblemError(f"{origin}: {exc}") from None
        try:
            target = target_theorem(doc, theorem)
        except NoSuchTheorem as exc:
            raise ProblemError(f"{origin}: {exc}") from None
        header = text[: target.sentence.start].rstrip() + "\n"
        statement = text[target.sentence.start: target.sentence.end].strip()
        return Problem("coq", text, target.name, header, statement, origin)

    def proofs(self, text: str) -> list[ProofSite]:
        try:
            doc = outline(text)
        except CoqSyntaxError as exc:
            raise ProblemError(str(exc)) from None
        return [ProofSite(span.theorem.name, span.theorem.sentence.start, span.theorem.sentence.end, span.body_start,
                          span.body_end, span.end) for span in proof_spans(doc)]

    def site_problem(self, text: str, site: ProofSite, origin: str) -> Problem:
        header = text[: site.statement_start].rstrip() + "\n"
        declaration = text[site.statement_start: site.statement_end].strip()
        return Problem("coq", header + declaration + "\nAdmitted.\n", site.theorem, header, declaration,
                       f"{origin}#{site.theorem}")

    def splice(self, text: str, site: ProofSite, body: str, imports: tuple[str, ...], preamble: str) -> str:
        head = text[: site.statement_start]
        required = set(re.findall(r"[\w.]+", " ".join(_IMPORT_LINE.findall(head))))
        needed = [line for line in dict.fromkeys(imports)
                  if not set(re.findall(r"[\w.]+", _IMPORT_KEYWORDS.sub(" ", line))) <= required]
        before = "".join(f"{line}\n" for line in needed) + (preamble.strip() + "\n" if preamble.strip() else "")
        lines = textwrap.indent(textwrap.dedent(body).strip("\n"), "  ")
        proof = text[site.statement_end: site.body_start]
        if not proof.strip():
            proof = "\nProof."
        return head + before + text[site.statement_start: site.statement_end] + proof + "\n" + lines + "\nQed." + \
            text[site.end:]

    def statements_only(self, text: str) -> str:
        for site in reversed(self.proofs(text)):
            text = text[: site.statement_end] + "\nAdmitted." + text[site.end:]
        return text

    def automation(self, problem: Problem | None = None) -> list[Tactic]:
        return portfolio(shape_of(problem.declaration, problem.header) if problem is not None else None)

    def draft(self, problem: Problem, body: str, *, imports: tuple[str, ...] = (), preamble: str = "",
              holes_allowed: bool = False) -> Draft:
        head = "".join(f"{line}\n" for line in dict.fromkeys(imports))
        if preamble.strip():
            head += preamble.strip() + "\n"
        before_body = f"{head}{problem.declaration}\nProof.\n"
        attempt = f"{before_body}{body.rstrip()}\n{'Admitted.' if holes_allowed else 'Qed.'}\n"
        return Draft(problem.header, attempt, problem.theorem, before_body.count("\n") + 1)

    def lemma_text(self, lemma: Lemma) -> str:
        if lemma.body is None:
            return f"{lemma.declaration}\nAdmitted.\n"
        return f"{lemma.declaration}\nProof.\n{lemma.body.rstrip()}\nQed.\n"

    def extract(self, completion: str, problem: Problem) -> Extracted | None:
        code = answer_code(completion, self.fence_tags, _CODE_START.match)
        if code is None:
            return None
        try:
            split = split_sentences(code)
        except CoqSyntaxError:
            return None
        sentences = split.sentences
        imports: list[str] = []
        target = None
        for i, s in enumerate(sentences):
            text = " ".join(s.code().split())
            if _IMPORT.match(text):
                imports.append(text)
            elif (m := _DECLARATION.match(text)) and m["name"] == problem.theorem:
                target = i
        if target is None:  # a bare script (perhaps with Proof./Qed. around it)
            body = "\n".join(s.text for s in sentences if not _IMPORT.match(s.code().strip()))
            if split.trailing_start is not None:
                body += "\n" + code[split.trailing_start:]
            return Extracted(body.strip(), tuple(imports)) if body.strip() else None
        # models often restate the whole file: what the header already defines must not be defined twice
        stated = _header_sentences(problem.header)
        preamble = "\n".join(s.text.strip() for s in sentences[:target] if not _IMPORT.match(s.code().strip())
                              and " ".join(s.code().split()) not in stated)
        body = "\n".join(s.text for s in sentences[target + 1:])
        if split.trailing_start is not None:
            body += "\n" + code[split.trailing_start:]
        return Extracted(body.strip(), tuple(imports), preamble) if body.strip() else None

    def script(self, body: str) -> ProofScript:
        return ProofScript.parse(body)

    def intro_probe(self) -> str:
        return "intros.\nadmit."

    def read_goal(self, display: str) -> CoqGoal:
        return parse_coq_goal(display)

    def standalone(self, problem: Problem, goal: CoqGoal, name: str) -> Problem:  # type: ignore[override]
        statement = goal.declaration(name)
        return Problem("coq", problem.header + statement + "\nAdmitted.\n", name, problem.header, statement,
                       f"{problem.origin}#{name}")

    def without_hypothesis(self, goal: CoqGoal, name: str) -> CoqGoal | None:  # type: ignore[override]
        kept = tuple(h for h in goal.hypotheses if name not in h.names)
        if len(kept) == len(goal.hypotheses) or any(len(h.names) > 1 and name in h.names for h in goal.hypotheses):
            return None
        return replace(goal, hypotheses=kept)

    def cleared(self, names: list[str], tactic: Tactic) -> Tactic:
        return cleared(names, tactic)

    def case_split(self, variable: str, natural: bool, low: int, high: int) -> Tactic:
        return case_split(variable, natural, low, high)

    def printed_sketch(self, theorem: str, goal: CoqGoal, sketch: Sketch) -> PrintedSketch:  # type: ignore[override]
        return print_coq_sketch(theorem, goal, sketch)

    # ---- how prompts show and ask for Coq ------------------------------------

    title = "Coq"
    system = SYSTEM
    whole_answer = ("that holds the proof, from `Proof.` to `Qed.`. Helper lemmas, if you need any, go in the same "
                    "block before the theorem, which you then restate unchanged.")
    hole_answer = "that holds its proof, from `Proof.` to `Qed.`."

    def shown(self, problem: Problem) -> str:
        return f"{problem.header}{problem.declaration}"


__all__ = ["CoqLanguage"]
