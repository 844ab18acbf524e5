"""Write a synthetic corpus: page images, ground-truth trees, a JSONL manifest and a Parquet
dataset, in parallel and reproducibly.

Layout of ``out/``::

    manifest.jsonl        one record per document (see docs/synth.md for the schema)
    images/<id>-p<n>.png  page images (PNG without timestamps, or JPEG)
    gt/<id>.json          archml.document.Document export: pages, blocks, words, boxes, fields
    pdf/<id>.pdf          born-digital documents: a text PDF (always); others: the pages as
                          one image PDF (optional)
    dataset.parquet       optional (``datasets``): one row per page, images by path
    synth.json            the run's settings

Records are written in index order whatever ``jobs`` is, and every document depends only on
``(seed, index, config)``, so the same call gives byte-identical files.
"""

from __future__ import annotations

import hashlib
import json
import multiprocessing
import time
from collections.abc import Callable, Iterator
from concurrent.futures import ProcessPoolExecutor
from functools import partial
from pathlib import Path
from typing import Any, Literal

import cv2
import numpy as np
from PIL import Image

from archml import __version__
from archml.document import Box, DocumentSource
from archml.pdfwriter import document_to_pdf
from archml.synth.generate import SynthConfig, SynthDocument, generate_document
from archml.taxonomy import TAXONOMY_VERSION

ImageFormat = Literal["png", "jpg"]
MANIFEST_VERSION = "1"
_PDF_DATE = time.gmtime(946684800)  # 2000-01-01, fixed so PDFs are reproducible


def encode(image: np.ndarray, fmt: ImageFormat) -> bytes:
    """PNG (no timestamp chunks) or JPEG (quality 92) bytes of an RGB image."""
    bgr = cv2.cvtColor(image, cv2.COLOR_RGB2BGR)
    params = ([cv2.IMWRITE_PNG_COMPRESSION, 3] if fmt == "png"
              else [cv2.IMWRITE_JPEG_QUALITY, 92])
    ok, data = cv2.imencode(f".{fmt}", bgr, params)
    if not ok:
        raise RuntimeError(f"could not encode a {fmt} image")
    return data.tobytes()


def write_document(doc: SynthDocument, out: Path, fmt: ImageFormat = "png",
                   pdf: bool = False) -> dict[str, Any]:
    """Write ``doc``'s files under ``out`` and return its manifest record."""
    files = []
    digest = hashlib.sha256()
    size = 0
    for i, image in enumerate(doc.images):
        rel = f"images/{doc.id}-p{i}.{fmt}"
        data = encode(image, fmt)
        _write(out / rel, data)
        files.append(rel)
        digest.update(data)
        size += len(data)
    record_files: dict[str, Any] = {"pages": files}
    if doc.style.born_digital or pdf:
        rel = f"pdf/{doc.id}.pdf"
        (out / rel).parent.mkdir(parents=True, exist_ok=True)
        if doc.style.born_digital:
            document_to_pdf(doc.document, None, out / rel, mode="text")
        else:
            _write_pdf(out / rel, doc.images, doc.style.geometry.dpi)
        record_files["pdf"] = rel
    document = doc.document
    document.source = DocumentSource(path=files[0], sha256=digest.hexdigest(),
                                     mime="image/png" if fmt == "png" else "image/jpeg",
                                     size_bytes=size, n_pages=len(files))
    for page, rel in zip(document.pages, files, strict=True):
        page.source.file = rel
    gt = f"gt/{doc.id}.json"
    _write(out / gt, json.dumps(document.export(), ensure_ascii=False, sort_keys=True).encode())
    return manifest_record(doc, record_files, gt)


def manifest_record(doc: SynthDocument, files: dict[str, Any], gt: str) -> dict[str, Any]:
    """One manifest line: labels, fields with page and box, and how the pages were made."""
    cls = doc.document.classification
    assert cls is not None and cls.doc_type is not None
    fields = {}
    for name, fv in doc.document.fields.items():
        fields[name] = {"raw": fv.raw, "value": fv.value, "page": fv.page,
                        "box": list(fv.box) if fv.box else None, "method": fv.method,
                        "boxes": [[p, list(b)] for p, b in doc.field_boxes.get(name, [])]}
    return {"id": doc.id, "source": "synth", "files": files, "ground_truth": gt,
            "domain": cls.domain.label, "typeName": cls.form.label, "docType": cls.doc_type.label,
            "n_pages": len(doc.images), "fields": fields,
            "pages": [{"width": p.width, "height": p.height, "dpi": p.source.dpi}
                      for p in doc.document.pages],
            "render": doc.style.export(), "degradation": doc.degradation, "marks": doc.marks}


