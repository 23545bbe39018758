"""The proving agent: stages (automation, SMT, sampling, repair, decomposition) under one budget."""

from lemmata.prover.agent.budget import Budget
from lemmata.prover.agent.language import Problem, ProblemError, ProofLanguage
from lemmata.prover.agent.loop import Agent
from lemmata.prover.agent.result import ProofResult, ProofStatus
from lemmata.prover.agent.run import AgentSettings
from lemmata.prover.agent.trace import Trace

__all__ = ["Agent", "AgentSettings", "Budget", "Problem", "ProblemError", "ProofLanguage", "ProofResult", "ProofStatus", "Trace"]
