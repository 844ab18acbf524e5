"""The OpenAPI document: committed as served, and fuzzed with schemathesis against the real
server (no 5xx, responses as documented)."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
import schemathesis
from hypothesis import HealthCheck, given
from hypothesis import settings as hypothesis_settings
from schemathesis import APIOperation, GenerationMode
from schemathesis.specs.openapi.checks import positive_data_acceptance

from api_support import KEY, LiveServer, live_server, settings
from archml.api.openapi import openapi_text

DOCS = Path(__file__).resolve().parents[1] / "docs" / "openapi.json"


def test_committed_openapi_is_current() -> None:
    assert DOCS.read_text(encoding="utf-8") == openapi_text(), (
        "regenerate: python -m archml.api.openapi > docs/openapi.json")


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveServer]:
    with live_server(settings(tmp_path_factory.mktemp("fuzz"), queue_size=4)) as live:
        yield live


def test_served_openapi_is_the_committed_one(server: LiveServer) -> None:
    assert httpx.get(f"{server.url}/openapi.json").json() == json.loads(openapi_text())


def fuzz(server: LiveServer, examples: int, mode: GenerationMode) -> None:
    """Every operation, ``examples`` generated requests each, with every default check (no
    5xx; status codes, content types, headers and bodies as documented; invalid requests
    rejected) but one: schema-valid bytes need not be a readable document, so a valid request
    may still get 413/415/422. (Schemathesis' pytest plugin does not run under pytest 9, so
    Hypothesis drives it here.)"""
    schema = schemathesis.openapi.from_url(f"{server.url}/openapi.json")
    auth = {"Authorization": f"Bearer {KEY}"}
    for operation in (result.ok() for result in schema.get_all_operations()):

        @given(case=operation.as_strategy(mode))
        @hypothesis_settings(max_examples=examples, deadline=None, derandomize=True,
                             suppress_health_check=list(HealthCheck), database=None)
        def check(case: schemathesis.Case) -> None:
            case.call_and_validate(headers=auth, timeout=60,
                                   excluded_checks=[positive_data_acceptance])

        if mode == GenerationMode.NEGATIVE and not _has_inputs(operation):
            continue  # nothing to make invalid
        check()


def _has_inputs(operation: APIOperation) -> bool:
    return bool(list(operation.iter_parameters()) or operation.get_request_payload_content_types())


@pytest.mark.parametrize("mode", [GenerationMode.POSITIVE, GenerationMode.NEGATIVE])
def test_fuzz_quick(server: LiveServer, mode: GenerationMode) -> None:
    fuzz(server, 6, mode)


@pytest.mark.slow
@pytest.mark.parametrize("mode", [GenerationMode.POSITIVE, GenerationMode.NEGATIVE])
def test_fuzz_long(server: LiveServer, mode: GenerationMode) -> None:
    fuzz(server, 150, mode)
