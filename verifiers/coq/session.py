"""A warm Coq session: header loaded once, every attempt checked from the same state.

The session opens the proof module, loads the header, and remembers coqtop's
state number. Each attempt is sent sentence by sentence (so an error is pinned
to its sentence and the goals at the failure can be shown), audited, and then
``BackTo`` rewinds: definitions, options, imports and hints an attempt made are
gone before the next one starts.

Prefix reuse: Coq is deterministic, so the state after running sentences
s1..sk from the base state depends only on those sentences. When the next
attempt starts with the same successful sentences as the previous one (the
same imports and statement, or the same first tactics of a repaired proof),
the session rewinds only to the state after that common prefix instead of
re-running it. Sentences whose effect depends on the outside world (``Load``,
``Cd``, ``Timeout``, ...) end the reusable prefix.

A timeout first tries Ctrl-C; a process that does not recover, or dies, is
replaced and the header reloaded, transparently to the caller.
"""

from __future__ import annotations

import re
import time
from collections.abc import Callable
from dataclasses import dataclass

from lemmata.dsl.coq.sentences import Sentence, split_sentences
from lemmata.dsl.text import chars_in_bytes
from lemmata.verifiers.audit import AuditFacts, judge
from lemmata.verifiers.coq.config import CoqConfig
from lemmata.verifiers.coq.messages import clean_toplevel, first_error, parse_messages
from lemmata.verifiers.coq.script import UNFINISHED, CoqScript, SpecBlock
from lemmata.verifiers.coq.source import CheckedText, span_of
from lemmata.verifiers.coq.toplevel import CoqTop, CoqTopDied, CoqTopTimeout, Reply
from lemmata.verifiers.errors import InputError
from lemmata.verifiers.interface import Session
from lemmata.verifiers.process import resident_mb
from lemmata.verifiers.result import CheckResult, Diagnostic, Severity

STARTUP_TIMEOUT = 120.0
# coqtop's memory creeps up over thousands of attempts (3.4 GB after ~3,000
# miniF2F checks); past this it is replaced between checks.
RECYCLE_RSS_MB = 2048
# Sentences whose effect is not a function of the Coq state and their text.
_NOT_REUSABLE = re.compile(
    r"^\s*(?:#\[[^\]]*\]\s*)*(?:Load|Cd|Redirect|Time|Timeout|Fail|Declare\s+ML|Add\s+(?:Rec\s+)?(?:ML\s+)?LoadPath"
    r"|Extraction|Separate\s+Extraction|Recursive\s+Extraction|Drop|Quit)\b")


_GOALS = re.compile(r"^(\d+ goals?|No more goals)")


def _goal_text(reply: Reply) -> str:
    return clean_toplevel(reply.output).strip()


def _goals_on_display(reply: Reply, before: str | None) -> str | None:
    """The goals a proof faces after ``reply``, from what coqtop printed, or None if unknown.

    coqtop prints the goals only when a sentence changed the proof, so a
    sentence that printed nothing (``Proof.``, an ``intros`` with nothing to
    introduce) leaves the earlier display standing; that saves a ``Show``.
    """
    if not reply.in_proof:
        return None
    text = _goal_text(reply)
    if _GOALS.match(text):
        return text
    return before if not text else None


