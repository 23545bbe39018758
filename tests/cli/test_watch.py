"""`lemmata watch` on a two-file Coq project whose definition changed under five lemmas, two of which break."""

import signal
import subprocess
import sys
import time

import pytest

from paths import ROOT
from repair_cases import A, B

pytestmark = [pytest.mark.slow, pytest.mark.timeout(900)]  # coqc on a project, repairs, a watcher process

@pytest.fixture
def project(tmp_path):
    root = tmp_path / "proj"
    root.mkdir()
    (root / "_CoqProject").write_text("-Q . Proj\n\nB.v\nA.v\n")  # listed out of order: coqdep decides
    (root / "A.v").write_text(A)
    (root / "B.v").write_text(B)
    return root


def watch(*args, **kwargs):
    return subprocess.run([sys.executable, "-m", "lemmata", "watch", *args, "--no-llm", "--tactics", "lia,ring"],
                          capture_output=True, text=True, timeout=600, cwd=ROOT, **kwargs)


def test_once_writes_patches_and_never_touches_sources_or_statements(project):
    done = watch(str(project), "--once")
    assert done.returncode == 0, done.stdout + done.stderr
    assert (project / "A.v").read_text() == A and (project / "B.v").read_text() == B
    patch_a = (project / ".lemmata" / "patches" / "A.v.patch").read_text()
    patch_b = (project / ".lemmata" / "patches" / "B.v.patch").read_text()
    changed = [line for line in (patch_a + patch_b).splitlines() if line[:1] in "+-" and line[:3] not in ("+++", "---")]
    assert "-  rewrite Nat.add_0_r." in patch_a and "-  reflexivity." in patch_b
    # statements and the proofs that still check are not touched
    assert not any("Lemma" in line or "Proof." in line or "lia. Qed." in line for line in changed), changed
    applied = subprocess.run(["patch", "-p1", "-d", str(project), "-i", str(project / ".lemmata/patches/A.v.patch")],
                             capture_output=True, text=True)
    assert applied.returncode == 0, applied.stdout + applied.stderr
    assert "A.v" in done.stdout and "repaired" in done.stdout


def test_write_applies_the_repairs_and_the_project_then_checks(project):
    assert watch(str(project), "--once", "--write").returncode == 0
    assert (project / "A.v.orig").read_text() == A and (project / "A.v").read_text() != A
    again = watch(str(project), "--once")
    assert again.returncode == 0 and "repaired" not in again.stdout.split("note")[-1]
    assert not (project / ".lemmata").exists()


def test_a_change_is_noticed_and_repaired_while_watching(project):
    (project / "A.v").write_text(A.replace(":= n + n.", ":= 2 * n."))  # the old definition: every lemma checks
    # a background runner (CI, a test worker) may start us with SIGINT ignored: the child gets Ctrl-C back
    proc = subprocess.Popen([sys.executable, "-m", "lemmata", "watch", str(project), "--write", "--no-llm",
                             "--tactics", "lia,ring"], stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
                            cwd=ROOT, preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL))
    try:
        lines = []
        for line in proc.stdout:
            lines.append(line)
            if line.startswith("watching"):
                break
        assert (project / "B.v").read_text() == B
        (project / "A.v").write_text(A)  # the definition changes under the lemmas
        deadline = time.monotonic() + 300
        while time.monotonic() < deadline and (project / "B.v").read_text() == B:
            time.sleep(0.5)
        assert (project / "B.v").read_text() != B, "".join(lines)
        assert (project / "A.v").read_text() != A
    finally:
        proc.send_signal(signal.SIGINT)
        try:
            assert proc.wait(timeout=120) == 130  # Ctrl-C ends it, with the interrupted exit code
        finally:
            if proc.poll() is None:
                proc.kill()
