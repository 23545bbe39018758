"""A warm F* session: one ``fstar.exe --ide`` process per module and dependency set, declarations pushed one by one.

F* spends most of a small check loading the module's dependencies. The
session keeps an IDE process for as long as documents have the same module
name and the same ``open``/``include``/``friend`` lines, and keeps what it
pushed: a new document pops back to the longest prefix of declarations that
are unchanged (same text, same place, all accepted) and pushes only the rest,
one declaration per push, so each declaration gets its own outcome and its
errors their file positions. Anything else (new dependencies, a dead or
timed-out process) starts a fresh process. The audit is the one-shot path's.
"""

from __future__ import annotations

import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

from lemmata.dsl.fstar.source import Declaration
from lemmata.verifiers.audit import AuditFacts, judge
from lemmata.verifiers.fstar import audit
from lemmata.verifiers.fstar.ide import FStarIde, IdeDied, IdeTimeout, Reply
from lemmata.verifiers.fstar.messages import parse_batch
from lemmata.verifiers.interface import Session
from lemmata.verifiers.result import CheckResult, Diagnostic, MemberReport, Severity

_DEPENDENCIES = ("module", "interface", "open", "include", "friend")


@dataclass(frozen=True)
class Fragment:
    """What one push sends: the text from the end of the previous fragment to the end of the line where these
    declarations end (the blank lines and comments before them included, as F*'s editor modes push), from
    ``line`` (1-based)."""

    line: int
    code: str
    declarations: tuple[Declaration, ...]


def fragments(document: audit.Document) -> list[Fragment]:
    """The document cut for pushing: the opening ``module``/``open``/``include`` lines together (the push that
    loads the dependencies), then one declaration a fragment."""
    groups: list[list[Declaration]] = []
    for declaration in document.declarations:
        opening = len(groups) == 1 and all(d.kind in _DEPENDENCIES for d in groups[0])
        if groups and opening and declaration.kind in _DEPENDENCIES:
            groups[0].append(declaration)
        else:
            groups.append([declaration])
    out, at, text = [], 0, document.text
    for group in groups:
        last = group[-1].tokens[-1]
        newline = text.find("\n", last.offset + len(last.text))
        end = len(text) if newline < 0 else newline + 1
        out.append(Fragment(text.count("\n", 0, at) + 1, text[at:end], tuple(group)))
        at = end
    return out


def dependency_key(document: audit.Document) -> tuple:
    """What decides which modules an IDE process loads: equal keys can share one."""
    return (document.filename, tuple(tuple(d.words()) for d in document.declarations if d.kind in _DEPENDENCIES))


class FStarSession(Session):
    def __init__(self, verifier, header: str, problem: list[Declaration] | None) -> None:
        self.verifier, self.header, self.problem = verifier, header, problem
        self.config = verifier.config
        self._dir = tempfile.TemporaryDirectory(prefix="lemmata-fstar-ide-")
        self._ide: FStarIde | None = None
        self._key: tuple | None = None
        self._pushed: list[tuple[int, str]] = []  # (line, text) of each accepted push, in order
        self.starts = 0
        self.pushes = 0

    def check(self, attempt: str, *, theorem: str | None = None, timeout: float | None = None) -> CheckResult:
        started = time.monotonic()
        deadline = started + (timeout or self.config.timeout)
        text = f"{self.header}\n{attempt}" if self.header else attempt
        facts = AuditFacts(language=self.verifier.language, checker=self.verifier.checker)
        document = audit.read(text, self.verifier.suffix, facts, self.problem)
        if document is not None:
            try:
                self._run(document, facts, deadline)
            except IdeTimeout:
                self._reset()
                facts.timed_out = True
            except IdeDied as exc:
                self._reset()
                facts.failure = str(exc)
            audit.audit(document, self.problem, theorem, facts, interface=self.verifier.suffix == ".fsti")
        facts.seconds = time.monotonic() - started
        return judge(facts)

    def _left(self, deadline: float) -> float:
        left = deadline - time.monotonic()
        if left <= 0:
            raise IdeTimeout("the check ran past its time limit")
        return left

    def _open(self, document: audit.Document, deadline: float) -> FStarIde:
        key = dependency_key(document)
        if self._ide is not None and self._ide.alive and key == self._key:
            return self._ide
        self._reset()
        # F* reads the file on disk to find the dependencies it loads; the pushes carry the text it checks
        (Path(self._dir.name) / document.filename).write_text(document.text, encoding="utf-8")
        ide = FStarIde(self.config.argv("--ide", document.filename), cwd=Path(self._dir.name),
                       memory_mb=self.config.memory_mb)
        self._ide, self._key = ide, key
        ide.start(min(self.config.startup_timeout, self._left(deadline)))
        self.starts += 1
        return ide

    def _run(self, document: audit.Document, facts: AuditFacts, deadline: float) -> None:
        ide = self._open(document, deadline)
        cut = fragments(document)
        keep = 0
        while keep < min(len(self._pushed), len(cut)) and self._pushed[keep] == (cut[keep].line, cut[keep].code):
            keep += 1
        while len(self._pushed) > keep:
            ide.pop(self._left(deadline))
            self._pushed.pop()
        clean = True
        for fragment in cut[keep:]:
            reply = ide.push(fragment.code, fragment.line, timeout=self._left(deadline))
            self.pushes += 1
            facts.diagnostics += diagnostics(reply, document.filename)
            if reply.ok:
                # accepted after an earlier failure: on F*'s stack, but checked without it, so never reused
                self._pushed.append((fragment.line, fragment.code if clean else "\0stale"))
            clean = clean and reply.ok
            outcome = "verified" if reply.ok else "error"
            facts.members += [MemberReport(name=n, outcome=outcome, seconds=round(reply.seconds, 3))
                              for d in fragment.declarations if d.kind == "let" for n in d.names if n != "_"]
        facts.completed = clean and not any(d.severity is Severity.ERROR for d in facts.diagnostics)

    def _reset(self) -> None:
        if self._ide is not None:
            self._ide.close()
        self._ide, self._key, self._pushed = None, None, []

    def close(self) -> None:
        self._reset()
        self._dir.cleanup()


def diagnostics(reply: Reply, filename: str) -> list[Diagnostic]:
    """A reply's issues as diagnostics of ``filename``, with the errors F* sent as messages (batch format)."""
    found = [issue.diagnostic(filename) for issue in reply.issues()]
    shown = "\n\n".join(proof_state(state) for state in reply.proof_states())
    for diagnostic in found:
        if shown and diagnostic.severity is Severity.ERROR and diagnostic.goals is None:
            diagnostic.goals = shown
    for message in reply.messages:
        if message.level == "error" and isinstance(message.contents, str):
            found += parse_batch(message.contents, filename).diagnostics
    return found


def proof_state(state: dict) -> str:
    """A tactic's proof state as F* users read it: hypotheses, a rule, the goal; then the SMT goals."""
    blocks = []
    for kind in ("goals", "smt-goals"):
        for goal in state.get(kind) or []:
            hyps = [f"{h.get('name', '?')} : {h.get('type', '?')}" for h in goal.get("hyps") or []]
            target = (goal.get("goal") or {}).get("type", "?")
            blocks.append("\n".join([*hyps, "-" * 20, target + ("  (SMT)" if kind == "smt-goals" else "")]))
    label = state.get("label")
    return (f"{label}:\n" if label else "") + ("\n\n".join(blocks) or "(no goals)")


__all__ = ["FStarSession", "Fragment", "dependency_key", "diagnostics", "fragments", "proof_state"]
