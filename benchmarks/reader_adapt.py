"""Adapting the digit reader to an archive's hand (``archml adapt-reader``), before and after.

The "archive": synthetic documents (``archml.synth``, every number and date filled in by hand,
no traps, scans only) whose fill-ins are all written in one font the shipped reader never saw
(``--font``, default Because We Build of Debian's fonts-bwht; the reader was trained on 14 other
handwriting fonts and the stroke model). Its catalogue is the generator's ground truth.

1. ``--train N`` documents (seed 3000): crops harvested as ``archml adapt-reader`` does
   (:func:`archml.training.fillin_crops.harvest`) and the shipped reader adapted to them
   (:func:`archml.training.adapt_reader.adapt`, default :class:`AdaptConfig` unless overridden).
2. ``--test M`` other documents of the same hand (seed 3100): exact match of the harvested crops
   and of ``codeNumber`` / ``issuedDate`` through the page stages with the shipped reader and
   with the adapted one (the page read once; the ``fillins`` stage run with each reader).
3. Control, ``--test M`` documents in the generator's usual hands (seed 2000, half
   handwritten): the same two fields with both readers (what adaptation costs elsewhere).
4. The card's standard checks (held-out synthetic strips, ``load_digits``) before and after.

    .venv/bin/python benchmarks/reader_adapt.py [--train 80] [--test 40] [--steps 400] [--lr ...]
"""

from __future__ import annotations

import argparse
import copy
import tempfile
import time
from pathlib import Path

from archml.document import Document
from archml.fields.compare import comparable
from archml.fillins import DigitReader, FillinStage
from archml.fillins.recognizer import MODEL_DIR
from archml.pipeline import Pipeline, PipelineConfig
from archml.synth import SynthConfig
from archml.synth.writer import generate_corpus
from archml.training.adapt_reader import AdaptConfig, adapt, crop_accuracy
from archml.training.data import Record, load_manifest
from archml.training.fillin_crops import PAGE_STAGES, harvest
from fillins import FIELDS, fields_of

FONT = "/usr/share/fonts/opentype/bwht/BecauseWeBuild-Regular.otf"


def corpus(folder: Path, n: int, seed: int, config: SynthConfig) -> list[Record]:
    generate_corpus(n, seed, folder, config)
    return load_manifest(folder)


def field_hits(records: list[Record], readers: dict[str, Path]) -> dict[str, dict[str, int]]:
    """Per reader, how many labelled ``codeNumber`` / ``issuedDate`` came out exact (and how
    many were labelled, under ``n``); each page is read once, the ``fillins`` stage run per
    reader on a copy."""
    pipeline = Pipeline(PipelineConfig(stages=PAGE_STAGES))
    stages = {name: FillinStage(str(folder)) for name, folder in readers.items()}
    hits = {name: dict.fromkeys([*FIELDS, *(f"n {f}" for f in FIELDS)], 0) for name in readers}
    for record in records:
        label = record.fields.get("codeNumber") or record.fields.get("issuedDate")
        if label is None:
            continue
        with pipeline.open(record.scan_paths()[0]) as source:
            page = pipeline.process_page(source, label.page or 0, keep_image=True)
            for name, stage in stages.items():
                copied = copy.deepcopy(page)
                stage.process_page(copied)
                found = fields_of(Document(source=source.source, pages=[copied]))
                for field in FIELDS:
                    truth = record.fields.get(field)
                    if truth is None or (truth.page or 0) != (label.page or 0):
                        continue
                    hits[name][f"n {field}"] += 1
                    hits[name][field] += comparable(field, found[field][0]) == comparable(
                        field, truth.value)
    return hits


def print_fields(title: str, hits: dict[str, dict[str, int]]) -> None:
    print(f"\n{title}\n\n| reader | " + " | ".join(FIELDS) + " |")
    print("|---|" + "---:|" * len(FIELDS))
    for name, h in hits.items():
        cells = [f"{h[f]}/{h[f'n {f}']} = {h[f] / max(1, h[f'n {f}']):.2f}" for f in FIELDS]
        print(f"| {name} | " + " | ".join(cells) + " |")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--train", type=int, default=80)
    parser.add_argument("--test", type=int, default=40)
    parser.add_argument("--font", default=FONT)
    parser.add_argument("--steps", type=int, default=AdaptConfig.steps)
    parser.add_argument("--lr", type=float, default=AdaptConfig.lr)
    parser.add_argument("--share", type=float, default=AdaptConfig.archive_share)
    args = parser.parse_args()
    config = AdaptConfig(steps=args.steps, lr=args.lr, archive_share=args.share)
    hand = SynthConfig(handwriting=1.0, traps=0.0, born_digital=0.0, hand_fonts=(args.font,))
    started = time.perf_counter()
    with tempfile.TemporaryDirectory() as scratch:
        root = Path(scratch)
        train = harvest(corpus(root / "train", args.train, 3000, hand))
        harvested = time.perf_counter() - started
        test_records = corpus(root / "test", args.test, 3100, hand)
        test = harvest(test_records)
        print(f"Hand: {Path(args.font).name}; adapted with {config}\n")
        print(f"- harvested from {args.train} documents: {train.summary()} "
              f"({harvested:.0f} s with generation)")
        print(f"- held out, {args.test} documents: {test.summary()}")
        adapting = time.perf_counter()
        card = adapt(MODEL_DIR, train.crops, root / "adapted", config, held_out=test.crops,
                     source="benchmarks/reader_adapt.py", log=lambda _: None)
        print(f"- adaptation: {time.perf_counter() - adapting:.0f} s for "
              f"{len(card['members'])} members\n")
        base, adapted = DigitReader(MODEL_DIR), DigitReader(root / "adapted")
        handwritten = [c for c in test.crops if c.handwritten]
        print("| check | shipped | adapted |")
        print("|---|---:|---:|")
        for name, crops in (("held-out crops", test.crops),
                            ("held-out crops judged handwritten", handwritten)):
            if crops:
                print(f"| {name} ({len(crops)}) | {crop_accuracy(base, crops)['exact']:.3f} | "
                      f"{crop_accuracy(adapted, crops)['exact']:.3f} |")
        for name, after in card["metrics"].items():
            before = card["adaptation"]["base"]["metrics"][name]
            print(f"| {name} ({after['n']}) | {before['exact']:.3f} | {after['exact']:.3f} |")
        readers = {"shipped": MODEL_DIR, "adapted": root / "adapted"}
        print_fields(f"Held-out documents of the archive's hand ({args.test}, seed 3100):",
                     field_hits(test_records, readers))
        usual = corpus(root / "usual", args.test, 2000,
                       SynthConfig(handwriting=0.5, traps=0.0, born_digital=0.0))
        print_fields(f"Control: the generator's usual hands ({args.test} documents, seed 2000):",
                     field_hits(usual, readers))
    print(f"\n({time.perf_counter() - started:.0f} s)")


if __name__ == "__main__":
    main()
