"""The daemon's HTTP API (FastAPI): jobs under ``/v1``, ``/healthz``, ``/metrics``, the OpenAPI schema and docs.

Every ``/v1`` route needs ``Authorization: Bearer TOKEN`` (401 otherwise) and
shows a job only to the token that submitted it (404 to anyone else). Bodies
are size-bounded (413), submissions are validated before anything is queued
(400/422), and a full queue answers 429 with ``Retry-After``.
"""

from __future__ import annotations

import asyncio
import json
import time
from typing import Any

from fastapi import Depends, FastAPI, Header, HTTPException, Query, Request, Response
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import HTMLResponse, JSONResponse, StreamingResponse
from prometheus_client import CONTENT_TYPE_LATEST, CollectorRegistry, Counter, generate_latest
from prometheus_client.core import GaugeMetricFamily

import lemmata
from lemmata.daemon import jobs, status_page
from lemmata.daemon.settings import ServeSettings
from lemmata.daemon.store import TERMINAL, Job, QueueFull, Store
from lemmata.daemon.supervisor import Workers
from lemmata.verifiers.errors import LemmataError
from lemmata.verifiers.process import network_isolation
from lemmata.watcher import Keeper


class _BodyLimit:
    """ASGI middleware: a request body over ``limit`` bytes (declared or streamed) gets 413."""

    def __init__(self, app, limit: int) -> None:
        self.app = app
        self.limit = limit

    async def __call__(self, scope, receive, send) -> None:
        if scope["type"] != "http":
            return await self.app(scope, receive, send)
        declared = dict(scope.get("headers") or []).get(b"content-length")
        if declared is not None and declared.isdigit() and int(declared) > self.limit:
            return await self._refuse(send)
        seen = 0

        async def counted():
            nonlocal seen
            message = await receive()
            if message["type"] == "http.request":
                seen += len(message.get("body", b""))
                if seen > self.limit:
                    raise _TooLarge()
            return message

        try:
            await self.app(scope, counted, send)
        except _TooLarge:
            await self._refuse(send)

    async def _refuse(self, send) -> None:
        body = json.dumps({"detail": f"the request body is larger than {self.limit} bytes"}).encode()
        await send({"type": "http.response.start", "status": 413,
                    "headers": [(b"content-type", b"application/json"), (b"content-length", str(len(body)).encode())]})
        await send({"type": "http.response.body", "body": body})


class _TooLarge(Exception):
    pass


class _StoreCollector:
    """Prometheus metrics read from the store at scrape time (the workers are other processes)."""

    def __init__(self, store: Store, workers: Workers | None) -> None:
        self.store = store
        self.workers = workers

    def collect(self):
        jobs_family = GaugeMetricFamily("lemmata_jobs", "Jobs in the store by kind and status", labels=["kind", "status"])
        for (kind, status), n in sorted(self.store.counts().items()):
            jobs_family.add_metric([kind, status], n)
        yield jobs_family
        if self.workers is not None:
            yield GaugeMetricFamily("lemmata_workers_alive", "Worker processes alive", value=self.workers.alive())
            yield GaugeMetricFamily("lemmata_workers_replaced", "Workers replaced since the daemon started",
                                    value=self.workers.replaced)
        warm = GaugeMetricFamily("lemmata_warm_sessions", "Warm checker sessions a worker holds", labels=["worker"])
        for worker in self.store.workers(since=time.time() - 60):
            warm.add_metric([worker["name"]], len(worker["sessions"]))
        yield warm


def _found(job: Job | None, job_id: str) -> Job:
    """``job``, or 404: a job that does not exist and another token's job look the same."""
    if job is None:
        raise HTTPException(404, f"no job {job_id}")
    return job


