"""Picking the backend for a language: the only place that branches on it."""

from __future__ import annotations

from verifiers.coq import CoqVerifier
from verifiers.errors import UnknownLanguage
from verifiers.interface import Verifier

_PLANNED = {
    "dafny": "Dafny support is not in this version yet",
    "fstar": "F* support is not in this version yet",
}


def verifier_for(language: str) -> Verifier:
    if language == "coq":
        return CoqVerifier()
    if language == "lean":
        from verifiers.lean.backend import LeanVerifier

        return LeanVerifier()
    if language in _PLANNED:
        raise UnknownLanguage(f"{_PLANNED[language]}; supported now: coq (.v), lean (.lean)")
    raise UnknownLanguage(f"unknown language {language!r}; supported now: coq (.v), lean (.lean)")
