"""Imaging preprocessing benchmark: OCR quality with and without each step, and orientation.

Renders synthetic Decree-30 pages (archml.synth), degrades them into four sets (clean, light,
heavy, rotated), runs the imaging stage in several configurations and OCRs the result with
Tesseract (vie, PSM 3). CER and word accuracy are order-free: the OCR text is first
rearranged into the ground truth's line order (archml.metrics.follow_reference_order), so a
two-column header read row by row is not counted as errors.

The orientation part checks detect_orientation against Tesseract OSD on rotated synthetic
pages and on the bundled real scans (data/samples, all four rotations; blank pages must stay 0).

    .venv/bin/python benchmarks/imaging_cer.py [--pages 12] [--dpi 200] [--no-orientation]
"""

from __future__ import annotations

import argparse
import os
import re
import statistics
import time
from collections import defaultdict
from pathlib import Path

os.environ.setdefault("OMP_THREAD_LIMIT", "1")

import numpy as np
import pypdfium2 as pdfium
import tesserocr
from PIL import Image

from archml.document import Page, PageSource
from archml.imaging import ImagingConfig, ImagingStage, detect_orientation, ink_gray
from archml.imaging.geometry import rotate_quadrant
from archml.imaging.ink import downscale
from archml.metrics import cer, follow_reference_order, word_accuracy
from archml.synth import degrade_preset, render_text_page

TESSDATA = "/usr/share/tesseract-ocr/5/tessdata/"
SAMPLES = Path(__file__).resolve().parents[1] / "data" / "samples"
SETS = ("clean", "light", "heavy", "rotated")
OFF = {"border_crop": False, "orientation": False, "deskew": False,
       "flatten_background": False, "denoise": False, "binarize": False}
VARIANTS: dict[str, dict | None] = {
    "none": None,
    "default": {},
    "border_crop only": OFF | {"border_crop": True},
    "orientation only": OFF | {"orientation": True},
    "deskew only": OFF | {"deskew": True},
    "flatten_background only": OFF | {"flatten_background": True},
    "denoise (median) only": OFF | {"denoise": True},
    "binarize (sauvola) only": OFF | {"binarize": True},
    "default, never denoise or binarize": {"denoise": False, "binarize": False},
    "default, always denoise (median)": {"denoise": True},
    "default, always denoise (nlmeans)": {"denoise": True, "denoise_method": "nlmeans"},
    "default, always binarize (sauvola)": {"binarize": True},
    "default, always denoise + binarize": {"denoise": True, "binarize": True},
    "default, binarize with otsu": {"binarize_method": "otsu"},
    "default - flatten_background": {"flatten_background": False},
}


