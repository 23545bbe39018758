"""The block structure of a Coq proof script, and cutting holes into it.

Compiler-guided repair keeps every step of a candidate proof that the checker
accepted and replaces only the failing ones with holes. Coq stops at the first
error, so a failing sentence is replaced together with the rest of the block it
sits in (the ``{ ... }`` or bullet that proves one goal): those sentences were
never checked, and they prove the same goal the hole now stands for.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from lemmata.dsl.coq.sentences import CoqSyntaxError, split_sentences

HOLE = "admit."
ALL_HOLE = "all: admit."
_PROOF = re.compile(r"Proof\b[^.]*\.\s*$")
_END = re.compile(r"(Qed|Defined|Admitted|Abort)\s*\.$")


@dataclass(frozen=True)
class ProofScript:
    """The sentences of a proof body, between ``Proof.`` and ``Qed.``."""

    sentences: tuple[str, ...]

    @classmethod
    def parse(cls, body: str) -> ProofScript:
        """Raises ``CoqSyntaxError`` (unterminated comment or string)."""
        split = split_sentences(body)
        sentences = [" ".join(s.text.split()) for s in split.sentences]
        if split.trailing_start is not None:  # a truncated completion: keep what is there, add the dot
            tail = " ".join(body[split.trailing_start:].split())
            sentences.append(tail if tail.endswith(".") else tail + ".")
        while sentences and _PROOF.match(sentences[0]):
            sentences.pop(0)
        while sentences and _END.match(sentences[-1]):
            sentences.pop()
        return cls(tuple(s for s in sentences if s))

    def render(self, indent: str = "  ") -> str:
        return "\n".join(indent + s for s in self.sentences)

    def pretty(self) -> str:
        """For people: indented by block, a bullet on the line of its first sentence.

        ``render`` keeps one sentence per line, which is what maps a checker's
        line numbers back to steps; this is for the proof a user reads.
        """
        blocks = self.blocks()
        lines: list[str] = []
        bullet: str | None = None
        for i, s in enumerate(self.sentences):
            depth = sum(1 for start, end in blocks if start <= i < end)
            if re.fullmatch(r"-+|\++|\*+", s):
                bullet = s
                continue
            if bullet is not None:
                lines.append("  " * (depth - 1) + "  " + f"{bullet} {s}")
                bullet = None
            else:
                lines.append("  " * depth + "  " + s)
        if bullet is not None:
            lines.append(bullet)
        return "\n".join(lines)

    @property
    def holes(self) -> list[int]:
        return [i for i, s in enumerate(self.sentences) if s in (HOLE, ALL_HOLE)]

    def blocks(self) -> list[tuple[int, int]]:
        """Every block as (first sentence of its content, end exclusive)."""
        closed: list[tuple[int, int]] = []
        stack: list[tuple[str, str, int]] = []  # (kind, bullet token, content start)
        for i, s in enumerate(self.sentences):
            if s.endswith("{"):
                stack.append(("brace", "", i + 1))
            elif s == "}":
                while stack and stack[-1][0] == "bullet":
                    closed.append((stack.pop()[2], i))
                if stack:
                    closed.append((stack.pop()[2], i))
            elif re.fullmatch(r"-+|\++|\*+", s):
                level = [k for k in range(len(stack)) if stack[k][0] == "bullet"
                         and all(stack[j][0] == "bullet" for j in range(k, len(stack)))]
                same = next((k for k in level if stack[k][1] == s), None)
                if same is not None:
                    while len(stack) > same:
                        closed.append((stack.pop()[2], i))
                stack.append(("bullet", s, i + 1))
        closed += [(entry[2], len(self.sentences)) for entry in stack]
        return closed

    def block_end(self, index: int) -> int:
        """Where the innermost block holding sentence ``index`` ends (exclusive)."""
        inside = [(start, end) for start, end in self.blocks() if start <= index < end]
        return max(inside)[1] if inside else len(self.sentences)

    def hole_at(self, index: int) -> ProofScript:
        """Replace the failing sentence ``index`` and the rest of its block with a hole.

        A failing bullet or closing brace means the goal before it was not
        finished: the hole goes in front of it instead. ``index`` past the end
        (the failure is at ``Qed``) closes every goal still open.
        """
        s = list(self.sentences)
        if index >= len(s):
            return ProofScript(tuple(s + [ALL_HOLE]))
        if s[index] == "}" or re.fullmatch(r"-+|\++|\*+", s[index]):
            return ProofScript(tuple(s[:index] + [HOLE] + s[index:]))
        return ProofScript(tuple(s[:index] + [HOLE] + s[self.block_end(index):]))

    def fill(self, hole_index: int, script: str) -> ProofScript:
        """Put ``script`` (one or more sentences) where the hole at ``hole_index`` is."""
        if self.sentences[hole_index] not in (HOLE, ALL_HOLE):
            raise ValueError(f"sentence {hole_index} is not a hole")
        try:
            inner = ProofScript.parse(script).sentences
        except CoqSyntaxError:
            inner = (script.strip(),)
        if self.sentences[hole_index] == ALL_HOLE:
            replacement = _for_every_goal(inner)
        else:
            replacement = ("{",) + inner + ("}",) if len(inner) > 1 else inner
        return ProofScript(self.sentences[:hole_index] + replacement + self.sentences[hole_index + 1:])


def _for_every_goal(sentences: tuple[str, ...]) -> tuple[str, ...]:
    """A script for one goal, run on every open goal (what ``all: admit.`` stood for).

    Plain tactic sentences chain with ``;`` (``t1. t2.`` becomes ``all: (t1; t2).``,
    which also runs ``t2`` on every goal ``t1`` leaves: usually what a one-goal
    script means, and the checker has the last word). A script with its own
    bullets, braces or goal selectors is left as it is, for the first goal.
    """
    structured = any(s in ("{", "}") or re.fullmatch(r"-+|\++|\*+", s) or re.match(r"(all|\d+(,\s*\d+)*)\s*:", s)
                     for s in sentences)
    if structured:
        return sentences
    if len(sentences) == 1:
        return (f"all: {sentences[0]}",)
    return (f"all: ({'; '.join(s.rstrip().removesuffix('.') for s in sentences)}).",)


__all__ = ["ALL_HOLE", "HOLE", "ProofScript"]
