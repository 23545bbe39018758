"""Coq/Rocq backend: one-shot checks with coqc, warm sessions over coqtop, and the audit."""

from verifiers.coq.backend import CoqVerifier
from verifiers.coq.config import CoqConfig

__all__ = ["CoqConfig", "CoqVerifier"]
