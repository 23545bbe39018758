"""``lemmata.Client``: submit jobs to a `lemmata serve` daemon, follow them and read their results."""

from __future__ import annotations

import json
import os
import time
from collections.abc import Iterator
from typing import Any

import httpx

from lemmata.verifiers.errors import LemmataError

DEFAULT_URL = "http://127.0.0.1:8765"


class ClientError(LemmataError):
    """The daemon refused a request (``status`` is the HTTP code) or could not be reached (``status`` 0)."""

    def __init__(self, status: int, message: str) -> None:
        super().__init__(f"{status}: {message}" if status else message)
        self.status = status


class Client:
    """A daemon at ``url`` (default ``LEMMATA_URL``, else the local default) with ``token`` (``LEMMATA_TOKEN``)."""

    def __init__(self, url: str | None = None, token: str | None = None, *, timeout: float = 30.0) -> None:
        self.url = (url or os.environ.get("LEMMATA_URL") or DEFAULT_URL).rstrip("/")
        token = token or os.environ.get("LEMMATA_TOKEN")
        if not token:
            raise LemmataError("no token: pass one or set LEMMATA_TOKEN (lemmata token create NAME makes one)")
        self._http = httpx.Client(base_url=self.url, headers={"Authorization": f"Bearer {token}"}, timeout=timeout)

    def _call(self, method: str, path: str, **kwargs) -> Any:
        try:
            response = self._http.request(method, path, **kwargs)
        except httpx.HTTPError as exc:
            raise ClientError(0, f"cannot reach {self.url}: {exc}") from None
        if response.status_code >= 400:
            try:
                detail = response.json().get("detail")
            except ValueError:
                detail = response.text
            raise ClientError(response.status_code, detail if isinstance(detail, str) else json.dumps(detail))
        return response.json()

    def submit(self, kind: str, *, idempotency_key: str | None = None, **fields: Any) -> dict[str, Any]:
        """Queue a job (``check``, ``prove``, ``smt``, ``steps`` with that kind's fields); returns the job."""
        headers = {"Idempotency-Key": idempotency_key} if idempotency_key else {}
        return self._call("POST", "/v1/jobs", json={"kind": kind, **fields}, headers=headers)

    def job(self, job_id: str) -> dict[str, Any]:
        """The job: ``status`` (queued, running, done, failed, cancelled), and its ``result`` or ``error``."""
        return self._call("GET", f"/v1/jobs/{job_id}")

    def jobs(self, status: str | None = None, limit: int = 100) -> list[dict[str, Any]]:
        """My jobs, newest first."""
        return self._call("GET", "/v1/jobs", params={k: v for k, v in {"status": status, "limit": limit}.items() if v})

    def cancel(self, job_id: str) -> dict[str, Any]:
        return self._call("POST", f"/v1/jobs/{job_id}/cancel")

    def wait(self, job_id: str, timeout: float | None = None, poll: float = 0.5) -> dict[str, Any]:
        """The job once it has ended; raises ``ClientError`` if ``timeout`` seconds pass first."""
        deadline = None if timeout is None else time.monotonic() + timeout
        while True:
            job = self.job(job_id)
            if job["status"] in ("done", "failed", "cancelled"):
                return job
            if deadline is not None and time.monotonic() > deadline:
                raise ClientError(0, f"job {job_id} is still {job['status']} after {timeout:g} s")
            time.sleep(poll)

    def events(self, job_id: str) -> Iterator[dict[str, Any]]:
        """The job's progress events as they happen (server-sent events), until it ends."""
        with self._http.stream("GET", f"/v1/jobs/{job_id}/events", timeout=None) as response:
            if response.status_code >= 400:
                raise ClientError(response.status_code, response.read().decode("utf-8", "replace"))
            for line in response.iter_lines():
                if line.startswith("data: "):
                    yield json.loads(line[6:])

    def health(self) -> dict[str, Any]:
        return self._call("GET", "/healthz")

    def close(self) -> None:
        self._http.close()

    def __enter__(self) -> Client:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


__all__ = ["Client", "ClientError"]
