import shutil
from pathlib import Path

import pytest

from lemmata.verifiers.coq import CoqVerifier
from lemmata.verifiers.interface import Statement

HERE = Path(__file__).parent

if shutil.which("coqc") is None or shutil.which("coqtop") is None:  # pragma: no cover - CI installs Coq
    pytest.skip("Coq (coqc/coqtop) is not installed: run 'make test', which installs it", allow_module_level=True)


@pytest.fixture(scope="session")
def coq() -> CoqVerifier:
    return CoqVerifier()


@pytest.fixture(scope="session")
def problem() -> Statement:
    path = HERE / "problem.v"
    return Statement(path.read_text(), None, str(path))


@pytest.fixture(scope="session")
def problem_session(coq, problem):
    with coq.session(statement=problem) as session:
        yield session


def read(name: str) -> str:
    return (HERE / name).read_text()
