"""One-shot checks: the whole script in one generated file, compiled by one coqc process.

The checked text is copied verbatim onto its own lines of the generated file,
so coqc's ``File ..., line L, characters A-B`` maps back to the user's file by
a fixed line offset.
"""

from __future__ import annotations

import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

from lemmata.verifiers.audit import AuditFacts, judge
from lemmata.verifiers.coq.config import CoqConfig
from lemmata.verifiers.coq.messages import RawMessage, parse_messages
from lemmata.verifiers.coq.script import UNFINISHED, CoqScript, SpecBlock
from lemmata.verifiers.coq.source import CheckedText, span_of
from lemmata.verifiers.errors import InputError
from lemmata.verifiers.process import run
from lemmata.verifiers.result import CheckResult, Diagnostic, Severity


@dataclass(frozen=True)
class _Layout:
    """Where each part of the generated file lies (1-based line numbers)."""

    spec_lines: range
    text_first_line: int
    text_lines: range
    epilogue_line: int


def render(script: CoqScript, text: str, targets: list[str]) -> tuple[str, _Layout]:
    lines: list[str] = []

    def add(chunk: str) -> range:
        first = len(lines) + 1
        lines.extend(chunk.split("\n"))
        return range(first, len(lines) + 1)

    prologue = script.prologue()
    spec_lines = add("\n".join(prologue[:-1])) if len(prologue) > 1 else range(0)
    add(prologue[-1])
    text_lines = add(text)
    epilogue = add(script.epilogue())
    add("\n".join(script.audit_commands(targets)))
    return "\n".join(lines) + "\n", _Layout(spec_lines, text_lines.start, text_lines, epilogue.start)


def check_with_coqc(config: CoqConfig, checker: str, text: str, *, spec: SpecBlock | None,
                    theorem: str | None, timeout: float) -> CheckResult:
    started = time.monotonic()
    checked = CheckedText.read(text)
    targets = checked.targets(theorem, spec.theorem if spec else None)
    facts = AuditFacts(language="coq", checker=checker, holes=checked.holes(), findings=checked.findings())
    if checked.syntax_error is not None:
        facts.diagnostics.append(checked.syntax_error)
        facts.seconds = time.monotonic() - started
        return judge(facts)
    script = CoqScript(spec=spec)
    script.guard(text)
    source, layout = render(script, text, targets)
    with tempfile.TemporaryDirectory(prefix="lemmata-coq-") as tmp:
        path = Path(tmp) / f"Check_{script.nonce}.v"
        path.write_text(source, encoding="utf-8")
        done = run([config.coqc, "-q", *config.flags, path.name], timeout=timeout, cwd=Path(tmp),
                   memory_mb=config.memory_mb)
    facts.seconds = time.monotonic() - started
    if done.timed_out:
        facts.timed_out = True
        return judge(facts)
    output = done.stdout + "\n" + done.stderr
    audit_failed = False
    for message in parse_messages(output):
        if message.line is None:
            continue
        if message.line in layout.spec_lines:
            if message.severity is not Severity.ERROR:
                continue  # e.g. Coq's warning about large nat literals: the statement is fine
            raise InputError(f"the reference statement does not elaborate: {message.text}")
        diagnostic = _locate(message, layout, checked)
        if message.line > layout.epilogue_line:
            audit_failed = audit_failed or message.severity is Severity.ERROR
            continue
        facts.diagnostics.append(diagnostic)
    has_error = any(d.severity is Severity.ERROR for d in facts.diagnostics)
    if done.returncode != 0 and not has_error and not audit_failed:
        if done.killed_by_memory:
            facts.failure = "coqc ran out of memory or was killed"
        else:
            facts.failure = f"coqc exited with status {done.returncode}: {(done.stderr or done.stdout).strip()[:500]}"
        return judge(facts)
    facts.completed = not has_error
    if facts.completed:
        facts.targets, facts.audit_complete = script.read_audit(done.stdout, targets, config.allowed_axioms)
    return judge(facts)


def _locate(message: RawMessage, layout: _Layout, checked: CheckedText) -> Diagnostic:
    if message.line in layout.text_lines and message.start is not None:
        user_line = message.line - layout.text_first_line + 1
        start = checked.index.offset_of_byte(user_line, message.start)
        end = checked.index.offset_of_byte(user_line, message.end or message.start)
        span = span_of(checked.index, start, end)
        text = message.text
    else:
        # The closing of the proof module: an unfinished proof or an open section.
        span = checked.end_span()
        text = f"at the end of the document: {UNFINISHED if 'Open proofs remain' in message.text else message.text}"
    return Diagnostic(severity=message.severity, message=text, span=span)
