"""The `lemmata` command line, the top layer: each ``*_command`` module adds one sub-command over the public API."""

from lemmata.cli.main import main, run

__all__ = ["main", "run"]
