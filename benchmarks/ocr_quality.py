"""OCR quality and speed: the raw ``tesseract`` CLI against ``archml ocr`` on the same images.

Both tools get the same PNG files and the same cores (``--jobs`` processes, one page each,
``OMP_THREAD_LIMIT=1``: the raw CLI's own threads are slower on few cores). Sets:

* ``synthetic-clean`` / ``synthetic-degraded``: pages rendered by :mod:`archml.synth` with known
  text. CER and word accuracy are order-free: each tool's output is first rearranged into the
  ground truth's line order (:func:`archml.metrics.follow_reference_order`), so a two-column
  header read row by row is not counted as errors.
* ``synthetic-light``: the same pages lightly degraded (±2° skew, mild blur and noise, JPEG).
* ``real``: every page of the labelled scans in ``data/samples`` rendered at 300 dpi. Scored by
  the share of labelled values (number, notation, date, organ, subject, signer) found in the
  output text, exactly (NFC, whitespace collapsed) and diacritic-folded.

Speed is wall-clock pages/s, start-up included: run it on an otherwise idle machine.

Run: ``.venv/bin/python benchmarks/ocr_quality.py [--pages 8] [--jobs 2]``.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import numpy as np
import pypdfium2 as pdfium
from PIL import Image

from archml.layout.text import fold
from archml.metrics import cer, follow_reference_order, normalize_text, word_accuracy
from archml.synth.degrade import degrade_preset
from archml.synth.textpage import render_text_page

REPO = Path(__file__).resolve().parents[1]
SAMPLES = REPO / "data" / "samples"
ARCHML = [sys.executable, "-m", "archml"]
LABEL_FIELDS = ("code_number", "code_notation", "issued_date", "organ_name", "subject", "signer")


def make_synthetic(root: Path, n: int, level: str) -> dict[str, str]:
    """Render ``n`` pages; return {file stem: ground-truth text}."""
    root.mkdir(parents=True)
    truth = {}
    for i in range(n):
        page = render_text_page(seed=1000 + i, dpi=300)
        image = page.image if level == "none" else degrade_preset(page.image, level, seed=i)
        Image.fromarray(image).save(root / f"p{i:03d}.png", dpi=(page.dpi, page.dpi))
        truth[f"p{i:03d}"] = page.text
    return truth


def make_real(root: Path, dpi: int = 300) -> dict[str, str]:
    """Render every page of the labelled samples; return {file stem: sample id}."""
    root.mkdir(parents=True)
    owners = {}
    for pdf_path in sorted(SAMPLES.glob("*.pdf")):
        pdf = pdfium.PdfDocument(pdf_path)
        for i in range(len(pdf)):
            image = pdf[i].render(scale=dpi / 72).to_pil().convert("RGB")
            stem = f"{pdf_path.stem}_p{i + 1}"
            image.save(root / f"{stem}.png", dpi=(dpi, dpi))
            owners[stem] = pdf_path.stem
        pdf.close()
    return owners


def timed(run: Callable[[], None]) -> float:
    """Wall seconds of ``run()``."""
    started = time.perf_counter()
    run()
    return time.perf_counter() - started


def run_raw_cli(images: Path, out: Path, jobs: int) -> float:
    """``tesseract IMG OUT -l vie --psm 3`` per image, ``jobs`` at a time; wall seconds."""
    out.mkdir(parents=True)
    env = {**os.environ, "OMP_THREAD_LIMIT": "1"}

    def one(path: Path) -> None:
        dpi = Image.open(path).info.get("dpi", (300, 300))[0]
        subprocess.run(["tesseract", str(path), str(out / path.stem), "-l", "vie", "--psm", "3",
                        "--dpi", str(round(dpi))], check=True, env=env, capture_output=True)

    def run() -> None:
        with ThreadPoolExecutor(jobs) as pool:
            list(pool.map(one, sorted(images.glob("*.png"))))

    return timed(run)


def run_archml(images: Path, out: Path, jobs: int) -> float:
    """``archml ocr DIR --format txt --jobs N``, process start included; wall seconds."""
    return timed(lambda: subprocess.run(
        [*ARCHML, "ocr", str(images), "--out", str(out), "--format", "txt", "--jobs", str(jobs)],
        check=True, capture_output=True))


def read_outputs(out: Path) -> dict[str, str]:
    return {p.stem: p.read_text(encoding="utf-8") for p in out.glob("*.txt")}


def score_synthetic(truth: dict[str, str], texts: dict[str, str]) -> dict[str, float]:
    ordered = {k: follow_reference_order(truth[k], texts.get(k, "")) for k in truth}
    cers = [cer(truth[k], ordered[k]) for k in truth]
    accs = [word_accuracy(truth[k], ordered[k]) for k in truth]
    return {"cer": float(np.mean(cers)), "word_acc": float(np.mean(accs))}


def label_variants(label: dict) -> dict[str, list[str]]:
    """The strings each labelled value should appear as in a correct transcription."""
    y, m, d = (int(x) for x in label["issued_date"].split("-"))
    date = f"ngày {d:02d} tháng {m:02d} năm {y}"
    return {
        "code_number": [label["code_number"]],
        "code_notation": [label["code_notation"]],
        "issued_date": [date],
        "organ_name": label["organ_name"].split(" - "),
        "subject": [label["subject"]],
        "signer": [label["signer"]],
    }


def found(needle: str, haystack: str, *, folded: bool) -> bool:
    prep = (lambda s: fold(normalize_text(s))) if folded else normalize_text
    return prep(needle) in prep(haystack)


def score_real(owners: dict[str, str], texts: dict[str, str]) -> dict[str, float]:
    labels = {row["id"]: row for row in map(json.loads, (SAMPLES / "labels.jsonl").open())}
    doc_text: dict[str, str] = {}
    for stem, owner in sorted(owners.items()):
        doc_text[owner] = doc_text.get(owner, "") + "\n" + texts.get(stem, "")
    exact = folded = total = 0
    for doc_id, text in doc_text.items():
        # Tesseract splits "86/QĐ-UBND" around the slash inconsistently: compare without spaces
        # around '/' and '-' in both texts (the same for both tools).
        squeezed = re.sub(r"\s*([/-])\s*", r"\1", text)
        for needles in label_variants(labels[doc_id]).values():
            for needle in needles:
                total += 1
                needle = re.sub(r"\s*([/-])\s*", r"\1", needle)
                exact += found(needle, squeezed, folded=False)
                folded += found(needle, squeezed, folded=True)
    return {"values_exact": exact / total, "values_folded": folded / total}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--pages", type=int, default=8, help="synthetic pages per set")
    parser.add_argument("--jobs", type=int, default=2)
    parser.add_argument("--keep", type=Path, help="keep the images and outputs here")
    args = parser.parse_args()
    if shutil.which("tesseract") is None:
        sys.exit("the tesseract CLI is needed for the baseline: apt-get install tesseract-ocr-vie")
    work = args.keep or Path(tempfile.mkdtemp(prefix="archml-bench-"))
    sets = {
        "synthetic-clean": ("synthetic",
                            make_synthetic(work / "synthetic-clean", args.pages, "none")),
        "synthetic-light": ("synthetic",
                            make_synthetic(work / "synthetic-light", args.pages, "light")),
        "synthetic-degraded": ("synthetic",
                               make_synthetic(work / "synthetic-degraded", args.pages, "heavy")),
        "real": ("real", make_real(work / "real")),
    }
    rows = []
    for name, (kind, meta) in sets.items():
        n_pages = len(meta)
        for tool, runner in (("tesseract CLI", run_raw_cli), ("archml ocr", run_archml)):
            out = work / f"out-{name}-{tool.split()[0]}"
            seconds = runner(work / name, out, args.jobs)
            texts = read_outputs(out)
            score = score_synthetic if kind == "synthetic" else score_real
            scores = score(meta, texts)
            rows.append({"set": name, "tool": tool, "pages": n_pages,
                         "pages_per_s": n_pages / seconds, **scores})
            print(f"  {name:<19} {tool:<14} {seconds:6.1f} s", file=sys.stderr)
    print_table(rows)
    if not args.keep:
        shutil.rmtree(work)


def print_table(rows: list[dict]) -> None:
    print("\n| set | tool | pages | CER | word acc. | values exact | values folded "
          "| pages/s | ×CLI |\n" + "|---" * 9 + "|")
    base = {r["set"]: r["pages_per_s"] for r in rows if r["tool"] == "tesseract CLI"}

    def pct(row: dict, key: str) -> str:
        return f"{100 * row[key]:.2f}%" if key in row else "–"

    for r in rows:
        print(f"| {r['set']} | {r['tool']} | {r['pages']} | {pct(r, 'cer')} | "
              f"{pct(r, 'word_acc')} | {pct(r, 'values_exact')} | {pct(r, 'values_folded')} | "
              f"{r['pages_per_s']:.3f} | {r['pages_per_s'] / base[r['set']]:.2f} |")


if __name__ == "__main__":
    main()
