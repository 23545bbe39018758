"""Every checker and solver process: its own group, resource limits, no secrets from our environment."""

import json
import resource
import socket
import sys
import time

import pytest

from lemmata.verifiers import process
from lemmata.verifiers.process import FILE_SIZE_MB, OPEN_FILES, run

PROBE = """
import json, os, resource
print(json.dumps({"as": resource.getrlimit(resource.RLIMIT_AS)[0], "cpu": resource.getrlimit(resource.RLIMIT_CPU)[0],
                  "nofile": resource.getrlimit(resource.RLIMIT_NOFILE)[0], "fsize": resource.getrlimit(resource.RLIMIT_FSIZE)[0],
                  "core": resource.getrlimit(resource.RLIMIT_CORE)[0], "env": sorted(os.environ),
                  "group": os.getpgrp() == os.getpid()}))
"""


def test_a_tool_runs_limited_in_its_own_group_without_secrets(monkeypatch):
    monkeypatch.setenv("OPENAI_API_KEY", "sk-secret")
    monkeypatch.setenv("LEMMATA_TOKEN", "lmt_secret")
    monkeypatch.setenv("LEMMATA_COQ_FLAGS", "-Q /x X")
    done = run([sys.executable, "-c", PROBE], timeout=10, memory_mb=4096)
    seen = json.loads(done.stdout)
    assert seen["as"] == 4096 * 2**20 and seen["cpu"] == 31  # 2 x the timeout + 10, as a second line
    assert seen["nofile"] <= OPEN_FILES and seen["fsize"] == FILE_SIZE_MB * 2**20 and seen["core"] == 0
    assert seen["group"]
    assert "OPENAI_API_KEY" not in seen["env"] and "LEMMATA_TOKEN" not in seen["env"]
    assert "LEMMATA_COQ_FLAGS" in seen["env"] and "PATH" in seen["env"]
    assert resource.getrlimit(resource.RLIMIT_FSIZE)[0] != FILE_SIZE_MB * 2**20  # ours is untouched


def test_a_tool_that_writes_a_huge_file_is_stopped(tmp_path, monkeypatch):
    monkeypatch.setattr(process, "FILE_SIZE_MB", 8)  # the cap applies in the child, read when it starts
    script = "f = open('big', 'wb')\nwhile True: f.write(b'x' * (1 << 20))\n"
    done = run([sys.executable, "-c", script], timeout=120, cwd=tmp_path)
    assert done.returncode != 0 and not done.timed_out
    assert (tmp_path / "big").stat().st_size <= 8 * 2**20


CONNECT = """
import socket, sys
try:
    socket.create_connection(("127.0.0.1", int(sys.argv[1])), timeout=5).close()
    print("connected")
except OSError as exc:
    print(f"no network: {exc}")
"""


def test_with_lemmata_no_network_a_tool_cannot_reach_even_loopback(monkeypatch):
    if process.network_isolation() is None:
        pytest.skip("this platform has no network namespaces for unprivileged processes")
    with socket.create_server(("127.0.0.1", 0)) as server:
        port = str(server.getsockname()[1])
        assert run([sys.executable, "-c", CONNECT, port], timeout=20).stdout.strip() == "connected"
        monkeypatch.setenv(process.NO_NETWORK, "1")
        seen = run([sys.executable, "-c", CONNECT, port], timeout=20)
        assert seen.stdout.startswith("no network"), seen.stdout + seen.stderr
        tool = process.PipedTool([sys.executable, "-c", CONNECT, port], merge_stderr=True)  # sessions' way
        tool.start()
        try:
            assert b"no network" in tool.read_until(b"\n", time.monotonic() + 20)
        finally:
            tool.close()