def _write(path: Path, data: bytes) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)


def _write_pdf(path: Path, images: list[np.ndarray], dpi: int) -> None:
    """The pages as a scanned (image-only) PDF, with fixed dates so the bytes repeat."""
    pil = [Image.fromarray(im) for im in images]
    pil[0].save(path, "PDF", save_all=True, append_images=pil[1:], resolution=float(dpi),
                creationDate=_PDF_DATE, modDate=_PDF_DATE, producer="archml.synth")


def _one(index: int, seed: int, config: SynthConfig, out: Path, fmt: ImageFormat,
         pdf: bool) -> dict[str, Any]:
    return write_document(generate_document(seed, index, config), out, fmt, pdf)


def iter_records(n: int, seed: int, out: Path, config: SynthConfig, *, jobs: int = 1,
                 fmt: ImageFormat = "png", pdf: bool = False) -> Iterator[dict[str, Any]]:
    """Generate and write documents ``0..n-1``; yields their records in index order."""
    task = partial(_one, seed=seed, config=config, out=out, fmt=fmt, pdf=pdf)
    if jobs <= 1:
        yield from map(task, range(n))
        return
    ctx = multiprocessing.get_context("spawn")
    with ProcessPoolExecutor(max_workers=jobs, mp_context=ctx) as pool:
        yield from pool.map(task, range(n), chunksize=max(1, min(8, n // (jobs * 4))))


def generate_corpus(n: int, seed: int, out: Path | str, config: SynthConfig | None = None, *,
                    jobs: int = 1, fmt: ImageFormat = "png", pdf: bool = False,
                    dataset: bool = False,
                    on_document: Callable[[dict[str, Any]], None] | None = None) -> Path:
    """Write ``n`` documents under ``out``; returns the manifest path."""
    if n < 1:
        raise ValueError(f"n must be at least 1, not {n}")
    if jobs < 1:
        raise ValueError(f"jobs must be at least 1, not {jobs}")
    if fmt not in ("png", "jpg"):
        raise ValueError(f"image format must be png or jpg, not {fmt!r}")
    config = config or SynthConfig()
    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    manifest = out / "manifest.jsonl"
    with manifest.open("w", encoding="utf-8") as fh:
        for record in iter_records(n, seed, out, config, jobs=jobs, fmt=fmt, pdf=pdf):
            fh.write(json.dumps(record, ensure_ascii=False, sort_keys=True) + "\n")
            if on_document:
                on_document(record)
    settings = {"archml": __version__, "taxonomy": TAXONOMY_VERSION,
                "manifest_version": MANIFEST_VERSION, "n": n, "seed": seed,
                "image_format": fmt, "config": {**config.__dict__, "types": list(config.types)}}
    (out / "synth.json").write_text(json.dumps(settings, ensure_ascii=False, indent=1,
                                               sort_keys=True), encoding="utf-8")
    if dataset:
        write_dataset(out)
    return manifest


def dataset_rows(out: Path) -> Iterator[dict[str, Any]]:
    """One row per page: image path, words and 0–1000 boxes, labels, the document's fields."""
    with (out / "manifest.jsonl").open(encoding="utf-8") as fh:
        for line in fh:
            rec = json.loads(line)
            gt = json.loads((out / rec["ground_truth"]).read_text(encoding="utf-8"))
            for page, image in zip(gt["pages"], rec["files"]["pages"], strict=True):
                words = [w for b in page["blocks"] for ln in b["lines"] for w in ln["words"]]
                w, h = page["width"], page["height"]
                yield {"id": rec["id"], "page": page["index"], "image": image,
                       "width": w, "height": h, "domain": rec["domain"],
                       "typeName": rec["typeName"], "docType": rec["docType"],
                       "words": [x["text"] for x in words],
                       "bboxes": [list(Box(*x["box"]).normalized(w, h)) for x in words],
                       "fields": json.dumps(rec["fields"], ensure_ascii=False, sort_keys=True)}


def write_dataset(out: Path | str) -> Path:
    """``dataset.parquet`` from a written corpus, through Hugging Face ``datasets`` (extra
    ``[train]``); load it with ``datasets.load_dataset("parquet", data_files=...)``."""
    import datasets  # lazy: only the dataset export needs them
    import pyarrow.parquet as pq

    out = Path(out)
    ds = datasets.Dataset.from_list(list(dataset_rows(out)))
    path = out / "dataset.parquet"
    pq.write_table(ds.data.table, path)
    return path
