"""Prometheus metrics, in a registry of their own per app (served at ``GET /metrics``)."""

from __future__ import annotations

from prometheus_client import CollectorRegistry, Counter, Gauge, Histogram, generate_latest

LATENCY_BUCKETS = (0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300)


class Metrics:
    """Requests, latency, documents, pages, errors by type, queue depth and jobs."""

    def __init__(self) -> None:
        self.registry = CollectorRegistry()
        r = self.registry
        self.requests = Counter("archml_http_requests", "HTTP requests",
                                ["method", "route", "status"], registry=r)
        self.latency = Histogram("archml_http_request_duration_seconds", "Request latency",
                                 ["method", "route"], buckets=LATENCY_BUCKETS, registry=r)
        self.documents = Counter("archml_documents_processed", "Documents processed",
                                 ["status"], registry=r)
        self.pages = Counter("archml_pages_processed", "Pages processed", registry=r)
        self.errors = Counter("archml_errors", "Errors answered, by error code", ["type"],
                              registry=r)
        self.in_flight = Gauge("archml_worker_documents_in_flight",
                               "Documents in the worker pool (running or queued)", registry=r)
        self.jobs_active = Gauge("archml_jobs_unfinished", "Jobs queued or running",
                                 registry=r)

    def render(self) -> bytes:
        return generate_latest(self.registry)
