"""archml.training: loaders, weak labels, the trainer with MLflow, evaluation and the CLI."""

from __future__ import annotations

import json
import os
import shutil
import sqlite3
from pathlib import Path

import pytest
import torch
import yaml

pytest.importorskip("transformers")

from typer.testing import CliRunner

import archml
from archml.cli import app
from archml.features import bio_tags, document_words
from archml.pipeline import OCR_STAGES, PipelineConfig
from archml.training.data import (
    PAGE_CODE,
    CatalogueMapping,
    FieldLabel,
    OcrCache,
    Record,
    load_catalogue,
    load_folders,
    load_label_studio,
    load_labels,
    load_manifest,
    page_code_sha,
)
from archml.training.examples import Example
from archml.training.trainer import planned_epochs, split
from archml.training.weak_labels import align_values, report
from test_features import make_document

REPO = Path(__file__).resolve().parents[1]
TINY = REPO / "training" / "configs" / "tiny.yaml"
torch.set_num_threads(1)


def test_catalogue_rows_become_records() -> None:
    records = load_catalogue(REPO / "data" / "catalogue" / "catalogue.xlsx")
    assert len(records) == 5
    first = records[0]
    assert first.scan_paths()[0].exists()  # Windows path with a leading backslash resolved
    assert first.typeName == "02" and first.domain == "administrative"
    assert first.fields["issuedDate"].value == "2010-01-01"
    assert first.fields["codeNotation"].value == "/ QĐ-CCATVSTP"
    assert records[1].typeName is None and records[1].fields["codeNumber"].value is None


def test_catalogue_csv_with_one_date_column(tmp_path: Path) -> None:
    (tmp_path / "c.csv").write_text("file,kind,date,no\nC:\\a\\x.pdf,Công văn,05/02/2025,7\n",
                                    encoding="utf-8")
    mapping = CatalogueMapping(after=None, path="file", type_name="kind", date="date",
                               fields={"codeNumber": "no"})
    (record,) = load_catalogue(tmp_path / "c.csv", mapping)
    assert record.files["pdf"] == "C:/a/x.pdf" and record.typeName == "22"
    assert record.fields["issuedDate"].value == "2025-02-05"


def test_sample_labels_and_folders(tmp_path: Path) -> None:
    samples = load_labels(REPO / "data" / "samples" / "labels.jsonl")
    assert len(samples) == 8 and samples[0].fields["codeNotation"].value == "QĐ-UBND"
    assert samples[0].typeName == "02" and "signerTitle" in samples[0].fields
    for name in ("civil_status.trich_luc_khai_tu", "land", "Công văn"):
        (tmp_path / name).mkdir()
        (tmp_path / name / "a.png").write_bytes(b"")
    records = {r.id.split("/")[0]: r for r in load_folders(tmp_path)}
    assert records["civil_status.trich_luc_khai_tu"].domain == "civil_status"
    assert records["land"].domain == "land" and records["Công văn"].typeName == "22"


def test_label_studio_export(tmp_path: Path) -> None:
    region = {"x": 10, "y": 5, "width": 20, "height": 2, "rotation": 0}
    task = {"id": 3, "data": {"ocr": "/data/upload/1/scan.png"}, "annotations": [{"result": [
        {"id": "r1", "type": "rectangle", "original_width": 2000, "original_height": 3000,
         "value": region},
        {"id": "r1", "type": "textarea", "value": {**region, "text": ["Số: 15/QĐ-BNV"]}},
        {"id": "r1", "type": "labels", "value": {**region, "labels": ["codeNotation"]}},
        {"id": "c", "type": "choices", "value": {"choices": ["administrative.quyet_dinh"]}}]}]}
    (tmp_path / "export.json").write_text(json.dumps([task]), encoding="utf-8")
    (record,) = load_label_studio(tmp_path / "export.json")
    assert record.docType == "administrative.quyet_dinh" and record.typeName == "02"
    assert record.document is not None
    assert [w.text for _, w in record.document.words()] == ["Số:", "15/QĐ-BNV"]
    assert record.fields["codeNotation"].boxes[0][1] == [200.0, 150.0, 600.0, 210.0]


