"""The proving agent: stages (automation, SMT, sampling, repair, decomposition) under one budget."""

from prover.agent.budget import Budget
from prover.agent.language import Problem, ProblemError, ProofLanguage
from prover.agent.loop import Agent, language_for
from prover.agent.result import ProofResult, ProofStatus
from prover.agent.run import AgentSettings
from prover.agent.trace import Trace

__all__ = ["Agent", "AgentSettings", "Budget", "Problem", "ProblemError", "ProofLanguage", "ProofResult", "ProofStatus", "Trace",
           "language_for"]
