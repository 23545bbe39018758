"""`pip install lemmata` gives one import name: the wheel holds `lemmata` and nothing else at the top, every
module of the design's folders under it, and the installed package works from any directory."""

from __future__ import annotations

import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from paths import ROOT
FOLDERS = {"dsl": "lemmata/dsl", "verifiers": "lemmata/verifiers", "prover": "lemmata/prover",
           "benchmarks": "lemmata/benchmarks", "lemmata": "lemmata"}


@pytest.fixture(scope="module")
def wheel(tmp_path_factory) -> Path:
    # Built from a copy, so the build leaves nothing in the working tree; offline, with the venv's setuptools.
    source = tmp_path_factory.mktemp("source")
    for name in ("pyproject.toml", "README.md", *FOLDERS):
        item = ROOT / name
        if item.is_dir():
            shutil.copytree(item, source / name, ignore=shutil.ignore_patterns("__pycache__", "*.pyc"))
        else:
            shutil.copy2(item, source / name)
    out = tmp_path_factory.mktemp("wheel")
    proc = subprocess.run([sys.executable, "-m", "pip", "wheel", "-q", "--no-deps", "--no-build-isolation",
                           "--no-index", "-w", str(out), str(source)], capture_output=True, text=True, timeout=300)
    assert proc.returncode == 0, proc.stderr
    (built,) = out.glob("lemmata-*.whl")
    return built


def test_the_wheel_has_one_top_level_name_and_every_module(wheel):
    names = zipfile.ZipFile(wheel).namelist()
    assert {n.split("/")[0] for n in names if not n.split("/")[0].endswith(".dist-info")} == {"lemmata"}
    expected = {f"{FOLDERS[folder]}/{path.relative_to(ROOT / folder).as_posix()}"
                for folder in FOLDERS for path in (ROOT / folder).rglob("*.py") if "__pycache__" not in path.parts}
    assert expected - set(names) == set()  # a subpackage missing from pyproject's list would show here
    entry_points = next(n for n in names if n.endswith(".dist-info/entry_points.txt"))
    assert "lemmata = lemmata.cli:run" in zipfile.ZipFile(wheel).read(entry_points).decode()


def test_the_installed_package_imports_by_its_one_name_from_anywhere(wheel, tmp_path):
    target = tmp_path / "site"
    subprocess.run([sys.executable, "-m", "pip", "install", "-q", "--no-deps", "--no-index", "--target",
                    str(target), str(wheel)], check=True, capture_output=True, timeout=300)
    elsewhere = tmp_path / "elsewhere"
    for folder in ("dsl", "benchmarks", "prover"):  # a user's own folders with generic names must not interfere
        (elsewhere / folder).mkdir(parents=True)
        (elsewhere / folder / "__init__.py").write_text(f"raise ImportError('the user\'s own {folder}')\n")
    probe = f"""
import importlib.util, sys
sys.path.insert(0, {str(target)!r})
import lemmata
assert lemmata.__file__.startswith({str(target)!r}), lemmata.__file__
print(lemmata.smtlib(text="Require Import ZArith.\\nOpen Scope Z_scope.\\nTheorem t : forall x : Z, x + 0 = x.", language="coq").count("assert"))
print(sorted(n for n in ("dsl", "verifiers", "prover", "benchmarks")
             if (spec := importlib.util.find_spec(n)) is not None and {str(target)!r} in (spec.origin or "")))
print(lemmata.check.__module__, lemmata.ProofResult.__name__)
"""
    proc = subprocess.run([sys.executable, "-c", probe], cwd=elsewhere, capture_output=True, text=True,
                          timeout=120)
    assert proc.returncode == 0, proc.stderr
    count, leaked, api = proc.stdout.splitlines()
    assert int(count) >= 1
    assert leaked == "[]"
    assert api == "lemmata.prover.api ProofResult"
