"""Pipeline: one typed config → an ordered list of stages, run the same way everywhere.

``Pipeline.read(source)`` turns a file, bytes or image into an annotated :class:`Document`
(io → text layer → imaging → OCR → layout). Pages are independent until the layout stage, so
:mod:`archml.runner` can spread them over processes; this class is what each process runs.
"""

from __future__ import annotations

import json
import os
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from archml.document import Document, Page, StepRecord
from archml.errors import ConfigError
from archml.imaging import ImagingConfig, ImagingStage
from archml.io import DocumentReader, ReadConfig, Source, open_document
from archml.layout import LayoutConfig, LayoutStage
from archml.ocr import OcrConfig, OcrStage, TextLayerStage
from archml.result import Provenance, Result
from archml.runtime.meta import SHIPPED_MODEL
from archml.stages import STAGES, Stage, Timer

OCR_STAGES = ("text_layer", "imaging", "ocr", "layout", "fillins")
"""Page stages only: text with boxes and zones (``archml ocr``)."""
DEFAULT_STAGES = (*OCR_STAGES, "rule_classifier", "model", "rules")
"""OCR, then classification and field extraction on the whole document."""


def single_threaded() -> None:
    """One core per worker process: workers run side by side, so the libraries inside must not
    start thread pools of their own (Tesseract's OpenMP, OpenCV's workers)."""
    import cv2

    os.environ["OMP_THREAD_LIMIT"] = "1"
    cv2.setNumThreads(1)


def default_model() -> str | None:
    """``$ARCHML_MODEL`` (empty or ``none``: no model), else the shipped model if present."""
    chosen = os.environ.get("ARCHML_MODEL")
    if chosen is not None:
        return None if chosen.lower() in ("", "none") else chosen
    return str(SHIPPED_MODEL) if (SHIPPED_MODEL / "archml-model.json").exists() else None


class PipelineConfig(BaseModel):
    """Every setting of a run; saved with outputs so a run can be repeated."""

    model_config = ConfigDict(extra="forbid")

    read: ReadConfig = Field(default_factory=ReadConfig)
    imaging: ImagingConfig = Field(default_factory=ImagingConfig)
    ocr: OcrConfig = Field(default_factory=OcrConfig)
    layout: LayoutConfig = Field(default_factory=LayoutConfig)
    stages: list[str] = Field(default_factory=lambda: list(DEFAULT_STAGES))
    stage_options: dict[str, dict[str, Any]] = Field(default_factory=dict)
    """Keyword arguments for third-party stages found through the ``archml.stages`` entry points."""
    review_threshold: float = Field(default=0.6, ge=0.0, le=1.0)
    """Classes and fields below this confidence set ``needs_review`` on the Result."""
    model: str | None = Field(default_factory=default_model)
    """Model directory (``archml export`` output) for the ``model`` stage; without one the
    ``model`` stage is left out and the rules classify."""

    def active_stages(self) -> list[str]:
        """The stages that run: ``stages`` less ``model`` when no model is configured."""
        return [name for name in self.stages if name != "model" or self.model is not None]

    @classmethod
    def load(cls, path: str | Path) -> PipelineConfig:
        """Read a JSON config file (YAML configs arrive with the training stack)."""
        return cls.model_validate(json.loads(Path(path).read_text(encoding="utf-8")))

    def updated(self, changes: dict[str, Any]) -> PipelineConfig:
        """A validated copy with ``{section: {field: value}}`` and ``{field: value}`` changed;
        ``None`` values are skipped, so unset command-line flags keep what a config file says."""
        data = self.model_dump()
        for key, value in changes.items():
            if isinstance(value, dict):
                data[key].update({k: v for k, v in value.items() if v is not None})
            elif value is not None:
                data[key] = value
        return type(self).model_validate(data)


