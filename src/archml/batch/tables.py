"""A batch's results as tables: JSON lines, Parquet, the TT05 catalogue CSV, the review queue."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Sequence
from typing import Any

from archml.batch.layout import OutputLayout
from archml.batch.review import ReviewItem, review_queue
from archml.files import write_atomic
from archml.result import Label, Result
from archml.tabular import to_csv
from archml.taxonomy import FIELDS

Keyed = Sequence[tuple[str, Result]]


def result_row(key: str, result: Result) -> dict[str, Any]:
    """One flat row: identity, classification, review state, error, then one ``field.<name>``
    column per catalogue field (the normalised value as text, empty when not found)."""
    c = result.classification
    row: dict[str, Any] = {
        "key": key, "status": result.status, "path": result.source.path,
        "sha256": result.source.sha256, "pages": result.source.pages,
        **_label("domain", c.domain if c else None),
        **_label("form", c.form if c else None),
        **_label("doc_type", c.doc_type if c else None),
        "method": c.method if c else None,
        "needs_review": result.needs_review,
        "review_reasons": list(result.review_reasons),
        "error_type": result.error.type if result.error else None,
        "error_message": result.error.message if result.error else None,
        "model": (result.provenance.model or {}).get("id"),
        "archml_version": result.provenance.archml_version,
    }
    for spec in FIELDS:
        field = result.fields.get(spec.name)
        row[f"field.{spec.name}"] = None if field is None else _text(field.value)
    return row


def _label(prefix: str, label: Label | None) -> dict[str, Any]:
    return {prefix: label.label if label else None, f"{prefix}_name": label.name if label else None,
            f"{prefix}_confidence": label.confidence if label else None}


def _text(value: Any) -> str | None:
    if value is None:
        return None
    if isinstance(value, str | int | float):
        return str(value)
    return json.dumps(value, ensure_ascii=False)


def write_tables(layout: OutputLayout, results: Keyed) -> dict[str, str]:
    """Write every table; returns ``{file name: path}`` of what was written."""
    keys = [key for key, _ in results]
    written = {
        layout.results_jsonl: "".join(r.model_dump_json() + "\n" for _, r in results),
        layout.catalogue_csv: to_csv(keys, [r for _, r in results]),
    }
    queue = review_queue(results)
    written[layout.review_jsonl] = "".join(
        json.dumps(item.row(), ensure_ascii=False) + "\n" for item in queue)
    written[layout.review_csv] = _review_csv(queue)
    for path, text in written.items():
        write_atomic(path, text, durable=True)
    _write_parquet(layout, results)
    return {path.name: str(path) for path in [*written, layout.results_parquet]}


def _review_csv(queue: list[ReviewItem]) -> str:
    buffer = io.StringIO()
    names = ["key", "kind", "what", "reason", "value", "confidence", "page"]
    writer = csv.DictWriter(buffer, names, lineterminator="\r\n")
    writer.writeheader()
    writer.writerows(item.row() for item in queue)
    return "\ufeff" + buffer.getvalue()


def _write_parquet(layout: OutputLayout, results: Keyed) -> None:
    import pyarrow as pa  # the [batch] extra
    import pyarrow.parquet as pq

    rows = [result_row(key, result) for key, result in results]
    table = pa.Table.from_pylist(rows, schema=_schema(pa)) if rows else _schema(pa).empty_table()
    buffer = pa.BufferOutputStream()
    pq.write_table(table, buffer)
    write_atomic(layout.results_parquet, buffer.getvalue().to_pybytes(), durable=True)


def _schema(pa: Any) -> Any:
    text, real = pa.string(), pa.float64()
    columns = [("key", text), ("status", text), ("path", text), ("sha256", text),
               ("pages", pa.int32())]
    for prefix in ("domain", "form", "doc_type"):
        columns += [(prefix, text), (f"{prefix}_name", text), (f"{prefix}_confidence", real)]
    columns += [("method", text), ("needs_review", pa.bool_()),
                ("review_reasons", pa.list_(text)), ("error_type", text),
                ("error_message", text), ("model", text), ("archml_version", text)]
    columns += [(f"field.{spec.name}", text) for spec in FIELDS]
    return pa.schema(columns)
