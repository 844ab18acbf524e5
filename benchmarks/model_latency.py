"""Model latency: torch eager vs ONNX fp32 vs ONNX int8, and the model's share of page time.

Per-document latency and throughput of the three back ends on the same synthetic documents
(the generator's words), 1 thread each, windows fed one per forward pass (batch 1) or 32 per
pass (batch 32, windows of several documents pooled), every batch cut to its longest window as
the runtime does. Then the full default pipeline (with the model) on the real samples, timing
each stage, for the model's share of end-to-end time.

    .venv/bin/python benchmarks/model_latency.py [--model src/archml/models/default] [--docs 64]

The model directory needs the torch weights too (``archml export --keep-torch``).
"""

from __future__ import annotations

import argparse
import platform
import time
from collections.abc import Callable, Sequence
from pathlib import Path

import numpy as np
import torch

from archml.document import Document
from archml.features import Window, encode
from archml.pipeline import SHIPPED_MODEL, Pipeline, PipelineConfig
from archml.runtime import load_model
from archml.runtime.model import Model, stack_windows
from archml.training.export import synthetic_words
from archml.training.model import ArchmlModel

REPO = Path(__file__).resolve().parents[1]
Run = Callable[[dict[str, np.ndarray]], object]


def batches(windows: Sequence[Window], size: int) -> list[dict[str, np.ndarray]]:
    """Inputs of ``windows`` in batches of ``size``, each cut to its longest window."""
    out = []
    for i in range(0, len(windows), size):
        batch = windows[i:i + size]
        out.append(stack_windows(batch, max(int(w.attention_mask.sum()) for w in batch)))
    return out


def backends(model_dir: Path) -> dict[str, Run]:
    torch_model = ArchmlModel.from_pretrained(model_dir).eval()

    @torch.no_grad()
    def eager(inputs: dict[str, np.ndarray]) -> object:
        return torch_model(**torch_model.inputs(inputs))

    def onnx(model: Model) -> Run:
        return lambda inputs: model.session.run(None, inputs)

    return {"torch eager": eager,
            "onnx fp32": onnx(load_model(model_dir, quantized=False)),
            "onnx int8": onnx(load_model(model_dir, quantized=True))}


def latency(run: Run, feeds: list[dict[str, np.ndarray]], n_docs: int,
            repeats: int = 5) -> float:
    """Best-of-``repeats`` milliseconds per document."""
    run(feeds[0])  # warm-up
    best = float("inf")
    for _ in range(repeats):
        start = time.perf_counter()
        for feed in feeds:
            run(feed)
        best = min(best, time.perf_counter() - start)
    return 1000 * best / n_docs


def latency_table(model_dir: Path, n_docs: int) -> str:
    model = load_model(model_dir, quantized=False)
    docs = synthetic_words(n_docs, seed=2026)
    windows = [w for words in docs for w in encode(words, model.tokenizer, model.meta.features)]
    rows, eager = [], {}
    for name, run in backends(model_dir).items():
        for size in (1, 32):
            ms = latency(run, batches(windows, size), len(docs))
            eager.setdefault(size, ms)
            rows.append(f"| {name} | {size} | {ms:.2f} | {1000 / ms:.1f} | "
                        f"{eager[size] / ms:.2f}× |")
    return (f"{len(docs)} synthetic documents, {len(windows)} windows of at most "
            f"{model.meta.features.max_length} tokens; 1 thread.\n\n"
            "| back end | windows per pass | ms/doc | docs/s | speed-up vs torch |\n"
            "|---|---:|---:|---:|---:|\n" + "\n".join(rows))


def stage_times(pipeline: Pipeline, path: Path) -> dict[str, float]:
    """Seconds per stage for one input: page stages summed over pages, then document stages."""
    seconds: dict[str, float] = {}
    with pipeline.open(path) as reader:
        pages = []
        for i in range(reader.n_pages):
            start = time.perf_counter()
            page = reader.load_page(i)
            seconds["read"] = seconds.get("read", 0.0) + time.perf_counter() - start
            for stage in pipeline.page_stages:
                start = time.perf_counter()
                stage.process_page(page)
                seconds[stage.name] = seconds.get(stage.name, 0.0) + time.perf_counter() - start
            page.image = None
            pages.append(page)
        document = Document(source=reader.source, pages=pages)
    for stage in pipeline.document_stages:
        start = time.perf_counter()
        stage(document)
        seconds[stage.name] = time.perf_counter() - start
    return seconds


def share_table(model_dir: Path, samples: list[Path]) -> str:
    pipeline = Pipeline(PipelineConfig(model=str(model_dir)))
    totals: dict[str, float] = {}
    pages = 0
    for path in samples:
        for name, value in stage_times(pipeline, path).items():
            totals[name] = totals.get(name, 0.0) + value
        with pipeline.open(path) as reader:
            pages += reader.n_pages
    total = sum(totals.values())
    rows = "\n".join(f"| {name} | {1000 * s / pages:.1f} | {s / total:.1%} |"
                     for name, s in totals.items())
    return (f"Default pipeline with `{pipeline.model_info['file']}` on {len(samples)} real "
            f"samples, {pages} pages, 1 process: {total / pages:.2f} s/page; the model takes "
            f"**{totals.get('model', 0.0) / total:.2%}** of it.\n\n"
            "| stage | ms/page | share |\n|---|---:|---:|\n" + rows)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--model", type=Path, default=SHIPPED_MODEL)
    parser.add_argument("--docs", type=int, default=64)
    parser.add_argument("--samples", type=int, default=8, help="real samples for the share")
    args = parser.parse_args()
    torch.set_num_threads(1)
    shown = args.model.resolve().relative_to(REPO) if args.model.resolve().is_relative_to(
        REPO) else args.model
    print(f"## Model latency\n\n`benchmarks/model_latency.py --model {shown}`; "
          f"{platform.processor() or platform.machine()}, torch {torch.__version__}.\n")
    print(latency_table(args.model, args.docs) + "\n")
    samples = sorted((REPO / "data" / "samples").glob("*.pdf"))[: args.samples]
    print(share_table(args.model, samples))


if __name__ == "__main__":
    main()
