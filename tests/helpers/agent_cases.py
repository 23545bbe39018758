"""Problems and helpers shared by the agent tests."""

import json
from pathlib import Path

from lemmata.prover.languages import language_named
from lemmata.prover.llm.replay import ReplayClient

from paths import ROOT
SUM_ODD = (ROOT / "examples" / "coq" / "sum_odd_problem.v").read_text()  # needs induction: automation fails

PRODUCT = """Require Import Reals.
Open Scope R_scope.

Theorem product_gt_one : forall x y z : R, 1 < x -> 1 < y -> 1 < z -> x * y * z > 1.
Proof.
Admitted.
"""

FAST = ("lia", "lra", "nia", "nra", "ring")  # the portfolio without the slow ATP calls, to keep tests quick


def problem(text: str):
    return language_named("coq").make_adapter().load(text, None, "<test>")


def replay(tmp_path: Path, records: list[dict]) -> ReplayClient:
    path = tmp_path / "replay.jsonl"
    path.write_text("".join(json.dumps(r) + "\n" for r in records))
    return ReplayClient.from_file(path)


def events(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_text().splitlines()]
