"""The Lean 4 ``Verifier``: documents checked through the REPL, with the same audit as every backend.

A document's ``import`` lines are its header: the pool elaborates them once
per REPL process and every check starts from that environment, so nothing
from one attempt is visible to the next (REPL environments are immutable
snapshots). With a reference statement, the problem's theorem is elaborated
first, under a nonce name and in the header's environment, before the proof
is sent; after the proof, Lean itself compares the two theorems' types
(``Expr`` equality, so notations, shadowing and coercions the proof
introduced cannot pass) and lists the target's axioms (``#print axioms``:
only ``propext``, ``Classical.choice``, ``Quot.sound`` are allowed). The text
is also scanned for what Lean would accept but the audit refuses
(``dsl/lean/source.py``).
"""

from __future__ import annotations

import functools
import re
import secrets
import subprocess
import time

from lemmata.dsl.lean.source import LeanSyntaxError, declarations, findings, target_theorem
from lemmata.dsl.text import NoSuchTheorem
from lemmata.dsl.text import LineIndex
from lemmata.verifiers.audit import AuditFacts, judge
from lemmata.verifiers.errors import InputError, ToolMissing
from lemmata.verifiers.interface import Session, Statement, ToolStatus, Verifier
from lemmata.verifiers.lean.config import INSTALL_HINT, LeanConfig
from lemmata.verifiers.lean.interface import CommandResponse, command
from lemmata.verifiers.lean.messages import ALLOWED_AXIOMS, axioms_of, diagnostic, hole
from lemmata.verifiers.lean.pool import HeaderError, ReplPool
from lemmata.verifiers.lean.repl import ReplDied, ReplProtocolError, ReplTimeout
from lemmata.verifiers.result import CheckResult, Diagnostic, Severity, TargetReport

_IMPORT = re.compile(r"(?m)^import\s+\S.*$")


def split_header(text: str) -> tuple[str, str, int]:
    """(import lines, the rest, how many lines the header took)."""
    lines = text.splitlines(keepends=True)
    cut = 0
    for i, line in enumerate(lines):
        stripped = line.strip()
        if _IMPORT.match(line) or (not stripped and cut == i):
            cut = i + 1
        elif stripped.startswith("--") and cut == i:
            cut = i + 1
        else:
            break
    header = "".join(line for line in lines[:cut] if _IMPORT.match(line))
    return header, "".join(lines[cut:]), cut


class LeanSpec:
    """The reference theorem, ready to be elaborated under a nonce name."""

    def __init__(self, statement: Statement) -> None:
        header, body, _ = split_header(statement.text)
        try:
            target = target_theorem(body, statement.theorem)
        except (LeanSyntaxError, NoSuchTheorem) as exc:
            raise InputError(f"{statement.origin}: {exc}") from None
        self.header = header
        self.theorem = target.name
        self.nonce = secrets.token_hex(6)
        self.name = f"lemmata_spec_{self.nonce}"
        start, end = target.signature_span
        self.signature = body[start:end].strip()
        # what comes before the theorem (open, variable, set_option) shapes its meaning: it goes along
        self.text = body[: target.start] + f"theorem {self.name} {self.signature} := sorry\n"

    def compare_command(self, target: str) -> tuple[str, str]:
        marker = f"lemmata-compare-{self.nonce}"
        code = (
            "open Lean in\n"
            "run_meta do\n"
            "  let env ← getEnv\n"
            # name literals, not String.toName: they read «»-escaped components as Lean's parser does
            f'  let verdict := match env.find? `{target}, env.find? `{self.name} with\n'
            '    | some a, some b =>\n'
            '      if a.type == b.type && a.levelParams == b.levelParams then "same" else "differ"\n'
            '    | _, _ => "missing"\n'
            f'  logInfo m!"{marker} {{verdict}}"\n'
        )
        return code, marker


@functools.lru_cache(maxsize=4)
def _version(command: tuple[str, ...], project: str) -> str | None:
    probe = ["lake", "env", "lean", "--version"] if command[0] == "lake" else ["lean", "--version"]
    try:
        done = subprocess.run(probe, capture_output=True, text=True, timeout=60, cwd=project)
    except (OSError, subprocess.TimeoutExpired):
        return None
    m = re.search(r"version (\S+)", done.stdout)
    return m[1].rstrip(",") if m else None


