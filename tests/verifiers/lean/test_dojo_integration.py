"""LeanDojo for real, where it can run: LeanDojo installed, a Lean toolchain (elan/lake), network to fetch the
repository, and ``LEMMATA_DOJO_TEST`` naming a theorem of a traced repository and a tactic proof of it, as JSON
(``url``, ``commit``, ``file_path``, ``full_name``, ``proof``: the tactic block). Skipped, with the reason,
everywhere else; nothing here has run against LeanDojo on this project's machines."""

import importlib.util
import json
import os
import shutil

import pytest

from lemmata.verifiers.lean.backend import LeanVerifier
from lemmata.verifiers.lean.config import LeanConfig
from lemmata.verifiers.lean.dojo import DojoTheorem
from lemmata.verifiers.result import Verdict

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(importlib.util.find_spec("lean_dojo") is None,
                       reason="LeanDojo is not installed (pip install 'lemmata[leandojo]')"),
    pytest.mark.skipif(shutil.which("lake") is None, reason="no Lean toolchain here (elan/lake): LeanDojo needs one"),
    pytest.mark.skipif(not os.environ.get("LEMMATA_DOJO_TEST"),
                       reason="set LEMMATA_DOJO_TEST to a traced theorem and its tactic proof (JSON) to run it"),
]


def test_a_proof_of_a_traced_theorem_is_checked_in_place_and_a_wrong_one_is_not():
    case = json.loads(os.environ["LEMMATA_DOJO_TEST"])
    theorem = DojoTheorem(case["url"], case["commit"], case["file_path"], case["full_name"])
    name = theorem.full_name.split(".")[-1]
    document = f"{theorem.comment()}\ntheorem {name} : True := by\n"
    dojo = LeanVerifier(LeanConfig(checker="dojo"))
    proof = "\n".join("  " + line for line in case["proof"].splitlines())
    right = dojo.check(document + proof + "\n", timeout=600)
    assert right.verdict is Verdict.ACCEPTED, right.reasons
    wrong = dojo.check(document + "  exact absurd\n", timeout=600)
    assert wrong.verdict is Verdict.REJECTED
