"""The trusted final acceptance of a Lean proof: compiled, then replayed and compared outside its environment.

The REPL's audit runs inside the environment the candidate built, where the
candidate's own metaprograms could answer it. So a Lean ``accepted`` verdict
is final only after this check: the reference statement and the candidate
are compiled to ``.olean`` files (``lake env lean -o``) in directories of
their own, and ``lemmata-check`` (``lean/LemmataCheck.lean``) starts from the
candidate's imports, replays each of its declarations through the kernel,
compares the target's type and the problem's definitions with the
reference's, and collects the target's axioms by its own traversal.
"""

from __future__ import annotations

import hashlib
import json
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

from lemmata.verifiers.errors import InputError
from lemmata.verifiers.lean.config import LeanConfig
from lemmata.verifiers.lean.messages import ALLOWED_AXIOMS
from lemmata.verifiers.process import run

NOT_BUILT = ("the trusted Lean check (lean/LemmataCheck.lean) is not built, and the REPL's answer alone is never "
             "final: run 'lemmata setup lean'")


@dataclass
class TrustedVerdict:
    accepted: bool
    reasons: list[str] = field(default_factory=list)
    axioms: list[str] = field(default_factory=list)


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


class TrustedCheck:
    def __init__(self, config: LeanConfig) -> None:
        self.config = config

    def available(self) -> bool:
        return self.config.trusted_available()

    def _compile(self, source: Path, timeout: float) -> tuple[Path | None, str]:
        olean = source.with_suffix(".olean")
        done = run([*self.config.compile_command, "-o", str(olean), str(source)], timeout=timeout,
                   cwd=self.config.project)
        if done.timed_out:
            return None, f"compiling {source.name} ran past {timeout:g} s"
        if done.returncode != 0 or not olean.is_file():
            said = (done.stdout + done.stderr).strip()
            return None, said[-1500:] or f"exit code {done.returncode}"
        return olean, ""

    def check(self, candidate: str, reference: str | None, targets: list[str],
              timeout: float) -> dict[str, TrustedVerdict]:
        """Compile ``candidate`` (and ``reference``) once, then run the trusted check on each of ``targets``."""
        with tempfile.TemporaryDirectory(prefix="lemmata-trusted-") as tmp:
            ref_olean: Path | None = None
            digest = ""
            if reference is not None:
                (Path(tmp) / "reference").mkdir()
                source = Path(tmp) / "reference" / "LemmataReference.lean"
                source.write_text(reference, encoding="utf-8")
                ref_olean, why = self._compile(source, timeout)
                if ref_olean is None:
                    raise InputError(f"the reference statement does not compile: {why}")
                digest = _digest(ref_olean)
            (Path(tmp) / "candidate").mkdir()
            source = Path(tmp) / "candidate" / "LemmataCandidate.lean"
            source.write_text(candidate, encoding="utf-8")
            cand_olean, why = self._compile(source, timeout)
            if cand_olean is None:
                return dict.fromkeys(targets, TrustedVerdict(False, [f"the candidate does not compile: {why}"]))
            if ref_olean is not None and (not ref_olean.is_file() or _digest(ref_olean) != digest):
                changed = TrustedVerdict(False, ["the compiled reference changed while the candidate compiled"])
                return dict.fromkeys(targets, changed)
            return {target: self._run(ref_olean, cand_olean, target, timeout) for target in targets}

    def _run(self, ref_olean: Path | None, cand_olean: Path, target: str, timeout: float) -> TrustedVerdict:
        argv = [*self.config.trusted_argv, str(ref_olean) if ref_olean else "-", str(cand_olean), target,
                *sorted(ALLOWED_AXIOMS)]
        done = run(argv, timeout=timeout, cwd=self.config.project)
        if done.timed_out:
            return TrustedVerdict(False, [f"the trusted check ran past {timeout:g} s"])
        answer = next((line for line in reversed(done.stdout.splitlines()) if line.startswith("{")), None)
        try:
            data = json.loads(answer) if answer else None
        except ValueError:
            data = None
        if not isinstance(data, dict) or data.get("verdict") not in ("accepted", "rejected"):
            said = (done.stdout + done.stderr).strip()[-500:]
            return TrustedVerdict(False, [f"the trusted check gave no verdict (exit {done.returncode}): {said}"])
        reasons = [str(r) for r in data.get("reasons", [])]
        accepted = data["verdict"] == "accepted" and not reasons and done.returncode == 0
        return TrustedVerdict(accepted, reasons or ([] if accepted else ["the trusted check refused"]),
                              [str(a) for a in data.get("axioms", [])])


__all__ = ["NOT_BUILT", "TrustedCheck", "TrustedVerdict"]
