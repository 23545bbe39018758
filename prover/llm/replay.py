"""Recorded completions, served back: deterministic agent runs without a model.

A replay file is JSON Lines; each record is one answer::

    {"completions": ["```coq\\nProof. lia. Qed.\\n```"], "contains": "Theorem foo"}

A request takes the first unused record whose condition fits it: ``contains``
(a substring of the prompt's text), ``prompt_sha256`` (of the exact messages,
as ``RecordingClient`` writes), or neither (fits any request). Each record is
handed out in order until all its completions are served; a request for n
completions goes on to the next fitting records until it has n. When none fits, the request fails with ``LLMError``, as an
endpoint that has gone away would.
"""

from __future__ import annotations

import hashlib
import json
import threading
from dataclasses import dataclass
from pathlib import Path

from lemmata.prover.llm.client import LLMClient, LLMError, Message, Usage
from lemmata.prover.llm.sampling import Sample, Samples
from lemmata.prover.timing import Activity


def prompt_sha256(messages: list[Message]) -> str:
    data = json.dumps([m.as_dict() for m in messages], ensure_ascii=False, sort_keys=True)
    return hashlib.sha256(data.encode()).hexdigest()


@dataclass
class ReplayRecord:
    completions: list[str]
    contains: str | None = None
    prompt_sha256: str | None = None
    served: int = 0  # completions already handed out

    @property
    def used(self) -> bool:
        return self.served >= len(self.completions)

    def fits(self, text: str, sha: str) -> bool:
        if self.prompt_sha256 is not None and self.prompt_sha256 != sha:
            return False
        return self.contains is None or self.contains in text


class ReplayClient(LLMClient):
    def __init__(self, records: list[ReplayRecord], model: str = "replay") -> None:
        self.records = records
        self.model = model
        self._lock = threading.Lock()

    @classmethod
    def from_file(cls, path: Path) -> ReplayClient:
        records: list[ReplayRecord] = []
        try:
            lines = Path(path).read_text(encoding="utf-8").splitlines()
        except (OSError, UnicodeDecodeError) as exc:
            raise LLMError(f"cannot read the replay file {path}: {exc}") from None
        for number, line in enumerate(lines, 1):
            if not line.strip():
                continue
            try:
                data = json.loads(line)
                completions = data["completions"]
                if not isinstance(completions, list) or not all(isinstance(c, str) for c in completions):
                    raise TypeError("'completions' must be a list of strings")
                records.append(ReplayRecord(completions, data.get("contains"), data.get("prompt_sha256")))
            except (ValueError, KeyError, TypeError, AttributeError) as exc:
                raise LLMError(f"{path}:{number}: not a replay record ({exc})") from None
        return cls(records, model=f"replay:{Path(path).name}")

    def stream(self, messages: list[Message], *, n: int = 1, temperature: float | None = None,
               max_tokens: int | None = None, deadline: float | None = None,
               activity: Activity | None = None) -> Samples:
        text = "\n".join(m.content for m in messages)
        sha = prompt_sha256(messages)
        texts: list[str] = []
        with self._lock:
            for record in self.records:
                if len(texts) >= n:
                    break
                if not record.used and record.fits(text, sha):
                    take = record.completions[record.served: record.served + n - len(texts)]
                    record.served += len(take)
                    texts += take
        if not texts:
            raise LLMError("replay: no recorded completion left for this prompt")
        return Samples.of([Sample(t) for t in texts], Usage(requests=1, samples=len(texts)))


class RecordingClient(LLMClient):
    """Passes requests to ``inner`` and appends each answer to a replay file."""

    def __init__(self, inner: LLMClient, path: Path) -> None:
        self.inner = inner
        self.model = inner.model
        self.path = Path(path)
        self._lock = threading.Lock()

    def stream(self, messages: list[Message], *, n: int = 1, temperature: float | None = None,
               max_tokens: int | None = None, deadline: float | None = None,
               activity: Activity | None = None) -> Samples:
        inner = self.inner.stream(messages, n=n, temperature=temperature, max_tokens=max_tokens, deadline=deadline,
                                  activity=activity)
        return Samples(self._recorded(messages, inner), inner.usage)

    def _recorded(self, messages: list[Message], inner: Samples):
        """Passes ``inner``'s samples on; when it ends (or is closed), writes the ones received as one record."""
        received: list[str] = []
        try:
            for sample in inner:
                received.append(sample.text)
                yield sample
        finally:
            inner.close()
            if received:
                record = {"prompt_sha256": prompt_sha256(messages), "completions": received}
                with self._lock, self.path.open("a", encoding="utf-8") as out:
                    out.write(json.dumps(record, ensure_ascii=False) + "\n")

    def close(self) -> None:
        self.inner.close()


__all__ = ["RecordingClient", "ReplayClient", "ReplayRecord", "prompt_sha256"]
