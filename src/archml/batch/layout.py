"""Where a batch job keeps everything under its output folder.

One layout for every engine, so resuming, reporting, auditing and packaging find the same files::

    OUT/
      batch.json            job manifest: source root, settings, counts, output checksums
      journal.sqlite        one row per source document (key, SHA-256, status, result checksum)
      audit.jsonl           hash-chained audit log (+ audit.jsonl.head, the chain's anchor)
      results/<key>.json    one Result per source document, written atomically
      documents/<key>.json.gz  the annotated Document tree (words, boxes, zones) of each result
      results.jsonl         every Result, one per line, in key order
      results.parquet       the same as a flat table
      catalogue.csv         TT05 catalogue columns (opens in Excel)
      review.jsonl, review.csv  documents and fields a person should check, with reasons
      report.html           charts and tables of the run

A document's ``key`` is its path relative to the collection root, with ``/`` separators.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class OutputLayout:
    """Paths of a batch output folder."""

    root: Path

    @property
    def manifest(self) -> Path:
        return self.root / "batch.json"

    @property
    def journal(self) -> Path:
        return self.root / "journal.sqlite"

    @property
    def audit(self) -> Path:
        return self.root / "audit.jsonl"

    @property
    def results_dir(self) -> Path:
        return self.root / "results"

    @property
    def documents_dir(self) -> Path:
        return self.root / "documents"

    def result(self, key: str) -> Path:
        return self.results_dir / f"{key}.json"

    def document(self, key: str) -> Path:
        return self.documents_dir / f"{key}.json.gz"

    @property
    def results_jsonl(self) -> Path:
        return self.root / "results.jsonl"

    @property
    def results_parquet(self) -> Path:
        return self.root / "results.parquet"

    @property
    def catalogue_csv(self) -> Path:
        return self.root / "catalogue.csv"

    @property
    def review_jsonl(self) -> Path:
        return self.root / "review.jsonl"

    @property
    def review_csv(self) -> Path:
        return self.root / "review.csv"

    @property
    def report(self) -> Path:
        return self.root / "report.html"
