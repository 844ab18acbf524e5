"""Model directory (torch) → runtime directory (ONNX): export, parity check, int8 variant.

``model.onnx`` is traced with the TorchScript exporter (``dynamo=False``: its graph ran faster
here than the dynamo exporter's) with dynamic batch and sequence axes. Both ONNX files are
checked against torch on the same windows: max |Δlogit| per head, top-1 agreement of the
document heads (mean over windows, as at inference) and agreement of the word tags. The numbers
and the SHA-256 of every file go into ``archml-model.json``; the model card gets a parity table.
"""

from __future__ import annotations

import shutil
import tempfile
import warnings
from collections.abc import Sequence
from pathlib import Path

import numpy as np
import torch
from tokenizers import Tokenizer

from archml.features import DocWords, Window, document_words, encode
from archml.runtime.meta import META, ModelMeta, Parity, checksums, read_meta
from archml.runtime.model import FP32, HEADS, INT8, LEXICON, OUTPUTS, Model, stack_windows
from archml.training.model import ArchmlModel

TORCH_FILES = ("config.json", "model.safetensors")
OPSET = 17


class _Outputs(torch.nn.Module):
    """The model with a tuple output in :data:`OUTPUTS` order (ONNX outputs are positional)."""

    def __init__(self, model: ArchmlModel) -> None:
        super().__init__()
        self.model = model

    def forward(self, *inputs: torch.Tensor) -> tuple[torch.Tensor, ...]:
        out = self.model(**dict(zip(self.model.input_names, inputs, strict=True)))
        return tuple(out[name] for name in OUTPUTS)


def to_onnx(model: ArchmlModel, example: dict[str, np.ndarray], path: Path) -> Path:
    """Trace ``model`` on ``example`` inputs into ``path``."""
    inputs = tuple(model.inputs(example).values())
    batch, sequence = {0: "batch"}, {0: "batch", 1: "sequence"}
    axes = {**{name: batch if name == LEXICON else sequence for name in model.input_names},
            **{h: sequence if h == "tags" else batch for h in OUTPUTS}}
    with torch.no_grad(), warnings.catch_warnings():
        # the exporter's deprecation notes, and a traced ``attention_mask is None`` (never here)
        warnings.simplefilter("ignore", (DeprecationWarning, torch.jit.TracerWarning))
        torch.onnx.export(_Outputs(model).eval(), inputs, str(path), dynamo=False,
                          input_names=list(model.input_names), output_names=list(OUTPUTS),
                          dynamic_axes=axes, opset_version=OPSET)
    return path


def quantize(source: Path, target: Path) -> Path:
    """Dynamic int8 quantisation of the weights (activations stay float), after ONNX Runtime's
    pre-processing (graph optimisation and shape inference; symbolic shapes skipped, as the
    batch and sequence axes are dynamic)."""
    from onnxruntime.quantization import QuantType, quantize_dynamic
    from onnxruntime.quantization.shape_inference import quant_pre_process

    with tempfile.TemporaryDirectory() as tmp:
        prepared = Path(tmp) / "prepared.onnx"
        quant_pre_process(str(source), str(prepared), skip_symbolic_shape=True)
        quantize_dynamic(str(prepared), str(target), weight_type=QuantType.QInt8)
    return target


@torch.no_grad()
def torch_logits(model: ArchmlModel, windows: Sequence[Window],
                 batch_size: int = 32) -> dict[str, np.ndarray]:
    """Per-window logits of every head from the torch model."""
    parts: dict[str, list[np.ndarray]] = {h: [] for h in OUTPUTS}
    for i in range(0, len(windows), batch_size):
        batch = stack_windows(windows[i:i + batch_size])
        out = model(**model.inputs(batch))
        for h in OUTPUTS:
            parts[h].append(out[h].float().numpy())
    return {h: np.concatenate(v) for h, v in parts.items()}


