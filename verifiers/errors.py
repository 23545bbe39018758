"""Errors that end a command with a clear message instead of a verdict."""

from __future__ import annotations


class LemmataError(Exception):
    """Base of every error the CLI reports as a message with exit code 2."""


class InputError(LemmataError):
    """The user's input cannot be checked (missing, empty, binary, too large, ...)."""


class UnknownLanguage(InputError):
    """No backend handles this file."""


class ToolMissing(LemmataError):
    """A checker or solver needed for the job is not installed."""

    def __init__(self, tool: str, hint: str) -> None:
        super().__init__(f"{tool} is not installed or not on PATH. {hint}")
        self.tool = tool
        self.hint = hint
