"""The agent's door to the checker: one warm session per problem header, and the final audit.

Every check is counted against the budget, timed out within the time left,
and traced. The session is shared by concurrent sub-lemma workers, so checks
go through one lock (the checker is one process; the models are what run in
parallel). The final audit is separate on purpose: a fresh one-shot check of
the whole document against the original problem file.
"""

from __future__ import annotations

import threading

from lemmata.prover.agent.budget import Spending
from lemmata.prover.agent.language import Draft, Problem
from lemmata.prover.agent.trace import Trace
from lemmata.prover.timing import Activity
from lemmata.verifiers.interface import Session, Statement, Verifier
from lemmata.verifiers.result import CheckResult


class Checker:
    def __init__(self, verifier: Verifier, header: str, spending: Spending, trace: Trace, timeout: float,
                 activity: Activity | None = None) -> None:
        self.verifier = verifier
        self.activity = activity or Activity()  # told while a check runs: the checker's share of the wall clock
        self.header = header
        self.spending = spending
        self.trace = trace
        self.timeout = timeout
        self._session: Session | None = None
        self._lock = threading.Lock()

    def check(self, draft: Draft, *, stage: str, timeout: float | None = None, grace: float = 0.0) -> CheckResult:
        """Check ``draft`` in the warm session; every draft of one run shares the problem's header. ``grace``:
        how long past the budget's wall clock it may still run (``Spending.take_check``)."""
        assert draft.header == self.header, "a draft from another header"
        limit = self.spending.take_check(timeout or self.timeout, grace=grace)
        with self._lock, self.activity.track():
            if self._session is None:
                self._session = self.verifier.session(self.header)
            result = self._session.check(draft.attempt, theorem=draft.theorem, timeout=limit)
        error = result.first_error()
        self.trace.emit("check", stage=stage, theorem=draft.theorem, verdict=result.verdict.value,
                        seconds=result.seconds, holes=len(result.holes),
                        error=error.message if error else None, attempt=draft.attempt)
        return result

    def audit(self, draft: Draft, problem: Problem, *, timeout: float | None = None) -> CheckResult:
        """The end-to-end check of a finished proof against the original statement."""
        limit = max(self.timeout, 30.0) if timeout is None else timeout
        statement = Statement(problem.text, problem.theorem, problem.origin)
        result = self.verifier.check(draft.text, statement=statement, theorem=problem.theorem, timeout=limit)
        self.trace.emit("audit", theorem=problem.theorem, verdict=result.verdict.value, reasons=result.reasons,
                        seconds=result.seconds)
        return result

    def close(self) -> None:
        with self._lock:
            if self._session is not None:
                self._session.close()
                self._session = None


__all__ = ["Checker"]
