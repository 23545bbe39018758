"""A warm Coq session: header loaded once, every attempt checked from the same state.

The session opens the proof module, loads the header, and remembers coqtop's
state number. Each attempt is sent sentence by sentence (so an error is pinned
to its sentence and the goals at the failure can be shown), audited, and then
``BackTo`` rewinds to the remembered state: definitions, options, imports and
hints an attempt made are gone before the next one starts. A timeout first
tries Ctrl-C; a process that does not recover, or dies, is replaced and the
header reloaded, transparently to the caller.
"""

from __future__ import annotations

import time

from dsl.coq.sentences import Sentence, split_sentences
from dsl.text import chars_in_bytes
from verifiers.audit import AuditFacts, judge
from verifiers.coq.config import CoqConfig
from verifiers.coq.messages import clean_toplevel, parse_messages
from verifiers.coq.script import CoqScript, SpecBlock
from verifiers.coq.source import CheckedText, span_of
from verifiers.coq.toplevel import CoqTop, CoqTopDied, CoqTopTimeout, Reply
from verifiers.errors import InputError
from verifiers.interface import Session
from verifiers.result import CheckResult, Diagnostic, Severity

STARTUP_TIMEOUT = 120.0


def one_line(sentence: Sentence) -> str:
    """The sentence's code on one line; offsets are preserved character for character."""
    return sentence.code().replace("\r", " ").replace("\n", " ")


class CoqSession(Session):
    def __init__(self, config: CoqConfig, checker: str, header: str = "", *, spec: SpecBlock | None = None) -> None:
        self.config = config
        self.checker = checker
        self.header = header
        self.script = CoqScript(spec=spec)
        self.script.guard(header)
        self._top: CoqTop | None = None
        self._base_state = 0
        self.restarts = 0
        self._start()

    # -- lifecycle ---------------------------------------------------------
    def _start(self) -> None:
        top = CoqTop([self.config.coqtop, "-emacs", "-q", *self.config.flags], memory_mb=self.config.memory_mb)
        try:
            top.start(STARTUP_TIMEOUT)
            for command in self.script.prologue():
                self._expect_ok(top, command, "the reference statement does not elaborate")
            try:
                sentences = split_sentences(self.header).sentences
            except ValueError as exc:
                raise InputError(f"session header: {exc}") from None
            for sentence in sentences:
                self._expect_ok(top, one_line(sentence), "the session header does not load")
        except (CoqTopDied, CoqTopTimeout):
            top.close()
            raise InputError("coqtop did not start or could not load the session header in time") from None
        except BaseException:
            top.close()
            raise
        self._top = top
        self._base_state = top.state

    @staticmethod
    def _expect_ok(top: CoqTop, command: str, what: str) -> Reply:
        reply = top.exchange(command, STARTUP_TIMEOUT)
        if reply.failed:
            errors = [m.text for m in parse_messages(clean_toplevel(reply.output)) if m.severity is Severity.ERROR]
            raise InputError(f"{what}: {errors[0] if errors else clean_toplevel(reply.output).strip()}")
        return reply

    def _restart(self) -> None:
        if self._top is not None:
            self._top.close()
        self._top = None
        self.restarts += 1
        self._start()

    def close(self) -> None:
        if self._top is not None:
            self._top.close()
            self._top = None

    # -- checking ----------------------------------------------------------
    def check(self, attempt: str, *, theorem: str | None = None, timeout: float | None = None) -> CheckResult:
        started = time.monotonic()
        timeout = timeout or self.config.timeout
        checked = CheckedText.read(attempt)
        spec = self.script.spec
        targets = checked.targets(theorem, spec.theorem if spec else None)
        facts = AuditFacts(language="coq", checker=self.checker, holes=checked.holes(), findings=checked.findings())
        if checked.syntax_error is not None or checked.outline is None:
            facts.diagnostics.append(checked.syntax_error)  # type: ignore[arg-type]
            facts.seconds = time.monotonic() - started
            return judge(facts)
        self.script.guard(attempt)
        if self._top is None or not self._top.alive:
            self._restart()
        assert self._top is not None
        deadline = started + timeout
        try:
            self._run(self._top, checked, targets, facts, deadline)
        except CoqTopTimeout:
            facts.timed_out = True
        except CoqTopDied:
            facts.failure = "coqtop died while checking (out of memory, or a crash)"
        finally:
            self._rewind()
        facts.seconds = time.monotonic() - started
        return judge(facts)

    def _run(self, top: CoqTop, checked: CheckedText, targets: list[str], facts: AuditFacts, deadline: float) -> None:
        def left() -> float:
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                raise CoqTopTimeout(alive=True)
            return remaining

        assert checked.outline is not None
        reply: Reply | None = None
        for sentence in checked.outline.sentences:
            line = one_line(sentence)
            reply = top.exchange(line, left())
            failed = self._collect(reply, sentence, line, checked, facts)
            if failed:
                error = facts.diagnostics[-1]
                if reply.in_proof:
                    goals = top.exchange("Show.", left())
                    error.goals = clean_toplevel(goals.output).strip() or None
                return
        if reply is not None and reply.in_proof:
            facts.diagnostics.append(Diagnostic(
                severity=Severity.ERROR, span=checked.end_span(),
                message="at the end of the document: the proof is not finished (no Qed/Defined)"))
            return
        closing = top.exchange(self.script.epilogue(), left())
        if closing.failed:
            errors = [m.text for m in parse_messages(clean_toplevel(closing.output)) if m.severity is Severity.ERROR]
            facts.diagnostics.append(Diagnostic(
                severity=Severity.ERROR, span=checked.end_span(),
                message="at the end of the document: " + (errors[0] if errors else "cannot close the document")))
            return
        facts.completed = True
        outputs = [top.exchange(command, left()).output for command in self.script.audit_commands(targets)]
        facts.targets, facts.audit_complete = self.script.read_audit(
            "\n".join(outputs), targets, self.config.allowed_axioms)

    @staticmethod
    def _collect(reply: Reply, sentence: Sentence, line: str, checked: CheckedText, facts: AuditFacts) -> bool:
        failed = False
        for message in parse_messages(clean_toplevel(reply.output)):
            start = sentence.start + chars_in_bytes(line, message.start or 0)
            end = sentence.start + chars_in_bytes(line, message.end if message.end is not None else len(line.encode()))
            facts.diagnostics.append(Diagnostic(
                severity=message.severity, message=message.text, span=span_of(checked.index, start, end)))
            failed = failed or message.severity is Severity.ERROR
        if reply.failed and not failed:
            text = clean_toplevel(reply.output).strip()
            facts.diagnostics.append(Diagnostic(severity=Severity.ERROR, message=text or "error",
                                                span=span_of(checked.index, sentence.start, sentence.end)))
            failed = True
        return failed

    def _rewind(self) -> None:
        top = self._top
        if top is None or not top.alive:
            self._restart()
            return
        try:
            reply = top.exchange(f"BackTo {self._base_state}.", STARTUP_TIMEOUT)
            if reply.state == self._base_state and not reply.failed:
                return
        except (CoqTopDied, CoqTopTimeout):
            pass
        self._restart()
