"""A text about to be checked, read before Coq runs: targets, holes, findings, spans.

Both execution paths start here, so the same text yields the same targets and
the same lexical findings whichever path checks it.
"""

from __future__ import annotations

from dataclasses import dataclass

from lemmata.dsl.coq.declarations import CoqOutline, outline
from lemmata.dsl.coq.sentences import CoqSyntaxError
from lemmata.dsl.text import LineIndex
from lemmata.verifiers.result import Diagnostic, Hole, Severity, Span

_FINDING_REASONS = {
    "axiom": "declares a new assumption ({what})",
    "unsafe": "switches off a kernel check ({what})",
    "forbidden": "uses '{what}', which rewinds or leaves the checker and is not allowed in a checked document",
}


@dataclass
class CheckedText:
    text: str
    index: LineIndex
    outline: CoqOutline | None
    syntax_error: Diagnostic | None

    @classmethod
    def read(cls, text: str) -> CheckedText:
        index = LineIndex(text)
        try:
            doc = outline(text)
        except CoqSyntaxError as exc:
            span = span_of(index, exc.offset, exc.offset + 2)
            return cls(text, index, None, Diagnostic(severity=Severity.ERROR, message=f"Syntax error: {exc}", span=span))
        error = None
        if doc.trailing_start is not None:
            error = Diagnostic(
                severity=Severity.ERROR,
                message="Syntax error: the last sentence is not terminated by '.'",
                span=span_of(index, doc.trailing_start, len(text.rstrip())),
            )
        return cls(text, index, doc, error)

    def targets(self, theorem: str | None, spec_theorem: str | None) -> list[str]:
        if theorem:
            return [theorem]
        if spec_theorem:
            return [spec_theorem]
        if self.outline is None:
            return []
        names: list[str] = []
        for decl in self.outline.top_level_theorems():
            if decl.name not in names:
                names.append(decl.name)
        return names

    def _hole_findings(self) -> list:
        return [f for f in self.outline.findings if f.kind == "hole"] if self.outline else []

    def holes(self) -> list[Hole]:
        return [Hole(kind=f.what, span=span_of(self.index, f.start, f.end)) for f in self._hole_findings()]

    def hole_offsets(self) -> list[int]:
        return [f.start for f in self._hole_findings()]

    def findings(self) -> list[str]:
        if self.outline is None:
            return []
        reasons = []
        for f in self.outline.findings:
            if f.kind in _FINDING_REASONS:
                line = self.index.position(f.start).line
                reasons.append(f"line {line}: " + _FINDING_REASONS[f.kind].format(what=f.what))
        return reasons

    def end_span(self) -> Span:
        end = len(self.text.rstrip())
        return span_of(self.index, max(0, end - 1), end)


def span_of(index: LineIndex, start: int, end: int) -> Span:
    a = index.position(start)
    b = index.position(max(start, end))
    return Span(line=a.line, column=a.column, end_line=b.line, end_column=b.column)
