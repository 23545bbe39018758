"""The Coq/Rocq ``Verifier``: one-shot checks through coqc, warm sessions through coqtop."""

from __future__ import annotations

import functools
import re
import shutil
import subprocess

from lemmata.dsl.coq.declarations import library_preload
from lemmata.dsl.coq.sentences import CoqSyntaxError
from lemmata.verifiers.coq.config import INSTALL_HINT, CoqConfig
from lemmata.verifiers.coq.oneshot import check_with_coqc
from lemmata.verifiers.coq.script import spec_block
from lemmata.verifiers.coq.session import CoqSession
from lemmata.verifiers.errors import ToolMissing
from lemmata.verifiers.interface import Statement, ToolStatus, Verifier
from lemmata.verifiers.result import CheckResult


@functools.lru_cache(maxsize=8)
def _version(binary: str) -> str | None:
    path = shutil.which(binary)
    if path is None:
        return None
    try:
        out = subprocess.run([path, "--version"], capture_output=True, text=True, timeout=20).stdout
    except (OSError, subprocess.TimeoutExpired):
        return None
    m = re.search(r"version (\S+)", out)
    return m[1] if m else out.strip() or "unknown"


class CoqVerifier(Verifier):
    language = "coq"

    def __init__(self, config: CoqConfig | None = None) -> None:
        self.config = config or CoqConfig.from_env()

    def status(self) -> ToolStatus:
        version = _version(self.config.coqc)
        if version is None:
            return ToolStatus("coq", False, detail=INSTALL_HINT)
        return ToolStatus("coq", True, version, shutil.which(self.config.coqc) or "")

    @property
    def checker(self) -> str:
        return f"coq {_version(self.config.coqc) or '?'}"

    def require(self, *, session: bool = False) -> None:
        if _version(self.config.coqc) is None:
            raise ToolMissing("coqc (Coq/Rocq)", INSTALL_HINT)
        if session and shutil.which(self.config.coqtop) is None:
            raise ToolMissing("coqtop (Coq/Rocq)", INSTALL_HINT)

    def check(self, text: str, *, statement: Statement | None = None, theorem: str | None = None,
              timeout: float | None = None) -> CheckResult:
        self.require()
        spec = spec_block(statement) if statement is not None else None
        return check_with_coqc(self.config, self.checker, text, spec=spec, theorem=theorem,
                               timeout=timeout or self.config.timeout)

    def session(self, header: str = "", *, statement: Statement | None = None) -> CoqSession:
        self.require(session=True)
        spec = spec_block(statement) if statement is not None else None
        return CoqSession(self.config, self.checker, header, spec=spec)

    def warm_header(self, text: str) -> str | None:
        # Loading (not importing) the library of the document's first Require sentence leaves what the
        # document sees the same as in a fresh coqc: that library is loaded first either way, and the
        # document imports it, then loads and imports the rest, in its own order. Only the first: the
        # first library (Reals, Arith, ZArith) carries most of the load time and of the libraries after
        # it, so documents that differ in their later Require lines still share one session.
        try:
            return library_preload(text, limit=1)
        except CoqSyntaxError:
            return None  # the one-shot check reports the syntax error with its place
