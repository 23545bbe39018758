"""The audit policy turns facts into verdicts the same way for every language."""

from lemmata.verifiers.audit import AuditFacts, headline, judge
from lemmata.verifiers.result import Diagnostic, Hole, Severity, Span, TargetReport, Verdict

SPAN = Span(line=3, column=1, end_line=3, end_column=5)


def facts(**kw) -> AuditFacts:
    base = dict(language="coq", checker="coq test", completed=True, audit_complete=True,
                targets=[TargetReport(name="t", found=True, statement_matches=True)])
    base.update(kw)
    return AuditFacts(**base)


def test_clean_run_is_accepted():
    result = judge(facts())
    assert result.verdict is Verdict.ACCEPTED and result.reasons == []


def test_every_refusal_is_named():
    cases = {
        "unfinished proof": facts(holes=[Hole(kind="admit", span=SPAN)]),
        "not defined": facts(targets=[TargetReport(name="t")]),
        "exactly the reference": facts(targets=[TargetReport(name="t", found=True, statement_matches=False)]),
        "outside the allow-list": facts(targets=[TargetReport(name="t", found=True, disallowed=["ax"])]),
        "did not all answer": facts(audit_complete=False),
        "no theorem": facts(targets=[]),
        "declares": facts(findings=["line 2: declares a new assumption (Axiom a)"]),
        "checker error at line 3": facts(completed=False,
                                         diagnostics=[Diagnostic(severity=Severity.ERROR, message="boom", span=SPAN)]),
    }
    for needle, case in cases.items():
        result = judge(case)
        assert result.verdict is Verdict.REJECTED, needle
        assert any(needle in r for r in result.reasons), (needle, result.reasons)


def test_timeout_and_failure_take_precedence():
    assert judge(facts(timed_out=True)).verdict is Verdict.TIMEOUT
    assert judge(facts(failure="killed")).verdict is Verdict.ERROR


def test_headline_skips_coq_environment_block():
    msg = 'In environment\nx, y : R\nH : x = 1\nThe term "H" has type "x = 1" while it is expected to have type "y = 1".'
    assert headline(msg).startswith('The term "H"')
