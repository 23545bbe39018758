"""The F* ``Verifier``: ``fstar.exe FILE`` under a time limit, or a warm IDE session; the same audit for both.

A one-shot check writes the document into a private temporary directory under
the file name its ``module`` line demands (F* insists they agree) and runs
``fstar.exe`` there with a wall-clock limit that kills the process tree (F*
and its Z3 processes). F*'s exit status decides whether it finished without
error; the printed issues become diagnostics and per-declaration outcomes.
The audit (``audit.py``) refuses anything taken on trust before F* runs and,
with a problem, holds the document to the problem's signatures. ``session``
opens a warm IDE process (``session.py``) that keeps the module's
dependencies loaded and re-checks only the declarations that changed.
"""

from __future__ import annotations

import tempfile
import time
from pathlib import Path

from lemmata.verifiers.audit import AuditFacts, judge
from lemmata.verifiers.errors import ToolMissing
from lemmata.verifiers.fstar import audit
from lemmata.verifiers.fstar.config import INSTALL_HINT, FStarConfig, fstar_version
from lemmata.verifiers.fstar.messages import parse_batch
from lemmata.verifiers.interface import Session, Statement, ToolStatus, Verifier
from lemmata.verifiers.process import run
from lemmata.verifiers.result import CheckResult, Severity


class FStarVerifier(Verifier):
    language = "fstar"
    suffix = ".fst"  # an implementation; FStarInterfaceVerifier checks .fsti files

    def __init__(self, config: FStarConfig | None = None) -> None:
        self.config = config or FStarConfig.from_env()

    def status(self) -> ToolStatus:
        version = fstar_version(self.config.command)
        if version is None:
            return ToolStatus("fstar", False, detail=INSTALL_HINT)
        return ToolStatus("fstar", True, version, " ".join(self.config.command))

    @property
    def checker(self) -> str:
        return f"F* {fstar_version(self.config.command) or '?'}"

    def require(self) -> None:
        if fstar_version(self.config.command) is None:
            raise ToolMissing("fstar", INSTALL_HINT)

    def check(self, text: str, *, statement: Statement | None = None, theorem: str | None = None,
              timeout: float | None = None) -> CheckResult:
        self.require()
        started = time.monotonic()
        problem = audit.reference(statement) if statement is not None else None
        facts = AuditFacts(language=self.language, checker=self.checker)
        document = audit.read(text, self.suffix, facts, problem)
        if document is not None:
            self._run(document, facts, timeout or self.config.timeout)
            audit.audit(document, problem, theorem, facts, interface=self.suffix == ".fsti")
        facts.seconds = time.monotonic() - started
        return judge(facts)

    def _run(self, document: audit.Document, facts: AuditFacts, timeout: float) -> None:
        with tempfile.TemporaryDirectory(prefix="lemmata-fstar-") as tmp:
            (Path(tmp) / document.filename).write_text(document.text, encoding="utf-8")
            done = run(self.config.argv(document.filename), timeout=timeout, cwd=Path(tmp),
                       memory_mb=self.config.memory_mb)
        if done.timed_out:
            facts.timed_out = True
            return
        output = parse_batch(done.stdout + "\n" + done.stderr, document.filename)
        facts.diagnostics = output.diagnostics
        errors = [d for d in output.diagnostics if d.severity is Severity.ERROR]
        if done.returncode != 0 and not errors:
            facts.failure = f"F* exited with status {done.returncode} without saying why: " \
                            f"{(done.stderr or done.stdout).strip()[-500:]}"
            return
        facts.completed = done.returncode == 0 and not errors
        facts.members = audit.members(document, facts.diagnostics, facts.completed)

    def session(self, header: str = "", *, statement: Statement | None = None) -> Session:
        from lemmata.verifiers.fstar.session import FStarSession  # the IDE client loads only when used

        self.require()
        problem = audit.reference(statement) if statement is not None else None
        return FStarSession(self, header, problem)


class FStarInterfaceVerifier(FStarVerifier):
    """An F* interface (``.fsti``): it declares, so its ``val``s are what it is checked for."""

    language = "fstar-interface"
    suffix = ".fsti"


__all__ = ["FStarInterfaceVerifier", "FStarVerifier"]