@dataclass(frozen=True)
class _Executed:
    """A sentence the session ran without error, and what it left behind."""

    code: str
    state: int  # coqtop state number after it
    reply: Reply


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
        self._executed: list[_Executed] = []  # the current attempt's successful prefix, in order
        self.restarts = 0
        self.reused_sentences = 0
        self.recycle_rss_mb = RECYCLE_RSS_MB
        self._checks = 0
        # Called as on_exchange(command, seconds) after each exchange with coqtop, across restarts (profiling).
        self.on_exchange: Callable[[str, float], None] | None = None
        self._start()

    def _observe(self, command: str, seconds: float) -> None:
        if self.on_exchange is not None:
            self.on_exchange(command, seconds)

    # -- lifecycle ---------------------------------------------------------
    def _start(self) -> None:
        top = CoqTop([self.config.coqtop, "-emacs", "-q", *self.config.flags], memory_mb=self.config.memory_mb)
        top.on_exchange = self._observe
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
        self._executed = []

    @staticmethod
    def _expect_ok(top: CoqTop, command: str, what: str) -> Reply:
        reply = top.exchange(command, STARTUP_TIMEOUT)
        if reply.failed:
            raise InputError(f"{what}: {first_error(reply.output) or clean_toplevel(reply.output).strip()}")
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
        facts = AuditFacts(language="coq", checker=self.checker, holes=checked.holes(), findings=checked.findings(),
                           hole_offsets=checked.hole_offsets())
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
            if self._top is None or not self._top.alive:
                self._restart()
        facts.seconds = time.monotonic() - started
        self._recycle_if_bloated()
        return judge(facts)

    def _recycle_if_bloated(self) -> None:
        self._checks += 1
        if self._checks % 25 == 0 and self._top is not None and self._top.proc is not None \
                and resident_mb(self._top.proc.pid) > self.recycle_rss_mb:
            self._restart()

    def _run(self, top: CoqTop, checked: CheckedText, targets: list[str], facts: AuditFacts, deadline: float) -> None:
        def left() -> float:
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                raise CoqTopTimeout(alive=True)
            return remaining

        assert checked.outline is not None
        sentences = checked.outline.sentences
        lines = [one_line(s) for s in sentences]
        keep = self._rewind_to_common_prefix(top, lines)
        top = self._top  # a failed rewind replaces the process
        assert top is not None
        reply: Reply | None = None
        shown: str | None = None  # the goals on display before the current sentence
        for sentence, line, done in zip(sentences, lines, self._executed[:keep]):
            self._note_hole_goals(sentence, shown, facts)
            reply = done.reply
            self._collect(reply, sentence, line, checked, facts)
            shown = _goals_on_display(reply, shown)
        failed = False
        for sentence, line in zip(sentences[keep:], lines[keep:]):
            self._note_hole_goals(sentence, shown, facts)
            reply = top.exchange(line, left(), sync="prompt")
            failed = self._collect(reply, sentence, line, checked, facts)
            if failed:
                if reply.in_proof:
                    facts.diagnostics[-1].goals = shown or _goal_text(top.exchange("Show.", left())) or None
                break
            shown = _goals_on_display(reply, shown)
            self._executed.append(_Executed(line, reply.state, reply))
        if not self._in_sync(top, checked, facts, left()) or failed:
            return
        if reply is not None and reply.in_proof:
            facts.diagnostics.append(Diagnostic(
                severity=Severity.ERROR, span=checked.end_span(),
                message=f"at the end of the document: {UNFINISHED}"))
            return
        closing = top.exchange(self.script.epilogue(), left())
        if closing.failed:
            facts.diagnostics.append(Diagnostic(
                severity=Severity.ERROR, span=checked.end_span(),
                message="at the end of the document: " + (first_error(closing.output) or "cannot close it")))
            return
        facts.completed = True
        outputs = [top.exchange(command, left()).output for command in self.script.audit_commands(targets)]
        facts.targets, facts.audit_complete = self.script.read_audit(
            "\n".join(outputs), targets, self.config.allowed_axioms)

    def _in_sync(self, top: CoqTop, checked: CheckedText, facts: AuditFacts, timeout: float) -> bool:
        """Drain coqtop with a sentinel: nothing may be left over, and the state must be the recorded one.

        The attempt's sentences were read up to coqtop's prompts; a text that
        prints a fake prompt would leave real output behind. Whatever is left
        is checked here, before anything decides the verdict.
        """
        resync = top.exchange("", timeout)
        expected = self._executed[-1].state if self._executed else self._base_state
        leftover = clean_toplevel(resync.output).strip()
        if not leftover and (facts.diagnostics and facts.diagnostics[-1].severity is Severity.ERROR
                             or resync.state == expected):
            return True
        self._executed.clear()  # the recorded states cannot be trusted for reuse
        facts.diagnostics.append(Diagnostic(
            severity=Severity.ERROR, span=checked.end_span(),
            message="the checker's output went out of step with the document (does it print fake prompts?)"
                    + (f": {leftover[:300]}" if leftover else "")))
        return False

    @staticmethod
    def _note_hole_goals(sentence: Sentence, shown: str | None, facts: AuditFacts) -> None:
        """A hole in this sentence faces the goals on display before it."""
        if shown is None:
            return
        for hole, start in zip(facts.holes, facts.hole_offsets):
            if sentence.start <= start < sentence.end and hole.goal is None:
                hole.goal = shown

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

    def _rewind_to_common_prefix(self, top: CoqTop, lines: list[str]) -> int:
        """Rewind to the state after the longest reusable prefix shared with the last attempt.

        Returns how many leading sentences of ``lines`` that state already covers.
        """
        keep = 0
        for done, line in zip(self._executed, lines):
            if done.code != line or _NOT_REUSABLE.match(line):
                break
            keep += 1
        target = self._executed[keep - 1].state if keep else self._base_state
        try:
            reply = top.exchange(f"BackTo {target}.", STARTUP_TIMEOUT, sync="prompt")
            rewound = not reply.failed and reply.state == target
        except (CoqTopDied, CoqTopTimeout):
            rewound = False
        if not rewound:
            self._restart()  # a fresh process is at the base state
            return 0
        del self._executed[keep:]
        self.reused_sentences += keep
        return keep
