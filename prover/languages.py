"""The table of proof languages: the one place that says which files are which language and what serves each.

An entry names a language's file extensions and aliases, its checker
(``Verifier``), the agent's adapter (``ProofLanguage``) and the reader that
turns a theorem statement into the IR for SMT. `check`, `smt`, `prove`,
`bench`, `doctor` and the public API all look languages up here, so adding
one means adding an entry (and its modules), nothing else.

Parts are named as ``"module:attribute"`` and imported on first use: `lemmata
check` on a ``.v`` file never loads Lean's backend or the agent.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from lemmata.verifiers.documents import DEFAULT_MAX_BYTES, decode_source, read_source
from lemmata.verifiers.errors import InputError, UnknownLanguage

if TYPE_CHECKING:
    from lemmata.dsl.ir import Conjecture
    from lemmata.prover.agent.language import ProofLanguage
    from lemmata.verifiers.interface import Verifier


def _resolve(reference: str) -> Any:
    module, _, attribute = reference.partition(":")
    return getattr(importlib.import_module(module), attribute)


@dataclass(frozen=True)
class LanguageEntry:
    """One language: how its files are recognised and which modules check, prove and translate it.

    A part given as ``None`` is not built yet; asking for it raises
    ``UnknownLanguage`` with ``planned`` (why) and what is supported now.
    """

    name: str  # the key every result and record carries ("coq", "lean")
    title: str  # how people call it
    extensions: tuple[str, ...]
    aliases: tuple[str, ...] = ()
    verifier: str | None = None  # "module:Class" of its ``Verifier``
    adapter: str | None = None  # "module:Class" of the agent's ``ProofLanguage``
    conjecture_reader: str | None = None  # "module:function" (text, theorem) -> ``Conjecture``
    # "module:function" text -> [(construct, line)]: what reaches outside the document (files, directories,
    # native code); refused in text from strangers (the daemon). None: the checker's own audit covers it.
    outside_scan: str | None = None
    enables: str = ""  # what its checker gives a user, for `lemmata doctor`
    planned: str = ""  # why a missing part is missing

    def make_verifier(self) -> Verifier:
        """A fresh verifier for this language; raises ``UnknownLanguage`` when there is none yet."""
        if self.verifier is None:
            raise UnknownLanguage(f"{self.planned or f'{self.title} has no checker backend'}; "
                                  f"supported now: {_supported('verifier')}")
        return _resolve(self.verifier)()

    def make_adapter(self) -> ProofLanguage:
        """The agent's view of this language; raises ``UnknownLanguage`` when the agent does not handle it."""
        if self.adapter is None:
            raise UnknownLanguage(f"{self.planned or f'the agent does not handle {self.name!r} yet'} "
                                  f"(it handles: {', '.join(e.name for e in LANGUAGES if e.adapter)})")
        return _resolve(self.adapter)()

    def read_conjecture(self, text: str, theorem: str | None = None) -> Conjecture:
        """The theorem of ``text`` in the IR; raises ``Unsupported`` (what it cannot express) or ``UnknownLanguage``."""
        if self.conjecture_reader is None:
            raise UnknownLanguage(f"SMT reads {_supported('conjecture_reader')} statements, not {self.title}")
        reader: Callable[[str, str | None], Conjecture] = _resolve(self.conjecture_reader)
        return reader(text, theorem)

    def refuse_outside_access(self, text: str) -> None:
        """Raise ``InputError`` naming each command of ``text`` that reaches outside the document."""
        if self.outside_scan is None:
            return
        try:
            found = _resolve(self.outside_scan)(text)
        except ValueError as exc:  # the text does not even split into sentences
            raise InputError(f"cannot read the text: {exc}") from None
        if found:
            raise InputError("refused: " + "; ".join(f"'{what}' at line {line} reaches outside the document"
                                                     for what, line in found))


