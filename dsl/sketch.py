"""The proof-sketch language: named sub-lemmas and how they combine.

A sketch is what a model is asked for when a goal is too hard to prove in one
go (Draft-Sketch-Prove, Delta Prover). Its structure is language-neutral; the
claims are written in the problem's own language, in the context of the goal
(its variables and hypotheses are in scope)::

    have h1 : 0 < x * x
    have h2 : x * x <= 4 using h1
    show using h1 h2

Each ``have`` becomes a standalone lemma over the goal's context plus the
claims it uses; ``show`` is the closing step, the original goal from the claims
it names (all of them when it names none). Claims may run over several lines.
``plan_lemmas`` decides the lemmas once for every language; each language's
printer (``dsl/coq/sketch.py``, ``dsl/lean/goals.py``) writes their statements
and the proof that applies them.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

from lemmata.dsl.text import top_level_operators

_NAME = r"[A-Za-z_][\w']*"
_HAVE = re.compile(rf"have\s+(?P<name>{_NAME})\s*:\s*(?P<claim>.*)", re.S)
_SHOW = re.compile(r"show\b\s*(?P<rest>.*)", re.S)
_USING = re.compile(rf"(?:^|\s)using\s+(?P<names>{_NAME}(?:\s*,?\s*{_NAME})*)\s*$")
_FENCE = re.compile(r"```[ \t]*sketch[^\n]*\n(?P<body>.*?)(?:```|\Z)", re.S)
MAX_STEPS = 16


class SketchError(ValueError):
    """The text is not a well-formed sketch; the message says why, for the model to read."""


@dataclass(frozen=True)
class Step:
    name: str
    claim: str
    uses: tuple[str, ...] = ()


@dataclass(frozen=True)
class Sketch:
    steps: tuple[Step, ...]
    conclusion_uses: tuple[str, ...]

    def step(self, name: str) -> Step:
        return next(s for s in self.steps if s.name == name)

    def render(self) -> str:
        lines = [f"have {s.name} : {s.claim}" + (f" using {' '.join(s.uses)}" if s.uses else "") for s in self.steps]
        lines.append("show" + (f" using {' '.join(self.conclusion_uses)}" if self.conclusion_uses else ""))
        return "\n".join(lines)


def _split_using(text: str) -> tuple[str, tuple[str, ...]]:
    """``claim using a b`` → (claim, (a, b))."""
    text = " ".join(text.split())
    m = _USING.search(text)
    if not m:
        return text, ()
    return text[: m.start()].strip(), tuple(re.findall(_NAME, m["names"]))


def parse_sketch(text: str, *, reserved: set[str] = frozenset()) -> Sketch:
    """Read a sketch (from a ```sketch fence when there is one). ``reserved``: names already in scope."""
    fenced = _FENCE.search(text)
    body = fenced["body"] if fenced else text
    chunks: list[str] = []
    for line in body.splitlines():
        stripped = line.strip()
        if not stripped or stripped.startswith(("#", "--", "//")):
            continue
        if re.match(r"(have|show)\b", stripped):
            chunks.append(stripped)
        elif chunks and not chunks[-1].startswith("show"):
            chunks[-1] += " " + stripped
        elif chunks:
            raise SketchError(f"unexpected text after 'show': {stripped[:60]!r}")
    steps: list[Step] = []
    conclusion: tuple[str, ...] | None = None
    for chunk in chunks:
        if conclusion is not None:
            raise SketchError("'show' must be the last line of the sketch")
        if m := _HAVE.fullmatch(chunk):
            claim, uses = _split_using(m["claim"])
            name = m["name"]
            if not claim:
                raise SketchError(f"step {name} has no claim")
            if name in reserved or any(s.name == name for s in steps):
                raise SketchError(f"the name {name} is already taken; pick another")
            unknown = [u for u in uses if all(s.name != u for s in steps)]
            if unknown:
                raise SketchError(f"step {name} uses {', '.join(unknown)}, which no earlier step defines")
            steps.append(Step(name, claim, uses))
        elif m := _SHOW.fullmatch(chunk):
            rest = m["rest"].strip()
            _, uses = _split_using(rest)
            if rest and not uses:
                raise SketchError(f"cannot read {chunk[:60]!r}: write 'show using NAME ...'")
            unknown = [u for u in uses if all(s.name != u for s in steps)]
            if unknown:
                raise SketchError(f"'show' uses {', '.join(unknown)}, which no step defines")
            conclusion = uses or tuple(s.name for s in steps)
        else:
            raise SketchError(f"cannot read {chunk[:60]!r}: lines start with 'have NAME : CLAIM' or 'show'")
    if not steps:
        raise SketchError("the sketch has no 'have' step")
    if len(steps) > MAX_STEPS:
        raise SketchError(f"the sketch has {len(steps)} steps; at most {MAX_STEPS}")
    return Sketch(tuple(steps), conclusion if conclusion is not None else tuple(s.name for s in steps))


@dataclass(frozen=True)
class SketchLemma:
    name: str
    declaration: str  # the lemma's declaration in the target language, without its proof
    uses: tuple[str, ...]  # lemma names whose claims it takes as premises
    label: str = ""  # the step as the sketch wrote it


@dataclass(frozen=True)
class PrintedSketch:
    lemmas: tuple[SketchLemma, ...]  # the steps, then the closing lemma (last)
    proof: str  # the theorem's proof body, applying the lemmas

    @property
    def closing(self) -> SketchLemma:
        return self.lemmas[-1]


# ``state(name, premises, claim)``: the lemma ``name`` over the goal's context plus ``premises`` (name, claim)
# pairs, concluding ``claim`` (the goal's own conclusion when None).
StateLemma = Callable[[str, list[tuple[str, str]], "str | None"], str]


def plan_lemmas(theorem: str, sketch: Sketch, state: StateLemma) -> tuple[list[SketchLemma], dict[str, str]]:
    """One lemma per step (steps with the same claim from the same premises share one), then the closing one.

    Returns the lemmas and, for each step, the name of the lemma that proves it.
    """
    lemma_of: dict[str, str] = {}
    by_key: dict[tuple[str, tuple[str, ...]], str] = {}
    lemmas: list[SketchLemma] = []
    for step in sketch.steps:
        key = (step.claim, tuple(sketch.step(u).claim for u in step.uses))
        if key not in by_key:
            name = f"{theorem}_{step.name}"
            by_key[key] = name
            premises = [(u, sketch.step(u).claim) for u in step.uses]
            lemmas.append(SketchLemma(name, state(name, premises, step.claim), tuple(lemma_of[u] for u in step.uses),
                                      f"{step.name} : {step.claim}"))
        lemma_of[step.name] = by_key[key]
    closing = f"{theorem}_show"
    premises = [(u, sketch.step(u).claim) for u in sketch.conclusion_uses]
    lemmas.append(SketchLemma(closing, state(closing, premises, None),
                              tuple(lemma_of[u] for u in sketch.conclusion_uses),
                              f"show: the goal from {', '.join(sketch.conclusion_uses)}"))
    return lemmas, lemma_of


@dataclass(frozen=True)
class Connectives:
    """How a language writes the connectives a goal is split on (longest first where one contains another)."""

    conjunction: str
    equivalence: str
    others: tuple[str, ...]  # implication, disjunction: a goal with one of these at the top does not split
    binders: tuple[str, ...]  # a goal starting with one of these does not split


def split_claim(conclusion: str, words: Connectives) -> list[str] | None:
    """``A ∧ B ∧ C`` → [A, B, C]; ``A ↔ B`` → [A → B, B → A] (in the language's words); else None."""
    text = conclusion.strip()
    if any(re.match(rf"{re.escape(b)}(?![\w'])", text) for b in words.binders):
        return None
    cuts = top_level_operators(text, (words.equivalence, words.conjunction, *words.others))
    ops = {op for op, _ in cuts}
    implication = words.others[0]
    if ops == {words.equivalence} and len(cuts) == 1:
        at = cuts[0][1]
        left, right = text[:at].strip(), text[at + len(words.equivalence):].strip()
        return [f"({left}) {implication} ({right})", f"({right}) {implication} ({left})"]
    if ops == {words.conjunction}:
        parts, start = [], 0
        for _, at in cuts:
            parts.append(text[start:at].strip())
            start = at + len(words.conjunction)
        parts.append(text[start:].strip())
        return parts
    return None


__all__ = ["MAX_STEPS", "Connectives", "PrintedSketch", "Sketch", "SketchError", "SketchLemma", "Step", "parse_sketch",
           "plan_lemmas", "split_claim"]
