"""The block structure of a Lean 4 tactic proof, by indentation, and cutting ``sorry`` holes into it.

A tactic proof is a column of lines; a line's block is the lines after it
indented deeper (a ``·`` focus, a ``have ... := by`` sub-proof, a ``calc``
step). Lean reports the first error of each tactic block and goes on with the
others, so the repair replaces a failing line and the rest of its block with
one ``sorry`` at the line's own indentation.
"""

from __future__ import annotations

from dataclasses import dataclass

HOLE = "sorry"
_HOLES = (HOLE, "· " + HOLE, "all_goals " + HOLE)


def _indent(line: str) -> int:
    return len(line) - len(line.lstrip(" "))


@dataclass(frozen=True)
class LeanProofScript:
    """Tactic lines, indentation kept (relative to the proof's own column)."""

    sentences: tuple[str, ...]

    @classmethod
    def parse(cls, body: str) -> LeanProofScript:
        lines = [line.rstrip() for line in body.expandtabs(2).splitlines() if line.strip()]
        if lines and lines[0].strip() in (":= by", "by"):
            lines = lines[1:]
        base = min((_indent(line) for line in lines), default=0)
        return cls(tuple(line[base:] for line in lines))

    def render(self) -> str:
        return "\n".join("  " + line for line in self.sentences)

    def pretty(self) -> str:
        return self.render()

    @property
    def holes(self) -> list[int]:
        return [i for i, line in enumerate(self.sentences) if line.strip() in _HOLES]

    def block_end(self, index: int) -> int:
        """Where the lines that work on line ``index``'s goal end.

        After a plain tactic, its siblings and their sub-blocks (until a line
        indented less); after a ``·`` focus, only the lines indented under it.
        """
        line = self.sentences[index]
        level = _indent(line)
        focus = line.strip().startswith(("· ", ". "))
        end = index + 1
        while end < len(self.sentences) and (_indent(self.sentences[end]) > level if focus
                                             else _indent(self.sentences[end]) >= level):
            end += 1
        return end

    def hole_at(self, index: int) -> LeanProofScript:
        if index >= len(self.sentences):  # the error is at the end: goals were left open
            return LeanProofScript(self.sentences + ("all_goals " + HOLE,))
        line = self.sentences[index]
        level = _indent(line)
        stripped = line.strip()
        prefix = "· " if stripped.startswith(("· ", ". ")) else ""  # keep the focus dot: the hole proves that goal
        return LeanProofScript(self.sentences[:index] + (" " * level + prefix + HOLE,)
                               + self.sentences[self.block_end(index):])

    def fill(self, hole_index: int, script: str) -> LeanProofScript:
        line = self.sentences[hole_index]
        if line.strip() not in _HOLES:
            raise ValueError(f"line {hole_index} is not a hole")
        level = _indent(line)
        inner = LeanProofScript.parse(script).sentences or (HOLE,)
        if line.strip().startswith("· "):
            first = (" " * level + "· " + inner[0],)
            rest = tuple(" " * (level + 2) + s for s in inner[1:])
        elif line.strip().startswith("all_goals"):
            first = (" " * level + "all_goals (" + "; ".join(s.strip() for s in inner) + ")",)
            rest = ()
        else:
            first, rest = (" " * level + inner[0],), tuple(" " * level + s for s in inner[1:])
        return LeanProofScript(self.sentences[:hole_index] + first + rest + self.sentences[hole_index + 1:])


__all__ = ["HOLE", "LeanProofScript"]
