"""The HTTP API over real HTTP: a uvicorn server on loopback, driven with httpx."""

from __future__ import annotations

import base64
import concurrent.futures
import hashlib
import io
import json
import logging
import shutil
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from typer.testing import CliRunner

from api_support import (
    DOCS_KEY,
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
from archml.api import create_app
from archml.cli import app as cli
from archml.document import Box, Word
from archml.errors import ModelMismatch
from archml.pdfwriter import PageContent, write_pdf
from archml.result import Result
from archml.taxonomy import TAXONOMY_VERSION, Domain

MAX_UPLOAD = 2 << 20


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveServer]:
    tmp = tmp_path_factory.mktemp("api")
    with live_server(settings(tmp, max_upload_bytes=MAX_UPLOAD, max_pages=2)) as live:
        yield live


@pytest.fixture
def http(server: LiveServer) -> Iterator[httpx.Client]:
    with client(server) as c:
        yield c


def post_file(http: httpx.Client, data: bytes, name: str = "scan.pdf",
              params: dict[str, str] | None = None, mime: str = "application/pdf",
              ) -> httpx.Response:
    return http.post("/v1/documents", files={"file": (name, data, mime)}, params=params)


def error_code(response: httpx.Response) -> str:
    body = response.json()
    assert set(body) == {"error", "request_id"}
    assert body["request_id"] == response.headers["x-request-id"]
    return body["error"]["code"]


def test_health_and_readiness_need_no_key(server: LiveServer) -> None:
    assert httpx.get(f"{server.url}/healthz").json() == {"status": "ok"}
    ready = httpx.get(f"{server.url}/readyz", headers={"X-Request-ID": "abc-123"})
    assert ready.json() == {"status": "ready"}
    assert ready.headers["x-request-id"] == "abc-123"


def test_multipart_pdf_gives_the_library_result(http: httpx.Client) -> None:
    response = post_file(http, sample_pdf(), "vbhc13.pdf")
    assert response.status_code == 200, response.text
    result = Result.model_validate(response.json())
    assert result.status == "ok"
    assert result.source.pages == 2
    assert result.source.path == "vbhc13.pdf"
    assert result.source.sha256 == hashlib.sha256(sample_pdf()).hexdigest()
    assert result.classification is not None
    assert result.classification.form.label == "07"
    assert {"codeNumber", "codeNotation", "issuedDate", "organName"} <= set(result.fields)
    assert "document" not in response.json()


def test_json_base64_png_with_field_filter_and_ocr(http: httpx.Client) -> None:
    body = {"content_base64": base64.b64encode(tiny_png()).decode(), "name": "../../etc/passwd"}
    response = http.post("/v1/documents", json=body,
                         params={"fields": "numberOfPage,codeNumber", "ocr": "include"})
    assert response.status_code == 200, response.text
    data = response.json()
    assert data["source"]["path"] == "passwd"  # a label only, never a path
    assert data["source"]["mime"] == "image/png"
    assert set(data["fields"]) <= {"numberOfPage", "codeNumber"}
    assert "numberOfPage" in data["fields"]
    assert len(data["document"]["pages"]) == 1
    Result.model_validate({k: v for k, v in data.items() if k != "document"})


@pytest.mark.parametrize("headers", [{}, {"Authorization": "Bearer wrong"},
                                     {"Authorization": f"Basic {KEY}"}])
def test_missing_or_unknown_key_is_401(server: LiveServer, headers: dict[str, str]) -> None:
    response = httpx.post(f"{server.url}/v1/documents", headers=headers,
                          files={"file": ("a.png", tiny_png())})
    assert response.status_code == 401
    assert response.headers["www-authenticate"] == "Bearer"
    assert error_code(response) == "unauthorized"


def test_key_without_the_scope_is_403(server: LiveServer) -> None:
    with client(server, DOCS_KEY) as http:
        assert error_code(http.get("/v1/models")) == "forbidden"
        response = http.post("/v1/jobs", files={"files": ("a.png", tiny_png())})
        assert response.status_code == 403
        assert http.get("/v1/jobs/" + "0" * 32).status_code == 403


