"""Adapting the digit reader to an archive's labelled scans: members read back from ONNX, fill-in
crops harvested from a small synthetic "archive" (real Tesseract, real page stages), a short
fine-tuning run exported and loaded in the torch-free runtime, and ``archml adapt-reader``."""

from __future__ import annotations

import hashlib
import json
import shutil
import subprocess
import sys
from dataclasses import replace
from pathlib import Path

import numpy as np
import onnxruntime as ort
import pytest

torch = pytest.importorskip("torch")

from archml.errors import ModelMismatch  # noqa: E402
from archml.fillins.recognizer import MODEL_DIR, WIDTH, DigitReader  # noqa: E402
from archml.pipeline import Pipeline, PipelineConfig  # noqa: E402
from archml.synth import SynthConfig, generate_corpus  # noqa: E402
from archml.synth.fonts import handwriting_files  # noqa: E402
from archml.training.adapt_reader import AdaptConfig, adapt, split_records  # noqa: E402
from archml.training.data import FieldLabel, Record, load_manifest  # noqa: E402
from archml.training.fillin_crops import Harvest, harvest, written_forms  # noqa: E402
from archml.training.handwriting import make_strips, write_card  # noqa: E402
from archml.training.reader_weights import crnn_from_onnx  # noqa: E402

SHIPPED = json.loads((MODEL_DIR / "digits.json").read_text("utf-8"))


