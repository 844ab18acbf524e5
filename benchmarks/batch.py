"""Batch throughput: `archml batch` (local --jobs 1/2, Ray) against the raw tesseract CLI.

Generates a collection of synthetic scanned records (``archml.synth``, one PDF per document,
mixed degradation, every page at ``--dpi``) of at least ``--pages`` pages, then on the same 2
cores and the same files runs, each into a fresh output folder:

* ``tesseract CLI --jobs 2``: ``tesseract PAGE.png OUT -l vie --psm 3`` per page image (OCR only,
  no classification, no outputs but text): the baseline;
* ``archml batch --jobs 1`` and ``--jobs 2`` (local engine): OCR, layout, fill-ins,
  classification and fields, journal, audit log, tables and report;
* ``archml batch --engine ray --jobs 2`` (2 actors), inside a network namespace with only
  loopback (``unshare -n``), as the tests run Ray.

Wall seconds include process start-up and (for Ray) ``ray.init``.

    .venv/bin/python benchmarks/batch.py --pages 300 --dpi 200
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from archml.synth import SynthConfig, generate_corpus

ARCHML = [sys.executable, "-m", "archml"]
PAGES_PER_DOC = 1.25
"""Rough pages per synthetic document, to size the collection."""


def make_collection(work: Path, pages: int, dpi: int) -> tuple[Path, list[Path]]:
    """Synthetic scans: ``pdf/*.pdf`` (the collection) and their page images."""
    config = SynthConfig(degrade="mixed", dpi=dpi, born_digital=0.0)
    n = int(pages / PAGES_PER_DOC) + 1
    manifest = work / "synth" / "manifest.jsonl"
    while True:
        if not manifest.exists():  # a kept folder from an earlier run is reused
            generate_corpus(n, 7, work / "synth", config, jobs=2, pdf=True)
        records = [json.loads(line) for line in manifest.read_text("utf-8").splitlines()]
        images = [work / "synth" / p for r in records for p in r["files"]["pages"]]
        if len(images) >= pages:
            return work / "synth" / "pdf", images
        n += int((pages - len(images)) / PAGES_PER_DOC) + 1
        manifest.unlink()


def timed(run: Callable[[], object]) -> float:
    started = time.perf_counter()
    run()
    return time.perf_counter() - started


def tesseract_cli(images: list[Path], out: Path, jobs: int) -> float:
    out.mkdir(parents=True)
    env = {**os.environ, "OMP_THREAD_LIMIT": "1"}

    def one(path: Path) -> None:
        subprocess.run(["tesseract", str(path), str(out / path.stem), "-l", "vie", "--psm", "3"],
                       check=True, env=env, capture_output=True)

    def run() -> None:
        with ThreadPoolExecutor(jobs) as pool:
            list(pool.map(one, images))

    return timed(run)


def archml_batch(collection: Path, out: Path, dpi: int, *args: str) -> float:
    command = [*ARCHML, "batch", str(collection), "--out", str(out), "--dpi", str(dpi), *args]
    return timed(lambda: subprocess.run(command, check=True, capture_output=True))


def offline(command: list[str]) -> list[str]:
    """``command`` in a network namespace that has only loopback."""
    inner = " ".join(f"'{part}'" for part in command)
    return ["unshare", "-n", "sh", "-c", f"ip link set lo up && exec {inner}"]


def archml_batch_ray(collection: Path, out: Path, dpi: int, jobs: int) -> float:
    command = [*ARCHML, "batch", str(collection), "--out", str(out), "--dpi", str(dpi),
               "--engine", "ray", "--jobs", str(jobs)]
    return timed(lambda: subprocess.run(offline(command), check=True, capture_output=True))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--pages", type=int, default=300)
    parser.add_argument("--dpi", type=int, default=200)
    parser.add_argument("--skip", nargs="*", default=[], choices=["jobs1", "ray", "cli"],
                        help="runs to leave out")
    parser.add_argument("--keep", type=Path, help="keep the collection and outputs here")
    args = parser.parse_args()
    work = args.keep or Path(tempfile.mkdtemp(prefix="archml-batch-bench-"))
    collection, images = make_collection(work, args.pages, args.dpi)
    documents = len(list(collection.glob("*.pdf")))
    print(f"collection: {documents} documents, {len(images)} pages at {args.dpi} dpi",
          file=sys.stderr)
    runs: dict[str, Callable[[], float]] = {
        "tesseract CLI --jobs 2": lambda: tesseract_cli(images, work / "cli", 2),
        "archml batch --jobs 1": lambda: archml_batch(collection, work / "b1", args.dpi,
                                                      "--jobs", "1"),
        "archml batch --jobs 2": lambda: archml_batch(collection, work / "b2", args.dpi,
                                                      "--jobs", "2"),
        "archml batch --engine ray --jobs 2": lambda: archml_batch_ray(
            collection, work / "ray", args.dpi, 2),
    }
    skipped = {"jobs1": "--jobs 1", "ray": "ray", "cli": "tesseract"}
    rows = []
    for name, run in runs.items():
        if any(skipped[s] in name for s in args.skip):
            continue
        seconds = run()
        rows.append((name, seconds))
        print(f"  {name:<36} {seconds:7.1f} s", file=sys.stderr)
    print_table(rows, len(images), documents)
    agree = [work / d / "results.jsonl" for d in ("b2", "ray") if (work / d).exists()]
    if len(agree) == 2:
        print(f"\nRay and local Results agree: {same_results(*agree)}")
    if not args.keep:
        shutil.rmtree(work)


def same_results(a: Path, b: Path) -> bool:
    """Equal Results apart from timings and creation times."""
    def load(path: Path) -> list[dict]:
        rows = [json.loads(line) for line in path.read_text().splitlines()]
        for row in rows:
            row["provenance"].pop("created"), row["provenance"].pop("seconds")
        return rows
    return load(a) == load(b)


def print_table(rows: list[tuple[str, float]], pages: int, documents: int) -> None:
    base = next((pages / s for name, s in rows if name.startswith("tesseract")), None)
    print(f"\n{documents} documents, {pages} pages\n\n| run | seconds | pages/s | ×CLI |\n"
          "|---|---|---|---|")
    for name, seconds in rows:
        rate = pages / seconds
        ratio = f"{rate / base:.2f}" if base else "–"
        print(f"| {name} | {seconds:.1f} | {rate:.2f} | {ratio} |")


if __name__ == "__main__":
    main()
