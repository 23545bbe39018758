"""Lean checks through LeanDojo's ``Dojo``: a theorem of a traced repository, its proof run tactic by tactic.

LeanDojo (``lean-dojo`` on PyPI, the optional extra ``lemmata[leandojo]``)
replaces a theorem's proof inside its own file and repository and runs
tactics against its goals, so the statement checked is the repository's own,
in its own context. Problems written by ``lemmata suite lean-repo`` carry
where their theorem lives in a first comment line (``METADATA``); a proof of
such a problem is checked by opening a ``Dojo`` on that theorem and running
the proof's top-level tactic steps one after another: accepted when the
last step finishes the proof. The source scan (``dsl/lean/source.py``)
refuses what the REPL path refuses, before anything runs; ``sorry`` makes
LeanDojo give up. LeanDojo does not list the axioms a proof uses, so the
result says so.

Nothing here has met a real LeanDojo (no Lean can be installed on this
project's machines): the integration test runs where LeanDojo and Lean are.
"""

from __future__ import annotations

import importlib.util
import json
import re
import time
from dataclasses import dataclass

from lemmata.dsl.lean.source import LeanSyntaxError, declarations, findings, target_theorem
from lemmata.dsl.text import NoSuchTheorem
from lemmata.verifiers.audit import AuditFacts, judge
from lemmata.verifiers.errors import InputError, ToolMissing
from lemmata.verifiers.interface import Statement, ToolStatus
from lemmata.verifiers.result import CheckResult, Diagnostic, Severity, Span, TargetReport

METADATA = "-- lemmata-leandojo: "
INSTALL = ("pip install 'lemmata[leandojo]' (LeanDojo also needs git, a Lean 4 toolchain through elan, and network "
           "access to fetch the repository the first time)")


@dataclass(frozen=True)
class DojoTheorem:
    """Where a theorem lives: LeanDojo's ``Theorem(LeanGitRepo(url, commit), file_path, full_name)``."""

    url: str
    commit: str
    file_path: str
    full_name: str

    def comment(self) -> str:
        return METADATA + json.dumps({"url": self.url, "commit": self.commit, "file_path": self.file_path,
                                      "full_name": self.full_name}, sort_keys=True)


def theorem_of(text: str) -> DojoTheorem | None:
    """The theorem a suite problem (or a proof of one) names in its metadata line, if it has one."""
    for line in text.splitlines()[:5]:
        if line.startswith(METADATA):
            try:
                data = json.loads(line[len(METADATA):])
                return DojoTheorem(data["url"], data["commit"], data["file_path"], data["full_name"])
            except (ValueError, KeyError, TypeError) as exc:
                raise InputError(f"a malformed LeanDojo metadata line: {exc}") from None
    return None


def dojo_status() -> ToolStatus:
    if importlib.util.find_spec("lean_dojo") is None:
        return ToolStatus("lean", False, detail=f"LeanDojo is not installed: {INSTALL}")
    return ToolStatus("lean", True, "LeanDojo", "lean_dojo")


def require_dojo() -> None:
    if importlib.util.find_spec("lean_dojo") is None:
        raise ToolMissing("LeanDojo (lean_dojo)", INSTALL)


