"""Synthetic generator: class balance, field coverage and speed; optionally the contact sheet.

    python benchmarks/synth_stats.py --n 2000 --jobs 2          # markdown tables on stdout
    python benchmarks/synth_stats.py --contact-sheet docs/synth-contact-sheet.png

Generates ``--n`` documents with ``archml.synth.generate_corpus`` into a temporary folder
(mixed degradation and dpi, the defaults), then reads the manifest back.
"""

from __future__ import annotations

import argparse
import json
import tempfile
import time
from collections import Counter
from pathlib import Path

import numpy as np
from PIL import Image, ImageDraw

from archml.synth import TYPE_IDS, SynthConfig, generate_corpus, generate_document
from archml.synth.draw import load_font
from archml.synth.fonts import font_files


def stats(n: int, seed: int, jobs: int, fmt: str) -> str:
    with tempfile.TemporaryDirectory() as tmp:
        started = time.perf_counter()
        manifest = generate_corpus(n, seed, tmp, SynthConfig(), jobs=jobs, fmt=fmt)  # type: ignore[arg-type]
        seconds = time.perf_counter() - started
        records = [json.loads(line) for line in manifest.read_text().splitlines()]
    pages = sum(r["n_pages"] for r in records)
    by_type = Counter(r["docType"] for r in records)
    pages_by_type = Counter()
    coverage: dict[str, Counter] = {}
    boxed = Counter()
    hand = Counter()
    for r in records:
        pages_by_type[r["docType"]] += r["n_pages"]
        for name, f in r["fields"].items():
            if f["box"] is not None:
                coverage.setdefault(r["docType"], Counter())[name] += 1
                boxed[name] += 1
                hand[name] += f["method"] == "handwriting"
    levels = Counter(r["render"]["level"] for r in records)
    dpis = Counter(r["render"]["dpi"] for r in records)
    out = [f"{n} documents, {pages} pages in {seconds:.0f} s with {jobs} processes: "
           f"**{pages / seconds:.2f} pages/s** ({fmt}, mixed dpi {dict(sorted(dpis.items()))}, "
           f"degradation {dict(sorted(levels.items()))})", "",
           "| fine type | docs | pages | fields with a box (share of docs) |", "|---|---|---|---|"]
    for t in TYPE_IDS:
        cov = coverage.get(t, Counter())
        cells = ", ".join(f"{k} {v / by_type[t]:.0%}" for k, v in sorted(cov.items()))
        out.append(f"| {t} | {by_type[t]} | {pages_by_type[t]} | {cells} |")
    out += ["", "| field | documents with a box | handwritten |", "|---|---|---|"]
    out += [f"| {k} | {v} | {hand[k]} |" for k, v in sorted(boxed.items())]
    return "\n".join(out)


def contact_sheet(path: Path, seed: int) -> None:
    """Page 1 of every type, clean (top) and heavy (bottom), as thumbnails on one sheet."""
    thumb_w = 260
    tiles = []
    for level in ("none", "heavy"):
        for t in TYPE_IDS:
            config = SynthConfig(types=(t,), degrade=level, dpi=100, traps=0.5,  # type: ignore[arg-type]
                                 handwriting=0.7)
            image = Image.fromarray(generate_document(seed, 0, config).images[0])
            image.thumbnail((thumb_w, thumb_w * 1.6))
            tiles.append((t, image))
    cols = len(TYPE_IDS) // 2 + len(TYPE_IDS) % 2
    cell_h = max(im.height for _, im in tiles) + 30
    rows = (len(tiles) + cols - 1) // cols
    sheet = Image.new("RGB", (cols * (thumb_w + 10), rows * cell_h), "white")
    draw = ImageDraw.Draw(sheet)
    font = load_font(str(font_files(None)["regular"]), 11)
    for i, (t, im) in enumerate(tiles):
        x, y = (i % cols) * (thumb_w + 10), (i // cols) * cell_h
        sheet.paste(im, (x, y + 16))
        draw.text((x, y + 2), t.split(".", 1)[1], font=font, fill=(0, 0, 0))
    sheet = sheet.quantize(colors=128, method=Image.Quantize.MEDIANCUT, dither=Image.Dither.NONE)
    sheet.save(path, optimize=True)
    print(f"{path}: {path.stat().st_size / 1e6:.2f} MB, {np.prod(sheet.size)} px")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--n", type=int, default=2000)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--jobs", type=int, default=2)
    parser.add_argument("--format", default="jpg", choices=("png", "jpg"))
    parser.add_argument("--contact-sheet", type=Path, help="write the contact sheet here instead")
    args = parser.parse_args()
    if args.contact_sheet:
        contact_sheet(args.contact_sheet, args.seed)
    else:
        print(stats(args.n, args.seed, args.jobs, args.format))


if __name__ == "__main__":
    main()
