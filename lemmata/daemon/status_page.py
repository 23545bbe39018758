"""The status page at ``/``: the queue, running jobs and their stage, recent results, workers and their warm
sessions (per header), throughput.

Plain server-rendered HTML that refreshes itself: no build step, no script.
It shows what jobs are doing, never what they hold (no request text, no owner).
"""

from __future__ import annotations

import html
import time

from lemmata.daemon.store import Store
from lemmata.daemon.supervisor import Workers
from lemmata.watcher import Keeper

STYLE = ("body{font-family:system-ui,sans-serif;margin:2em;color:#222}table{border-collapse:collapse;margin:.5em 0 1.5em}"
         "td,th{border:1px solid #ccc;padding:.25em .6em;text-align:left}th{background:#f3f3f3}"
         ".done,.ok{color:#070}.failed,.failing,.blocked{color:#a00}.repaired{color:#a60}.cancelled{color:#777}.running{color:#05a}")


def _table(headers: list[str], rows: list[list[str]], empty: str) -> str:
    if not rows:
        return f"<p>{html.escape(empty)}</p>"
    head = "".join(f"<th>{html.escape(h)}</th>" for h in headers)
    body = "".join("<tr>" + "".join(f"<td>{cell}</td>" for cell in row) + "</tr>" for row in rows)
    return f"<table><tr>{head}</tr>{body}</table>"


def _status(status: str) -> str:
    return f'<span class="{html.escape(status)}">{html.escape(status)}</span>'


def _project(keeper: Keeper | None) -> str:
    if keeper is None:
        return ""
    rows = [[html.escape(r.file), _status(r.status), str(r.broken), str(r.repaired), str(r.failing), html.escape(r.note)]
            for r in keeper.last]
    return (f"<h2>Project {html.escape(str(keeper.project.root))}</h2>"
            + _table(["file", "status", "lemmas broken", "repaired", "still failing", "note"], rows,
                     "The first check of the project is running."))


def render(store: Store, workers: Workers | None, keeper: Keeper | None = None) -> str:
    now = time.time()
    counts = store.counts()
    kinds = sorted({k for k, _ in counts})
    statuses = ["queued", "running", "done", "failed", "cancelled"]
    queue = _table(["kind", *statuses], [[html.escape(k), *(str(counts.get((k, s), 0)) for s in statuses)]
                                         for k in kinds], "No jobs yet.")
    running = []
    for job in store.running():
        last = store.last_event(job.id) or {}
        stage = (last.get("data") or {}).get("stage") or last.get("event", "")
        running.append([f'<code id="job-{job.id}">{job.id[:12]}</code>', html.escape(job.kind), html.escape(str(stage)),
                        f"{now - (job.started or now):.1f} s", html.escape(job.worker or "")])
    recent = [[f'<code id="job-{job.id}">{job.id[:12]}</code>', html.escape(job.kind), _status(job.status),
               f"{(job.finished or now) - (job.started or job.created):.2f} s",
               html.escape((job.result or {}).get("verdict") or (job.result or {}).get("status") or job.error or "")
               if isinstance(job.result, dict) or job.error else ""]
              for job in store.recent(20)]
    alive = f"{workers.alive()} alive, {workers.replaced} replaced" if workers is not None else "n/a"
    warm = [[html.escape(w["name"]), html.escape(str(s["language"])),
             "<code>" + html.escape(str(s["header"]) or "(none)").replace("\n", "<br>") + "</code>",
             html.escape(str(s["statement"] or "")), str(s["checks"])]
            for w in store.workers(since=now - 60) for s in w["sessions"]]
    return (f"<!doctype html><html><head><meta charset=\"utf-8\"><meta http-equiv=\"refresh\" content=\"2\">"
            f"<title>Lemmata</title><style>{STYLE}</style></head><body><h1>Lemmata</h1>"
            f"<p>Workers: {alive}. Finished in the last minute: {store.finished_since(now - 60)}, "
            f"in the last hour: {store.finished_since(now - 3600)}.</p>"
            f"<h2>Queue</h2>{queue}"
            f"<h2>Running</h2>{_table(['job', 'kind', 'stage', 'for', 'worker'], running, 'Nothing is running.')}"
            f"<h2>Recent results</h2>{_table(['job', 'kind', 'status', 'took', 'outcome'], recent, 'No results yet.')}"
            f"<h2>Warm sessions</h2>"
            f"{_table(['worker', 'language', 'header', 'statement', 'checks'], warm, 'No warm sessions yet.')}"
            f"{_project(keeper)}"
            f"<p><a href=\"/docs\">API docs</a> · <a href=\"/metrics\">metrics</a></p></body></html>")


__all__ = ["render"]
