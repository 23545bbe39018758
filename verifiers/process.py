"""Running external tools under a deadline, and making sure they are gone afterwards.

Every checker and solver process Lemmata starts gets its own process group, so
that a timeout or an interrupt kills the tool together with anything it spawned
(coqc forks helpers; Lean spawns workers), and an address-space limit, so that
a runaway proof search fails instead of taking the machine down.
"""

from __future__ import annotations

import ctypes
import functools
import os
import re
import resource
import select
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class Completed:
    returncode: int | None  # None when killed on timeout
    stdout: str
    stderr: str
    seconds: float
    timed_out: bool

    @property
    def killed_by_memory(self) -> bool:
        text = self.stdout + self.stderr
        return "Out of memory" in text or "Stack overflow" in text or self.returncode in (-signal.SIGKILL, 137)


_PR_SET_PDEATHSIG = 1


def _die_with_parent() -> None:
    """Ask Linux to SIGKILL this child when its parent dies, however the parent dies."""
    try:
        ctypes.CDLL(None, use_errno=True).prctl(_PR_SET_PDEATHSIG, signal.SIGKILL)
    except (OSError, AttributeError):  # not Linux: cleanup relies on the parent's handlers
        pass


# What no checker needs and a hostile proof could use: other processes' secrets in the environment.
_SECRET = re.compile(r"KEY|TOKEN|SECRET|PASSWORD|PASSWD|CREDENTIAL|AUTH", re.IGNORECASE)
OPEN_FILES = 4096
FILE_SIZE_MB = 2048


def tool_env(env: dict[str, str] | None = None) -> dict[str, str]:
    """The environment a tool gets: ``env``, or this process's without variables that look like secrets."""
    if env is not None:
        return env
    return {k: v for k, v in os.environ.items() if not _SECRET.search(k)}


# Set (to 1) in the environment of processes that run strangers' proofs (the daemon's workers): their tools
# then start in a network namespace of their own, with no interface but a loopback that is down.
NO_NETWORK = "LEMMATA_NO_NETWORK"
_CLONE_NEWNET, _CLONE_NEWUSER = 0x40000000, 0x10000000


def _leave_network() -> None:
    """Move this (freshly forked, single-threaded) process into an empty network namespace.

    As root a network namespace is enough; otherwise it needs a user namespace of its own
    (unprivileged user namespaces), whose unmapped ids leave file access as it was.
    """
    libc = ctypes.CDLL(None, use_errno=True)
    if libc.unshare(_CLONE_NEWNET) != 0 and libc.unshare(_CLONE_NEWUSER | _CLONE_NEWNET) != 0:
        raise OSError(ctypes.get_errno(), "cannot create a network namespace")


@functools.lru_cache(maxsize=1)
def network_isolation() -> str | None:
    """How tools are kept off the network when ``LEMMATA_NO_NETWORK=1``, or None when this platform cannot."""
    if not sys.platform.startswith("linux"):
        return None
    try:
        done = subprocess.run(["true"], preexec_fn=_leave_network, timeout=10, capture_output=True)
    except (OSError, subprocess.SubprocessError):
        return None
    return "a network namespace of their own (Linux unshare)" if done.returncode == 0 else None


def _wants_no_network() -> bool:
    return os.environ.get(NO_NETWORK) == "1" and network_isolation() is not None


def limit_resources(memory_mb: int | None, cpu_seconds: float | None = None):
    """The ``preexec_fn`` of every tool: die with the parent; cap address space (None: no cap), CPU seconds
    (None: none), open files, and the size of any file it writes; no core dumps; no network when
    ``LEMMATA_NO_NETWORK=1`` and the platform allows it (``network_isolation``)."""
    no_network = _wants_no_network()  # decided in the parent: the child only acts

    def apply() -> None:
        _die_with_parent()
        if no_network:
            _leave_network()
        # A parent that blocks or ignores SIGINT (a benchmark worker) must not pass that on: sessions
        # interrupt a runaway tactic with SIGINT before they resort to killing the checker.
        signal.signal(signal.SIGINT, signal.SIG_DFL)
        signal.pthread_sigmask(signal.SIG_UNBLOCK, {signal.SIGINT})
        if memory_mb:
            cap = memory_mb * 1024 * 1024
            resource.setrlimit(resource.RLIMIT_AS, (cap, cap))
        if cpu_seconds:
            cpu = int(cpu_seconds) + 1
            resource.setrlimit(resource.RLIMIT_CPU, (cpu, cpu + 5))
        _lower(resource.RLIMIT_NOFILE, OPEN_FILES)
        _lower(resource.RLIMIT_FSIZE, FILE_SIZE_MB * 1024 * 1024)
        _lower(resource.RLIMIT_CORE, 0)

    return apply


def _lower(which: int, value: int) -> None:
    soft, hard = resource.getrlimit(which)
    if hard != resource.RLIM_INFINITY:
        value = min(value, hard)
    resource.setrlimit(which, (value, hard if hard != resource.RLIM_INFINITY else value))


