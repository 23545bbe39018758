"""The proof service: `lemmata serve` (HTTP API over a durable SQLite job queue, worker processes) and its client.

``settings`` (env-driven configuration), ``store`` (jobs, events, tokens in SQLite), ``jobs`` (request
types and how each kind of job runs through the public API), ``worker`` (one worker process),
``supervisor`` (starts, watches and replaces workers; enforces time limits and cancels), ``app`` (the
FastAPI routes), ``status_page`` (the HTML page at ``/``), ``server`` (`lemmata serve`), ``client`` (``lemmata.Client``).
"""
