"""The Lean 4 ``Verifier``: documents checked through the REPL, with the same audit as every backend.

A document's ``import`` lines are its header: the pool elaborates them once
per REPL process and every check starts from that environment, so nothing
from one attempt is visible to the next (REPL environments are immutable
snapshots). The text is first scanned for what a proof never needs and the
audit refuses (``dsl/lean/source.py``: holes aside, anything found stops the
check before Lean runs the text). With a reference statement, whose imports
must be the document's, the problem's preamble and theorem are elaborated
first, inside a namespace of their own under a nonce (so the proof may
declare the same definitions; notations are made local to it), before the
proof is sent; after the proof, Lean compares the two theorems' types
(``Expr`` equality after mapping the namespace away, so notations, shadowing
and coercions the proof introduced cannot pass), requires every definition of
the preamble to have the same type and value in the proof, and lists the
target's axioms (``#print axioms``: only ``propext``, ``Classical.choice``,
``Quot.sound``). The comparison needs Lean's meta API: a header that does not
bring it (no ``Lean``, ``Mathlib``, ``Batteries`` or ``Aesop`` import) gets
``import Lean`` added.

These REPL answers run inside the candidate's own environment; they are the
fast path for search and repair. ``LeanVerifier.check``, the final word,
accepts only what the trusted check (``trusted.py``) also accepts.
"""

from __future__ import annotations

import functools
import re
import secrets
import subprocess
import threading
import time

from lemmata.dsl.lean.source import LeanSyntaxError, declarations, declared_names, findings, target_theorem
from lemmata.dsl.text import NoSuchTheorem
from lemmata.dsl.text import LineIndex
from lemmata.verifiers.audit import AuditFacts, judge
from lemmata.verifiers.errors import InputError, ToolMissing
from lemmata.verifiers.interface import Session, Statement, ToolStatus, Verifier
from lemmata.verifiers.lean.config import CHECKERS, INSTALL_HINT, LeanConfig
from lemmata.verifiers.lean.interface import CommandResponse, command
from lemmata.verifiers.lean.messages import ALLOWED_AXIOMS, axioms_of, diagnostic, hole
from lemmata.verifiers.lean.pool import HeaderError, ReplPool
from lemmata.verifiers.lean.repl import ReplDied, ReplProtocolError, ReplTimeout
from lemmata.verifiers.lean.trusted import NOT_BUILT, TrustedCheck
from lemmata.verifiers.result import CheckResult, Diagnostic, Severity, TargetReport, Verdict

_IMPORT = re.compile(r"(?m)^import\s+\S.*$")
_META_IMPORT = re.compile(r"(?m)^import\s+(Lean|Mathlib|Batteries|Aesop)\b")
_NOTATION_COMMAND = re.compile(r"(?m)^([ \t]*(?:@\[[^\]]*\][ \t]*)?)(?=(?:notation|infixl?|infixr|prefix|postfix)\b)")


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


def _line_at(text: str, offset: int) -> str:
    start = text.rfind("\n", 0, offset) + 1
    end = text.find("\n", offset)
    return " ".join(text[start: end if end >= 0 else len(text)].split())


def imports_of(header: str) -> list[str]:
    """The modules ``header`` imports, in order."""
    return [line.split(None, 1)[1].strip() for line in header.splitlines() if _IMPORT.match(line)]


def with_meta_api(header: str) -> str:
    """``header``, with ``import Lean`` first when nothing it imports brings Lean's meta API."""
    return header if _META_IMPORT.search(header) else "import Lean\n" + header


