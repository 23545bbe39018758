"""Lean 4 source text read without running Lean."""
