"""Lemmata's prover layer: LLM clients, the proving agent, step verification, the CLI and the daemon."""


def verify_steps(problem, steps, *, context=None, timeout=10.0, llm=None):
    """Check each step of a reasoning chain; see ``prover.steps.verify_steps``."""
    from prover.steps import verify_steps as _verify_steps

    return _verify_steps(problem, steps, context=context, timeout=timeout, llm=llm)


__all__ = ["verify_steps"]
