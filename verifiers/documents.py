"""Reading user files safely: size, encoding and language checks before any checker runs.

Every way a file can be unusable (missing, a directory, empty, binary, not
UTF-8, too large, an extension no backend knows) becomes an ``InputError`` with
a sentence a user can act on.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from verifiers.errors import InputError, UnknownLanguage

DEFAULT_MAX_BYTES = 2 * 1024 * 1024  # far above any real proof file; keeps checkers from choking

LANGUAGE_BY_EXTENSION = {
    ".v": "coq",
    ".lean": "lean",
    ".dfy": "dafny",
    ".fst": "fstar",
    ".fsti": "fstar",
}
LANGUAGE_ALIASES = {"coq": "coq", "rocq": "coq", "lean": "lean", "lean4": "lean", "dafny": "dafny", "fstar": "fstar"}


@dataclass(frozen=True)
class Document:
    text: str
    language: str
    path: Path | None = None

    @property
    def name(self) -> str:
        return str(self.path) if self.path else "<text>"


def language_of(path: Path, override: str | None = None) -> str:
    if override:
        language = LANGUAGE_ALIASES.get(override.lower())
        if language is None:
            raise UnknownLanguage(
                f"unknown language {override!r}; known: {', '.join(sorted(set(LANGUAGE_ALIASES.values())))}"
            )
        return language
    language = LANGUAGE_BY_EXTENSION.get(path.suffix.lower())
    if language is None:
        known = ", ".join(sorted(LANGUAGE_BY_EXTENSION))
        raise UnknownLanguage(
            f"{path}: cannot tell the language from the extension {path.suffix or '(none)'!r}; "
            f"expected one of {known}, or pass --language"
        )
    return language


def decode_source(data: bytes, name: str, max_bytes: int = DEFAULT_MAX_BYTES) -> str:
    if len(data) > max_bytes:
        raise InputError(
            f"{name}: {len(data):,} bytes is larger than the {max_bytes:,}-byte limit "
            "(raise it with --max-bytes if this is really a proof file)"
        )
    if b"\x00" in data:
        raise InputError(f"{name}: looks like a binary file (it contains NUL bytes), not source text")
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise InputError(f"{name}: not valid UTF-8 text (byte {exc.start}); proof files must be UTF-8") from None
    if not text.strip():
        raise InputError(f"{name}: the file is empty")
    return text.removeprefix("\ufeff")


def load_document(path: str | Path, *, language: str | None = None, max_bytes: int = DEFAULT_MAX_BYTES) -> Document:
    path = Path(path)
    lang = language_of(path, language)
    if not path.exists():
        raise InputError(f"{path}: no such file")
    if path.is_dir():
        raise InputError(f"{path}: is a directory, expected a file")
    try:
        with path.open("rb") as handle:
            data = handle.read(max_bytes + 1)
    except OSError as exc:
        raise InputError(f"{path}: cannot read ({exc.strerror})") from None
    return Document(decode_source(data, str(path), max_bytes), lang, path)
