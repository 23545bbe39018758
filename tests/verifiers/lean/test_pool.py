"""The header-keyed REPL pool: one header elaboration per process, recycling, replacement after a timeout."""

import sys
from pathlib import Path

import pytest

from lemmata.verifiers.lean.config import LeanConfig
from lemmata.verifiers.lean.interface import command
from lemmata.verifiers.lean.pool import HeaderError, ReplPool
from lemmata.verifiers.lean.repl import ReplTimeout

from paths import HELPERS
from paths import LEAN_FIXTURES as FIXTURES
pytestmark = pytest.mark.skipif(not FIXTURES.is_dir(), reason=f"the recorded Lean REPL transcripts are not at {FIXTURES}")
HEADER = "def f : Nat := 1"  # from the recorded transcript `file_env`: env 0 holds it


def pool(**overrides) -> ReplPool:
    settings = {"project": HELPERS, "command": (sys.executable, str(HELPERS / "fake_lean_repl.py"), "file_env",
                                                "file_env", "file_env"), "pool_size": 1} | overrides
    return ReplPool(LeanConfig(**settings))


def test_the_header_is_elaborated_once_and_its_env_reused():
    lean = pool()
    try:
        with lean.lease(HEADER) as first:
            assert first.env == 0
        with lean.lease(HEADER) as second:
            assert second.env == 0 and second.repl is first.repl
        assert lean.header_elaborations == 1
    finally:
        lean.close()


def test_a_process_is_replaced_after_max_commands_and_after_a_timeout():
    lean = pool(max_commands=1)
    try:
        with lean.lease(HEADER) as first:
            generation = first.repl.generation
        with lean.lease(HEADER) as second:  # the first process ran its one command: a new one elaborates again
            assert second.repl.generation == generation + 1
        assert lean.header_elaborations == 2
    finally:
        lean.close()
    lean = pool(timeout=1.0)
    try:
        with pytest.raises(ReplTimeout):
            with lean.lease(HEADER) as lease:
                lease.repl.send(command("__hang__", lease.env), 1.0)
        with lean.lease(HEADER) as lease:
            assert lease.env == 0 and lean.header_elaborations == 2
    finally:
        lean.close()


def test_a_header_that_does_not_elaborate_is_an_error():
    lean = pool(command=(sys.executable, str(HELPERS / "fake_lean_repl.py"), "unknown_environment"))
    try:
        with pytest.raises(HeaderError):
            with lean.lease("this is not Lean"):
                pass
    finally:
        lean.close()
