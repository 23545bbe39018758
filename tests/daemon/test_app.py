"""The HTTP API over a store, without workers (FastAPI's test client): auth, validation, limits, the pages."""

import json

import pytest
from fastapi.testclient import TestClient

from lemmata.daemon.app import create_app
from lemmata.daemon.settings import ServeSettings
from lemmata.daemon.store import Store

PROOF = "Theorem t : 1 + 1 = 2.\nProof. reflexivity. Qed.\n"


@pytest.fixture
def api(tmp_path):
    settings = ServeSettings(db=tmp_path / "serve.db", max_queue=3, max_body_bytes=10_000)
    store = Store(settings.db)
    tokens = {name: store.create_token(name) for name in ("alice", "bob")}
    client = TestClient(create_app(settings, store))
    client.auth_for = lambda name: {"Authorization": f"Bearer {tokens[name]}"}
    client.store = store
    return client


def check(proof=PROOF, **extra):
    return {"kind": "check", "language": "coq", "proof": proof, **extra}


def test_submit_get_list_cancel(api):
    made = api.post("/v1/jobs", json=check(), headers=api.auth_for("alice"))
    assert made.status_code == 201 and made.json()["status"] == "queued"
    job_id = made.json()["id"]
    assert api.get(f"/v1/jobs/{job_id}", headers=api.auth_for("alice")).json()["kind"] == "check"
    assert [j["id"] for j in api.get("/v1/jobs", headers=api.auth_for("alice")).json()] == [job_id]
    assert api.post(f"/v1/jobs/{job_id}/cancel", headers=api.auth_for("alice")).json()["status"] == "cancelled"
    events = api.get(f"/v1/jobs/{job_id}/events", headers=api.auth_for("alice"))
    assert events.headers["content-type"].startswith("text/event-stream")
    assert [json.loads(line[6:])["event"] for line in events.text.splitlines() if line.startswith("data: ")] == \
        ["queued", "finished"]


def test_no_token_wrong_token_and_someone_elses_job(api):
    job_id = api.post("/v1/jobs", json=check(), headers=api.auth_for("alice")).json()["id"]
    assert api.post("/v1/jobs", json=check()).status_code == 401
    assert api.get("/v1/jobs", headers={"Authorization": "Bearer lmt_nope"}).status_code == 401
    assert api.get("/v1/jobs", headers={"Authorization": "Basic x"}).status_code == 401
    for path in (f"/v1/jobs/{job_id}", f"/v1/jobs/{job_id}/events"):
        assert api.get(path, headers=api.auth_for("bob")).status_code == 404
    assert api.post(f"/v1/jobs/{job_id}/cancel", headers=api.auth_for("bob")).status_code == 404
    assert api.get("/v1/jobs", headers=api.auth_for("bob")).json() == []


@pytest.mark.parametrize("body, status, message", [
    ("{not json", 422, "JSON"),
    (json.dumps({"kind": "check"}), 422, "language"),
    (json.dumps({"kind": "repair!", "language": "coq"}), 422, "kind"),
    (json.dumps(check(language="cobol")), 400, "unknown language 'cobol'"),
    (json.dumps(check(proof="Theorem \u0000")), 400, "binary"),
    (json.dumps(check(timeout=-1)), 422, "timeout"),
    (json.dumps({"kind": "steps", "problem": "", "steps": []}), 400, "non-empty"),
    (json.dumps(check(proof="x" * 20_000)), 413, "larger than 10000 bytes"),
    # a checker must not read or write outside the document for a stranger
    (json.dumps(check(proof='Redirect "/tmp/out" Print nat.\n' + PROOF)), 400, "'Redirect' at line 1"),
    (json.dumps(check(proof='Load "/etc/passwd".\n' + PROOF)), 400, "'Load' at line 1"),
    (json.dumps(check(proof=PROOF + 'Cd "/".\n')), 400, "'Cd' at line 3"),
    (json.dumps(check(proof='Add LoadPath "/etc" as E.\n' + PROOF)), 400, "'Add LoadPath'"),
    (json.dumps(check(proof='Declare ML Module "evil".\n' + PROOF)), 400, "'Declare ML Module'"),
    (json.dumps(check(proof=PROOF + 'Extraction "/tmp/x.ml" nat.\n')), 400, "'Extraction'"),
    (json.dumps(check(proof='From Coq Extra Dependency "/etc/passwd" as pw.\n' + PROOF)), 400, "Extra Dependency"),
    (json.dumps(check(statement='Load "x".\n' + PROOF)), 400, "'Load'"),
    (json.dumps({"kind": "smt", "language": "coq", "statement": 'Time Load "x".\n' + PROOF}), 400, "'Load'"),
])
def test_bad_input_gets_a_4xx_with_a_message_and_nothing_is_queued(api, body, status, message):
    answer = api.post("/v1/jobs", content=body, headers={**api.auth_for("alice"), "Content-Type": "application/json"})
    assert answer.status_code == status, answer.text
    assert message in json.dumps(answer.json()["detail"])
    assert api.store.counts() == {}


def test_idempotency_and_back_pressure(api):
    headers = {**api.auth_for("alice"), "Idempotency-Key": "retry-1"}
    first = api.post("/v1/jobs", json=check(), headers=headers)
    again = api.post("/v1/jobs", json=check(), headers=headers)
    assert (first.status_code, again.status_code) == (201, 200) and first.json()["id"] == again.json()["id"]
    for _ in range(2):
        assert api.post("/v1/jobs", json=check(), headers=api.auth_for("alice")).status_code == 201
    full = api.post("/v1/jobs", json=check(), headers=api.auth_for("bob"))
    assert full.status_code == 429 and full.headers["Retry-After"] == "5" and "limit is 3" in full.json()["detail"]


def test_health_metrics_status_page_and_schema(api):
    job_id = api.post("/v1/jobs", json=check(), headers=api.auth_for("alice")).json()["id"]
    assert api.get("/healthz").json()["queued"] == 1
    metrics = api.get("/metrics").text
    assert 'lemmata_jobs{kind="check",status="queued"} 1.0' in metrics
    assert 'lemmata_jobs_submitted_total{kind="check"} 1.0' in metrics
    page = api.get("/")
    assert page.status_code == 200 and "<h2>Queue</h2>" in page.text and PROOF not in page.text
    claimed = api.store.claim("w0", 30)
    api.store.finish(job_id, claimed.lease, "done", result={"verdict": "accepted"})
    page = api.get("/").text
    assert f'id="job-{job_id}"' in page and "accepted" in page
    assert "/v1/jobs/{job_id}/events" in api.get("/openapi.json").json()["paths"]
