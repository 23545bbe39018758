"""A Lean session whose checks go to a Kimina Lean Server: the local session's scan and audit, one snippet a check.

The source scan, the reference statement under a nonce, the comparison of
the theorems and ``#print axioms`` are the local session's (``backend.py``);
only the way they reach Lean differs: one snippet holding them all, its
messages attributed to each part by line (``kimina.Snippet``).
"""

from __future__ import annotations

from lemmata.verifiers.audit import AuditFacts
from lemmata.verifiers.errors import InputError
from lemmata.verifiers.interface import Statement
from lemmata.verifiers.lean.backend import LeanSession
from lemmata.verifiers.lean.interface import CommandResponse, ReplError
from lemmata.verifiers.lean.kimina import KiminaClient, Snippet
from lemmata.verifiers.lean.messages import ALLOWED_AXIOMS, axioms_of, diagnostic, hole
from lemmata.verifiers.result import TargetReport


class KiminaSession(LeanSession):
    def __init__(self, verifier, header: str, statement: Statement | None, client: KiminaClient) -> None:
        super().__init__(verifier, header, statement, pool=None)
        self.client = client

    def _run(self, body: str, line_offset: int, names: list[str], limit: float, facts: AuditFacts) -> None:
        snippet = Snippet(self.repl_header)
        spec = snippet.add("spec", self.spec.text) if self.spec is not None else None
        proof = snippet.add("proof", body)
        axioms = {name: snippet.add(f"axioms {name}", f"#print axioms {name}") for name in names}
        compares = {}
        if self.spec is not None:
            for name in names:
                code, marker = self.spec.compare_command(name)
                compares[name] = (snippet.add(f"compare {name}", code), marker)
        answer = self.client.check(snippet.code, limit)
        if answer.timed_out:
            facts.timed_out = True
            return
        if answer.error is not None:
            facts.failure = f"the Kimina Lean Server could not check it: {answer.error}"
            return
        response = answer.response
        if isinstance(response, ReplError) or not isinstance(response, CommandResponse):
            facts.failure = f"the Lean REPL behind the Kimina server refused the document: " \
                            f"{getattr(response, 'message', response)}"
            return
        if spec is not None:
            errors = [m for m in snippet.of(response, spec)[0] if m.severity == "error"]
            if errors:
                raise InputError(f"the reference statement does not elaborate: {errors[0].data}")
        messages, sorries = snippet.of(response, proof)
        sorries += [s for s in response.sorries if s.pos is None]  # tactic-mode sorries carry no position
        facts.diagnostics += [diagnostic(m, line_offset) for m in messages if m.severity != "info"]
        facts.holes += [hole(s, line_offset) for s in sorries]
        facts.completed = not any(m.severity == "error" for m in messages)
        if not facts.completed:
            return
        complete = True
        for name in names:
            report = TargetReport(name=name)
            printed = snippet.of(response, axioms[name])[0]
            listed = axioms_of(printed, name)
            report.found = not any(m.severity == "error" for m in printed)
            complete = complete and (listed is not None or not report.found)
            report.axioms = listed or []
            report.disallowed = [a for a in report.axioms if a not in ALLOWED_AXIOMS]
            if name in compares and report.found:
                part, marker = compares[name]
                said = [m.data for m in snippet.of(response, part)[0] if m.data.startswith(marker)]
                complete = complete and bool(said)
                report.statement_matches = bool(said) and said[0].endswith(" same")
            facts.targets.append(report)
        facts.audit_complete = complete

    def close(self) -> None:
        pass  # the client belongs to the verifier: one connection pool for every session


__all__ = ["KiminaSession"]
