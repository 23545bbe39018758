import json

import pytest

from lemmata.prover.llm import LLMConfig, LLMError, Message
from lemmata.prover.llm.replay import RecordingClient, ReplayClient, prompt_sha256


def write(tmp_path, records):
    path = tmp_path / "r.jsonl"
    path.write_text("\n".join(json.dumps(r) for r in records) + "\n")
    return path


def test_replay_serves_matching_records_once_in_order(tmp_path):
    replay = ReplayClient.from_file(write(tmp_path, [
        {"completions": ["sketch"], "contains": "Plan a proof"},
        {"completions": ["p1", "p2"]},
        {"completions": ["p3"]},
    ]))
    assert replay.complete([Message("user", "Prove the theorem")], n=3).texts == ["p1", "p2", "p3"]
    assert replay.complete([Message("user", "Plan a proof of t")]).texts == ["sketch"]
    with pytest.raises(LLMError, match="no recorded completion left"):
        replay.complete([Message("user", "Prove the theorem")])


def test_recording_then_replaying_by_prompt_hash(tmp_path):
    source = ReplayClient.from_file(write(tmp_path, [{"completions": ["a"]}, {"completions": ["b"]}]))
    path = tmp_path / "recorded.jsonl"
    recorder = RecordingClient(source, path)
    first, second = [Message("user", "one")], [Message("user", "two")]
    recorder.complete(first)
    recorder.complete(second)
    replay = ReplayClient.from_file(path)
    assert replay.complete(second).texts == ["b"]  # matched by hash, not by order
    assert replay.complete(first).texts == ["a"]
    assert json.loads(path.read_text().splitlines()[0])["prompt_sha256"] == prompt_sha256(first)


@pytest.mark.parametrize("line", ["not json", '{"contains": "x"}', '{"completions": [1]}', "[1, 2]"])
def test_malformed_replay_file_names_the_line(tmp_path, line):
    path = tmp_path / "bad.jsonl"
    path.write_text('{"completions": ["ok"]}\n' + line + "\n")
    with pytest.raises(LLMError, match=r"bad.jsonl:2"):
        ReplayClient.from_file(path)


def test_config_precedence_flags_env_file(tmp_path):
    config = tmp_path / "c.toml"
    config.write_text('[llm]\nmodel = "from-file"\nbase_url = "http://file/v1"\nconcurrency = 3\n')
    env = {"LEMMATA_MODEL": "from-env", "OPENAI_API_KEY": "k"}
    resolved = LLMConfig.resolve({"model": None}, config_file=config, environ=env)
    assert (resolved.model, resolved.base_url, resolved.api_key, resolved.concurrency) == ("from-env", "http://file/v1", "k", 3)
    assert LLMConfig.resolve({"model": "flag"}, config_file=config, environ=env).model == "flag"
    empty = tmp_path / "empty.toml"
    empty.write_text("")
    assert not LLMConfig.resolve({}, config_file=empty, environ={}).configured


def test_bad_config_is_a_clear_error(tmp_path):
    config = tmp_path / "c.toml"
    config.write_text("[llm]\nconcurrency = 0\n")
    with pytest.raises(LLMError, match="concurrency"):
        LLMConfig.resolve({}, config_file=config, environ={})
    config.write_text("[llm\n")
    with pytest.raises(LLMError, match="cannot read the config file"):
        LLMConfig.resolve({}, config_file=config, environ={})