def parity(model: ArchmlModel, runtime: Model, docs: Sequence[DocWords]) -> Parity:
    """How ``runtime`` (batches cut to their longest window, as in production) agrees with
    the torch ``model`` (full windows) on the windows of ``docs``."""
    diff = dict.fromkeys(OUTPUTS, 0.0)
    agree = dict.fromkeys(HEADS, 0)
    tags_same = tags_total = 0
    for words in docs:
        windows = encode(words, runtime.tokenizer, runtime.meta.features)
        ref, got = torch_logits(model, windows), runtime.window_logits(windows)
        for h in HEADS:
            diff[h] = max(diff[h], float(np.abs(ref[h] - got[h]).max()))
            agree[h] += int(ref[h].mean(0).argmax() == got[h].mean(0).argmax())
        for window, r, g in zip(windows, ref["tags"], got["tags"], strict=True):
            n = int(window.attention_mask.sum())
            diff["tags"] = max(diff["tags"], float(np.abs(r[:n] - g[:n]).max()))
        same = runtime.word_tags(windows, ref["tags"], len(words)) == runtime.word_tags(
            windows, got["tags"], len(words))
        tags_same, tags_total = tags_same + int(same.sum()), tags_total + len(words)
    n = max(1, len(docs))
    return Parity(documents=len(docs),
                  max_abs_logit_diff={h: float(f"{v:.3g}") for h, v in diff.items()},
                  top1_agreement={h: round(v / n, 4) for h, v in agree.items()},
                  tag_agreement=round(tags_same / max(1, tags_total), 4))


def synthetic_words(n: int, seed: int = 606, order: str = "first_last") -> list[DocWords]:
    """The words of ``n`` freshly generated synthetic documents (the generator's own words)."""
    from archml.synth.generate import generate_document

    return [document_words(generate_document(seed, i).document, order) for i in range(n)]


def parity_table(meta: ModelMeta) -> str:
    """The model card's parity section."""
    rows = []
    for file, p in meta.parity.items():
        diffs = ", ".join(f"{h} {v:.1e}" for h, v in p.max_abs_logit_diff.items())
        top1 = ", ".join(f"{h} {v:.2%}" for h, v in p.top1_agreement.items())
        rows.append(f"| `{file}` | {p.documents} | {diffs} | {top1} | {p.tag_agreement:.2%} |")
    return ("## ONNX parity with torch\n\n| file | documents | max abs logit diff | "
            "top-1 agreement | tag agreement |\n|---|---:|---|---|---:|\n" + "\n".join(rows)
            + "\n")


def export(model_dir: str | Path, out_dir: str | Path, *, parity_docs: Sequence[DocWords],
           int8: bool = True, keep_torch: bool = False) -> ModelMeta:
    """Write the runtime directory ``out_dir`` for the trained ``model_dir``; returns its meta
    (parity numbers and checksums included). ``keep_torch`` also copies the torch weights
    (for benchmarks and re-export)."""
    if not parity_docs:
        raise ValueError("the parity check needs at least one document")
    torch.set_num_threads(1)
    source, out = Path(model_dir), Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    for stale in (FP32, INT8, *TORCH_FILES):
        (out / stale).unlink(missing_ok=True)
    meta = read_meta(source)
    model = ArchmlModel.from_pretrained(source).eval()
    for name in ("tokenizer.json", *(TORCH_FILES if keep_torch else ())):
        shutil.copyfile(source / name, out / name)
    tokenizer = Tokenizer.from_file(str(out / "tokenizer.json"))
    first = encode(parity_docs[0], tokenizer, meta.features)[0]
    to_onnx(model, stack_windows([first, first]), out / FP32)
    files = [FP32]
    if int8:
        files.append(quantize(out / FP32, out / INT8).name)
    meta = meta.model_copy(update={"parity": {}, "checksums": {}})
    for file in files:
        runtime = Model(out, meta, file)
        meta.parity[file] = parity(model, runtime, parity_docs)
    meta.checksums = checksums(out)
    (out / META).write_text(meta.model_dump_json(indent=1), encoding="utf-8")
    card = (source / "README.md").read_text(encoding="utf-8")
    (out / "README.md").write_text(card.rstrip() + "\n\n" + parity_table(meta),
                                   encoding="utf-8")
    return meta