def create_app(settings: ServeSettings, store: Store, workers: Workers | None = None,
               keeper: Keeper | None = None) -> FastAPI:
    """The API over ``store``; ``workers`` (None in tests of the API alone) reports the workers, ``keeper``
    the project `serve --watch` keeps green."""
    app = FastAPI(title="Lemmata", version=lemmata.__version__,
                  description="Check, prove, decide and verify with real checkers: jobs on a durable queue.")
    registry = CollectorRegistry()
    registry.register(_StoreCollector(store, workers))
    submitted = Counter("lemmata_jobs_submitted", "Jobs accepted by the API", ["kind"], registry=registry)
    refused = Counter("lemmata_submissions_refused", "Submissions refused", ["why"], registry=registry)

    def owner(authorization: str | None = Header(default=None)) -> str:
        scheme, _, token = (authorization or "").partition(" ")
        name = store.owner_of(token.strip()) if scheme.lower() == "bearer" and token.strip() else None
        if name is None:
            raise HTTPException(401, "a valid bearer token is required (lemmata token create NAME)",
                                headers={"WWW-Authenticate": "Bearer"})
        return name

    @app.exception_handler(LemmataError)
    async def usage_error(request: Request, exc: LemmataError) -> JSONResponse:
        return JSONResponse({"detail": str(exc)}, status_code=400)

    @app.post("/v1/jobs", status_code=201, summary="Submit a job: check, prove, repair, smt or steps")
    def submit(request: jobs.JobRequest, response: Response, who: str = Depends(owner),
               idempotency_key: str | None = Header(default=None, max_length=200)) -> dict[str, Any]:
        try:
            jobs.validate(request)
        except LemmataError:
            refused.labels("invalid").inc()
            raise
        timeout = min(request.timeout or settings.default_job_seconds, settings.max_job_seconds)
        try:
            job, created = store.submit(who, request.kind, request.model_dump(mode="json"), timeout=timeout,
                                        max_queue=settings.max_queue, idempotency_key=idempotency_key,
                                        session_key=jobs.session_key(request))
        except QueueFull as exc:
            refused.labels("queue full").inc()
            raise HTTPException(429, str(exc), headers={"Retry-After": "5"}) from None
        if created:
            submitted.labels(request.kind).inc()
        else:
            response.status_code = 200
        return job.view()

    @app.get("/v1/jobs", summary="List my jobs, newest first")
    def list_jobs(who: str = Depends(owner), status: str | None = None,
                  limit: int = Query(default=100, ge=1, le=1000)) -> list[dict[str, Any]]:
        return [job.view() for job in store.list(who, status=status, limit=limit)]

    @app.get("/v1/jobs/{job_id}", summary="A job: its status and, when done, its result")
    def get_job(job_id: str, who: str = Depends(owner)) -> dict[str, Any]:
        return _found(store.get(job_id, who), job_id).view()

    @app.post("/v1/jobs/{job_id}/cancel", summary="Cancel a queued or running job")
    def cancel(job_id: str, who: str = Depends(owner)) -> dict[str, Any]:
        return _found(store.cancel(job_id, who), job_id).view()

    @app.get("/v1/jobs/{job_id}/events", summary="Server-sent events: the job's progress until it ends")
    async def events(job_id: str, who: str = Depends(owner),
                     last_event_id: str | None = Header(default=None)) -> StreamingResponse:
        _found(await run_in_threadpool(store.get, job_id, who), job_id)

        async def stream():
            after = int(last_event_id) if last_event_id and last_event_id.isdigit() else 0
            while True:
                batch = await run_in_threadpool(store.events, job_id, after)
                for event in batch:
                    after = event["seq"]
                    yield f"id: {after}\nevent: {event['event']}\ndata: {json.dumps(event)}\n\n"
                job = await run_in_threadpool(store.get, job_id)
                if not batch and (job is None or job.status in TERMINAL):
                    return
                if not batch:
                    yield ": waiting\n\n"
                    await asyncio.sleep(0.25)

        return StreamingResponse(stream(), media_type="text/event-stream", headers={"Cache-Control": "no-cache"})

    @app.get("/", response_class=HTMLResponse, summary="Status page: queue, running jobs, recent results, workers")
    def status() -> HTMLResponse:
        return HTMLResponse(status_page.render(store, workers, keeper))

    @app.get("/healthz", summary="Liveness: the store answers, how many workers are alive")
    def healthz() -> dict[str, Any]:
        counts = store.counts()
        return {"status": "ok", "version": lemmata.__version__,
                "workers": workers.alive() if workers is not None else None,
                "queued": sum(n for (_, s), n in counts.items() if s == "queued"),
                "running": sum(n for (_, s), n in counts.items() if s == "running"),
                "network_isolation": (network_isolation() or "not available on this platform")
                if settings.isolate_network else "off"}

    @app.get("/metrics", summary="Prometheus metrics")
    def metrics() -> Response:
        return Response(generate_latest(registry), media_type=CONTENT_TYPE_LATEST)

    app.add_middleware(_BodyLimit, limit=settings.max_body_bytes)
    return app


__all__ = ["create_app"]
