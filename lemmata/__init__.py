"""Lemmata: prove theorems and verify programs by pairing LLMs with real checkers.

The public API::

    import lemmata

    result = lemmata.check("proof.v", statement="problem.v")        # CheckResult
    proof = lemmata.prove("problem.v", base_url="http://localhost:8000/v1", model="m")  # ProofResult
    verdict = lemmata.smt("problem.lean")                            # SmtResult
    report = lemmata.verify_steps("If 2x + 3 = 11, what is x?", ["2x = 8", "x = 4"])  # ChainReport
    with lemmata.StepChecker(workers=4) as checker:                  # batches, worker processes kept
        reports = checker.verify_many([{"problem": p, "steps": s} for p, s in chains])

    with lemmata.SessionPool() as pool:                              # many checks: warm checkers
        results = [lemmata.check(p, sessions=pool) for p in proofs]

Each function returns the object its command prints with ``--json`` and raises
``LemmataError`` (with a sentence a user can act on) for usage errors.
Subpackages, lowest layer first: ``lemmata.dsl`` (statement IR, parsers,
sketches), ``lemmata.verifiers`` (checkers and solvers), ``lemmata.prover``
(LLM clients, the agent, the language table), ``lemmata.benchmarks`` (suites,
runner, reports), ``lemmata.cli`` (the command line). Names are loaded on
first use, so ``import lemmata`` stays cheap.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

__version__ = "0.1.0"

_EXPORTS = {
    "check": "lemmata.prover.api",
    "prove": "lemmata.prover.api",
    "smt": "lemmata.prover.api",
    "smtlib": "lemmata.prover.api",
    "verify_steps": "lemmata.prover.steps",
    "CheckResult": "lemmata.verifiers.result",
    "Verdict": "lemmata.verifiers.result",
    "Diagnostic": "lemmata.verifiers.result",
    "Statement": "lemmata.verifiers.interface",
    "SessionPool": "lemmata.verifiers.warm",
    "ProofResult": "lemmata.prover.agent.result",
    "ProofStatus": "lemmata.prover.agent.result",
    "StageRecord": "lemmata.prover.agent.result",
    "Budget": "lemmata.prover.agent.budget",
    "SmtResult": "lemmata.verifiers.smt.backend",
    "SmtVerdict": "lemmata.verifiers.smt.backend",
    "ChainReport": "lemmata.prover.steps",
    "ChainScore": "lemmata.prover.steps",
    "StepChecker": "lemmata.prover.steps",
    "StepReport": "lemmata.prover.steps",
    "ClaimReport": "lemmata.prover.steps",
    "LemmataError": "lemmata.verifiers.errors",
    "InputError": "lemmata.verifiers.errors",
    "ToolMissing": "lemmata.verifiers.errors",
    "UnknownLanguage": "lemmata.verifiers.errors",
    "LANGUAGES": "lemmata.prover.languages",
    "Client": "lemmata.daemon.client",
    "ClientError": "lemmata.daemon.client",
}

if TYPE_CHECKING:
    from lemmata.daemon.client import Client, ClientError
    from lemmata.prover.agent.budget import Budget
    from lemmata.prover.agent.result import ProofResult, ProofStatus, StageRecord
    from lemmata.prover.api import check, prove, smt, smtlib
    from lemmata.prover.languages import LANGUAGES
    from lemmata.prover.steps import ChainReport, ChainScore, ClaimReport, StepChecker, StepReport, verify_steps
    from lemmata.verifiers.errors import InputError, LemmataError, ToolMissing, UnknownLanguage
    from lemmata.verifiers.interface import Statement
    from lemmata.verifiers.result import CheckResult, Diagnostic, Verdict
    from lemmata.verifiers.smt.backend import SmtResult, SmtVerdict
    from lemmata.verifiers.warm import SessionPool


def __getattr__(name: str) -> Any:
    module = _EXPORTS.get(name)
    if module is None:
        raise AttributeError(f"module 'lemmata' has no attribute {name!r}")
    value = getattr(importlib.import_module(module), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted([*globals(), *_EXPORTS])


__all__ = sorted(_EXPORTS)
