"""Coq/Rocq backend: one-shot checks with coqc, warm sessions over coqtop, and the audit."""

from lemmata.verifiers.coq.backend import CoqVerifier
from lemmata.verifiers.coq.config import CoqConfig

__all__ = ["CoqConfig", "CoqVerifier"]
