"""A language that exists only in tests: its checker accepts a text whose last line is ``qed``.

It shows that adding a language is one table entry: registered, it is read
by ``lemmata.check``, the CLI, `doctor` and the bench suites with no other change.
"""

from __future__ import annotations

from lemmata.prover.languages import LanguageEntry
from lemmata.verifiers.interface import Session, Statement, ToolStatus, Verifier
from lemmata.verifiers.result import CheckResult, Verdict

ENTRY = LanguageEntry("toy", "Toy", (".toy",), aliases=("toylang",), verifier="toy_language:ToyVerifier",
                      enables="toy proofs")


def _judge(text: str) -> CheckResult:
    accepted = text.strip().splitlines()[-1].strip() == "qed"
    return CheckResult(verdict=Verdict.ACCEPTED if accepted else Verdict.REJECTED, language="toy", checker="toy 1.0",
                       reasons=[] if accepted else ["the last line is not qed"])


class ToySession(Session):
    def check(self, attempt: str, *, theorem: str | None = None, timeout: float | None = None) -> CheckResult:
        return _judge(attempt)

    def close(self) -> None:
        pass


class ToyVerifier(Verifier):
    language = "toy"

    def status(self) -> ToolStatus:
        return ToolStatus("toy", True, "1.0")

    def require(self) -> None:
        pass

    def check(self, text: str, *, statement: Statement | None = None, theorem: str | None = None,
              timeout: float | None = None) -> CheckResult:
        return _judge(text)

    def session(self, header: str = "", *, statement: Statement | None = None) -> Session:
        return ToySession()