def test_oversized_upload_is_413(http: httpx.Client) -> None:
    big = b"\x89PNG\r\n\x1a\n" + bytes(MAX_UPLOAD)
    response = post_file(http, big, "big.png", mime="image/png")
    assert response.status_code == 413
    assert error_code(response) == "input_too_large"
    encoded = base64.b64encode(big).decode()
    assert http.post("/v1/documents", json={"content_base64": encoded}).status_code == 413


def test_too_many_pages_is_413(http: httpx.Client) -> None:
    page = PageContent(600, 800, 100, [Word(text="Trang", box=Box(100, 100, 200, 130))])
    buffer = io.BytesIO()
    write_pdf([page, page, page], buffer, mode="text")
    response = post_file(http, buffer.getvalue())
    assert response.status_code == 413
    assert error_code(response) == "too_many_pages"


def test_unsupported_content_is_415_whatever_the_client_claims(http: httpx.Client) -> None:
    response = post_file(http, b"just some text, not a scan", "letter.pdf")
    assert response.status_code == 415
    assert error_code(response) == "unsupported_input"
    assert "a text file" in response.json()["error"]["message"]
    plain = http.post("/v1/documents", content=sample_pdf(),
                      headers={"Content-Type": "application/pdf"})
    assert error_code(plain) == "unsupported_media_type"


@pytest.mark.parametrize(("kwargs", "code"), [
    ({"content": b"{not json", "headers": {"Content-Type": "application/json"}}, "invalid_json"),
    ({"json": {"content_base64": "@@@not base64@@@"}}, "invalid_base64"),
    ({"json": {"data": "AAAA"}}, "invalid_json"),
    ({"json": {"content_base64": ""}}, "empty_input"),
    ({"json": {"content_base64": base64.b64encode(b"%PDF-1.7\n garbage").decode()}},
     "corrupt_input"),
    ({"files": {"other": ("a.png", b"x")}}, "missing_file"),
    ({"files": {"file": ("a.png", tiny_png())}, "params": {"fields": "codeNumber,nope"}},
     "unknown_field"),
    ({"files": {"file": ("a.png", tiny_png())}, "params": {"ocr": "yes"}}, "invalid_request"),
    ({"files": {"file": ("a.png", tiny_png())}, "params": {"feilds": "codeNumber"}},
     "unknown_parameter"),
])
def test_bad_requests_are_422(http: httpx.Client, kwargs: dict, code: str) -> None:
    response = http.post("/v1/documents", **kwargs)
    assert response.status_code == 422, response.text
    assert error_code(response) == code


def test_rate_limit_is_429_with_retry_after(server: LiveServer) -> None:
    with client(server, SLOW_KEY) as http:
        statuses = [http.get("/v1/models").status_code for _ in range(3)]
        assert statuses == [200, 200, 429]
        limited = http.get("/v1/models")
        assert error_code(limited) == "rate_limited"
        assert int(limited.headers["retry-after"]) >= 1


def test_full_queue_is_429_not_a_wait(http: httpx.Client) -> None:
    pdf = sample_pdf()
    with concurrent.futures.ThreadPoolExecutor(4) as pool:
        responses = list(pool.map(lambda _: post_file(http, pdf), range(4)))
    statuses = sorted(r.status_code for r in responses)
    assert statuses[0] == 200 and statuses[-1] == 429, statuses
    assert {error_code(r) for r in responses if r.status_code == 429} == {"queue_full"}


def test_slow_document_is_504(server: LiveServer, http: httpx.Client) -> None:
    api_settings = server.app.state.api.settings
    api_settings.request_timeout = 0.001
    try:
        response = post_file(http, sample_pdf())
    finally:
        api_settings.request_timeout = 120.0
    assert response.status_code == 504
    assert error_code(response) == "timeout"
    pool = server.app.state.api.running.pool
    deadline = time.monotonic() + 30
    while pool.in_flight and time.monotonic() < deadline:  # the work goes on, holding its slot
        time.sleep(0.02)
    assert pool.in_flight == 0


def test_models_report_the_rule_pipeline(http: httpx.Client) -> None:
    [model] = http.get("/v1/models").json()["models"]
    assert model["id"] == "rules"
    assert model["taxonomy_version"] == TAXONOMY_VERSION
    assert model["labels"]["domain"] == [d.value for d in Domain]
    assert "codeNumber" in model["labels"]["fields"]
    assert model["stages"][-1] == "rules"


