"""The Dafny ``Verifier``: Dafny on one file under a time limit, then the spec-preserving audit.

A check writes the program into a private temporary directory, runs Dafny
there (``dafny /compile:0 /trace /timeLimit:N`` on 2.x, ``dafny verify
--verification-time-limit N`` on 4.x) with a wall-clock limit that kills the
process tree, and reads its errors, related locations, per-member outcomes
and summary. The audit then holds the program to what it may claim: no
``assume``, ``{:axiom}``, ``{:verify false}``, ``{:extern}``, ``decreases *`` or
member without a body; with a reference problem, every specification, every
function body and every method's executable code as the problem has them
(``lemmata.dsl.dafny.spec``). Dafny has no warm mode used here: a session is a
series of one-shot checks against one reference.
"""

from __future__ import annotations

import functools
import tempfile
import time
from pathlib import Path

from lemmata.dsl.dafny.program import MEMBER_KEYWORDS, Program, parse
from lemmata.dsl.dafny.spec import assumptions, audit, cheats
from lemmata.dsl.dafny.tokens import DafnySyntaxError
from lemmata.verifiers.audit import AuditFacts, judge
from lemmata.verifiers.dafny.config import INSTALL_HINT, DafnyConfig, command, dafny_version
from lemmata.verifiers.dafny.messages import parse_output
from lemmata.verifiers.errors import InputError, ToolMissing
from lemmata.verifiers.interface import Session, Statement, ToolStatus, Verifier
from lemmata.verifiers.process import run
from lemmata.verifiers.result import CheckResult, Severity, TargetReport

FILE_NAME = "program.dfy"
_AUDITED = MEMBER_KEYWORDS - {"iterator"}


@functools.lru_cache(maxsize=16)
def _parsed(text: str) -> Program:
    return parse(text)  # a reference is checked against many times (a session, inference rounds): read it once


def _reference(statement: Statement) -> Program:
    try:
        return _parsed(statement.text)
    except DafnySyntaxError as exc:
        raise InputError(f"{statement.origin}: {exc}") from None


class DafnyVerifier(Verifier):
    language = "dafny"

    def __init__(self, config: DafnyConfig | None = None) -> None:
        self.config = config or DafnyConfig.from_env()

    def status(self) -> ToolStatus:
        version = dafny_version(self.config.dafny)
        if version is None:
            return ToolStatus("dafny", False, detail=INSTALL_HINT)
        return ToolStatus("dafny", True, version, self.config.dafny)

    @property
    def checker(self) -> str:
        return f"dafny {dafny_version(self.config.dafny) or '?'}"

    def require(self) -> None:
        if dafny_version(self.config.dafny) is None:
            raise ToolMissing("dafny", INSTALL_HINT)

    def check(self, text: str, *, statement: Statement | None = None, theorem: str | None = None,
              timeout: float | None = None) -> CheckResult:
        self.require()
        started = time.monotonic()
        reference = _reference(statement) if statement is not None else None
        facts = AuditFacts(language="dafny", checker=self.checker)
        self._run(text, facts, timeout or self.config.timeout)
        self._audit(text, reference, theorem, facts)
        facts.seconds = time.monotonic() - started
        return judge(facts)

    def _run(self, text: str, facts: AuditFacts, timeout: float) -> None:
        version = dafny_version(self.config.dafny) or "2"
        with tempfile.TemporaryDirectory(prefix="lemmata-dafny-") as tmp:
            (Path(tmp) / FILE_NAME).write_text(text, encoding="utf-8")
            done = run(command(self.config.dafny, version, FILE_NAME, self.config.time_limit), timeout=timeout,
                       cwd=Path(tmp), memory_mb=self.config.memory_mb)
        if done.timed_out:
            facts.timed_out = True
            return
        output = parse_output(done.stdout + "\n" + done.stderr, FILE_NAME)
        facts.diagnostics = output.diagnostics
        facts.members = output.members
        errors = [d for d in output.diagnostics if d.severity is Severity.ERROR]
        if output.verified is None and not errors:
            facts.failure = f"dafny exited with status {done.returncode} without a verdict: " \
                            f"{(done.stderr or done.stdout).strip()[-500:]}"
            return
        if output.timeouts and not output.errors and not output.static_errors:
            facts.timed_out = True  # inconclusive, not refuted
            return
        facts.completed = output.verified is not None and not errors and not output.out_of_resource

    def _audit(self, text: str, problem: Program | None, theorem: str | None, facts: AuditFacts) -> None:
        try:
            candidate = parse(text)
        except DafnySyntaxError as exc:
            facts.findings.append(f"the audit cannot read the program: {exc}")
            return
        if problem is None:
            facts.findings += [f"{what} at line {line}: Dafny would take something on trust"
                               for what, line in cheats(candidate.tokens)]
            facts.findings += [f"{what} (Dafny would take it on trust)" for what in assumptions(candidate)]
            members = [d for d in candidate.declarations if d.kind in _AUDITED]
            names = [d.name for d in members if theorem is None or d.name == theorem] or ([theorem] if theorem else [])
            facts.targets = [TargetReport(name=n, found=any(d.name == n for d in members)) for n in names]
        else:
            reasons = audit(problem, candidate)
            facts.findings += reasons
            present = candidate.named()
            inherited = assumptions(problem)
            facts.targets = [
                TargetReport(name=d.name, found=d.name in present,
                             statement_matches=not any(d.name in reason for reason in reasons),
                             axioms=inherited)
                for d in problem.declarations if d.kind in _AUDITED and (theorem is None or d.name == theorem)]
        facts.audit_complete = True

    def session(self, header: str = "", *, statement: Statement | None = None) -> Session:
        self.require()
        if statement is not None:
            _reference(statement)  # a reference that does not parse is the caller's error, now
        return DafnySession(self, header, statement)


class DafnySession(Session):
    """Checks against one reference, each in a fresh Dafny process (``header`` goes before each attempt)."""

    def __init__(self, verifier: DafnyVerifier, header: str, statement: Statement | None) -> None:
        self.verifier, self.header, self.statement = verifier, header, statement

    def check(self, attempt: str, *, theorem: str | None = None, timeout: float | None = None) -> CheckResult:
        text = f"{self.header}\n{attempt}" if self.header else attempt
        return self.verifier.check(text, statement=self.statement, theorem=theorem, timeout=timeout)

    def close(self) -> None:
        pass


__all__ = ["DafnySession", "DafnyVerifier"]
