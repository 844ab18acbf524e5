"""Rule extractor and rule classifier on the real labelled scans.

Runs OCR (the default pipeline) and :func:`archml.fields.rules.extract` on the 8 labelled admin
samples in ``data/samples`` and the 5 catalogue scans of ``data/catalogue`` (labels
from the archive's ``catalogue.xlsx``, read with openpyxl from the ``[train]`` extra), and prints
a markdown table: per field, how many documents carry a label, the share whose extracted value
equals the label after normalisation (NFC, modern tone placement, case, spacing and edge
punctuation; numbers as integers, notations without spaces) and the mean similarity (one minus
the normalised edit distance; 0 when nothing was extracted). Then the classifier's form and
domain accuracy. OCR'd documents are cached as JSON under ``benchmarks/out/`` by file and settings.
With ``--model DIR`` the ``model`` stage runs between the rule classifier and the rule extractor,
as in the default pipeline with a model.

    .venv/bin/python benchmarks/fields_rules.py [--catalogue data/catalogue] [--model DIR]
"""

from __future__ import annotations

import argparse
import hashlib
import json
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from archml.document import Document
from archml.fields.classify import classify
from archml.fields.compare import comparable, similarity
from archml.fields.rules import RuleExtractor
from archml.pipeline import OCR_STAGES, Pipeline, PipelineConfig
from archml.taxonomy import TYPE_NAMES
from archml.training.data import page_code_sha

REPO = Path(__file__).resolve().parents[1]
OUT = REPO / "benchmarks" / "out"
FIELDS = ("typeName", "codeNumber", "codeNotation", "issuedDate", "organName", "subject",
          "place", "signer", "signerTitle", "numberOfPage")
TYPE_CODES = {name.lower(): code for code, name in TYPE_NAMES.items()}
ADMIN_KEYS = {"codeNumber": "code_number", "codeNotation": "code_notation",
              "issuedDate": "issued_date", "organName": "organ_name", "subject": "subject",
              "place": "place", "signer": "signer", "signerTitle": "signer_title",
              "numberOfPage": "pages"}


PAGE_CODE_SHA = page_code_sha()


def read(path: Path, stages: Sequence[str] = OCR_STAGES) -> Document:
    """The OCR'd document (page stages only), cached by file, page-stage settings and code
    (:func:`~archml.training.data.page_code_sha`)."""
    config = PipelineConfig(stages=stages)
    key = hashlib.sha256(path.read_bytes() + config.model_dump_json().encode()
                         + PAGE_CODE_SHA.encode()).hexdigest()
    cached = OUT / f"{key}.json"
    if cached.exists():
        return Document.from_export(json.loads(cached.read_text(encoding="utf-8")))
    document = Pipeline(config).read(path)
    OUT.mkdir(parents=True, exist_ok=True)
    cached.write_text(json.dumps(document.export(), ensure_ascii=False), encoding="utf-8")
    return document


def admin_samples() -> list[tuple[Path, dict[str, Any]]]:
    samples = REPO / "data" / "samples"
    rows = [json.loads(line) for line in (samples / "labels.jsonl").read_text("utf-8").splitlines()]
    result = []
    for row in rows:
        label = {name: row.get(key) for name, key in ADMIN_KEYS.items()}
        label["typeName"] = TYPE_CODES.get(row["form"].lower())
        label["domain"] = row["domain"]
        result.append((samples / f"{row['id']}.pdf", label))
    return result


def catalogue_samples(folder: Path) -> list[tuple[Path, dict[str, Any]]]:
    try:
        import openpyxl
    except ImportError:
        print("note: openpyxl is missing (pip install -e '.[train]'): catalogue scans skipped")
        return []
    sheet = openpyxl.load_workbook(folder / "catalogue.xlsx", read_only=True).active
    rows = list(sheet.iter_rows(values_only=True))
    header = list(rows[0])
    doc = header.index("Số thứ tự văn bản trong hồ sơ")  # document columns follow file columns

    def col(name: str) -> int:
        return header.index(name, doc)

    result = []
    for row in rows[1:]:
        day, month, year = (row[col(f"{p} văn bản")] for p in ("Ngày", "Tháng", "Năm"))
        date = "-".join(f"{int(v):0{w}d}" for v, w in ((year, 4), (month, 2), (day, 2)) if v)
        kind = row[col("Tên loại văn bản")]
        label = {
            "typeName": TYPE_CODES.get(str(kind).lower()) if kind else None,
            "codeNumber": row[col("Số của văn bản")],
            "codeNotation": row[col("Ký hiệu của văn bản")],
            "issuedDate": date or None,
            "organName": row[col("Tên cơ quan, tổ chức ban hành văn bản")],
            "subject": row[col("Trích yếu nội dung")],
            "numberOfPage": row[col("Số lượng trang của văn bản")],
            "domain": "administrative",
        }
        path = folder / str(row[col("Đường dẫn file")]).replace("\\", "/").lstrip("/")
        result.append((path, label))
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--catalogue", type=Path, default=REPO / "data" / "catalogue")
    parser.add_argument("--model", type=Path, help="model directory for the model stage")
    args = parser.parse_args()
    stages = [RuleExtractor()]
    if args.model:
        from archml.runtime.stage import ModelStage

        stages.insert(0, ModelStage(args.model))
    samples = admin_samples() + catalogue_samples(args.catalogue)
    scores: dict[str, list[tuple[bool, float]]] = {f: [] for f in FIELDS}
    form_hits, domain_hits, forms, started = 0, 0, 0, time.perf_counter()
    for path, label in samples:
        document = read(path)
        document.classification = classify(document)
        for stage in stages:
            stage(document)
        classification, fields = document.classification, document.fields
        for name in FIELDS:
            truth = comparable(name, label.get(name))
            if not truth:
                continue
            got = comparable(name, fields[name].value) if name in fields else ""
            scores[name].append((got == truth, similarity(got, truth) if got else 0.0))
        domain_hits += classification.domain.label == label["domain"]
        if label["typeName"]:
            forms += 1
            form_hits += classification.form.label == label["typeName"]
    print(f"{len(samples)} documents, {time.perf_counter() - started:.1f} s\n")
    print("| field | labelled | exact match | mean similarity |")
    print("|---|---:|---:|---:|")
    for name, rows in scores.items():
        if rows:
            exact = sum(e for e, _ in rows) / len(rows)
            mean = sum(s for _, s in rows) / len(rows)
            print(f"| {name} | {len(rows)} | {exact:.2f} | {mean:.2f} |")
    system = "Model + rule" if args.model else "Rule"
    print(f"\n{system} classifier: form accuracy {form_hits}/{forms} = {form_hits / forms:.2f}, "
          f"domain accuracy {domain_hits}/{len(samples)} = {domain_hits / len(samples):.2f}")


if __name__ == "__main__":
    main()
