"""The OCR stage: recognise every page that has an image and no accepted text layer."""

from __future__ import annotations

import inspect
from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from archml.document import Page
from archml.ocr.base import ENGINES, OcrEngine
from archml.ocr.textlayer import TextLayerMode
from archml.stages import Stage, Timer


class OcrConfig(BaseModel):
    """OCR settings. ``lang`` and ``psm`` reach engines whose constructor takes them."""

    model_config = ConfigDict(extra="forbid")

    engine: str = "tesseract"
    lang: str = "vie"
    psm: int = Field(default=3, ge=0, le=13)
    text_layer: TextLayerMode = "auto"
    engine_options: dict[str, Any] = Field(default_factory=dict)
    """Further keyword arguments for the engine (``tessdata``, ``det_model_dir``, ...)."""


class OcrStage(Stage):
    """Runs the configured engine; the engine is created on first use, once per process."""

    name = "ocr"

    def __init__(self, config: OcrConfig | None = None) -> None:
        self.config = config or OcrConfig()
        self._engine: OcrEngine | None = None
        self._options: dict[str, Any] = {}

    @property
    def engine(self) -> OcrEngine:
        if self._engine is None:
            factory = ENGINES.get(self.config.engine)
            self._options = {**_shared_options(factory, self.config), **self.config.engine_options}
            self._engine = factory(**self._options)
        return self._engine

    def process_page(self, page: Page) -> None:
        if page.source.text_source == "text_layer" or page.image is None:
            return
        engine = self.engine
        with Timer() as timer:
            page.blocks = engine.recognize(page.image, page.source.dpi)
        page.source.text_source = "ocr"
        page.record(self.name, seconds=timer.seconds, engine=engine.name, version=engine.version,
                    **{k: v for k, v in self._options.items() if _is_plain(v)})

    def __getstate__(self) -> dict[str, Any]:
        """Pickle the settings only: each worker process builds its own engine."""
        return {**self.__dict__, "_engine": None, "_options": {}}


def _shared_options(factory: Any, config: OcrConfig) -> dict[str, Any]:
    """``lang`` and ``psm`` for factories that name them as parameters."""
    try:
        params = inspect.signature(factory).parameters
    except (TypeError, ValueError):
        return {}
    return {k: getattr(config, k) for k in ("lang", "psm") if k in params}


def _is_plain(value: Any) -> bool:
    return value is None or isinstance(value, str | int | float | bool)
