"""The functions ``import lemmata`` offers: check a proof, prove a theorem, decide a statement with SMT.

Each takes a file (``file=``, a path) or source text (``text=`` with
``language=``), with the options of the command of the same name, and
returns the result object that command prints with ``--json``. Usage
errors (missing or unreadable file, unknown language, bad option, missing
checker) raise ``LemmataError`` subclasses with a sentence a user can act on.
"""

from __future__ import annotations

import os
from pathlib import Path

from lemmata.dsl.ir import Unsupported
from lemmata.prover.agent import Budget, ProofResult
from lemmata.prover.agent.trace import Listener
from lemmata.prover.languages import Document, load_document, text_document
from lemmata.prover.llm.client import LLMClient
from lemmata.prover.proving import load_problem, prove_options, prove_problem, write_proof
from lemmata.verifiers.documents import DEFAULT_MAX_BYTES
from lemmata.verifiers.errors import InputError, LemmataError
from lemmata.verifiers.interface import Statement
from lemmata.verifiers.result import CheckResult
from lemmata.verifiers.smt import SmtResult, SmtVerdict, decide
from lemmata.verifiers.smt.smtlib import translate
from lemmata.verifiers.warm import SessionPool

PathLike = str | os.PathLike[str]


def document(file: PathLike | None = None, *, text: str | None = None, language: str | None = None,
             max_bytes: int = DEFAULT_MAX_BYTES) -> Document:
    """The document to work on: the file at ``file``, or ``text`` in ``language``.

    ``language`` overrides the one the file's extension means; it is required with ``text``.
    Raises ``InputError`` (missing, empty, binary, oversized input; unknown language).
    """
    if (file is None) == (text is None):
        raise InputError("give exactly one of a file or text=")
    if file is not None:
        return load_document(Path(file), language=language, max_bytes=max_bytes)
    if language is None:
        raise InputError("text= needs language= (e.g. 'coq' or 'lean')")
    return text_document(text, language, max_bytes=max_bytes)


def check(file: PathLike | None = None, *, text: str | None = None, statement: PathLike | Statement | None = None,
          theorem: str | None = None, language: str | None = None, timeout: float = 60.0,
          max_bytes: int = DEFAULT_MAX_BYTES, sessions: SessionPool | None = None) -> CheckResult:
    """Check a proof with its real checker and audit it, as `lemmata check` does.

    ``statement``: the problem file whose theorem the proof must prove (a path, or a ``Statement``
    holding its text); without it every top-level theorem (or ``theorem``) gets the axiom audit.
    ``sessions``: a ``SessionPool`` whose warm checkers check documents with the same header, for many
    checks in a row; the result is the same as without it, apart from the time it took.
    Returns a ``CheckResult`` (``accepted`` only if the checker accepted and the audit passed).
    Raises ``LemmataError`` for bad input or a missing checker; a rejected proof is a result, not an error.
    """
    if timeout <= 0:
        raise InputError("--timeout must be positive")
    proof = document(file, text=text, language=language, max_bytes=max_bytes)
    reference = statement
    if statement is not None and not isinstance(statement, Statement):
        problem = load_document(Path(statement), language=language or proof.language, max_bytes=max_bytes)
        if problem.language != proof.language:
            raise InputError(f"{statement} is {problem.language} but {proof.name} is {proof.language}")
        reference = Statement(problem.text, theorem, problem.name)
    verifier = proof.entry.make_verifier()
    if sessions is not None:
        verifier.require()
        return sessions.check(verifier, proof.text, statement=reference, theorem=theorem, timeout=timeout)
    return verifier.check(proof.text, statement=reference, theorem=theorem, timeout=timeout)


def smt(file: PathLike | None = None, *, text: str | None = None, language: str | None = None,
        theorem: str | None = None, solver: str = "z3", timeout: float = 10.0) -> SmtResult:
    """Decide a theorem statement with SMT, as `lemmata smt` does.

    ``solver``: ``z3``, ``cvc5`` or ``both`` (a disagreement is an error). Returns an ``SmtResult``:
    ``smt-proved`` (no counterexample exists; never a checker proof), ``disproved`` (with a
    counterexample exact arithmetic confirmed), ``unknown`` or ``unsupported`` (with the reason).
    """
    if timeout <= 0:
        raise InputError("--timeout must be positive")
    if solver not in ("z3", "cvc5", "both"):
        raise InputError(f"unknown solver {solver!r}; use z3, cvc5 or both")
    source = document(file, text=text, language=language)
    try:
        conjecture = _conjecture(source, theorem)
    except Unsupported as exc:
        return SmtResult(verdict=SmtVerdict.UNSUPPORTED, solver=solver, seconds=0.0, reason=exc.reason)
    return decide(conjecture, solver=solver, timeout=timeout)


def smtlib(file: PathLike | None = None, *, text: str | None = None, language: str | None = None,
           theorem: str | None = None) -> str:
    """Returns the SMT-LIB 2 script `lemmata smt --smtlib` prints; raises ``LemmataError`` when it cannot translate."""
    source = document(file, text=text, language=language)
    try:
        return translate(_conjecture(source, theorem)).script
    except Unsupported as exc:
        raise LemmataError(f"cannot translate to SMT-LIB: {exc.reason}") from None


def _conjecture(source: Document, theorem: str | None):
    try:
        return source.entry.read_conjecture(source.text, theorem)
    except ValueError as exc:  # the text itself cannot be split into sentences
        raise InputError(f"{source.name}: {exc}") from None


def prove(file: PathLike | None = None, *, text: str | None = None, language: str | None = None,
          theorem: str | None = None, model: str | None = None, base_url: str | None = None,
          api_key: str | None = None, config: PathLike | None = None, replay: PathLike | None = None,
          no_llm: bool = False, record: PathLike | None = None, samples: int = 4, budget: Budget | str | None = None,
          tactics: str | list[str] | None = None, tactic_timeout: float = 3.0, trace: PathLike | None = None,
          write: bool = False, llm: LLMClient | None = None, listener: Listener | None = None) -> ProofResult:
    """Prove a theorem, as `lemmata prove` does, with the same options under the same names.

    Stages: the automation portfolio, SMT, symbolic splitting, then (with a model: ``model``/``base_url``,
    the environment, ``config``, a ``replay`` file, or an ``llm`` client of your own) whole-proof
    sampling, checker-guided repair and sub-lemma sketches. ``budget`` is a ``Budget`` or text such as
    ``"samples=32,checks=2000,seconds=300"``; ``trace`` is a folder for a JSON Lines record of the run;
    ``write`` saves a proof beside ``file``; ``listener(event, data)`` sees every event as it happens.
    Returns a ``ProofResult``: ``proved`` only when the checker accepted the proof and the audit passed.
    Raises ``LemmataError`` for bad input, a statement that does not check, or a model that cannot be opened.
    """
    source = document(file, text=text, language=language)
    options = prove_options(source.entry, theorem=theorem, model=model, base_url=base_url, api_key=api_key,
                            config=_path(config), replay=_path(replay), no_llm=no_llm, record=_path(record),
                            samples=samples, budget=budget, tactics=tactics, tactic_timeout=tactic_timeout,
                            trace=_path(trace))
    result = prove_problem(load_problem(source, theorem), options, listener=listener, llm=llm)
    if write:
        write_proof(source, result)
    return result


def _path(value: PathLike | None) -> Path | None:
    return Path(value) if value is not None else None


__all__ = ["check", "document", "prove", "smt", "smtlib"]
