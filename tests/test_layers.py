"""The layers import one way: dsl -> verifiers -> prover -> benchmarks -> the CLI (and the package root).

Read from the source with ``ast``: every ``import``/``from`` (at module level,
inside functions, under ``TYPE_CHECKING``) and every ``"lemmata.module:name"``
string the language table resolves lazily counts as an arrow.
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

from paths import ROOT
FOLDERS = {"dsl": "lemmata.dsl", "verifiers": "lemmata.verifiers", "prover": "lemmata.prover",
           "benchmarks": "lemmata.benchmarks", "lemmata": "lemmata"}
LAYERS = ["lemmata.dsl", "lemmata.verifiers", "lemmata.prover", "lemmata.benchmarks", "lemmata"]
OLD_NAMES = {"dsl", "verifiers", "prover", "benchmarks"}
_LAZY = re.compile(r"^(lemmata(?:\.\w+)+):\w+$")


def layer(module: str) -> int:
    """Index in LAYERS of the longest layer prefix of ``module`` (the package root and the CLI are the top)."""
    for index, prefix in enumerate(LAYERS[:-1]):
        if module == prefix or module.startswith(prefix + "."):
            return index
    return len(LAYERS) - 1


def modules() -> dict[str, Path]:
    found = {}
    for folder, package in FOLDERS.items():
        for path in sorted((ROOT / folder).rglob("*.py")):
            parts = path.relative_to(ROOT / folder).with_suffix("").parts
            if parts[-1] == "__init__":
                parts = parts[:-1]
            found[".".join((package, *parts))] = path
    return found


def imports(module: str, source: str, is_package: bool) -> list[tuple[int, str]]:
    """(line, imported module) for every arrow out of ``module``."""
    package = module if is_package else module.rpartition(".")[0]
    arrows = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            arrows += [(node.lineno, alias.name) for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")
                base = base[: len(base) - (node.level - 1)]
                name = ".".join([*base, node.module] if node.module else base)
            else:
                name = node.module or ""
            arrows.append((node.lineno, name))
        elif isinstance(node, ast.Constant) and isinstance(node.value, str) and (m := _LAZY.match(node.value)):
            arrows.append((node.lineno, m[1]))
    return arrows


def violations(module: str, source: str, is_package: bool = False) -> list[str]:
    found = []
    for line, name in imports(module, source, is_package):
        top = name.split(".")[0]
        if top in OLD_NAMES:
            found.append(f"{module}:{line} imports {name!r} by its folder name; use lemmata.{name}")
        elif top == "lemmata" and layer(name) > layer(module):
            found.append(f"{module}:{line} imports {name} ({LAYERS[layer(name)]}), a layer above its own "
                         f"({LAYERS[layer(module)]})")
    return found


def test_every_module_imports_only_its_own_layer_and_those_below():
    found = modules()
    assert len(found) > 80 and "lemmata.prover.languages" in found and "lemmata.cli.main" in found
    problems = [v for module, path in found.items()
                for v in violations(module, path.read_text(encoding="utf-8"), path.name == "__init__.py")]
    assert problems == []


@pytest.mark.parametrize("module, source, expected", [
    ("lemmata.dsl.ir", "from lemmata.verifiers.result import CheckResult", "a layer above"),
    ("lemmata.verifiers.coq.backend", "def f():\n    import lemmata.prover.agent\n", "a layer above"),
    ("lemmata.prover.agent.loop", "from lemmata.benchmarks.worker import Job", "a layer above"),
    ("lemmata.prover.languages", "X = 'lemmata.benchmarks.suites:SUITES'", "a layer above"),
    ("lemmata.benchmarks.runner", "from lemmata.cli.progress import Progress", "a layer above"),
    ("lemmata.dsl.sketch", "from lemmata import check", "a layer above"),
    ("lemmata.verifiers.coq.session", "from ...prover import api", "a layer above"),
    ("lemmata.prover.steps", "from dsl.mathtext import claims", "by its folder name"),
])
def test_arrows_against_the_order_are_caught(module, source, expected):
    assert any(expected in v for v in violations(module, source))


@pytest.mark.parametrize("module, source", [
    ("lemmata.cli.main", "from lemmata.benchmarks.runner import run_jobs\nfrom lemmata.prover.api import check"),
    ("lemmata.benchmarks.worker", "from lemmata.prover.proving import prove_problem"),
    ("lemmata.prover.agent.smt_stage", "from lemmata.verifiers.smt import decide\nfrom lemmata.dsl.ir import Unsupported"),
    ("lemmata.verifiers.coq.session", "from .toplevel import CoqTop"),
])
def test_arrows_along_the_order_are_allowed(module, source):
    assert violations(module, source) == []
