"""Picking the backend for a language: the only place that branches on it."""

from __future__ import annotations

from verifiers.coq import CoqVerifier
from verifiers.errors import UnknownLanguage
from verifiers.interface import Verifier

_PLANNED = {
    "lean": "Lean 4 support (the REPL backend) is not in this version yet",
    "dafny": "Dafny support is not in this version yet",
    "fstar": "F* support is not in this version yet",
}


def verifier_for(language: str) -> Verifier:
    if language == "coq":
        return CoqVerifier()
    if language in _PLANNED:
        raise UnknownLanguage(f"{_PLANNED[language]}; supported now: coq (.v)")
    raise UnknownLanguage(f"unknown language {language!r}; supported now: coq (.v)")
