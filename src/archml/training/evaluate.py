"""``archml eval MODEL DATA``: the model against the baselines on the same documents.

Classes (domain, form, fine type): per-class precision/recall/F1, macro-F1, accuracy and a
confusion matrix (PNG), for the model, a TF-IDF + logistic-regression baseline (fitted on the
model's training documents by the trainer) and the rule classifier. Fields: exact match after
normalisation and mean similarity per field, for the model and the rule extractor
(:func:`archml.fields.rules.extract`). Calibration: expected calibration error before and after
the temperature fitted on validation, with a reliability diagram. Output: ``report.json``,
``report.md`` and PNGs in the output folder.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from itertools import pairwise
from pathlib import Path
from typing import Any

import numpy as np
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import confusion_matrix, f1_score, precision_recall_fscore_support
from sklearn.pipeline import Pipeline as SkPipeline

from archml.fields.classify import classify
from archml.fields.compare import comparable, similarity
from archml.fields.rules import extract
from archml.training.examples import Example
from archml.training.model import HEADS
from archml.training.predict import Predictor

TARGETS = {"domain": "domain", "form": "typeName", "doc_type": "docType"}


# -- calibration -------------------------------------------------------------------------
def softmax(logits: np.ndarray, temperature: float = 1.0) -> np.ndarray:
    z = logits / temperature
    z = z - z.max(-1, keepdims=True)
    e = np.exp(z)
    return e / e.sum(-1, keepdims=True)


def fit_temperature(logits: np.ndarray, gold: np.ndarray) -> float:
    """The softmax temperature minimising validation NLL (grid search, 0.05–20)."""
    known = gold >= 0
    if not known.any():
        return 1.0
    grid = np.exp(np.linspace(np.log(0.05), np.log(20), 120))
    nll = [-np.log(softmax(logits[known], t)[np.arange(known.sum()), gold[known]] + 1e-12).mean()
           for t in grid]
    return round(float(grid[int(np.argmin(nll))]), 4)


def ece(confidence: np.ndarray, correct: np.ndarray, bins: int = 10) -> float:
    """Expected calibration error with equal-width confidence bins."""
    edges = np.linspace(0, 1, bins + 1)
    total = 0.0
    for lo, hi in pairwise(edges):
        inside = (confidence > lo) & (confidence <= hi)
        if inside.any():
            total += inside.mean() * abs(correct[inside].mean() - confidence[inside].mean())
    return float(total)


# -- baselines ---------------------------------------------------------------------------
class TfidfBaseline:
    """TF-IDF (word 1–2-grams, sublinear counts) + logistic regression, one
    per head with at least two classes in training."""

    def __init__(self, models: dict[str, SkPipeline]) -> None:
        self.models = models

    @classmethod
    def fit(cls, examples: Sequence[Example]) -> TfidfBaseline:
        texts = [" ".join(e.words.texts) for e in examples]
        models = {}
        for head, key in TARGETS.items():
            labels = [getattr(e.record, key) for e in examples]
            rows = [i for i, y in enumerate(labels) if y]
            if len({labels[i] for i in rows}) < 2:
                continue
            model = SkPipeline([("tfidf", TfidfVectorizer(sublinear_tf=True, min_df=1,
                                                          ngram_range=(1, 2), max_features=50000)),
                                ("lr", LogisticRegression(max_iter=2000, C=10.0))])
            models[head] = model.fit([texts[i] for i in rows], [labels[i] for i in rows])
        return cls(models)

    def predict(self, examples: Sequence[Example]) -> dict[str, list[str]]:
        texts = [" ".join(e.words.texts) for e in examples]
        return {head: list(m.predict(texts)) for head, m in self.models.items()}

    def save(self, path: str | Path) -> None:
        import joblib

        joblib.dump(self.models, path)

    @classmethod
    def load(cls, path: str | Path) -> TfidfBaseline:
        import joblib

        return cls(joblib.load(path))


# -- fields ------------------------------------------------------------------------------
def field_scores(truth: Sequence[dict[str, Any]], predicted: Sequence[dict[str, Any]],
                 fields: Sequence[str]) -> dict[str, dict[str, float]]:
    """Per field over documents that label it: exact match and mean similarity."""
    scores = {}
    for name in fields:
        pairs = [(comparable(name, t[name]), comparable(name, p.get(name)))
                 for t, p in zip(truth, predicted, strict=True) if comparable(name, t.get(name))]
        if pairs:
            scores[name] = {"n": len(pairs),
                            "exact": float(np.mean([a == b for a, b in pairs])),
                            "similarity": float(np.mean([similarity(a, b) if b else 0.0
                                                         for a, b in pairs]))}
    return scores


def class_scores(gold: Sequence[str | None], pred: Sequence[str]) -> dict[str, Any]:
    """Accuracy, macro-F1 and per-class P/R/F1 over documents with a label."""
    pairs = [(g, p) for g, p in zip(gold, pred, strict=True) if g]
    if not pairs:
        return {}
    g, p = zip(*pairs, strict=True)
    labels = sorted(set(g))
    prec, rec, f1, support = precision_recall_fscore_support(g, p, labels=labels,
                                                             zero_division=0)
    return {"n": len(pairs), "accuracy": float(np.mean([a == b for a, b in pairs])),
            "macro_f1": float(f1_score(g, p, labels=labels, average="macro", zero_division=0)),
            "per_class": {lab: {"precision": float(a), "recall": float(b), "f1": float(c),
                                "support": int(d)}
                          for lab, a, b, c, d in zip(labels, prec, rec, f1, support,
                                                     strict=True)}}


# -- plots -------------------------------------------------------------------------------
def _plot_confusion(gold: Sequence[str], pred: Sequence[str], path: Path, title: str) -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    labels = sorted(set(gold) | set(pred))
    matrix = confusion_matrix(gold, pred, labels=labels)
    size = max(4, 0.35 * len(labels) + 2)
    fig, ax = plt.subplots(figsize=(size, size))
    ax.imshow(matrix, cmap="Blues")
    ax.set_xticks(range(len(labels)), labels, rotation=90, fontsize=7)
    ax.set_yticks(range(len(labels)), labels, fontsize=7)
    ax.set_xlabel("predicted")
    ax.set_ylabel("true")
    ax.set_title(title)
    for (i, j), v in np.ndenumerate(matrix):
        if v:
            ax.text(j, i, str(v), ha="center", va="center", fontsize=6)
    fig.tight_layout()
    fig.savefig(path, dpi=100)
    plt.close(fig)


def _plot_reliability(curves: dict[str, tuple[np.ndarray, np.ndarray]], path: Path) -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    fig, ax = plt.subplots(figsize=(4.5, 4.5))
    edges = np.linspace(0, 1, 11)
    for name, (conf, correct) in curves.items():
        xs, ys = [], []
        for lo, hi in pairwise(edges):
            inside = (conf > lo) & (conf <= hi)
            if inside.any():
                xs.append(conf[inside].mean())
                ys.append(correct[inside].mean())
        ax.plot(xs, ys, marker="o", label=name)
    ax.plot([0, 1], [0, 1], "k:", lw=1)
    ax.set_xlabel("confidence")
    ax.set_ylabel("accuracy")
    ax.set_title("Reliability (form head)")
    ax.legend()
    fig.tight_layout()
    fig.savefig(path, dpi=100)
    plt.close(fig)


# -- the run -----------------------------------------------------------------------------
def evaluate(model_dir: str | Path, examples: Sequence[Example], out: str | Path,
             baselines: str | Path | None = None) -> dict[str, Any]:
    """Evaluate the model and the baselines on ``examples``; write JSON, Markdown and PNGs."""
    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    predictor = Predictor.from_pretrained(model_dir)
    meta = predictor.meta
    predictions = [predictor.predict(e.words) for e in examples]
    rules = []
    for e in examples:
        document = e.document.model_copy(deep=True)
        document.classification = classify(document)
        rules.append((document.classification, extract(document)))
    gold = {h: [getattr(e.record, key) for e in examples] for h, key in TARGETS.items()}
    systems: dict[str, dict[str, list[str]]] = {
        "model": {h: [p.label(h, meta.labels[h]) for p in predictions] for h in HEADS},
        "rules": {"domain": [c.domain.label for c, _ in rules],
                  "form": [c.form.label for c, _ in rules],
                  "doc_type": [c.doc_type.label if c.doc_type else "" for c, _ in rules]}}
    if baselines and Path(baselines).exists():
        systems["tfidf_lr"] = TfidfBaseline.load(baselines).predict(examples)
    classes = {name: {h: class_scores(gold[h], preds[h]) for h in preds if any(gold[h])}
               for name, preds in systems.items()}
    truth = [{n: f.value for n, f in e.record.fields.items()} for e in examples]
    fields = [n for n in meta.fields if any(comparable(n, t.get(n)) for t in truth)]
    field_results = {
        "model": field_scores(truth, [p.fields for p in predictions], fields),
        "rules": field_scores(truth, [{n: f.value for n, f in fv.items()} for _, fv in rules],
                              fields)}
    calibration = _calibration(predictions, gold, meta.labels, meta.temperatures, out)
    for head in HEADS:
        known = [i for i, g in enumerate(gold[head]) if g]
        if known:
            _plot_confusion([gold[head][i] for i in known],
                            [systems["model"][head][i] for i in known],
                            out / f"confusion_{head}.png", f"model: {head}")
    report = {"model": str(model_dir), "documents": len(examples), "classes": classes,
              "fields": field_results, "calibration": calibration,
              "summary": _summary(classes, field_results)}
    (out / "report.json").write_text(json.dumps(report, indent=1, ensure_ascii=False),
                                     encoding="utf-8")
    (out / "report.md").write_text(markdown(report), encoding="utf-8")
    return report


def _calibration(predictions: Sequence[Any], gold: dict[str, list[str | None]],
                 labels: dict[str, list[str]], temperatures: dict[str, float],
                 out: Path) -> dict[str, dict[str, float]]:
    result, curves = {}, {}
    for head in HEADS:
        known = [i for i, g in enumerate(gold[head]) if g in labels[head]]
        if not known:
            continue
        logits = np.stack([predictions[i].logits[head] for i in known])
        target = np.asarray([labels[head].index(gold[head][i]) for i in known])
        row = {}
        for name, t in (("raw", 1.0), ("scaled", temperatures.get(head, 1.0))):
            probs = softmax(logits, t)
            conf, correct = probs.max(-1), (probs.argmax(-1) == target).astype(float)
            row[f"ece_{name}"] = ece(conf, correct)
            if head == "form":
                curves[f"{name} (T={t:g})"] = (conf, correct)
        result[head] = {**row, "temperature": temperatures.get(head, 1.0)}
    if curves:
        _plot_reliability(curves, out / "reliability_form.png")
    return result


def _summary(classes: dict[str, Any], fields: dict[str, Any]) -> dict[str, float]:
    summary = {}
    for system, heads in classes.items():
        for head, s in heads.items():
            if s:
                summary[f"{system}_{head}_macro_f1"] = round(s["macro_f1"], 4)
                summary[f"{system}_{head}_accuracy"] = round(s["accuracy"], 4)
    for system, per_field in fields.items():
        if per_field:
            summary[f"{system}_field_exact"] = round(float(np.mean(
                [v["exact"] for v in per_field.values()])), 4)
    return summary


def markdown(report: dict[str, Any]) -> str:
    """The report as Markdown tables: classes by system, then fields by system."""
    lines = [f"# Evaluation of {report['model']} on {report['documents']} documents", "",
             "| system | head | n | accuracy | macro-F1 |", "|---|---|---:|---:|---:|"]
    for system, heads in report["classes"].items():
        for head, s in heads.items():
            if s:
                lines.append(f"| {system} | {head} | {s['n']} | {s['accuracy']:.3f} | "
                             f"{s['macro_f1']:.3f} |")
    systems = list(report["fields"])
    names = sorted({n for s in systems for n in report["fields"][s]})
    lines += ["", "| field | n | " + " | ".join(f"{s} exact | {s} sim" for s in systems) + " |",
              "|---|---:|" + "---:|" * (2 * len(systems))]
    for name in names:
        cells = []
        n = 0
        for s in systems:
            v = report["fields"][s].get(name)
            n = v["n"] if v else n
            cells += [f"{v['exact']:.2f}", f"{v['similarity']:.2f}"] if v else ["–", "–"]
        lines.append(f"| {name} | {n} | " + " | ".join(cells) + " |")
    lines += ["", "| head | temperature | ECE raw | ECE scaled |", "|---|---:|---:|---:|"]
    for head, c in report["calibration"].items():
        lines.append(f"| {head} | {c['temperature']:g} | {c['ece_raw']:.3f} | "
                     f"{c['ece_scaled']:.3f} |")
    return "\n".join(lines) + "\n"