def test_weak_labels_find_values_despite_ocr_noise() -> None:
    text = ("SỞ Y TẾ HẬU GIANG Số: 12/QĐ - CC Hậu Giang, ngày 20 tháng 01 năm 2010 "
            "QUYẾT ĐỊNH Về việc Ban hành quy chế làm việc của Chi cục An toàn vệ sinh thực phấm")
    words = document_words(make_document([text]))
    labels = {"codeNumber": FieldLabel(value=12), "codeNotation": FieldLabel(value="/QĐ-CC"),
              "issuedDate": FieldLabel(value="2010-01-20"), "organName": FieldLabel(value=None),
              "subject": FieldLabel(value="Về việc ban hành Quy chế làm việc của Chi cục "
                                          "An toàn vệ sinh thực phẩm"),
              "signer": FieldLabel(value="Nguyễn Văn A")}
    tags = bio_tags(list(labels))
    result = align_values(words, labels, {t: i for i, t in enumerate(tags)})
    tagged = {tags[t].split("-", 1)[1] for t in result.tags if t}
    assert {"codeNotation", "issuedDate", "subject"} <= tagged
    assert result.missing["codeNumber"] == "its words already belong to another field"
    assert result.quality["issuedDate"] == 1.0 and result.quality["subject"] > 0.9
    assert result.missing["organName"] == "blank in the labels"
    assert result.missing["signer"].startswith("not found")
    rows = {r["field"]: r for r in report([result])}
    assert rows["signer"]["found"] == 0 and rows["subject"]["found"] == 1
    # the signer was not found, so an untagged word may be it: only field tags are learnt
    assert not result.complete
    learnt = result.training_tags()
    assert [t for t in learnt if t != -100] == [t for t in result.tags if t]
    labels.pop("signer"), labels.pop("codeNumber")
    found_all = align_values(words, labels, {t: i for i, t in enumerate(tags)})
    assert found_all.complete and found_all.training_tags() == found_all.tags


