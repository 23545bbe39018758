"""The OpenAI-compatible client against a real local HTTP server: retries, Retry-After, n, usage, errors."""

import time

import pytest

from lemmata.prover.llm import LLMConfig, LLMError, Message
from lemmata.prover.llm.openai_backend import OpenAIClient

PROMPT = [Message("user", "prove it")]


def client(server, **overrides) -> OpenAIClient:
    settings = {"model": "m", "base_url": server.base_url, "max_wait": 5.0, "max_attempts": 4,
                "request_timeout": 10.0} | overrides
    return OpenAIClient(LLMConfig(**settings))


def test_answers_and_accounts_usage_and_cost(server):
    server.script = [("ok", ["a", "b", "c"])]
    llm = client(server, price_prompt_per_mtok=2.0, price_completion_per_mtok=10.0)
    result = llm.complete(PROMPT, n=3)
    assert result.texts == ["a", "b", "c"]
    assert server.requests[0]["n"] == 3 and server.requests[0]["model"] == "m"
    assert server.requests[0]["messages"] == [{"role": "user", "content": "prove it"}]
    assert (result.usage.requests, result.usage.prompt_tokens, result.usage.completion_tokens) == (1, 100, 30)
    assert result.usage.cost_usd == pytest.approx((100 * 2 + 30 * 10) / 1e6)


def test_rate_limit_then_success_honours_retry_after(server):
    server.script = [(429, {"retry-after": "1"}), ("ok", ["done"])]
    result = client(server).complete(PROMPT)
    assert result.texts == ["done"]
    assert len(server.requests) == 2
    assert server.times[1] - server.times[0] >= 0.95  # waited as the server asked


def test_server_errors_exhaust_retries_with_a_clear_error(server):
    server.script = [(500, {}), (500, {}), (500, {})]
    started = time.monotonic()
    with pytest.raises(LLMError) as info:
        client(server, max_attempts=3, max_wait=0.2).complete(PROMPT)
    assert len(server.requests) == 3
    assert "gave up after 3 attempts" in str(info.value) and "HTTP 500" in str(info.value)
    assert time.monotonic() - started < 5


def test_errors_a_retry_cannot_fix_fail_at_once(server):
    server.script = [(401, {})]
    with pytest.raises(LLMError, match="HTTP 401"):
        client(server).complete(PROMPT)
    assert len(server.requests) == 1


def test_server_without_n_support_is_asked_one_at_a_time(server):
    server.script = [(400, {}), ("ok", ["x"]), ("ok", ["y"])]
    result = client(server).complete(PROMPT, n=2)
    assert sorted(result.texts) == ["x", "y"]  # concurrent: either may come first
    assert [r["n"] for r in server.requests] == [2, 1, 1]


def test_a_server_that_ignores_n_gets_the_rest_as_concurrent_single_requests(server):
    server.script = [("slow", 0.5, ["x"]), ("slow", 1.0, ["y"]), ("slow", 1.0, ["z"])]
    llm = client(server)
    started = time.monotonic()
    result = llm.complete(PROMPT, n=3)
    assert sorted(result.texts) == ["x", "y", "z"] and time.monotonic() - started < 2.3  # y and z side by side
    assert [r["n"] for r in server.requests] == [3, 1, 1]
    assert (result.usage.requests, result.usage.samples) == (3, 3)
    server.script = [("ok", ["u"]), ("ok", ["v"])]
    assert sorted(llm.complete(PROMPT, n=2).texts) == ["u", "v"]
    assert [r["n"] for r in server.requests[3:]] == [1, 1]  # remembered: no more n > 1


def test_what_arrived_before_the_deadline_is_kept_and_the_rest_counted_as_abandoned(server):
    server.script = [("ok", ["first"]), ("ok", ["second"]), ("slow", 3, ["late"])]
    result = client(server).complete(PROMPT, n=3, deadline=time.monotonic() + 1.0)
    assert sorted(result.texts) == ["first", "second"]
    assert (result.usage.requests, result.usage.samples, result.usage.abandoned) == (2, 2, 1)
    assert result.usage.completion_tokens == 20 and result.usage.generating_seconds > 0.5


def test_each_request_stops_at_the_end_of_the_code_block_and_gets_its_fence_back(server):
    server.script = [("ok", ["Here:\n```coq\nProof. lia. Qed."])]
    result = client(server).complete(PROMPT)
    assert server.requests[0]["stop"] == ["\n```\n"]
    assert result.texts == ["Here:\n```coq\nProof. lia. Qed.\n```"]
    server.script = [("ok", ["plain"])]
    client(server, stop=[]).complete(PROMPT)
    assert "stop" not in server.requests[1]


def test_the_token_limit_shrinks_to_what_the_server_can_write_in_the_time_left(server):
    llm = client(server, max_tokens=4096)
    server.script = [("slow", 1.0, ["x"])]
    llm.complete(PROMPT)  # 10 tokens in about a second: the server's speed
    llm.complete(PROMPT, deadline=time.monotonic() + 60)
    assert server.requests[0]["max_tokens"] == 4096
    assert 256 <= server.requests[1]["max_tokens"] < 1000


def test_unreachable_endpoint_is_an_llm_error():
    llm = OpenAIClient(LLMConfig(model="m", base_url="http://127.0.0.1:9/v1", max_attempts=2, max_wait=0.1,
                                 request_timeout=2.0))
    with pytest.raises(LLMError, match="cannot connect"):
        llm.complete(PROMPT)


def test_concurrency_limit_holds(server):
    from concurrent.futures import ThreadPoolExecutor

    llm = client(server, concurrency=1)
    with ThreadPoolExecutor(4) as pool:
        results = list(pool.map(lambda _: llm.complete(PROMPT), range(4)))
    assert all(r.texts for r in results) and len(server.requests) == 4


def test_deadline_bounds_a_slow_request_and_its_retries(server):
    server.script = [("slow", 5, ["late"])] * 3
    started = time.monotonic()
    with pytest.raises(LLMError, match="timed out"):
        client(server).complete(PROMPT, deadline=time.monotonic() + 1.0)
    assert time.monotonic() - started < 3