@pytest.fixture(scope="module")
def archive(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Three synthetic documents, every fill-in handwritten in one font, and their manifest."""
    folder = tmp_path_factory.mktemp("archive")
    config = SynthConfig(handwriting=1.0, traps=0.0, born_digital=0.0,
                         hand_fonts=(handwriting_files()[0],))
    generate_corpus(3, 3000, folder, config)
    return folder


@pytest.fixture(scope="module")
def harvested(archive: Path) -> Harvest:
    return harvest(load_manifest(archive))


@pytest.fixture(scope="module")
def one_member(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The shipped reader's first member alone (a faster base for training tests)."""
    folder = tmp_path_factory.mktemp("base")
    member = SHIPPED["members"][0]
    shutil.copyfile(MODEL_DIR / member["file"], folder / member["file"])
    write_card(folder / "digits.json", {**SHIPPED, "members": [member]})
    return folder


@pytest.mark.parametrize("member", SHIPPED["members"], ids=lambda m: m["file"])
def test_a_shipped_member_read_back_computes_what_onnx_runtime_computes(member: dict) -> None:
    model = crnn_from_onnx(MODEL_DIR / member["file"])
    images, _ = make_strips(6, seed=11)
    batch = images[:, None].astype(np.float32) / 255
    session = ort.InferenceSession(str(MODEL_DIR / member["file"]),
                                   providers=["CPUExecutionProvider"])
    expected = session.run(None, {"image": batch})[0]
    with torch.no_grad():
        got = model(torch.from_numpy(batch)).numpy()
    assert got.shape == (6, WIDTH // 4, 11) and np.allclose(got, expected, atol=1e-4)
    assert all(p.requires_grad for p in model.parameters())


def test_an_onnx_file_that_is_not_a_reader_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "linear.onnx"
    torch.onnx.export(torch.nn.Linear(4, 2), torch.zeros(1, 4), str(path), dynamo=False)
    with pytest.raises(ModelMismatch, match="not a digit-reader CRNN"):
        crnn_from_onnx(path)


def test_written_forms_of_the_catalogue_values() -> None:
    def record(**fields: object) -> Record:
        return Record(id="r", source="t", fields={k: FieldLabel(value=v)
                                                  for k, v in fields.items()})

    assert written_forms("number", record(codeNumber="04")) == ["04", "4"]
    assert written_forms("number", record(codeNumber=7)) == ["7", "07"]
    assert written_forms("number", record(codeNumber="12a")) == []
    dated = record(issuedDate="2010-03-15")
    assert written_forms("day", dated) == ["15"]
    assert written_forms("month", dated) == ["3", "03"]
    assert written_forms("year", dated) == ["2010"]
    assert written_forms("day", record(issuedDate="15/03/2010")) == []
    assert written_forms("day", record(codeNumber="4")) == []


def test_harvest_labels_each_gap_with_the_catalogue_value(archive: Path,
                                                          harvested: Harvest) -> None:
    records = {r.id: r for r in load_manifest(archive)}
    assert len(harvested.crops) >= 5
    assert sum(harvested.records.values()) == len(records)
    for crop in harvested.crops:
        record = records[crop.record]
        assert crop.text in written_forms(crop.kind, record)
        assert crop.image.ndim in (2, 3) and min(crop.image.shape[:2]) >= 8
    kinds = {c.kind for c in harvested.crops}
    assert {"number", "day", "month"} <= kinds
    assert any(c.handwritten for c in harvested.crops)


def test_harvest_counts_unreadable_and_unlabelled_records(tmp_path: Path) -> None:
    (tmp_path / "bad.pdf").write_bytes(b"%PDF-1.7 not really")
    digest = hashlib.sha256((tmp_path / "bad.pdf").read_bytes()).hexdigest()
    bad = Record(id="bad", source="t", root=str(tmp_path), files={"pdf": "bad.pdf"},
                 fields={"codeNumber": FieldLabel(value="12")})
    bare = Record(id="bare", source="t", root=str(tmp_path), files={"pdf": "bad.pdf"})
    result = harvest([bad, bare])
    assert result.crops == [] and dict(result.records) == {"unreadable": 1, "no label": 1}
    assert hashlib.sha256((tmp_path / "bad.pdf").read_bytes()).hexdigest() == digest


def test_split_records_by_document() -> None:
    records = [Record(id=str(i), source="t") for i in range(10)]
    kept, out = split_records(records, 0.3, seed=1)
    assert len(out) == 3 and len(kept) == 7
    assert {r.id for r in kept}.isdisjoint({r.id for r in out})
    assert split_records(records, 0.3, seed=1) == (kept, out)
    assert split_records(records, 0.0, seed=1) == (records, [])


def test_adaptation_learns_the_archives_crops(harvested: Harvest, one_member: Path,
                                             tmp_path: Path) -> None:
    """Crops all labelled ``7`` (whatever they hold): a short run on them alone teaches the
    reader to read ``7`` there, so the crops do drive the training; the card says so."""
    sevens = [replace(c, text="7") for c in harvested.crops]
    base = DigitReader(one_member)
    assert sum(r.text == "7" for r in base.read([c.image for c in sevens])) <= 1
    config = AdaptConfig(steps=60, batch=8, lr=3e-3, archive_share=1.0, n_synthetic=16)
    card = adapt(one_member, sevens, tmp_path / "adapted", config, held_out=sevens[:3],
                 source="test", log=lambda _: None)
    adapted = DigitReader(tmp_path / "adapted")  # checks the card's sha256 of the new file
    assert sum(r.text == "7" for r in adapted.read([c.image for c in sevens])) \
        >= 0.8 * len(sevens)
    info = card["adaptation"]
    assert info["crops"] == len(sevens) and info["steps"] == 60 and info["source"] == "test"
    assert info["base"]["members"] == [SHIPPED["members"][0]["sha256"]]
    assert info["held_out"]["after"]["exact"] > info["held_out"]["before"]["exact"]
    assert card["members"][0]["sha256"] != SHIPPED["members"][0]["sha256"]
    assert card["metrics"]["load_digits"]["n"] == 1797


def test_adapt_refuses_bad_arguments(harvested: Harvest, one_member: Path) -> None:
    with pytest.raises(ValueError, match="no labelled crops"):
        adapt(one_member, [], one_member.parent / "x")
    with pytest.raises(ValueError, match="holds the base reader"):
        adapt(one_member, harvested.crops, one_member)
    with pytest.raises(ValueError, match="archive_share"):
        AdaptConfig(archive_share=0.0)
    assert (one_member / "digits.json").exists() and len(list(one_member.glob("*.onnx"))) == 1


def test_adapt_reader_command(archive: Path, one_member: Path, tmp_path: Path) -> None:
    out = tmp_path / "reader"
    proc = subprocess.run([sys.executable, "-m", "archml", "adapt-reader", str(archive),
                           "--out", str(out), "--base", str(one_member), "--steps", "3",
                           "--held-out", "0.34"], capture_output=True, text=True, timeout=600)
    assert proc.returncode == 0, proc.stderr
    assert "load_digits" in proc.stdout and "held-out crops" in proc.stdout
    card = json.loads((out / "digits.json").read_text("utf-8"))
    assert card["adaptation"]["steps"] == 3 and card["adaptation"]["records"] >= 1
    assert len(DigitReader(out).sessions) == 1
    pipeline = Pipeline(PipelineConfig(stage_options={"fillins": {"model_dir": str(out)}}))
    (stage,) = [s for s in pipeline.page_stages if s.name == "fillins"]
    assert stage.reader.card["adaptation"] == card["adaptation"]
    empty = tmp_path / "empty.jsonl"
    empty.write_text(json.dumps({"id": "none", "source": "t", "files": {"pdf": "none.pdf"}})
                     + "\n", encoding="utf-8")
    proc = subprocess.run([sys.executable, "-m", "archml", "adapt-reader", str(empty),
                           "--out", str(tmp_path / "no"), "--held-out", "0"],
                          capture_output=True, text=True, timeout=600)
    assert proc.returncode == 2 and "nothing to adapt to" in proc.stderr