LANGUAGES: list[LanguageEntry] = [
    LanguageEntry(
        "coq", "Coq", (".v",), aliases=("rocq",),
        verifier="lemmata.verifiers.coq:CoqVerifier",
        adapter="lemmata.prover.agent.coq:CoqLanguage",
        conjecture_reader="lemmata.dsl.coq.conjecture:read_coq_conjecture",
        outside_scan="lemmata.dsl.coq.declarations:outside_access",
        enables="lemmata check/prove on .v files (coqc one-shot, coqtop warm sessions)"),
    LanguageEntry(
        "lean", "Lean 4", (".lean",), aliases=("lean4",),
        verifier="lemmata.verifiers.lean.backend:LeanVerifier",
        adapter="lemmata.prover.agent.lean:LeanLanguage",
        conjecture_reader="lemmata.dsl.lean.conjecture:read_lean_conjecture",
        enables="lemmata check/prove on .lean files through the Lean REPL"),
    LanguageEntry(
        "dafny", "Dafny", (".dfy",),
        verifier="lemmata.verifiers.dafny.backend:DafnyVerifier",
        adapter="lemmata.prover.agent.dafny:DafnyLanguage",
        outside_scan="lemmata.dsl.dafny.program:outside_access",
        enables="lemmata check/prove on .dfy files (Dafny 2.x or 4.x, spec-preserving audit, invariant inference)"),
    LanguageEntry(
        "fstar", "F*", (".fst",), aliases=("f*",),
        verifier="lemmata.verifiers.fstar.backend:FStarVerifier",
        adapter="lemmata.prover.agent.fstar:FStarLanguage",
        enables="lemmata check/prove on .fst files (fstar.exe one-shot, warm IDE sessions, SMT fuel/rlimit "
                "schedules)"),
    LanguageEntry(
        "fstar-interface", "F* interface", (".fsti",),
        verifier="lemmata.verifiers.fstar.backend:FStarInterfaceVerifier",
        enables="lemmata check on .fsti files (the interface's vals and types)",
        planned="an interface declares and proves nothing: prove its implementation (.fst)"),
]


def register(entry: LanguageEntry) -> None:
    """Add a language (a plug-in's, or a test's); raises ``ValueError`` if its name or an extension is taken."""
    for other in LANGUAGES:
        if {entry.name, *entry.aliases} & {other.name, *other.aliases}:
            raise ValueError(f"the language name {entry.name!r} is taken")
        if taken := set(entry.extensions) & set(other.extensions):
            raise ValueError(f"{', '.join(sorted(taken))} already means {other.name}")
    LANGUAGES.append(entry)


def _supported(part: str) -> str:
    return ", ".join(f"{e.name} ({', '.join(e.extensions)})" for e in LANGUAGES if getattr(e, part) is not None)


def language_named(name: str) -> LanguageEntry:
    """The entry whose name or alias is ``name`` (any case); raises ``UnknownLanguage``."""
    wanted = name.lower()
    for entry in LANGUAGES:
        if wanted == entry.name or wanted in entry.aliases:
            return entry
    raise UnknownLanguage(f"unknown language {name!r}; known: {', '.join(e.name for e in LANGUAGES)}")


def language_of_path(path: Path, override: str | None = None) -> LanguageEntry:
    """The language ``override`` names, else the one ``path``'s extension means; raises ``UnknownLanguage``."""
    if override:
        return language_named(override)
    suffix = path.suffix.lower()
    for entry in LANGUAGES:
        if suffix in entry.extensions:
            return entry
    known = ", ".join(sorted(x for e in LANGUAGES for x in e.extensions))
    raise UnknownLanguage(f"{path}: cannot tell the language from the extension {path.suffix or '(none)'!r}; "
                          f"expected one of {known}, or pass --language")


@dataclass(frozen=True)
class Document:
    """A source text and the language it is in; ``path`` is None for text that came from no file."""

    text: str
    language: str
    path: Path | None = None

    @property
    def name(self) -> str:
        return str(self.path) if self.path else "<text>"

    @property
    def entry(self) -> LanguageEntry:
        return language_named(self.language)


def load_document(path: str | Path, *, language: str | None = None, max_bytes: int = DEFAULT_MAX_BYTES) -> Document:
    """Read ``path`` as a source file; raises ``InputError`` (``UnknownLanguage`` among them) saying why not."""
    path = Path(path)
    entry = language_of_path(path, language)
    return Document(read_source(path, max_bytes), entry.name, path)


def text_document(text: str, language: str, *, max_bytes: int = DEFAULT_MAX_BYTES) -> Document:
    """Source text given directly (the API's ``text=``); raises ``InputError`` as ``load_document`` does."""
    entry = language_named(language)
    return Document(decode_source(text.encode("utf-8"), "<text>", max_bytes), entry.name)


__all__ = ["Document", "LANGUAGES", "LanguageEntry", "language_named", "language_of_path", "load_document",
           "register", "text_document"]
