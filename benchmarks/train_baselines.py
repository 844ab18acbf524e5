"""A trained model against its baselines: the side-by-side table of the training issue.

Evaluates a model directory written by ``archml train`` (or reads reports already written) on

* (a) the heavily degraded synthetic test split (another seed), read by OCR, and
* (b) the real held-out scans: the 8 labelled admin samples (``data/samples/labels.jsonl``) and
  the 5 catalogue scans (``data/catalogue/catalogue.xlsx``) — reported, never tuned on,

and prints Markdown: per head macro-F1 and accuracy for the model, TF-IDF + logistic regression
(fitted by the trainer on the model's training documents) and the rule classifier; per field
exact match for the model and the rule extractor; the training time and hardware; and the
weak-label found/not-found table on the real catalogue.

    .venv/bin/python benchmarks/train_baselines.py out/train/base [--reuse]
"""

from __future__ import annotations

import argparse
import json
import os
import platform
from pathlib import Path
from typing import Any

from archml.training.data import OcrCache, load_source
from archml.training.evaluate import evaluate
from archml.training.examples import build_example
from archml.training.modeldir import read_meta
from archml.training.weak_labels import report, report_markdown

REPO = Path(__file__).resolve().parents[1]
SYSTEMS = ("model", "tfidf_lr", "rules")
HEADS = ("domain", "form", "doc_type")


def datasets(synth: Path) -> dict[str, list[tuple[str, Path]]]:
    """The evaluation sets: name → ``(loader kind, path)`` sources."""
    return {"synthetic-heavy-ocr": [("manifest", synth)],
            "real-samples": [("labels", REPO / "data/samples/labels.jsonl"),
                             ("catalogue", REPO / "data/catalogue/catalogue.xlsx")]}


def run(run_dir: Path, name: str, sources: list[tuple[str, Path]], cache: OcrCache,
        reuse: bool) -> dict[str, Any]:
    """The evaluation report of ``run_dir/model`` on ``sources`` (read back with ``reuse``)."""
    out = run_dir / "bench" / name
    # the trainer already evaluated its test split (the heavy synthetic one in base.yaml)
    written = [out / "report.json"] + ([run_dir / "eval" / "report.json"]
                                       if name == "synthetic-heavy-ocr" else [])
    for path in written if reuse else []:
        if path.exists():
            return json.loads(path.read_text(encoding="utf-8"))
    meta = read_meta(run_dir / "model")
    examples = [build_example(r, "ocr", cache, meta.labels["tags"], meta.features)
                for kind, path in sources for r in load_source(kind, path)]
    result = evaluate(run_dir / "model", examples, out, baselines=run_dir / "baselines.joblib")
    if name == "real-samples":
        rows = report(e.alignment for e in examples if e.record.source.endswith(".xlsx"))
        result["weak_labels"] = rows
        (out / "report.json").write_text(json.dumps(result, indent=1, ensure_ascii=False),
                                         encoding="utf-8")
    return result


def cell(value: float | None) -> str:
    return "–" if value is None else f"{value:.3f}"


def table(name: str, result: dict[str, Any]) -> str:
    """Classes and fields of one report, systems side by side."""
    lines = [f"### {name} ({result['documents']} documents, OCR words)", "",
             "| head | metric | " + " | ".join(SYSTEMS) + " |", "|---|---|" + "---:|" * 3]
    for head in HEADS:
        for metric in ("macro_f1", "accuracy"):
            values = [result["classes"].get(s, {}).get(head, {}).get(metric) for s in SYSTEMS]
            if any(v is not None for v in values):
                lines.append(f"| {head} | {metric} | " + " | ".join(map(cell, values)) + " |")
    fields = result["fields"]
    lines += ["", "| field | n | model exact | rules exact | model sim | rules sim |",
              "|---|---:|---:|---:|---:|---:|"]
    for field in sorted(set(fields["model"]) | set(fields["rules"])):
        m, r = fields["model"].get(field, {}), fields["rules"].get(field, {})
        lines.append(f"| {field} | {m.get('n', r.get('n'))} | {cell(m.get('exact'))} | "
                     f"{cell(r.get('exact'))} | {cell(m.get('similarity'))} | "
                     f"{cell(r.get('similarity'))} |")
    summary = result["summary"]
    lines.append(f"| **mean** | | {cell(summary.get('model_field_exact'))} | "
                 f"{cell(summary.get('rules_field_exact'))} | | |")
    return "\n".join(lines)


def hardware() -> str:
    cpu = platform.processor() or platform.machine()
    cpuinfo = Path("/proc/cpuinfo")
    if cpuinfo.exists():
        names = [ln.split(":", 1)[1].strip() for ln in cpuinfo.read_text().splitlines()
                 if ln.startswith("model name")]
        cpu = names[0] if names else cpu
    return f"{cpu}, {os.cpu_count()} cores visible"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("run", type=Path, help="Training output folder (holds model/).")
    parser.add_argument("--synth", type=Path,
                        default=REPO / "out/synth/test-heavy/manifest.jsonl")
    parser.add_argument("--ocr-cache", type=Path, default=REPO / "out/ocr-cache")
    parser.add_argument("--reuse", action="store_true",
                        help="Read reports already written (the trainer's eval/ for the "
                             "synthetic split when its config tested on it).")
    args = parser.parse_args()
    cache = OcrCache(args.ocr_cache)
    meta = read_meta(args.run / "model")
    t = meta.training
    print(f"## Model `{meta.name}` ({meta.encoder}, {t.get('parameters', 0) / 1e6:.1f}M "
          f"parameters)\n\nTraining: {t.get('epochs')} epochs, {t.get('seconds', 0) / 60:.1f} "
          f"min on {t.get('device')} with {t.get('threads')} thread(s)"
          + (f" (data preparation {t['data_seconds'] / 60:.1f} min)" if "data_seconds" in t
             else " (data preparation included)") + ", "
          f"{t.get('train_documents')} train / {t.get('val_documents')} validation documents. "
          f"Hardware: {hardware()}.\n")
    real = None
    for name, sources in datasets(args.synth).items():
        result = run(args.run, name, sources, cache, args.reuse)
        print(table(name, result) + "\n")
        real = result if name == "real-samples" else real
    if real and real.get("weak_labels"):
        print("### Weak labels on the real catalogue (values found in the OCR words)\n")
        print(report_markdown(real["weak_labels"]))


if __name__ == "__main__":
    main()