class LeanVerifier(Verifier):
    language = "lean"

    def __init__(self, config: LeanConfig | None = None) -> None:
        self.config = config or LeanConfig.from_env()

    def status(self) -> ToolStatus:
        if not self.config.available():
            return ToolStatus("lean", False, detail=INSTALL_HINT)
        version = _version(self.config.command, str(self.config.project))
        return ToolStatus("lean", True, version or "unknown", " ".join(self.config.command))

    @property
    def checker(self) -> str:
        return f"lean {_version(self.config.command, str(self.config.project)) or '?'}"

    def require(self) -> None:
        if not self.config.available():
            raise ToolMissing(f"the Lean 4 REPL ({' '.join(self.config.command)})", INSTALL_HINT)

    def check(self, text: str, *, statement: Statement | None = None, theorem: str | None = None,
              timeout: float | None = None) -> CheckResult:
        """One document in a REPL process of its own (``session`` reuses warm ones)."""
        self.require()
        header, body, offset = split_header(text)
        with LeanSession(self, header, statement, ReplPool(self.config)) as session:
            return session.check_body(body, offset, theorem, timeout)

    def session(self, header: str = "", *, statement: Statement | None = None) -> LeanSession:
        """A warm session with REPL processes of its own (up to ``LEMMATA_LEAN_POOL``), stopped by ``close``."""
        self.require()
        return LeanSession(self, header, statement, ReplPool(self.config))


class LeanSession(Session):
    def __init__(self, verifier: LeanVerifier, header: str, statement: Statement | None, pool: ReplPool) -> None:
        self.verifier = verifier
        self.header = header if header.endswith("\n") or not header else header + "\n"
        self.spec = LeanSpec(statement) if statement is not None else None
        self.pool = pool

    def check(self, attempt: str, *, theorem: str | None = None, timeout: float | None = None) -> CheckResult:
        """Lines are the attempt's own, as in every session: the attempt is the document checked."""
        return self.check_body(attempt, 0, theorem, timeout)

    def check_body(self, body: str, line_offset: int, theorem: str | None, timeout: float | None) -> CheckResult:
        started = time.monotonic()
        limit = timeout or self.verifier.config.timeout
        facts = AuditFacts(language="lean", checker=self.verifier.checker)
        lines = LineIndex(body)
        try:
            found = findings(body, self.spec.signature if self.spec else "")
            decls = declarations(body)
        except LeanSyntaxError as exc:
            facts.diagnostics.append(Diagnostic(severity=Severity.ERROR, message=str(exc)))
            facts.seconds = time.monotonic() - started
            return judge(facts)
        for finding in found:
            if finding.kind != "hole":  # holes are reported by Lean itself, with their goals
                line = lines.position(finding.offset).line + line_offset
                facts.findings.append(f"uses '{finding.what}' at line {line}")
        names = [theorem] if theorem else [self.spec.theorem] if self.spec else \
            [d.name for d in decls if d.keyword in ("theorem", "lemma") and d.name]
        try:
            self._run(body, line_offset, names, limit, facts)
        except ReplTimeout:
            facts.timed_out = True
        except (ReplDied, ReplProtocolError) as exc:
            facts.failure = f"the Lean REPL failed: {exc}"
        except HeaderError as exc:
            raise InputError(f"session header: {exc}") from None
        facts.seconds = time.monotonic() - started
        return judge(facts)

    def _run(self, body: str, line_offset: int, names: list[str], limit: float, facts: AuditFacts) -> None:
        with self.pool.lease(self.header) as lease:
            env = lease.env
            if self.spec is not None:
                spec = lease.repl.send(command(self.spec.text, env), limit)
                if not isinstance(spec, CommandResponse) or spec.errors():
                    why = spec.message if not isinstance(spec, CommandResponse) else spec.errors()[0].data
                    raise InputError(f"the reference statement does not elaborate: {why}")
                env = spec.env
            answer = lease.repl.send(command(body, env), limit)
            if not isinstance(answer, CommandResponse):
                facts.failure = f"the Lean REPL refused the document: {answer.message}"
                return
            facts.diagnostics += [diagnostic(m, line_offset) for m in answer.messages if m.severity != "info"]
            facts.holes += [hole(s, line_offset) for s in answer.sorries]
            facts.completed = not answer.errors()
            if not facts.completed:
                return
            complete = True
            for name in names:
                report = TargetReport(name=name)
                printed = lease.repl.send(command(f"#print axioms {name}", answer.env), limit)
                axioms = axioms_of(printed.messages, name) if isinstance(printed, CommandResponse) else None
                report.found = isinstance(printed, CommandResponse) and not printed.errors()
                complete = complete and (axioms is not None or not report.found)
                report.axioms = axioms or []
                report.disallowed = [a for a in report.axioms if a not in ALLOWED_AXIOMS]
                if self.spec is not None and report.found:
                    code, marker = self.spec.compare_command(name)
                    compared = lease.repl.send(command(code, answer.env), limit)
                    said = [m.data for m in getattr(compared, "messages", []) if m.data.startswith(marker)]
                    complete = complete and bool(said)
                    report.statement_matches = bool(said) and said[0].endswith(" same")
                facts.targets.append(report)
            facts.audit_complete = complete

    def close(self) -> None:
        self.pool.close()


__all__ = ["LeanSession", "LeanSpec", "LeanVerifier", "split_header"]
