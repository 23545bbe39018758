"""Where the tests find the repository, the examples and the shared data (``../shared`` beside the checkout)."""

import os
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
HELPERS = ROOT / "tests" / "helpers"
EXAMPLES = ROOT / "examples"
SHARED = Path(os.environ.get("LEMMATA_SHARED", ROOT.parent / "shared"))
DATA = Path(os.environ.get("LEMMATA_DATA", SHARED / "data"))
LEAN_FIXTURES = Path(os.environ.get("LEMMATA_LEAN_FIXTURES", SHARED / "fixtures" / "lean-repl" / "test"))