def resident_mb(pid: int) -> float:
    """Resident memory of a process in MiB (0 when it cannot be read)."""
    try:
        with open(f"/proc/{pid}/statm") as handle:
            return int(handle.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") / 2**20
    except (OSError, ValueError, IndexError):
        return 0.0


def kill_group(proc: subprocess.Popen) -> None:
    """Kill ``proc`` and every process in its group; reap it."""
    if proc.poll() is None:
        try:
            os.killpg(proc.pid, signal.SIGKILL)
        except (ProcessLookupError, PermissionError):
            proc.kill()
    try:
        proc.wait(timeout=5)
    except subprocess.TimeoutExpired:  # pragma: no cover - the kernel owes us this
        pass


def spawn(argv: Sequence[str], *, cwd: Path | None = None, memory_mb: int | None = None,
          env: dict[str, str] | None = None, merge_stderr: bool = False) -> subprocess.Popen:
    """Start a long-lived tool with pipes, in its own process group."""
    return subprocess.Popen(
        list(argv),
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT if merge_stderr else subprocess.PIPE,
        cwd=cwd,
        env=tool_env(env),
        start_new_session=True,
        preexec_fn=limit_resources(memory_mb),
    )


def run(argv: Sequence[str], *, timeout: float, cwd: Path | None = None, memory_mb: int | None = None,
        env: dict[str, str] | None = None, stdin: str | None = None) -> Completed:
    """Run a tool to completion or until ``timeout`` seconds, killing its whole group then."""
    started = time.monotonic()
    proc = subprocess.Popen(
        list(argv),
        stdin=subprocess.PIPE if stdin is not None else subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        cwd=cwd,
        env=tool_env(env),
        start_new_session=True,
        # CPU seconds as a second line behind the wall-clock timeout (a tool can spin with its clock stopped)
        preexec_fn=limit_resources(memory_mb, cpu_seconds=2 * timeout + 10),
    )
    try:
        out, err = proc.communicate(stdin.encode() if stdin is not None else None, timeout=timeout)
        timed_out = False
    except subprocess.TimeoutExpired:
        kill_group(proc)
        out, err = proc.communicate()
        timed_out = True
    except BaseException:
        kill_group(proc)
        raise
    return Completed(
        None if timed_out else proc.returncode,
        out.decode("utf-8", "replace"),
        err.decode("utf-8", "replace"),
        time.monotonic() - started,
        timed_out,
    )


class ToolTimeout(Exception):
    """The tool did not answer in time (it is still running)."""


class ToolDied(Exception):
    """The tool's output ended: it exited or was killed."""


class PipedTool:
    """A long-lived tool driven over pipes: write a request, read up to a delimiter, kill its group on close.

    ``merge_stderr``: read the tool's stderr in the same stream as its answers (coqtop prints its answers
    there). Otherwise stderr is drained apart, its last ``STDERR_TAIL`` bytes kept for error messages, so
    nothing it prints can shift the framing of the answers.
    """

    STDERR_TAIL = 16 * 1024

    def __init__(self, argv: Sequence[str], *, cwd: Path | None = None, memory_mb: int | None = None,
                 env: dict[str, str] | None = None, merge_stderr: bool = True) -> None:
        self.argv = list(argv)
        self.cwd = cwd
        self.memory_mb = memory_mb
        self.env = env
        self.merge_stderr = merge_stderr
        self.proc: subprocess.Popen | None = None
        self._buffer = b""
        self._stderr = bytearray()
        self._stderr_lock = threading.Lock()

    @property
    def alive(self) -> bool:
        return self.proc is not None and self.proc.poll() is None

    def start(self) -> None:
        self.proc = spawn(self.argv, cwd=self.cwd, memory_mb=self.memory_mb, env=self.env,
                          merge_stderr=self.merge_stderr)
        self._buffer = b""
        with self._stderr_lock:
            self._stderr.clear()
        if not self.merge_stderr:
            threading.Thread(target=self._drain_stderr, args=(self.proc.stderr,), daemon=True,
                             name="stderr-drain").start()

    def _drain_stderr(self, stream) -> None:
        # a full stderr pipe would block the tool; keep only the tail
        try:
            for chunk in iter(lambda: stream.read1(4096), b""):
                with self._stderr_lock:
                    self._stderr += chunk
                    del self._stderr[: max(0, len(self._stderr) - self.STDERR_TAIL)]
        except (OSError, ValueError):  # closed under us by close()
            pass

    def stderr_tail(self) -> str:
        """The last lines the tool wrote to its stderr (empty when merged with its output)."""
        with self._stderr_lock:
            return bytes(self._stderr).decode("utf-8", "replace").strip()

    def signal_group(self, signum: int) -> None:
        assert self.proc is not None
        os.killpg(self.proc.pid, signum)

    def write(self, data: bytes) -> None:
        assert self.proc is not None and self.proc.stdin is not None
        try:
            self.proc.stdin.write(data)
            self.proc.stdin.flush()
        except (BrokenPipeError, OSError):
            self.close()
            raise ToolDied("the tool closed its input") from None

    def read_until(self, delimiter: bytes | Callable[[bytes], int | None], deadline: float) -> bytes:
        """Everything up to and including the next ``delimiter``.

        ``delimiter`` is a byte string, or a function that finds where a
        complete answer ends in what has been read so far (None: not yet).
        """
        assert self.proc is not None and self.proc.stdout is not None
        fd = self.proc.stdout.fileno()
        while True:
            if callable(delimiter):
                end = delimiter(self._buffer)
            else:
                found = self._buffer.find(delimiter)
                end = found + len(delimiter) if found >= 0 else None
            if end is not None:
                chunk, self._buffer = self._buffer[:end], self._buffer[end:]
                return chunk
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                raise ToolTimeout()
            ready, _, _ = select.select([fd], [], [], remaining)
            if not ready:
                continue
            data = os.read(fd, 1 << 16)
            if not data:
                self.close()
                raise ToolDied("the tool exited")
            self._buffer += data

    def close(self) -> None:
        if self.proc is None:
            return
        try:
            if self.proc.stdin and not self.proc.stdin.closed:
                self.proc.stdin.close()
        except OSError:
            pass
        kill_group(self.proc)
        for stream in (self.proc.stdout, self.proc.stderr):
            if stream is not None:
                try:
                    stream.close()
                except OSError:
                    pass
        self.proc = None
