"""``archml train CONFIG.yaml``: data → tokenizer → model → fit with early stopping →
calibration → model directory → evaluation, tracked in MLflow.

Seeds fix Python, NumPy and torch; torch threads are set explicitly (``optim.threads``); a
checkpoint after every epoch (``out/checkpoint.pt``) lets an interrupted run resume.
"""

from __future__ import annotations

import json
import logging
import random
import time
from collections.abc import Sequence
from contextlib import nullcontext
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import torch
from datasets import Dataset
from sklearn.metrics import f1_score
from tokenizers import Tokenizer
from torch.nn import functional as F  # noqa: N812

from archml.features import bio_tags, train_tokenizer
from archml.taxonomy import DOC_TYPES, TYPE_NAMES, Domain
from archml.training.config import Source, TrainConfig
from archml.training.data import OcrCache, Record, load_source, needs_ocr
from archml.training.examples import IGNORE, Example, build_example, windows_dataset, with_ocr_noise
from archml.training.model import HEADS, ArchmlConfig, ArchmlModel, encoder_config
from archml.training.modeldir import ModelMeta, model_card, save_model_dir

log = logging.getLogger(__name__)


def seed_everything(seed: int) -> None:
    random.seed(seed)
    np.random.seed(seed)
    torch.manual_seed(seed)


def label_sets(fields: Sequence[str]) -> dict[str, list[str]]:
    """Fixed label lists from the taxonomy, so every model of a taxonomy version agrees."""
    return {"domain": [d.value for d in Domain], "form": list(TYPE_NAMES),
            "doc_type": [t.id for t in DOC_TYPES], "tags": bio_tags(fields)}


def generate_synth(config: TrainConfig) -> None:
    """Write the configured synthetic corpora that are not there yet."""
    from archml.synth import SynthConfig, generate_corpus

    for spec in config.synth:
        out = Path(spec.out)
        manifest = out / "manifest.jsonl"
        if manifest.exists() and sum(1 for _ in manifest.open()) == spec.n:
            continue
        log.info("generating %d synthetic documents in %s", spec.n, out)
        generate_corpus(spec.n, spec.seed, out, SynthConfig(degrade=spec.degrade,
                                                            born_digital=spec.born_digital),
                        jobs=spec.jobs, fmt=spec.image_format)


def load_examples(sources: Sequence[Source], config: TrainConfig, cache: OcrCache,
                  tags: list[str]) -> list[Example]:
    loaded: list[list[Record]] = [load_source(s.kind, s.path, s.mapping)[: s.limit]
                                  for s in sources]
    cache.fill((path for source, records in zip(sources, loaded, strict=True)
                for record in records if needs_ocr(record, source.words)
                for path in record.scan_paths()), config.data.ocr_jobs)
    examples = []
    for number, (source, records) in enumerate(zip(sources, loaded, strict=True)):
        rng = np.random.default_rng([config.seed, number])
        for record in records:
            example = build_example(record, source.words, cache, tags, config.features,
                                    source.weight)
            if source.ocr_noise:
                example = with_ocr_noise(example, source.ocr_noise, tags, rng)
            examples.append(example)
    return examples


def split(examples: list[Example], share: float, seed: int) -> tuple[list[Example],
                                                                       list[Example]]:
    """Train and validation examples, at least one of each; every copy of a document (its
    ground-truth words, its OCR, a noisy copy) falls on the same side."""
    ids = sorted({e.record.id for e in examples})
    order = np.random.default_rng(seed).permutation(len(ids))
    n_val = min(len(ids) - 1, max(1, round(share * len(ids))))
    val = {ids[i] for i in order[:n_val]}
    return ([e for e in examples if e.record.id not in val],
            [e for e in examples if e.record.id in val])


def class_weights(values: torch.Tensor, n: int) -> torch.Tensor:
    """Inverse-square-root frequency weights (mean 1 over seen classes); unseen classes get 1."""
    counts = torch.bincount(values[values != IGNORE], minlength=n).float()
    weights = torch.where(counts > 0, counts.clamp(min=1).rsqrt(), torch.ones(n))
    return weights * (counts > 0).sum() / weights[counts > 0].sum().clamp(min=1e-6)