class LeanSpec:
    """The reference theorem and the preamble it needs, ready to be elaborated in a namespace of their own."""

    def __init__(self, statement: Statement) -> None:
        header, body, _ = split_header(statement.text)
        try:
            target = target_theorem(body, statement.theorem)
            preamble = body[: target.start]
            self.preamble_names = declared_names(preamble)
        except (LeanSyntaxError, NoSuchTheorem) as exc:
            raise InputError(f"{statement.origin}: {exc}") from None
        self.header = header
        self.preamble_lines = {" ".join(line.split()) for line in preamble.splitlines() if line.strip()}
        self.theorem = target.name
        self.nonce = secrets.token_hex(6)
        self.namespace = f"LemmataSpec_{self.nonce}"
        self.name = f"lemmata_spec_{self.nonce}"
        start, end = target.signature_span
        self.signature = body[start:end].strip()
        # What precedes the theorem (open, variable, set_option, definitions) shapes its meaning, so it goes
        # along; in a namespace of its own so the proof can declare the same names, with its notations local
        # to that namespace so they cannot clash with the proof's own copies.
        self.text = (f"namespace {self.namespace}\n" + _NOTATION_COMMAND.sub(r"\1local ", preamble)
                     + f"theorem {self.name} {self.signature} := sorry\n\nend {self.namespace}\n")

    def compare_command(self, target: str) -> tuple[str, str]:
        """A command whose info message ``MARKER same|differ|missing`` compares the proof with the spec."""
        marker = f"lemmata-compare-{self.nonce}"
        ns = self.namespace
        # name literals, not String.toName: they read «»-escaped components as Lean's parser does
        pairs = ", ".join([f"(`{ns}.{self.name}, `{target})", *(f"(`{ns}.{n}, `{n})" for n in self.preamble_names)])
        code = (
            "open Lean in\n"
            "run_meta do\n"
            "  let env ← getEnv\n"
            f"  let ns := `{ns}\n"
            "  let strip : Name → Name := fun n => n.replacePrefix ns .anonymous\n"
            "  let rename : Expr → Expr := fun e => e.replace fun\n"
            "    | .const n us => if ns.isPrefixOf n then some (.const (strip n) us) else none\n"
            "    | _ => none\n"
            "  let same : ConstantInfo → ConstantInfo → Bool := fun s p =>\n"
            "    rename s.type == p.type && s.levelParams == p.levelParams && match s, p with\n"
            "      | .thmInfo _, .thmInfo _ => true\n"
            "      | .inductInfo si, .inductInfo pi => si.ctors.map strip == pi.ctors && si.numParams == pi.numParams\n"
            "      | _, _ => s.value?.map rename == p.value?\n"
            f"  let mut todo : List (Name × Name) := [{pairs}]\n"
            '  let mut verdict := "same"\n'
            '  while verdict == "same" do\n'
            "    match todo with\n"
            "    | [] => break\n"
            "    | (s, p) :: rest =>\n"
            "      todo := rest\n"
            "      match env.find? s, env.find? p with\n"
            "      | some si, some pi =>\n"
            '        if !same si pi then verdict := "differ"\n'
            "        else if let .inductInfo ind := si then todo := todo ++ ind.ctors.map (fun c => (c, strip c))\n"
            '      | _, _ => verdict := "missing"\n'
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
        if self.config.checker not in CHECKERS:
            raise InputError(f"unknown Lean checker {self.config.checker!r}; use one of {', '.join(CHECKERS)}")
        self._kimina_client = None
        self._client_lock = threading.Lock()
        self._healthy_until = 0.0

    # ---- where checks go: the local REPL pool (default), a Kimina Lean Server, LeanDojo ---------------------

    def _kimina(self):
        from lemmata.verifiers.lean.kimina import KiminaClient

        if self.config.kimina_url is None:
            raise InputError("--lean-checker kimina needs the server's URL: --lean-url URL or LEMMATA_KIMINA_URL")
        with self._client_lock:  # one client, so one bound on requests in flight, however many threads check
            if self._kimina_client is None:
                self._kimina_client = KiminaClient(self.config.kimina_url, api_key=self.config.kimina_api_key,
                                                   in_flight=self.config.kimina_in_flight)
        return self._kimina_client

    def _remote_status(self) -> ToolStatus | None:
        if self.config.checker == "kimina":
            from lemmata.verifiers.lean.kimina import KiminaUnavailable

            try:
                health = self._kimina().health()
            except (KiminaUnavailable, InputError) as exc:
                return ToolStatus("lean", False, detail=str(exc))
            return ToolStatus("lean", True, f"Kimina Lean Server ({health})", self.config.kimina_url or "")
        if self.config.checker == "dojo":
            from lemmata.verifiers.lean.dojo import dojo_status

            return dojo_status()
        return None

    def status(self) -> ToolStatus:
        if (remote := self._remote_status()) is not None:
            return remote
        if not self.config.available():
            return ToolStatus("lean", False, detail=INSTALL_HINT)
        version = _version(self.config.command, str(self.config.project))
        return ToolStatus("lean", True, version or "unknown", " ".join(self.config.command))

    @property
    def checker(self) -> str:
        if self.config.checker == "kimina":
            return f"lean via Kimina Lean Server at {self.config.kimina_url} (REPL audit)"
        return f"lean {_version(self.config.command, str(self.config.project)) or '?'}"

    def require(self) -> None:
        if self.config.checker == "kimina":
            if time.monotonic() > self._healthy_until:  # one health check a minute, not one per proof
                self._kimina().health()
                self._healthy_until = time.monotonic() + 60
            return
        if self.config.checker == "dojo":
            from lemmata.verifiers.lean.dojo import require_dojo

            require_dojo()
            return
        if not self.config.available():
            raise ToolMissing(f"the Lean 4 REPL ({' '.join(self.config.command)})", INSTALL_HINT)

    def check(self, text: str, *, statement: Statement | None = None, theorem: str | None = None,
              timeout: float | None = None) -> CheckResult:
        """The final word on one document: the REPL's audit, then the trusted check outside its environment.

        Sessions (``session``) give the REPL's answer only: the fast path for search and repair.
        """
        self.require()
        if self.config.checker == "dojo":
            from lemmata.verifiers.lean.dojo import dojo_check

            return dojo_check(self, text, statement=statement, theorem=theorem, timeout=timeout)
        header, body, offset = split_header(text)
        if self.config.checker == "kimina":
            # the REPL audit is the final word here: the trusted check needs a local Lean (README, "Lean 4")
            with self.session(header, statement=statement) as session:
                return session.check_body(body, offset, theorem, timeout)
        with LeanSession(self, header, statement, ReplPool(self.config)) as session:
            result = session.check_body(body, offset, theorem, timeout)
        if not result.accepted:
            return result
        trusted = TrustedCheck(self.config)
        if not trusted.available():
            return result.model_copy(update={"verdict": Verdict.REJECTED, "reasons": [NOT_BUILT]})
        verdicts = trusted.check(text, statement.text if statement is not None else None,
                                 [t.name for t in result.targets], timeout or self.config.timeout)
        reasons = []
        for target in result.targets:
            verdict = verdicts[target.name]
            reasons += verdict.reasons if not verdict.accepted else []
            target.axioms = verdict.axioms or target.axioms
        if reasons:
            return result.model_copy(update={"verdict": Verdict.REJECTED, "reasons": reasons})
        return result.model_copy(update={"checker": f"{result.checker} + lemmata-check"})

    def session(self, header: str = "", *, statement: Statement | None = None) -> LeanSession:
        """A warm session with REPL processes of its own (up to ``LEMMATA_LEAN_POOL``), stopped by ``close``; with
        the Kimina checker, one whose checks go to the server."""
        self.require()
        if self.config.checker == "kimina":
            from lemmata.verifiers.lean.kimina_session import KiminaSession

            return KiminaSession(self, header, statement, self._kimina())
        if self.config.checker == "dojo":
            raise InputError("LeanDojo checks whole proofs of a traced repository's theorems (lemmata check); "
                             "it has no warm sessions: use --lean-checker repl or kimina to search")
        return LeanSession(self, header, statement, ReplPool(self.config))


class LeanSession(Session):
    def __init__(self, verifier: LeanVerifier, header: str, statement: Statement | None,
                 pool: ReplPool | None) -> None:
        self.verifier = verifier
        self.header = header if header.endswith("\n") or not header else header + "\n"
        self.spec = LeanSpec(statement) if statement is not None else None
        # the REPL's header: the comparison of the spec with the proof needs Lean's meta API
        self.repl_header = with_meta_api(self.header) if self.spec is not None else self.header
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
            found = findings(body, self.spec.signature if self.spec else "", self.verifier.config.allow)
            decls = declarations(body)
        except LeanSyntaxError as exc:
            facts.diagnostics.append(Diagnostic(severity=Severity.ERROR, message=str(exc)))
            facts.seconds = time.monotonic() - started
            return judge(facts)
        for finding in found:
            if finding.kind == "hole":  # holes are reported by Lean itself, with their goals
                continue
            if finding.kind == "notation" and self.spec is not None and _line_at(body, finding.offset) in \
                    self.spec.preamble_lines:
                continue  # the problem's own notation, copied: it means what the statement means
            line = lines.position(finding.offset).line + line_offset
            facts.findings.append(f"uses '{finding.what}' at line {line}")
        if self.spec is not None and imports_of(self.spec.header) != imports_of(self.header):
            facts.findings.append(f"the document imports {', '.join(imports_of(self.header)) or 'nothing'} but the "
                                  f"statement imports {', '.join(imports_of(self.spec.header)) or 'nothing'}")
        if facts.findings:  # refused before Lean runs any of it: the text may be built to fool the audit
            facts.not_run = "Lean was not run on it: the source scan refuses what it uses"
            facts.seconds = time.monotonic() - started
            return judge(facts)
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
        with self.pool.lease(self.repl_header) as lease:
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


__all__ = ["LeanSession", "LeanSpec", "LeanVerifier", "imports_of", "split_header", "with_meta_api"]
