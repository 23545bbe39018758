"""Reading user files safely: size, encoding and existence checks before any checker runs.

Every way a file can be unusable (missing, a directory, empty, binary, not
UTF-8, too large) becomes an ``InputError`` with a sentence a user can act on.
Which language a file is in is the language table's business
(``lemmata.prover.languages``), not this module's.
"""

from __future__ import annotations

from pathlib import Path

from lemmata.verifiers.errors import InputError

DEFAULT_MAX_BYTES = 2 * 1024 * 1024  # far above any real proof file; keeps checkers from choking


def decode_source(data: bytes, name: str, max_bytes: int = DEFAULT_MAX_BYTES) -> str:
    """The text of a source file's bytes; raises ``InputError`` for oversized, binary, non-UTF-8 or empty data."""
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


def read_source(path: Path, max_bytes: int = DEFAULT_MAX_BYTES) -> str:
    """The text of the file at ``path``; raises ``InputError`` saying why it cannot be used."""
    if not path.exists():
        raise InputError(f"{path}: no such file")
    if path.is_dir():
        raise InputError(f"{path}: is a directory, expected a file")
    try:
        with path.open("rb") as handle:
            data = handle.read(max_bytes + 1)
    except OSError as exc:
        raise InputError(f"{path}: cannot read ({exc.strerror})") from None
    return decode_source(data, str(path), max_bytes)


__all__ = ["DEFAULT_MAX_BYTES", "decode_source", "read_source"]