@pytest.fixture(scope="module")
def small_config(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """tiny.yaml shrunk to a few documents and one epoch, everything under a temp folder."""
    root = tmp_path_factory.mktemp("train")
    config = yaml.safe_load(TINY.read_text(encoding="utf-8"))
    config["synth"] = [{**config["synth"][0], "out": str(root / "synth"), "n": 8, "jobs": 1}]
    manifest = str(root / "synth" / "manifest.jsonl")
    config["data"]["train"][0]["path"] = manifest
    config["data"]["train"].append({"kind": "manifest", "path": manifest, "limit": 4,
                                    "words": "ground_truth", "ocr_noise": 0.1, "weight": 2.0})
    config["data"]["test"] = [{"kind": "manifest", "path": manifest, "words": "ground_truth",
                               "limit": 3}]
    config["data"]["ocr_cache"] = str(root / "ocr")
    config["optim"]["epochs"] = 1
    config["tracking"]["db"] = str(root / "mlflow.db")
    path = root / "small.yaml"
    path.write_text(yaml.safe_dump(config, allow_unicode=True), encoding="utf-8")
    return path


def _train(config: Path, out: Path) -> None:
    env = {k: v for k, v in os.environ.items() if k != "MLFLOW_TRACKING_URI"}
    result = CliRunner(env=env).invoke(app, ["train", str(config), "--out", str(out)])
    assert result.exit_code == 0, result.output + repr(result.exception)


def test_archml_train_writes_model_and_mlflow_run(small_config: Path) -> None:
    out = small_config.parent / "run"
    _train(small_config, out)
    model = out / "model"
    for name in ("config.json", "model.safetensors", "tokenizer.json", "archml-model.json",
                 "README.md"):
        assert (model / name).exists(), name
    meta = json.loads((model / "archml-model.json").read_text(encoding="utf-8"))
    assert meta["labels"]["tags"][0] == "O" and meta["features"]["max_length"] == 128
    assert meta["training"]["seconds"] > 0 and meta["training"]["data_seconds"] > 0
    assert set(meta["temperatures"]) == {"domain", "form", "doc_type"}
    page_stages = meta["preprocessing"]
    assert page_stages["stages"][-1] == "fillins" and page_stages["model"] is None
    assert (out / "config.yaml").exists() and (out / "eval" / "report.json").exists()
    card = (model / "README.md").read_text(encoding="utf-8")  # every source, even on one path
    assert "words from ground_truth, weight 1\n" in card
    assert "words from ground_truth, first 4, OCR-like noise 0.1, weight 2\n" in card
    assert "at most 2 per document; the document heads also read the document's 256 most" in card
    with sqlite3.connect(small_config.parent / "mlflow.db") as db:
        runs = db.execute("select run_uuid, status from runs").fetchall()
        metrics = {r[0] for r in db.execute("select key from metrics")}
        versions = db.execute("select name, version from model_versions").fetchall()
    assert runs and runs[0][1] == "FINISHED"
    assert {"val_score", "train_loss", "test_model_form_macro_f1"} <= metrics
    assert versions == [("archml-tiny", 1)]


def test_resume_continues_from_the_checkpoint(small_config: Path) -> None:
    out = small_config.parent / "run"
    config = yaml.safe_load(small_config.read_text(encoding="utf-8"))
    config["optim"]["epochs"] = 2
    config["data"]["test"] = []
    more = small_config.with_name("more.yaml")
    more.write_text(yaml.safe_dump(config, allow_unicode=True), encoding="utf-8")
    env = {k: v for k, v in os.environ.items() if k != "MLFLOW_TRACKING_URI"}
    result = CliRunner(env=env).invoke(app, ["train", str(more), "--out", str(out), "--resume"])
    assert result.exit_code == 0, result.output
    meta = json.loads((out / "model" / "archml-model.json").read_text(encoding="utf-8"))
    assert meta["training"]["epochs"] == 2


def test_archml_eval_reports_model_and_baselines(small_config: Path) -> None:
    out = small_config.parent / "run"
    data = small_config.parent / "synth" / "manifest.jsonl"
    result = CliRunner().invoke(app, ["eval", str(out / "model"), str(data), "--words",
                                      "ground_truth", "--out", str(out / "eval2")])
    assert result.exit_code == 0, result.output
    report = json.loads((out / "eval2" / "report.json").read_text(encoding="utf-8"))
    assert {"model", "rules", "tfidf_lr"} <= set(report["classes"])
    assert report["fields"]["rules"] and "form" in report["calibration"]
    assert (out / "eval2" / "confusion_form.png").exists()
    assert (out / "eval2" / "reliability_form.png").exists()
    assert len(load_manifest(data)) == report["documents"] == 8


def test_tiny_recipe_runs(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The CI recipe as written (synthetic generation included), in a temp folder."""
    monkeypatch.chdir(tmp_path)
    config = yaml.safe_load(TINY.read_text(encoding="utf-8"))
    config["tracking"]["db"] = str(tmp_path / "mlflow.db")
    path = tmp_path / "tiny.yaml"
    path.write_text(yaml.safe_dump(config, allow_unicode=True), encoding="utf-8")
    _train(path, tmp_path / "run")
    assert (tmp_path / "run" / "model" / "archml-model.json").exists()


def test_ocr_cache_key_follows_page_stage_settings_only(tmp_path: Path) -> None:
    scan = tmp_path / "scan.png"
    scan.write_bytes(b"not really a png")
    key = OcrCache(tmp_path).key(scan)
    other_stages = PipelineConfig(review_threshold=0.9, stages=[*OCR_STAGES, "rules"])
    assert OcrCache(tmp_path, other_stages).key(scan) == key
    assert OcrCache(tmp_path, PipelineConfig().updated({"ocr": {"psm": 6}})).key(scan) != key


def test_ocr_cache_follows_the_page_stages_code(tmp_path: Path) -> None:
    package = Path(archml.__file__).parent
    for part in PAGE_CODE:
        source, copy = package / part, tmp_path / part
        if source.is_dir():
            shutil.copytree(source, copy, ignore=shutil.ignore_patterns("__pycache__"))
        else:
            copy.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy(source, copy)
    assert page_code_sha(tmp_path) == page_code_sha(package) == page_code_sha()
    (tmp_path / "layout" / "cache.cpython-311.pyc").write_bytes(b"compiled")
    assert page_code_sha(tmp_path) == page_code_sha()  # byte code is not code
    zones = tmp_path / "layout" / "zones.py"
    zones.write_text(zones.read_text(encoding="utf-8") + "\n# changed\n", encoding="utf-8")
    assert page_code_sha(tmp_path) != page_code_sha()


def test_time_budget_shrinks_the_planned_epochs() -> None:
    state = {"epoch": 2, "planned": 10, "history": [{"epoch_seconds": 60.0}] * 2}
    assert planned_epochs(state, 185.0) == 5
    assert planned_epochs(state, 1e6) == 10
    assert planned_epochs(state, 0.0) == 2


def test_ocr_cache_fill_reads_missing_scans_in_parallel(tmp_path: Path, samples_dir: Path) -> None:
    scans = sorted(samples_dir.glob("*.pdf"), key=lambda p: p.stat().st_size)[:2]
    assert len(scans) == 2
    cache = OcrCache(tmp_path)
    assert cache.fill([*scans, scans[0]], jobs=2) == 2
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(
        f"{cache.key(s)}.json" for s in scans)
    assert cache.fill(scans, jobs=2) == 0
    document = cache.read(scans[0])
    assert "UBND" in document.text or "ỦY BAN" in document.text
    # the same page stages as production, handwritten fill-ins included (no train/serve skew)
    assert [step.name for step in document.pages[0].source.steps][-1] == "fillins"


def test_split_keeps_every_copy_of_a_document_on_one_side() -> None:
    records = [Record(id=f"doc-{i}", source="synth") for i in range(10)]
    examples = [Example(r, None, None, None) for r in records for _ in range(3)]  # type: ignore[arg-type]
    train, val = split(examples, 0.3, seed=0)
    assert len(val) == 9 and len(train) == 21
    assert not {e.record.id for e in train} & {e.record.id for e in val}
