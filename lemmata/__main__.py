"""``python -m lemmata``: the same command line as ``lemmata``."""

from lemmata.cli import run

run()
