"""Lemmata's prover layer: LLM clients, the proving agent, the CLI and the daemon."""
