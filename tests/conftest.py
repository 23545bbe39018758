import pytest
from fake_openai import FakeOpenAI


@pytest.fixture
def server():
    """A real local HTTP server speaking the OpenAI wire protocol, scripted by the test."""
    with FakeOpenAI() as fake:
        yield fake