def test_secret_document_is_flagged(http: httpx.Client) -> None:
    data = post_file(http, secret_pdf()).json()
    assert data["fields"]["secrecy"]["value"] == "MẬT"
    assert data["needs_review"] is True
    assert any("độ mật: MẬT" in reason for reason in data["review_reasons"])


def test_metrics_count_requests_pages_and_errors(server: LiveServer, http: httpx.Client) -> None:
    post_file(http, sample_pdf())
    post_file(http, b"not a scan")
    text = httpx.get(f"{server.url}/metrics").text
    assert 'archml_http_requests_total{method="POST",route="/v1/documents",status="200"}' in text
    assert 'archml_errors_total{type="unsupported_input"}' in text
    assert "archml_worker_documents_in_flight 0.0" in text
    assert 'archml_http_request_duration_seconds_bucket{le="0.5",method="POST"' in text
    pages = next(line for line in text.splitlines()
                 if line.startswith("archml_pages_processed_total"))
    assert float(pages.split()[-1]) >= 2


def test_access_log_has_request_ids_and_no_content(http: httpx.Client,
                                                   caplog: pytest.LogCaptureFixture) -> None:
    with caplog.at_level(logging.INFO, logger="archml.api.access"):
        response = post_file(http, secret_pdf(), "mật.pdf", params={"fields": "secrecy"})
        deadline = time.monotonic() + 5  # the server thread logs once the response is sent
        while not [r for r in caplog.records if r.name == "archml.api.access"] \
                and time.monotonic() < deadline:
            time.sleep(0.05)
    [record] = [r for r in caplog.records if r.name == "archml.api.access"]
    entry = record.access  # type: ignore[attr-defined]
    assert entry["request_id"] == response.headers["x-request-id"]
    assert entry["route"] == "/v1/documents" and entry["status"] == 200
    assert entry["key"] == "archive"
    logged = json.dumps(entry, ensure_ascii=False)
    assert KEY not in logged and "MẬT" not in logged and "secrecy" not in logged


@pytest.fixture(scope="module")
def model_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    pytest.importorskip("transformers")
    from model_support import exported_model_dir

    return exported_model_dir(tmp_path_factory.mktemp("model") / "onnx", n_docs=2)


def test_model_directory_is_verified_at_start_up(tmp_path: Path, model_dir: Path) -> None:
    folder = tmp_path / "model"
    shutil.copytree(model_dir, folder)
    (folder / "model.onnx").write_bytes(b"changed")
    with pytest.raises(ModelMismatch, match=r"model\.onnx has SHA-256"):
        create_app(settings(tmp_path, model=folder))
    with pytest.raises(ModelMismatch, match=r"archml-model\.json is missing"):
        create_app(settings(tmp_path, model=tmp_path))


def test_refuse_policy_and_model_directory(tmp_path: Path, model_dir: Path) -> None:
    with live_server(settings(tmp_path, secrecy="refuse", model=model_dir)) as server, \
            client(server) as http:
        [model] = http.get("/v1/models").json()["models"]
        onnx = hashlib.sha256((model_dir / "model.int8.onnx").read_bytes()).hexdigest()
        assert (model["id"], model["version"]) == ("test", onnx[:12])
        assert model["checksums"]["model.int8.onnx"] == onnx
        assert model["labels"]["fields"] == ["codeNumber", "codeNotation", "issuedDate",
                                             "subject"]
        refused = post_file(http, secret_pdf())
        assert refused.status_code == 451
        assert error_code(refused) == "secret_document"
        assert "Về việc" not in refused.text
        assert post_file(http, sample_pdf()).status_code == 200


def test_serve_refuses_to_start_without_keys_or_with_a_bad_model(tmp_path: Path) -> None:
    runner = CliRunner()
    no_keys = runner.invoke(cli, ["serve"])
    assert no_keys.exit_code == 2 and "no API keys configured" in " ".join(no_keys.output.split())
    config = tmp_path / "api.json"
    config.write_text(settings(tmp_path).model_dump_json(), encoding="utf-8")
    bad_model = runner.invoke(cli, ["serve", "--config", str(config), "--model", str(tmp_path)])
    assert bad_model.exit_code == 2
    assert "archml-model.json is missing" in " ".join(bad_model.output.split())