_BUILTIN: dict[str, Callable[[PipelineConfig], Stage]] = {
    "text_layer": lambda c: TextLayerStage(c.ocr.text_layer),
    "imaging": lambda c: ImagingStage(c.imaging),
    "ocr": lambda c: OcrStage(c.ocr),
    "layout": lambda c: LayoutStage(c.layout),
    "model": lambda c: STAGES.create("model", model_dir=c.model,
                                     **c.stage_options.get("model", {})),
}


def build_stage(name: str, config: PipelineConfig) -> Stage:
    """A built-in stage from its config section, or a registered one from ``stage_options``."""
    if name in _BUILTIN:
        return _BUILTIN[name](config)
    return STAGES.create(name, **config.stage_options.get(name, {}))


class Pipeline:
    """Reads documents through the configured stages: page stages page by page, then document
    stages on the assembled document."""

    def __init__(self, config: PipelineConfig | None = None) -> None:
        self.config = config or PipelineConfig()
        self.stage_names = self.config.active_stages()
        stages = [build_stage(name, self.config) for name in self.stage_names]
        self.model_info = next((s.model.info for s in stages if s.name == "model"), None)
        self.page_stages = [s for s in stages if s.scope == "page"]
        self.document_stages = [s for s in stages if s.scope == "document"]
        if stages != self.page_stages + self.document_stages:
            raise ConfigError("stages that read whole documents (" + ", ".join(
                s.name for s in self.document_stages) + ") must come after every page stage")

    @classmethod
    def from_config(cls, config: PipelineConfig | dict[str, Any] | str | Path) -> Pipeline:
        if isinstance(config, PipelineConfig):
            return cls(config)
        if isinstance(config, dict):
            return cls(PipelineConfig.model_validate(config))
        return cls(PipelineConfig.load(config))

    def open(self, source: Source, name: str | None = None) -> DocumentReader:
        return open_document(source, self.config.read, name=name)

    def process_page(self, reader: DocumentReader, index: int, *, keep_image: bool = False) -> Page:
        """Load page ``index`` and run every page stage on it."""
        page = reader.load_page(index)
        for stage in self.page_stages:
            stage.process_page(page)
        if not keep_image:
            page.image = None
        page.text_layer = None
        return page

    def finish(self, document: Document) -> Document:
        """Run the document stages on a document whose pages are done."""
        for stage in self.document_stages:
            with Timer() as timer:
                stage(document)
            document.steps.append(StepRecord(name=stage.name, seconds=timer.seconds))
        return document

    def read(self, source: Source, *, name: str | None = None,
             keep_images: bool = False) -> Document:
        """The whole document, page by page, in this process."""
        with self.open(source, name=name) as reader:
            pages = [self.process_page(reader, i, keep_image=keep_images)
                     for i in range(reader.n_pages)]
            return self.finish(Document(source=reader.source, pages=pages))

    def result(self, document: Document) -> Result:
        """The :class:`Result` of a document this pipeline read."""
        return Result.from_document(document, review_threshold=self.config.review_threshold,
                                    provenance=self.provenance())

    def provenance(self) -> Provenance:
        return Provenance(stages=list(self.stage_names), model=self.model_info,
                          settings=self.config.model_dump())

    def process(self, source: Source, *, name: str | None = None) -> Result:
        """Read one input (path, bytes, PIL image or numpy array) into a :class:`Result`.
        Bad input raises its typed :class:`~archml.errors.InputError`."""
        return self.result(self.read(source, name=name))

    def process_many(self, sources: Iterable[Source], *, jobs: int = 1) -> Iterator[Result]:
        """One :class:`Result` per input, in input order, pages spread over ``jobs`` processes.
        A bad input yields an error Result (``status="error"``) and the stream carries on."""
        from archml.runner import Runner  # the runner builds pipelines: import it late

        for outcome in Runner(self.config, jobs=jobs).run(sources):
            if outcome.document is not None:
                yield self.result(outcome.document)
            else:
                assert outcome.error is not None
                yield Result.from_error(outcome.error, outcome.input, self.provenance())