def make_pages(n: int, dpi: int) -> list[tuple[str, np.ndarray, str]]:
    """``n`` pages (set name, image, ground truth) spread evenly over :data:`SETS`."""
    pages = []
    for i in range(n):
        kind = SETS[i % len(SETS)]
        synth = render_text_page(seed=1000 + i, dpi=dpi)
        if kind == "clean":
            image = synth.image
        elif kind == "rotated":
            image = degrade_preset(synth.image, "light", i, rotate90=(90, 180, 270)[i // 4 % 3])
        else:
            image = degrade_preset(synth.image, kind, i)
        pages.append((kind, image, synth.text))
    return pages


def preprocess(image: np.ndarray, dpi: int, overrides: dict | None) -> tuple[np.ndarray, float]:
    if overrides is None:
        return image, 0.0
    page = Page(index=0, width=image.shape[1], height=image.shape[0], image=image,
                source=PageSource(page_index=0, dpi=dpi))
    start = time.perf_counter()
    ImagingStage(ImagingConfig(**overrides)).process_page(page)
    return page.image, time.perf_counter() - start


def cer_table(n_pages: int, dpi: int) -> str:
    pages = make_pages(n_pages, dpi)
    scores: dict[tuple[str, str], list[tuple[float, float, float]]] = defaultdict(list)
    with tesserocr.PyTessBaseAPI(path=TESSDATA, lang="vie", psm=tesserocr.PSM.AUTO) as api:
        for kind, image, truth in pages:
            for variant, overrides in VARIANTS.items():
                processed, seconds = preprocess(image, dpi, overrides)
                api.SetImage(Image.fromarray(processed))
                api.SetSourceResolution(dpi)
                hyp = follow_reference_order(truth, api.GetUTF8Text())
                row = (cer(truth, hyp), word_accuracy(truth, hyp), seconds * 1000)
                scores[kind, variant].append(row)
                scores["all", variant].append(row)
    lines = [f"{n_pages} pages at {dpi} dpi; CER and word accuracy are means over pages.", "",
             "| set | variant | CER | word acc. | preprocessing ms/page |",
             "|---|---|---:|---:|---:|"]
    for kind in (*SETS, "all"):
        for variant in VARIANTS:
            rows = scores[kind, variant]
            if rows:
                c, w, ms = (statistics.fmean(col) for col in zip(*rows, strict=True))
                lines.append(f"| {kind} ({len(rows)}) | {variant} | {c:.2%} | {w:.1%} | {ms:.0f} |")
    return "\n".join(lines)


def tesseract_osd(api: tesserocr.PyTessBaseAPI, gray: np.ndarray) -> int:
    """Tesseract's answer as the clockwise turn that makes the page upright (0 when it fails)."""
    small, _ = downscale(gray, 1400)
    api.SetImage(Image.fromarray(small))
    try:
        result = api.DetectOrientationScript()
    except RuntimeError:
        return 0
    return (360 - result["orient_deg"]) % 360 if result else 0


def real_pages(dpi: int) -> list[tuple[str, np.ndarray, bool]]:
    """(name, RGB image, has text) for every page of the bundled sample scans."""
    blank = {}
    for line in (SAMPLES / "labels.jsonl").read_text(encoding="utf-8").splitlines():
        if m := re.search(r'"id": "(\w+)".*page (\d+) is blank', line):
            blank[m[1]] = int(m[2]) - 1
    pages = []
    for path in sorted(SAMPLES.glob("*.pdf")):
        pdf = pdfium.PdfDocument(path)
        for i in range(len(pdf)):
            image = pdf[i].render(scale=dpi / 72).to_pil().convert("RGB")
            pages.append((f"{path.stem}#{i + 1}", np.asarray(image), blank.get(path.stem) != i))
        pdf.close()
    return pages


def orientation_table(n_pages: int, dpi: int) -> str:
    cases: list[tuple[str, np.ndarray, int]] = []
    for i in range(n_pages):
        level = ("none", "light", "heavy")[i % 3]
        synth = render_text_page(seed=2000 + i, dpi=dpi, layout="plain" if i % 5 == 4
                                 else "decree30")
        for r in (0, 90, 180, 270):
            image = degrade_preset(synth.image, level, i, rotate90=r)
            cases.append(("synthetic", image, (360 - r) % 360))
    for _, image, has_text in real_pages(dpi):
        for r in (0, 90, 180, 270):
            want = (360 - r) % 360 if has_text else 0
            cases.append(("real scans" if has_text else "real blank pages",
                          rotate_quadrant(image, r), want))
    results: dict[tuple[str, str], list[tuple[bool, float]]] = defaultdict(list)
    with tesserocr.PyTessBaseAPI(path=TESSDATA, lang="osd", psm=tesserocr.PSM.OSD_ONLY) as api:
        for kind, image, want in cases:
            gray = ink_gray(image)
            for method, fn in (("archml", detect_orientation),
                               ("tesseract OSD", lambda g: tesseract_osd(api, g))):
                start = time.perf_counter()
                got = fn(gray)
                results[kind, method].append((got == want, time.perf_counter() - start))
    lines = [f"Pages at {dpi} dpi, each in 4 rotations.", "",
             "| pages | method | correct | median ms |", "|---|---|---:|---:|"]
    for (kind, method), rows in results.items():
        ok = sum(r[0] for r in rows)
        ms = statistics.median(r[1] for r in rows) * 1000
        lines.append(f"| {kind} | {method} | {ok}/{len(rows)} | {ms:.0f} |")
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pages", type=int, default=12)
    parser.add_argument("--dpi", type=int, default=200)
    parser.add_argument("--no-orientation", action="store_true")
    parser.add_argument("--no-cer", action="store_true")
    args = parser.parse_args()
    if not args.no_cer:
        print(cer_table(args.pages, args.dpi), flush=True)
    if not args.no_orientation:
        print()
        print(orientation_table(args.pages, args.dpi))


if __name__ == "__main__":
    main()