def planned_epochs(state: dict[str, Any], seconds_left: float) -> int:
    """The epochs that fit in ``seconds_left`` at the mean epoch time so far (never more than
    planned before, never fewer than done)."""
    mean = float(np.mean([h["epoch_seconds"] for h in state["history"]]))
    fit = state["epoch"] + int(seconds_left // max(mean, 1e-6))
    return max(state["epoch"], min(state["planned"], fit))


@dataclass
class Fit:
    """What training produced."""

    model: ArchmlModel
    tokenizer: Tokenizer
    meta: ModelMeta
    history: list[dict[str, float]]
    model_dir: Path
    run_id: str | None = None
    version: str | None = None


class Trainer:
    """Fits an :class:`ArchmlModel` from a :class:`TrainConfig`."""

    def __init__(self, config: TrainConfig, out: str | Path | None = None) -> None:
        self.config = config
        self.out = Path(out or config.out)
        self.labels = label_sets(config.fields)
        opt = config.optim
        torch.set_num_threads(opt.threads)
        cuda = opt.device == "cuda" or (opt.device == "auto" and torch.cuda.is_available())
        self.device = torch.device("cuda" if cuda else "cpu")

    # -- data --------------------------------------------------------------------------
    def tokenizer_for(self, examples: Sequence[Example], resume: bool = False) -> Tokenizer:
        """The base model's tokenizer, the run's own when resuming (tokenizer training breaks
        ties in hash order, so a retrained vocabulary may differ), or a newly trained one."""
        base = self.config.model.base_model
        if base:
            return Tokenizer.from_file(str(Path(base) / "tokenizer.json"))
        saved = self.out / "tokenizer.json"
        if resume and saved.exists():
            return Tokenizer.from_file(str(saved))
        tokenizer = train_tokenizer((" ".join(e.words.texts) for e in examples),
                                    self.config.model.vocab_size)
        tokenizer.save(str(saved))
        return tokenizer

    def build_model(self, tokenizer: Tokenizer) -> ArchmlModel:
        m = self.config.model
        config = ArchmlConfig(domains=self.labels["domain"], forms=self.labels["form"],
                              doc_types=self.labels["doc_type"], tags=self.labels["tags"],
                              dropout=m.dropout, lexicon=self.config.features.lexicon > 0)
        if m.base_model:
            return ArchmlModel.from_base(m.base_model, config)
        config.encoder = encoder_config(m.encoder, tokenizer.get_vocab_size(),
                                        hidden_size=m.hidden_size, layers=m.layers,
                                        heads=m.heads, max_length=self.config.features.max_length,
                                        pad_token_id=tokenizer.token_to_id("[PAD]"))
        return ArchmlModel(config)

    # -- loss and metrics -----------------------------------------------------------------
    def loss(self, out: dict[str, torch.Tensor], batch: dict[str, torch.Tensor],
             weights: dict[str, torch.Tensor]) -> torch.Tensor:
        sample = batch["weight"].float()
        total = torch.zeros((), device=self.device)
        for head in HEADS:
            target = batch[head]
            if (target != IGNORE).any():
                per = F.cross_entropy(out[head], target, weight=weights[head],
                                      ignore_index=IGNORE, reduction="none",
                                      label_smoothing=self.config.optim.label_smoothing)
                known = (target != IGNORE).float()
                total = total + (per * sample).sum() / (sample * known).sum()
        tags = batch["labels"]
        per = F.cross_entropy(out["tags"].transpose(1, 2), tags, weight=weights["tags"],
                              ignore_index=IGNORE, reduction="none")
        known = (tags != IGNORE).float()
        token_weight = sample[:, None] * known
        total = total + self.config.optim.tag_loss_weight * (per * sample[:, None]).sum() \
            / token_weight.sum().clamp(min=1)
        return total

    @torch.no_grad()
    def outputs(self, model: ArchmlModel, data: Dataset) -> dict[str, np.ndarray]:
        """Document-level head logits (mean over windows) and token tags with their labels."""
        model.eval()
        logits: dict[str, list[np.ndarray]] = {h: [] for h in HEADS}
        tags, gold = [], []
        for batch in data.iter(batch_size=self.config.optim.batch_size):
            out = model(**model.inputs(batch, self.device))
            for h in HEADS:
                logits[h].append(out[h].float().cpu().numpy())
            mask = batch["labels"] != IGNORE
            tags.append(out["tags"].argmax(-1).cpu()[mask].numpy())
            gold.append(batch["labels"][mask].numpy())
        docs = np.asarray(data["doc"])
        result = {}
        for h in HEADS:
            stacked = np.concatenate(logits[h])
            result[h] = np.stack([stacked[docs == d].mean(0) for d in np.unique(docs)])
            result[f"{h}_gold"] = np.asarray([np.asarray(data[h])[docs == d][0]
                                              for d in np.unique(docs)])
        result["tags"], result["tags_gold"] = np.concatenate(tags), np.concatenate(gold)
        return result

    def score(self, outputs: dict[str, np.ndarray]) -> dict[str, float]:
        """Macro-F1 per head over labelled documents, tag micro-F1 over field tokens, and
        their mean (``val_score``, the early-stopping criterion)."""
        metrics = {}
        for h in HEADS:
            gold = outputs[f"{h}_gold"]
            known = gold != IGNORE
            if known.any():
                pred = outputs[h].argmax(-1)[known]
                metrics[f"{h}_macro_f1"] = f1_score(gold[known], pred, average="macro",
                                                    labels=np.unique(gold[known]),
                                                    zero_division=0)
        gold, pred = outputs["tags_gold"], outputs["tags"]
        fields = np.unique(gold[gold > 0])
        metrics["tags_f1"] = f1_score(gold, pred, labels=fields, average="micro",
                                      zero_division=0) if len(fields) else 0.0
        metrics["val_score"] = float(np.mean(list(metrics.values())))
        return metrics

    # -- fitting --------------------------------------------------------------------------
    def fit(self, resume: bool = False) -> Fit:
        config, started = self.config, time.perf_counter()
        seed_everything(config.seed)
        self.out.mkdir(parents=True, exist_ok=True)
        config.dump(self.out / "config.yaml")
        generate_synth(config)
        cache = OcrCache(config.data.ocr_cache)
        examples = load_examples(config.data.train, config, cache, self.labels["tags"])
        train, val = split(examples, config.data.validation_share, config.seed)
        tokenizer = self.tokenizer_for(train, resume)
        train_data = windows_dataset(train, tokenizer, config.features, self.labels)
        val_data = windows_dataset(val, tokenizer, config.features, self.labels)
        # data (generation, OCR, weak labels, tokens) and training are timed apart; the
        # max_minutes budget is for training
        data_seconds, started = time.perf_counter() - started, time.perf_counter()
        model = self.build_model(tokenizer).to(self.device)
        weights = self.weights(train_data)
        opt = config.optim
        optimizer = torch.optim.AdamW(model.parameters(), lr=opt.lr, weight_decay=opt.weight_decay)
        state = {"epoch": 0, "best": -1.0, "bad": 0, "history": [], "planned": opt.epochs}
        per_epoch = max(1, -(-len(train_data) // opt.batch_size))

        def schedule(step: int) -> float:
            """Linear warm-up, then linear decay to zero at the end of the planned epochs."""
            steps = state["planned"] * per_epoch
            warmup = max(1, int(opt.warmup_share * steps))
            return min((step + 1) / warmup, max(0.0, (steps - step) / max(1, steps - warmup)))

        scheduler = torch.optim.lr_scheduler.LambdaLR(optimizer, schedule)
        checkpoint = self.out / "checkpoint.pt"
        if resume and checkpoint.exists():
            saved = torch.load(checkpoint, weights_only=False)
            model.load_state_dict(saved["model"])
            optimizer.load_state_dict(saved["optimizer"])
            scheduler.load_state_dict(saved["scheduler"])
            state = {**saved["state"], "planned": opt.epochs}  # the budget counts from here
            torch.set_rng_state(saved["rng"])
            log.info("resumed from epoch %d", state["epoch"])
        best_path = self.out / "best.pt"
        tracker = self._tracker()
        with tracker or nullcontext():
            if tracker:
                tracker.log_config(config.model_dump(mode="json"))
                tracker.log_metrics({"train_windows": len(train_data),
                                     "val_windows": len(val_data),
                                     "train_documents": len(train), "val_documents": len(val)})
            while state["epoch"] < state["planned"] and state["bad"] < opt.patience:
                epoch_start = time.perf_counter()
                train_loss = self._epoch(model, train_data, optimizer, scheduler, weights,
                                         config.seed + state["epoch"])
                metrics = self.score(self.outputs(model, val_data))
                metrics.update(train_loss=train_loss,
                               epoch_seconds=time.perf_counter() - epoch_start)
                state["epoch"] += 1
                state["history"].append(metrics)
                if metrics["val_score"] > state["best"]:
                    state["best"], state["bad"] = metrics["val_score"], 0
                    torch.save(model.state_dict(), best_path)
                else:
                    state["bad"] += 1
                torch.save({"model": model.state_dict(), "optimizer": optimizer.state_dict(),
                            "scheduler": scheduler.state_dict(), "state": state,
                            "rng": torch.get_rng_state()}, checkpoint)
                log.info("epoch %d %s", state["epoch"], json.dumps(metrics))
                if tracker:
                    tracker.log_metrics(metrics, step=state["epoch"])
                if opt.max_minutes:
                    elapsed = time.perf_counter() - started
                    if elapsed > 60 * opt.max_minutes:
                        break
                    state["planned"] = planned_epochs(state, 60 * opt.max_minutes - elapsed)
            model.load_state_dict(torch.load(best_path, weights_only=True))
            outputs = self.outputs(model, val_data)
            best = self.score(outputs)
            from archml.training.evaluate import fit_temperature

            temperatures = {h: fit_temperature(outputs[h], outputs[f"{h}_gold"]) for h in HEADS}
            meta = ModelMeta(
                name=config.name, encoder=config.model.base_model or config.model.encoder,
                labels=self.labels, fields=list(config.fields), features=config.features,
                preprocessing=cache.config.model_dump(mode="json"), temperatures=temperatures,
                metrics={k: round(float(v), 4) for k, v in best.items()},
                training={"epochs": state["epoch"], "seconds": round(
                    time.perf_counter() - started, 1), "data_seconds": round(data_seconds, 1),
                    "device": str(self.device),
                    "threads": opt.threads, "train_documents": len(train),
                    "val_documents": len(val),
                    "parameters": sum(p.numel() for p in model.parameters())})
            model_dir = save_model_dir(self.out / "model", model.cpu(), tokenizer, meta,
                                       model_card(meta, [s.describe() for s in config.data.train]))
            self._fit_baselines(train)
            fit = Fit(model, tokenizer, meta, state["history"], model_dir)
            if config.data.test:
                self._evaluate(fit, cache, tracker)
            if tracker:
                tracker.log_metrics({f"best_{k}": v for k, v in meta.metrics.items()})
                fit.version = tracker.register(config.tracking.registered_model, model_dir)
                fit.run_id = tracker.run_id
        return fit

    def weights(self, data: Dataset) -> dict[str, torch.Tensor]:
        n = {h: len(self.labels[h]) for h in (*HEADS, "tags")}
        if not self.config.optim.class_weights:
            return {h: torch.ones(k, device=self.device) for h, k in n.items()}
        columns = data.with_format("numpy")
        result = {h: class_weights(torch.as_tensor(np.asarray(columns[h])), n[h]) for h in HEADS}
        result["tags"] = class_weights(torch.as_tensor(np.asarray(columns["labels"])).flatten(),
                                       n["tags"])
        return {h: w.to(self.device) for h, w in result.items()}

    def _epoch(self, model: ArchmlModel, data: Dataset, optimizer: torch.optim.Optimizer,
               scheduler: torch.optim.lr_scheduler.LRScheduler,
               weights: dict[str, torch.Tensor], seed: int) -> float:
        model.train()
        losses = []
        for batch in data.shuffle(seed=seed).iter(batch_size=self.config.optim.batch_size):
            batch = {k: v.to(self.device) for k, v in batch.items()}
            out = model(**model.inputs(batch))
            loss = self.loss(out, batch, weights)
            optimizer.zero_grad()
            loss.backward()
            torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
            optimizer.step()
            scheduler.step()
            losses.append(loss.item())
        return float(np.mean(losses))

    def _tracker(self) -> Any:
        if not self.config.tracking.enabled:
            return None
        from archml.training.tracking import Tracker, tracking_uri

        t = self.config.tracking
        return Tracker(t.experiment, self.config.name, tracking_uri(t.db))

    def _fit_baselines(self, train: Sequence[Example]) -> None:
        from archml.training.evaluate import TfidfBaseline

        TfidfBaseline.fit(train).save(self.out / "baselines.joblib")

    def _evaluate(self, fit: Fit, cache: OcrCache, tracker: Any) -> None:
        from archml.training.evaluate import evaluate

        examples = load_examples(self.config.data.test, self.config, cache,
                                 self.labels["tags"])
        report = evaluate(fit.model_dir, examples, self.out / "eval",
                          baselines=self.out / "baselines.joblib")
        if tracker:
            tracker.log_metrics({f"test_{k}": v for k, v in report["summary"].items()})
            tracker.log_artifacts(self.out / "eval", "eval")

