"""Dafny backend: one-shot verification with Dafny 2.x or 4.x, per-member outcomes, the spec-preserving audit."""

from lemmata.verifiers.dafny.backend import DafnyVerifier
from lemmata.verifiers.dafny.config import DafnyConfig

__all__ = ["DafnyConfig", "DafnyVerifier"]
