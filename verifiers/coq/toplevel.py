"""One coqtop process, driven through its ``-emacs`` text protocol.

Why coqtop and not coqidetop: the session sends whole sentences and reads back
their messages and goals; coqtop does that over plain pipes, and its prompt
carries the state number that ``BackTo`` rewinds to, which is all a
fresh-state-per-attempt session needs. coqidetop's XML protocol adds the STM's
asynchronous document model (Add/Observe per sentence, feedback routed by
state id) and is not even packaged with Debian's ``coq``.

Two ways to know an answer is complete:

* ``exchange(..., sync="sentinel")``: after the command Lemmata sends
  ``Check <sentinel>.`` with a fresh name and reads until coqtop echoes that
  line in its complaint that the sentinel does not exist, then up to the next
  prompt. Nothing a checked text prints can forge it (the name is drawn after
  the text is written), so it is used for set-up, the audit, and to
  resynchronise after an attempt. It costs ~0.6 ms (Coq's error path).
* ``sync="prompt"``: one sentence per write, read up to the prompt coqtop prints
  when it wants more input (~0.15 ms). A text could print a fake prompt and
  make the reader stop early; it can never make it skip real output, so a
  sentinel exchange afterwards collects whatever is left before any verdict is
  drawn.
"""

from __future__ import annotations

import re
import secrets
import signal
import subprocess
import tempfile
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

from lemmata.verifiers.process import PipedTool, ToolDied, ToolTimeout

_PROMPT = re.compile(r"<prompt>(?P<name>\S+) < (?P<state>\d+) \|(?P<proofs>[^|]*)\| (?P<depth>\d+) < </prompt>")
_PROMPT_BYTES = re.compile(_PROMPT.pattern.encode())
INTERRUPT_GRACE = 2.0  # seconds coqtop gets to honour Ctrl-C before it is killed


class CoqTopDied(RuntimeError):
    """The process exited or had to be killed; the session must restart it."""


class CoqTopTimeout(RuntimeError):
    """A command ran past its deadline. ``alive`` tells whether coqtop recovered."""

    def __init__(self, alive: bool) -> None:
        super().__init__("coqtop command timed out")
        self.alive = alive


@dataclass(frozen=True)
class Reply:
    output: str  # what coqtop printed for the command, markup included
    state: int  # state number after the command
    in_proof: bool  # a proof is open after the command

    @property
    def failed(self) -> bool:
        return "\nError:" in "\n" + _strip_echo(self.output) or self.output.lstrip().startswith("Error")


def _strip_echo(output: str) -> str:
    return "\n".join(line for line in output.splitlines() if not line.startswith("> "))


class CoqTop:
    def __init__(self, argv: Sequence[str], *, memory_mb: int | None = None) -> None:
        self.argv = list(argv)
        self.memory_mb = memory_mb
        # micromega writes .lia.cache/.nia.cache into the working directory:
        # keep them out of the user's folder and gone with the process.
        self._workdir: tempfile.TemporaryDirectory | None = None
        self._tool: PipedTool | None = None
        self._token = secrets.token_hex(6)
        self._count = 0
        self.state = 0
        # Called as on_exchange(command, seconds) after every exchange: how profilers see where time goes.
        self.on_exchange: Callable[[str, float], None] | None = None

    @property
    def proc(self) -> subprocess.Popen | None:
        return self._tool.proc if self._tool is not None else None

    @property
    def alive(self) -> bool:
        return self._tool is not None and self._tool.alive

    def start(self, timeout: float) -> None:
        self._workdir = tempfile.TemporaryDirectory(prefix="lemmata-coqtop-")
        self._tool = PipedTool(self.argv, cwd=Path(self._workdir.name), memory_mb=self.memory_mb)
        self._tool.start()
        reply = self.exchange("", timeout)
        self.state = reply.state

    def close(self) -> None:
        if self._tool is not None:
            self._tool.close()
        if self._workdir is not None:
            self._workdir.cleanup()
            self._workdir = None

    def exchange(self, command: str, timeout: float, *, sync: str = "sentinel") -> Reply:
        """Send ``command`` and return its reply.

        With ``sync="sentinel"`` the command may hold several sentences; with
        ``sync="prompt"`` it must be exactly one complete sentence.
        """
        if not self.alive:
            raise CoqTopDied("coqtop is not running")
        if self.on_exchange is None:
            return self._exchange(command, timeout, sync)
        started = time.perf_counter()
        try:
            return self._exchange(command, timeout, sync)
        finally:
            self.on_exchange(command, time.perf_counter() - started)

    def _exchange(self, command: str, timeout: float, sync: str) -> Reply:
        deadline = time.monotonic() + timeout
        if sync == "prompt":
            self._write(command.rstrip() + "\n")
            try:
                return self._reply(self._read_until(None, deadline), None)
            except CoqTopTimeout:
                self._interrupt(self._send_sentinel())
        needle = self._send_sentinel(command)
        try:
            text = self._read_until(needle, deadline)
        except CoqTopTimeout:
            self._interrupt(needle)
        return self._reply(text, needle)

    def _write(self, payload: str) -> None:
        assert self._tool is not None
        try:
            self._tool.write(payload.encode("utf-8"))
        except ToolDied:
            raise CoqTopDied("coqtop closed its input") from None

    def _send_sentinel(self, command: str = "") -> bytes:
        """Write ``command`` then a fresh sentinel; return the echo that marks its answer."""
        self._count += 1
        sentinel = f"lemmata_sync_{self._token}_{self._count}"
        self._write((command.rstrip() + "\n" if command.strip() else "") + f"Check {sentinel}.\n")
        # coqtop echoes the offending line when it reports the (always failing)
        # sentinel; the echo's wording is fixed, unlike the error message's.
        return f"> Check {sentinel}.".encode()

    def _interrupt(self, needle: bytes) -> None:
        """Ctrl-C coqtop and raise ``CoqTopTimeout``; it stays alive if it answers the sentinel."""
        assert self._tool is not None
        try:
            self._tool.signal_group(signal.SIGINT)
            self._read_until(needle, time.monotonic() + INTERRUPT_GRACE)
        except (CoqTopTimeout, CoqTopDied, ProcessLookupError):
            self.close()
            raise CoqTopTimeout(alive=False) from None
        raise CoqTopTimeout(alive=True)

    def _read_until(self, needle: bytes | None, deadline: float) -> str:
        """Read up to the first well-formed prompt after ``needle`` (``None``: the first one)."""
        assert self._tool is not None

        def answer_end(buffer: bytes) -> int | None:
            found = 0 if needle is None else buffer.find(needle)
            if found < 0:
                return None
            prompt = _PROMPT_BYTES.search(buffer, found)
            return prompt.end() if prompt else None

        try:
            return self._tool.read_until(answer_end, deadline).decode("utf-8", "replace")
        except ToolTimeout:
            raise CoqTopTimeout(alive=True) from None
        except ToolDied:
            self.close()
            raise CoqTopDied("coqtop exited") from None

    def _reply(self, text: str, needle: bytes | None) -> Reply:
        echo = text.find(needle.decode()) if needle else -1
        cut = text.rfind("Toplevel input", 0, echo) if echo >= 0 else -1
        body = text[:cut] if cut >= 0 else text
        prompts = list(_PROMPT.finditer(text))
        if not prompts:
            raise CoqTopDied("coqtop answered without a prompt")
        last = prompts[-1]
        self.state = int(last["state"])
        return Reply(output=body, state=self.state, in_proof=bool(last["proofs"].strip()))
