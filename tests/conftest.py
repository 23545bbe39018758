import json
import sys

import pytest
from fake_openai import FakeOpenAI
from paths import HELPERS


@pytest.fixture
def server():
    """A real local HTTP server speaking the OpenAI wire protocol, scripted by the test."""
    with FakeOpenAI() as fake:
        yield fake


@pytest.fixture
def fake_fstar(tmp_path, monkeypatch):
    """Point the F* backend at the stand-in ``fstar.exe`` (``tests/helpers/fake_fstar.py``).

    Returns a function that scripts its answers (``[[needle, issue], ...]``); its ``log()`` lists the
    requests and starts the stand-in saw.
    """
    from lemmata.verifiers.fstar.config import fstar_version

    monkeypatch.setenv("LEMMATA_FSTAR", f"{sys.executable} {HELPERS / 'fake_fstar.py'}")
    monkeypatch.setenv("LEMMATA_FAKE_FSTAR_LOG", str(tmp_path / "fstar.log"))
    fstar_version.cache_clear()

    def scripted(pairs: list) -> None:
        (tmp_path / "script.json").write_text(json.dumps(pairs))
        monkeypatch.setenv("LEMMATA_FAKE_FSTAR_SCRIPT", str(tmp_path / "script.json"))

    log = tmp_path / "fstar.log"
    scripted.log = lambda: [json.loads(line) for line in log.read_text().splitlines()] if log.exists() else []
    yield scripted
    fstar_version.cache_clear()
