"""The typed training config, read from YAML and saved with every run and model."""

from __future__ import annotations

from pathlib import Path
from typing import Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field

from archml.features import FeatureConfig
from archml.training.data import CatalogueMapping, WordSource
from archml.training.model import EncoderType

DEFAULT_FIELDS = [
    "codeNumber", "codeNotation", "issuedDate", "organName", "subject", "place", "signer",
    "signerTitle", "secrecy", "urgency", "certificateSerial", "parcelNumber", "mapSheet",
    "area", "holderName", "registrationNumber", "bookNumber", "personName", "birthDate",
    "personalId", "caseNumber", "court", "judge",
]
"""Fields tagged by default: printed on the page, short enough to tag word by word."""


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")


class SynthSpec(_Strict):
    """Synthetic documents to generate before training (skipped when already there)."""

    out: str
    n: int = Field(ge=1)
    seed: int = 0
    degrade: Literal["none", "light", "heavy", "mixed"] = "mixed"
    born_digital: float = Field(0.1, ge=0, le=1)
    image_format: Literal["png", "jpg"] = "png"
    jobs: int = 1


class Source(_Strict):
    """One labelled input and its sampling weight."""

    kind: Literal["manifest", "catalogue", "folders", "label_studio", "labels"]
    path: str
    weight: float = Field(1.0, gt=0)
    words: WordSource = "ocr"
    """``ground_truth``: the generator's own words (fast, exact); ``ocr``: read the scans."""
    mapping: CatalogueMapping | None = None
    limit: int | None = None
    ocr_noise: float = Field(0.0, ge=0, lt=1)
    """Add OCR-like noise to the words at about this character rate (see
    :mod:`archml.training.augment`): lets cheap ``ground_truth`` words stand in for bad scans."""

    def describe(self) -> str:
        """One line for model cards: where, what kind, which words, how weighted."""
        extras = [f"first {self.limit}" if self.limit else "",
                  f"OCR-like noise {self.ocr_noise:g}" if self.ocr_noise else ""]
        return ", ".join([f"{self.path}: {self.kind}", f"words from {self.words}",
                          *filter(None, extras), f"weight {self.weight:g}"])


class DataConfig(_Strict):
    train: list[Source]
    test: list[Source] = Field(default_factory=list)
    validation_share: float = Field(0.15, gt=0, lt=1)
    ocr_cache: str = "out/ocr-cache"
    ocr_jobs: int = Field(1, ge=1)
    """Processes that read uncached scans side by side before training (one core each)."""


class ModelConfig(_Strict):
    encoder: EncoderType = "layoutlm"
    base_model: str | None = None
    """A local checkpoint (``from_pretrained``); its tokenizer.json is used."""
    hidden_size: int = 192
    layers: int = 4
    heads: int = 4
    vocab_size: int = 4000
    dropout: float = 0.1


class OptimConfig(_Strict):
    epochs: int = 10
    batch_size: int = 16
    lr: float = 5e-4
    weight_decay: float = 0.01
    warmup_share: float = 0.1
    patience: int = 3
    """Epochs without a better validation score before stopping."""
    class_weights: bool = True
    label_smoothing: float = Field(0.0, ge=0, lt=1)
    """Label smoothing of the document heads (domain, form, fine type)."""
    tag_loss_weight: float = 1.0
    threads: int = 1
    device: Literal["auto", "cpu", "cuda"] = "auto"
    max_minutes: float | None = None
    """Wall-clock budget of the training (data preparation not counted): after the first epoch
    the planned epochs shrink to what fits in it (the learning-rate schedule decays to zero by
    then), and training stops after the epoch that passes it."""


class TrackingConfig(_Strict):
    experiment: str = "archml"
    registered_model: str = "archml-document"
    db: str = "mlflow.db"
    """sqlite file used when ``MLFLOW_TRACKING_URI`` is not set."""
    enabled: bool = True


class TrainConfig(_Strict):
    name: str
    seed: int = 0
    out: str = "out/train"
    synth: list[SynthSpec] = Field(default_factory=list)
    data: DataConfig
    features: FeatureConfig = Field(default_factory=FeatureConfig)
    model: ModelConfig = Field(default_factory=ModelConfig)
    fields: list[str] = Field(default_factory=lambda: list(DEFAULT_FIELDS))
    optim: OptimConfig = Field(default_factory=OptimConfig)
    tracking: TrackingConfig = Field(default_factory=TrackingConfig)

    @classmethod
    def load(cls, path: str | Path) -> TrainConfig:
        return cls.model_validate(yaml.safe_load(Path(path).read_text(encoding="utf-8")))

    def dump(self, path: str | Path) -> None:
        Path(path).write_text(yaml.safe_dump(self.model_dump(mode="json"), allow_unicode=True,
                                             sort_keys=False), encoding="utf-8")
