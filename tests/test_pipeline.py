"""Pipeline: page stages then document stages, from one config, the same in every runner."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from archml.errors import ConfigError
from archml.pipeline import Pipeline, PipelineConfig
from archml.runner import Runner


def test_default_pipeline_classifies_and_extracts_a_born_digital_sample(
        samples_dir: Path, sample_labels: dict) -> None:
    label = sample_labels["vbhc13"]
    document = Pipeline().read(samples_dir / "vbhc13.pdf")
    assert document.pages[0].source.text_source == "text_layer"
    assert document.classification is not None
    assert document.classification.domain.label == label["domain"]
    assert document.fields["codeNotation"].value == label["code_notation"]
    assert document.fields["numberOfPage"].value == label["pages"]
    assert json.loads(json.dumps(document.export()))["fields"]["codeNotation"]["page"] == 0
    pipeline = Pipeline()
    seconds = pipeline.result(document).provenance.seconds
    # every stage that ran is timed: the page stages and the document stages
    assert [s.name for s in document.steps] == [s.name for s in pipeline.document_stages]
    assert {"text_layer", *(s.name for s in document.steps)} <= set(seconds)
    assert all(value >= 0 for value in seconds.values())


def test_pool_runner_runs_document_stages_too(samples_dir: Path) -> None:
    [here] = Runner(jobs=1).run([samples_dir / "vbhc13.pdf"])
    [pool] = Runner(jobs=2).run([samples_dir / "vbhc13.pdf"])
    assert here.document is not None and pool.document is not None
    assert here.document.fields == pool.document.fields
    assert here.document.classification == pool.document.classification


def test_document_stages_must_follow_page_stages() -> None:
    with pytest.raises(ConfigError, match="must come after every page stage"):
        Pipeline(PipelineConfig(stages=["ocr", "rules", "layout"]))
    ocr_only = Pipeline(PipelineConfig(stages=["imaging", "ocr"]))
    assert [s.name for s in ocr_only.page_stages] == ["imaging", "ocr"]
    assert ocr_only.document_stages == []
