"""The model directory: ``config.json`` + ``model.safetensors`` (``save_pretrained``),
``tokenizer.json``, ``archml-model.json`` (labels, taxonomy version, field schema, features,
preprocessing, calibration, metrics; the model lives in :mod:`archml.runtime.meta`) and a
``README.md`` model card. ``archml export`` adds the ONNX files."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from tokenizers import Tokenizer

from archml.runtime.meta import META, ModelMeta, read_meta

__all__ = ["META", "ModelMeta", "model_card", "read_meta", "save_model_dir"]


def save_model_dir(out: str | Path, model: Any, tokenizer: Tokenizer, meta: ModelMeta,
                   card: str) -> Path:
    """Write the directory (``model`` is an :class:`~archml.training.model.ArchmlModel`)."""
    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    model.save_pretrained(out)
    tokenizer.save(str(out / "tokenizer.json"))
    (out / META).write_text(meta.model_dump_json(indent=1), encoding="utf-8")
    (out / "README.md").write_text(card, encoding="utf-8")
    return out


def model_card(meta: ModelMeta, sources: list[str], report_md: str = "") -> str:
    """A short Markdown model card; ``sources``: one line per training source."""
    heads = ", ".join(f"{k} ({len(v)})" for k, v in meta.labels.items())
    data = "\n".join(f"- {line}" for line in sources)
    metrics = "\n".join(f"| {k} | {v:.4f} |" for k, v in sorted(meta.metrics.items()))
    f = meta.features
    windows = "all" if f.max_windows is None else f"at most {f.max_windows}"
    lexicon = (f"; the document heads also read the document's {f.lexicon} most frequent "
               "distinct tokens" if f.lexicon else "")
    return f"""# {meta.name}

archml document model: one {meta.encoder} encoder trained from the config saved with the run,
heads {heads}. Taxonomy {meta.taxonomy_version}, archml {meta.archml_version}.
Inputs: words in reading order (first and last page first), windows of
{f.max_length} tokens with stride {f.stride}, {windows} per document{lexicon}.

## Data
{data}

## Validation metrics
| metric | value |
|---|---:|
{metrics}

{report_md}

## Limits
Trained on synthetic records and weakly labelled catalogue rows; check `needs_review` output
against the scans. Licence: Apache-2.0 (code), weights trained here from scratch.
"""
