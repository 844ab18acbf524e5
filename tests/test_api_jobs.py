"""Jobs over real HTTP: queued, read in the background, kept in sqlite across restarts (a
graceful stop, and a killed ``archml serve`` process)."""

from __future__ import annotations

import base64
import json
import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path
from typing import Any

import httpx
import pytest

from api_support import (
    KEY,
    SLOW_KEY,
    LiveServer,
    client,
    live_server,
    sample_pdf,
    secret_pdf,
    settings,
    tiny_png,
)
from archml.api.jobs import JobStore


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveServer]:
    tmp = tmp_path_factory.mktemp("jobs")
    with live_server(settings(tmp, secrecy="refuse", max_queued_jobs=2)) as live:
        yield live


def wait_done(http: httpx.Client, url: str, timeout: float = 60) -> dict[str, Any]:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        job = http.get(url).json()
        if job["state"] == "done":
            return job
        time.sleep(0.1)
    raise TimeoutError(f"job {url} not done: {job}")


def test_multipart_job_reads_every_file(server: LiveServer) -> None:
    files = [("files", ("vbhc13.pdf", sample_pdf())), ("files", ("tiny.png", tiny_png())),
             ("files", ("secret.pdf", secret_pdf()))]
    with client(server) as http:
        created = http.post("/v1/jobs", files=files, params={"fields": "codeNumber"})
        assert created.status_code == 202, created.text
        body = created.json()
        assert body["files"] == 3 and body["state"] == "queued"
        assert created.headers["location"] == body["url"] == f"/v1/jobs/{body['id']}"
        job = wait_done(http, body["url"])
    assert job["progress"] == {"total": 3, "done": 3, "failed": 1}
    pdf, png, secret = (item["result"] for item in job["items"])
    assert [i["name"] for i in job["items"]] == ["vbhc13.pdf", "tiny.png", "secret.pdf"]
    assert pdf["status"] == "ok" and set(pdf["fields"]) == {"codeNumber"}
    assert png["status"] == "ok" and png["source"]["mime"] == "image/png"
    assert secret["status"] == "error" and secret["error"]["code"] == "secret_document"
    assert secret["fields"] == {}  # refused: no content kept


def test_json_job_and_who_may_see_it(server: LiveServer) -> None:
    documents = [{"content_base64": base64.b64encode(tiny_png()).decode(), "name": "a.png"}]
    with client(server) as http:
        url = http.post("/v1/jobs", json={"documents": documents}).json()["url"]
        job = wait_done(http, url)
        assert job["items"][0]["result"]["status"] == "ok"
        assert http.get("/v1/jobs/" + "f" * 32).status_code == 404
        assert http.get("/v1/jobs/not-an-id").status_code == 422
        assert http.post("/v1/jobs", json={"documents": []}).status_code == 422
        assert http.post("/v1/jobs", files={"files": ("x.txt", b"hello")}).status_code == 415


def test_only_the_owner_deletes_a_job_and_nothing_of_it_stays(server: LiveServer) -> None:
    documents = [{"content_base64": base64.b64encode(tiny_png()).decode(), "name": "a.png"}]
    with client(server) as http, client(server, SLOW_KEY) as other:
        url = http.post("/v1/jobs", json={"documents": documents}).json()["url"]
        wait_done(http, url)
        assert other.delete(url).status_code == 404
        assert http.delete(url).status_code == 204
        assert http.get(url).status_code == 404
        assert http.delete(url).status_code == 404
    store: JobStore = server.app.state.api.running.store
    with store._connect() as db:
        orphans = db.execute("SELECT COUNT(*) FROM items WHERE job_seq NOT IN "
                             "(SELECT seq FROM jobs)").fetchone()[0]
    assert orphans == 0 and url.rsplit("/", 1)[1] not in _job_ids(server)


