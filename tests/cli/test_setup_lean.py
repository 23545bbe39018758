"""`lemmata setup lean` on a machine without Lean or internet: it says what is missing and how to get it."""

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from paths import ROOT


def setup(*args: str) -> subprocess.CompletedProcess:
    env = {**os.environ, "LEMMATA_ELAN_URL": "http://127.0.0.1:9/elan-init.sh", "ELAN_HOME": "/nonexistent-elan"}
    return subprocess.run([sys.executable, "-m", "lemmata", "setup", "lean", *args], capture_output=True, text=True,
                          cwd=ROOT, env=env, timeout=120)


@pytest.mark.skipif(shutil.which("elan") is not None, reason="elan is installed here")
def test_offline_setup_names_what_is_missing():
    proc = setup()
    assert proc.returncode == 2 and "Traceback" not in proc.stderr
    assert "Missing: elan, the Lean toolchain, Mathlib's cache, the REPL build." in proc.stderr
    assert "lake exe cache get && lake build repl" in proc.stderr


def test_dry_run_says_the_plan():
    proc = setup("--dry-run")
    assert proc.returncode == 0 and "lake build repl" in proc.stdout


def test_a_folder_that_is_not_a_lake_project_is_refused(tmp_path):
    proc = setup("--project", str(tmp_path))
    assert proc.returncode == 2 and "is not a Lake project" in proc.stderr