def tactic_steps(text: str, name: str) -> list[tuple[str, int]]:
    """The top-level tactic steps of ``name``'s proof in ``text``, each with its first line (1-based): a line at
    the proof's own indentation starts a step, lines indented further belong to it."""
    try:
        decls = declarations(text)
        target = target_theorem(text, name)
    except (LeanSyntaxError, NoSuchTheorem) as exc:
        raise InputError(str(exc)) from None
    end = min((d.start for d in decls if d.start > target.start), default=len(text))
    rest = text[target.body_start:end] if target.body_start is not None else ""
    by = re.match(r"\s*by\b", rest)
    if by is None:
        raise InputError(f"{name}: LeanDojo runs tactic proofs; this proof is not a `by` block")
    first = text.count("\n", 0, target.body_start + by.end()) + 1
    lines = [(first + i, line.expandtabs(2)) for i, line in enumerate(rest[by.end():].split("\n"))]
    lines = [(n, line) for n, line in lines if line.strip() and not line.strip().startswith("--")]
    ends = next((i for i, (n, line) in enumerate(lines) if n != first and not line[:1].isspace()), len(lines))
    lines = lines[:ends]  # a line at column 0 is the next command (`end`, `section`, a declaration)
    if not lines:
        raise InputError(f"{name}: the proof has no tactic")
    same_line = lines[0][0] == first
    indents = [len(line) - len(line.lstrip()) for n, line in lines if not (same_line and n == first)]
    base = min(indents, default=0)
    steps: list[tuple[str, int]] = []
    for n, line in lines:
        indent = len(line) - len(line.lstrip())
        continues = line.strip().startswith(("|", "<;>"))  # match alternatives, combinator tails: the same step
        if not steps or (n == first) or (indent <= base and not continues):
            steps.append((line.strip(), n))
        else:
            steps[-1] = (steps[-1][0] + "\n" + line[base:].rstrip(), steps[-1][1])
    return steps


def dojo_check(verifier, text: str, *, statement: Statement | None = None, theorem: str | None = None,
               timeout: float | None = None) -> CheckResult:
    started = time.monotonic()
    facts = AuditFacts(language="lean", checker="lean via LeanDojo")
    where = theorem_of(statement.text if statement is not None else text) or theorem_of(text)
    if where is None:
        raise InputError("LeanDojo checks theorems of a traced repository: the problem must come from "
                         "`lemmata suite lean-repo` (its first line names the theorem)")
    name = where.full_name.split(".")[-1] if theorem is None else theorem
    found = [f for f in findings(text, "", verifier.config.allow) if f.kind != "hole"]
    if found:
        facts.findings = [f"uses '{f.what}'" for f in found]
        facts.not_run = "LeanDojo was not run on it: the source scan refuses what it uses"
        return judge(facts)
    steps = tactic_steps(text, name)
    import lean_dojo  # noqa: PLC0415 - the optional extra, loaded only for this checker

    repo = lean_dojo.LeanGitRepo(where.url, where.commit)
    dojo_theorem = lean_dojo.Theorem(repo, where.file_path, where.full_name)
    report = TargetReport(name=where.full_name, found=True, statement_matches=True)
    try:
        with lean_dojo.Dojo(dojo_theorem, timeout=int(timeout or verifier.config.timeout)) as (dojo, state):
            for step, line in steps:
                state = dojo.run_tac(state, step)
                if isinstance(state, lean_dojo.ProofFinished):
                    break
                if isinstance(state, (lean_dojo.LeanError, lean_dojo.ProofGivenUp)):
                    message = getattr(state, "error", None) or "the proof gives up (sorry)"
                    facts.diagnostics.append(Diagnostic(severity=Severity.ERROR, message=str(message),
                                                        span=Span(line=line, column=1, end_line=line, end_column=1)))
                    break
            facts.completed = isinstance(state, lean_dojo.ProofFinished)
            if not facts.completed and not facts.diagnostics:
                facts.diagnostics.append(Diagnostic(severity=Severity.ERROR,
                                                    message=f"unsolved goals after the last step:\n{state}"))
    except lean_dojo.DojoInitError as exc:
        facts.failure = f"LeanDojo could not open {where.full_name}: {exc}"
    except lean_dojo.DojoCrashError as exc:
        facts.failure = f"LeanDojo crashed: {exc}"
    except lean_dojo.DojoHardTimeoutError:
        facts.timed_out = True
    facts.targets = [report]
    facts.audit_complete = True  # the statement is the repository's own; LeanDojo lists no axioms
    facts.seconds = time.monotonic() - started
    return judge(facts)


__all__ = ["DojoTheorem", "INSTALL", "METADATA", "dojo_check", "dojo_status", "require_dojo", "tactic_steps",
           "theorem_of"]