def test_finished_jobs_expire_after_the_retention_period(tmp_path: Path) -> None:
    store = JobStore(tmp_path / "jobs.sqlite")
    done = store.create("k", [], {})
    store.create("k", [], {})  # still queued: never expires
    with store._transaction() as db:
        db.execute("UPDATE jobs SET state = 'done' WHERE id = ?", (done,))
    time.sleep(0.01)
    assert store.purge(timedelta(hours=1)) == 0
    assert store.purge(timedelta(0)) == 1
    assert store.get(done, "k") is None and store.unfinished() == 1
    with live_server(settings(tmp_path / "api", job_retention_hours=2 / 3600)) as live, \
            client(live) as http:  # two seconds: the server deletes it by itself
        url = http.post("/v1/jobs", files=[("files", ("a.png", tiny_png()))]).json()["url"]
        wait_done(http, url)
        deadline = time.monotonic() + 10
        while http.get(url).status_code == 200 and time.monotonic() < deadline:
            time.sleep(0.1)
        assert http.get(url).status_code == 404


def test_too_many_waiting_jobs_is_429(server: LiveServer) -> None:
    files = [("files", (f"{i}.pdf", sample_pdf())) for i in range(3)]
    with client(server) as http:
        statuses = [http.post("/v1/jobs", files=files).status_code for _ in range(3)]
        assert statuses == [202, 202, 429]
        for job_id in _job_ids(server):
            wait_done(http, f"/v1/jobs/{job_id}")


def _job_ids(server: LiveServer) -> list[str]:
    store: JobStore = server.app.state.api.running.store
    with store._connect() as db:
        return [row[0] for row in db.execute("SELECT id FROM jobs")]


def test_jobs_resume_after_a_graceful_restart(tmp_path: Path) -> None:
    files = [("files", (f"{i}.pdf", sample_pdf())) for i in range(3)]
    with live_server(settings(tmp_path)) as first, client(first) as http:
        url = http.post("/v1/jobs", files=files).json()["url"]
    with live_server(settings(tmp_path)) as second, client(second) as http:
        job = wait_done(http, url)
    assert job["progress"] == {"total": 3, "done": 3, "failed": 0}


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_cli(config: Path, port: int, log: Path) -> subprocess.Popen[bytes]:
    """``archml serve`` in its own process group, ready to serve, logging to ``log``."""
    command = [sys.executable, "-m", "archml", "serve", "--config", str(config),
               "--port", str(port), "--workers", "1"]
    with log.open("ab") as sink:
        process = subprocess.Popen(command, start_new_session=True, stderr=sink)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            if httpx.get(f"http://127.0.0.1:{port}/readyz").status_code == 200:
                return process
        except httpx.TransportError:
            time.sleep(0.1)
    process.kill()
    raise TimeoutError(log.read_text(encoding="utf-8"))


def test_jobs_survive_a_killed_server(tmp_path: Path) -> None:
    config = tmp_path / "api.json"
    config.write_text(settings(tmp_path).model_dump_json(), encoding="utf-8")
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    headers = {"Authorization": f"Bearer {KEY}"}
    files = [("files", (f"{i}.pdf", sample_pdf())) for i in range(3)]
    log = tmp_path / "serve.log"
    process = start_cli(config, port, log)
    try:
        job_url = url + httpx.post(f"{url}/v1/jobs", files=files, headers=headers,
                                   timeout=30).json()["url"]
        while httpx.get(job_url, headers=headers).json()["state"] == "queued":
            time.sleep(0.02)
        os.killpg(process.pid, signal.SIGKILL)  # the server and its workers, mid-job
        process.wait(10)
        unfinished = JobStore(tmp_path / "jobs.sqlite").unfinished()
        assert unfinished == 1
        process = start_cli(config, port, log)
        with httpx.Client(headers=headers) as http:
            job = wait_done(http, job_url)
        assert job["progress"] == {"total": 3, "done": 3, "failed": 0}
    finally:
        os.killpg(process.pid, signal.SIGTERM)
        process.wait(30)
    entries = [json.loads(line) for line in log.read_text(encoding="utf-8").splitlines()]
    assert any("resuming 1 job item(s)" in e.get("message", "") for e in entries)
    assert any(e.get("route") == "/v1/jobs/{job_id}" and e.get("key") == "archive"
               for e in entries)
