"""The ``archml`` command."""

from __future__ import annotations

import json
import logging
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

from archml import __version__
from archml.files import write_atomic
from archml.formats import SUFFIXES, WRITERS, OutputFormat
from archml.io import iter_inputs
from archml.ocr import TextLayerMode
from archml.pipeline import OCR_STAGES, PipelineConfig
from archml.result import Result
from archml.runner import Outcome, Runner
from archml.tabular import LISTINGS, ListingFormat, results_table

app = typer.Typer(no_args_is_help=True, add_completion=False,
                  help="Classify and catalogue scanned Vietnamese archival records.")
err = Console(stderr=True)


def _register_optional_commands() -> None:
    """Commands that live beside the code they drive (their heavy imports wait for a call)."""
    from archml.archive.audit_cli import audit_app
    from archml.archive.package_cli import package_command
    from archml.batch.command import batch_command

    app.command(name="batch")(batch_command)
    app.command(name="package")(package_command)
    app.add_typer(audit_app, name="audit")


_register_optional_commands()


def _version(value: bool) -> None:
    if value:
        typer.echo(f"archml {__version__}")
        raise typer.Exit()


@app.callback()
def main(
    version: Annotated[bool, typer.Option("--version", callback=_version, is_eager=True,
                                          help="Print the version and exit.")] = False,
    verbose: Annotated[bool, typer.Option("--verbose", "-v", help="Log progress details.")] = False,
) -> None:
    logging.basicConfig(level=logging.INFO if verbose else logging.WARNING,
                        format="%(levelname)s %(name)s: %(message)s")


def plan_outputs(inputs: list[Path], out: Path, suffix: str) -> Iterator[tuple[Path, Path]]:
    """(input file, output file) pairs: directory trees are mirrored, names never collide."""
    used: set[Path] = set()
    for arg in inputs:
        for path in iter_inputs([arg]):
            relative = path.relative_to(arg) if arg.is_dir() else Path(path.name)
            target = out / relative.with_suffix(suffix)
            if target in used:  # scan.pdf and scan.tif side by side
                target = out / relative.with_name(relative.name + suffix)
            used.add(target)
            yield path, target


@app.command()
def ocr(
    inputs: Annotated[list[Path], typer.Argument(help="Files or folders (searched recursively).")],
    out: Annotated[Path, typer.Option("--out", "-o", help="Folder for one output per input.")],
    fmt: Annotated[OutputFormat, typer.Option("--format", "-f", help="Output format.")] = "json",
    engine: Annotated[str | None, typer.Option(
        help="OCR engine (see `archml engines`) (default: tesseract).")] = None,
    dpi: Annotated[int | None, typer.Option(
        help="Render DPI for PDF pages (default: 300).")] = None,
    jobs: Annotated[int, typer.Option("--jobs", "-j", help="Worker processes.")] = 1,
    text_layer: Annotated[TextLayerMode | None, typer.Option(
        help="Reuse a PDF's text layer: auto (when judged good), always, never "
             "(default: auto).")] = None,
    config: Annotated[Path | None, typer.Option(
        help="PipelineConfig JSON file; the flags above override it.")] = None,
    print_text: Annotated[bool, typer.Option("--print", help="Also print the text.")] = False,
) -> None:
    """Read scans (PDF, TIFF, PNG, JPEG) into text with boxes and Decree-30 zones."""
    base = PipelineConfig.load(config) if config else PipelineConfig(stages=list(OCR_STAGES))
    settings = base.updated(
        {"read": {"dpi": dpi}, "ocr": {"engine": engine, "text_layer": text_layer}})
    pairs = dict(plan_outputs(inputs, out, SUFFIXES[fmt]))
    if not pairs:
        err.print("[red]No input files found.[/red]")
        raise typer.Exit(2)

    def write(outcome: Outcome, target: Path, console: Console) -> None:
        if outcome.document is None:
            return
        write_atomic(target, WRITERS[fmt](outcome.document))
        if print_text:
            console.print(f"[bold]== {outcome.input}[/bold]")
            sys.stdout.write(outcome.document.text + "\n")
            sys.stdout.flush()

    started = time.perf_counter()
    outcomes = _run_with_progress(Runner(settings, jobs=jobs), pairs, write)
    _report(outcomes, out, settings, time.perf_counter() - started)
    if not any(o.ok for o in outcomes):
        raise typer.Exit(1)


@app.command()
def classify(
    inputs: Annotated[list[Path], typer.Argument(help="Files or folders (searched recursively).")],
    out: Annotated[Path | None, typer.Option(
        "--out", "-o", help="Folder for one JSON Result per input (<stem>.json).")] = None,
    fmt: Annotated[ListingFormat, typer.Option(
        "--format", "-f", help="What to print: a table, JSON, JSON lines or CSV.")] = "table",
    jobs: Annotated[int, typer.Option("--jobs", "-j", help="Worker processes.")] = 1,
    dpi: Annotated[int | None, typer.Option(
        help="Render DPI for PDF pages (default: 300).")] = None,
    review_threshold: Annotated[float | None, typer.Option(
        help="Flag classes and fields below this confidence for review (default: 0.6).")] = None,
    config: Annotated[Path | None, typer.Option(
        help="PipelineConfig JSON file; the flags above override it.")] = None,
) -> None:
    """Classify scans (domain, TT05 form, fine type) and extract their TT05 metadata fields."""
    settings = (PipelineConfig.load(config) if config else PipelineConfig()).updated(
        {"read": {"dpi": dpi}, "review_threshold": review_threshold})
    pairs = dict(plan_outputs(inputs, out or Path(), ".json"))
    if not pairs:
        err.print("[red]No input files found.[/red]")
        raise typer.Exit(2)
    runner = Runner(settings, jobs=jobs)
    results: list[Result] = []

    def write(outcome: Outcome, target: Path, _console: Console) -> None:
        pipeline = runner.pipeline
        result = (pipeline.result(outcome.document) if outcome.document is not None else
                  Result.from_error(outcome.error, outcome.input, pipeline.provenance()))
        results.append(result)
        if out is not None:
            write_atomic(target, result.model_dump_json(indent=1))

    started = time.perf_counter()
    outcomes = _run_with_progress(runner, pairs, write)
    if out is not None:
        _report(outcomes, out, settings, time.perf_counter() - started)
    names = [str(path) for path in pairs]
    if fmt == "table":
        console = Console()
        if not console.is_terminal:  # piped or captured: do not squeeze into 80 columns
            console = Console(width=200)
        console.print(results_table(names, results))
    else:
        sys.stdout.write(LISTINGS[fmt](names, results))
    if not any(o.ok for o in outcomes):
        raise typer.Exit(1)


@app.command()
def show(
    file: Annotated[Path, typer.Argument(help="A scan (PDF, TIFF, PNG, JPEG).")],
    out: Annotated[Path, typer.Option("--out", "-o", help="PNG to write.")],
    page: Annotated[int | None, typer.Option(
        help="Page number, from 1 (default: the page with most fields).")] = None,
    config: Annotated[Path | None, typer.Option(help="PipelineConfig JSON file.")] = None,
) -> None:
    """Draw a page with its layout zones and extracted fields boxed."""
    from archml.pipeline import Pipeline
    from archml.visualize import busiest_page, draw_page

    settings = PipelineConfig.load(config) if config else PipelineConfig()
    document = Pipeline(settings).read(file, keep_images=True)
    index = busiest_page(document) if page is None else page - 1
    if not 0 <= index < len(document.pages):
        err.print(f"[red]--page must be between 1 and {len(document.pages)}[/red]")
        raise typer.Exit(2)
    out.parent.mkdir(parents=True, exist_ok=True)
    draw_page(document, index).save(out)
    err.print(f"page {index + 1} of {file} → {out}")


def _run_with_progress(runner: Runner, pairs: dict[Path, Path],
                       write: Callable[[Outcome, Path, Console], None]) -> list[Outcome]:
    """Run ``pairs`` (input → output path) with a progress bar; ``write`` handles each
    outcome as it arrives, in input order."""
    outcomes: list[Outcome] = []
    columns = (TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(),
               TextColumn("{task.fields[pages]} pages, {task.fields[failed]} failed"),
               TimeElapsedColumn())
    with Progress(*columns, console=err, transient=False) as progress:
        task = progress.add_task("documents", total=len(pairs), pages=0, failed=0)

        def on_page(_name: str) -> None:
            progress.update(task, pages=progress.tasks[task].fields["pages"] + 1)

        targets = iter(pairs.values())
        for outcome in runner.run(list(pairs), on_page=on_page):
            write(outcome, next(targets), progress.console)
            outcomes.append(outcome)
            progress.update(task, advance=1, failed=sum(not o.ok for o in outcomes))
    return outcomes


def _report(outcomes: list[Outcome], out: Path, settings: PipelineConfig, seconds: float) -> None:
    failures = [o for o in outcomes if not o.ok]
    pages = sum(len(o.document.pages) for o in outcomes if o.document)
    summary = {"archml": __version__, "documents": len(outcomes), "failed": len(failures),
               "pages": pages, "seconds": round(seconds, 2), "config": settings.model_dump(),
               "failures": [o.error.export() for o in failures if o.error]}
    write_atomic(out / "run.json", json.dumps(summary, ensure_ascii=False, indent=1))
    err.print(f"{len(outcomes) - len(failures)}/{len(outcomes)} documents, {pages} pages "
              f"in {seconds:.1f} s → {out}")
    if failures:
        table = Table("input", "error", "message", title="Failures", title_justify="left")
        for o in failures:
            assert o.error is not None
            table.add_row(o.input, type(o.error).__name__, o.error.message)
        err.print(table)


@app.command()
def engines() -> None:
    """List the registered OCR engines (entry points ``archml.ocr_engines``)."""
    from archml.ocr import ENGINES

    for name in ENGINES.names():
        typer.echo(name)


@app.command()
def synth(
    out: Annotated[Path, typer.Option("--out", "-o", help="Output folder.")],
    n: Annotated[int, typer.Option("--n", min=1, help="Number of documents.")] = 100,
    seed: Annotated[int, typer.Option(min=0, help="Run seed; same seed, same files.")] = 0,
    types: Annotated[list[str] | None, typer.Option(
        "--types", help="Fine types or domains to generate (repeatable; default: all).")] = None,
    degrade: Annotated[str, typer.Option(
        help="Scan degradation: none, light, heavy or mixed.")] = "mixed",
    jobs: Annotated[int, typer.Option("--jobs", "-j", min=1, help="Worker processes.")] = 1,
    dpi: Annotated[int | None, typer.Option(
        help="Resolution (default: 150/200/300 drawn per document).")] = None,
    pdf: Annotated[bool, typer.Option("--pdf", help="Also write one PDF per document.")] = False,
    born_digital: Annotated[float, typer.Option(
        "--born-digital", help="Share of clean born-digital documents, written as text PDFs.")
    ] = 0.1,
    image_format: Annotated[str, typer.Option("--image-format", help="png or jpg.")] = "png",
    handwriting: Annotated[float, typer.Option(
        help="Share of documents whose number and date are filled in by hand.")] = 0.5,
    hand_fonts: Annotated[list[Path] | None, typer.Option(
        "--hand-font", help="Font file the fill-ins are written in (repeatable; default: the "
                            "installed handwriting fonts).")] = None,
    dataset: Annotated[bool, typer.Option(
        "--dataset", help="Also write dataset.parquet (needs the \\[train] extra).")] = False,
) -> None:
    """Generate synthetic Vietnamese records with exact ground truth (manifest.jsonl)."""
    from archml.synth import TYPE_IDS, SynthConfig, generate_corpus

    chosen: list[str] = []
    for item in types or []:
        for name in item.split(","):
            matches = [t for t in TYPE_IDS if t == name or t.startswith(f"{name}.")]
            if not matches:
                err.print(f"[red]Unknown type or domain {name!r}.[/red] Choose from: "
                          + ", ".join(TYPE_IDS))
                raise typer.Exit(2)
            chosen += [t for t in matches if t not in chosen]
    try:
        config = SynthConfig(types=tuple(chosen) or TYPE_IDS, degrade=degrade,  # type: ignore[arg-type]
                             dpi=dpi, born_digital=born_digital, handwriting=handwriting,
                             hand_fonts=tuple(map(str, hand_fonts)) if hand_fonts else None)
    except ValueError as exc:
        err.print(f"[red]{exc}[/red]")
        raise typer.Exit(2) from None
    if image_format not in ("png", "jpg"):
        err.print(f"[red]--image-format must be png or jpg, not {image_format!r}[/red]")
        raise typer.Exit(2)
    started = time.perf_counter()
    pages = 0
    columns = (TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(),
               TextColumn("{task.fields[pages]} pages"), TimeElapsedColumn())
    with Progress(*columns, console=err, transient=False) as progress:
        task = progress.add_task("documents", total=n, pages=0)

        def on_document(record: dict) -> None:
            nonlocal pages
            pages += record["n_pages"]
            progress.update(task, advance=1, pages=pages)

        manifest = generate_corpus(n, seed, out, config, jobs=jobs, fmt=image_format,  # type: ignore[arg-type]
                                   pdf=pdf, dataset=dataset, on_document=on_document)
    seconds = time.perf_counter() - started
    err.print(f"{n} documents, {pages} pages in {seconds:.1f} s ({pages / seconds:.1f} pages/s)"
              f" → {manifest}")


@app.command()
def train(
    config: Annotated[Path, typer.Argument(help="Training config (YAML), e.g. "
                                                "training/configs/tiny.yaml.")],
    out: Annotated[Path | None, typer.Option("--out", "-o", help="Run folder (default: the "
                                                                  "config's `out`).")] = None,
    base_model: Annotated[str | None, typer.Option(
        "--base-model", help="Local pretrained encoder checkpoint to start from.")] = None,
    resume: Annotated[bool, typer.Option("--resume", help="Continue from the run folder's "
                                                          "last checkpoint.")] = False,
) -> None:
    """Train the document model (needs the \\[train] extra); logs the run to MLflow."""
    from archml.training.config import TrainConfig
    from archml.training.trainer import Trainer

    settings = TrainConfig.load(config)
    if base_model:
        settings.model.base_model = base_model
    started = time.perf_counter()
    fit = Trainer(settings, out=out).fit(resume=resume)
    err.print(f"model → {fit.model_dir} in {time.perf_counter() - started:.0f} s; "
              f"validation {fit.meta.metrics}; MLflow run {fit.run_id}, "
              f"version {fit.version}")


@app.command(name="eval")
def evaluate(
    model: Annotated[Path, typer.Argument(help="Model directory written by `archml train`.")],
    data: Annotated[Path, typer.Argument(help="Labelled data: a manifest.jsonl (or its folder), "
                                              "a catalogue .xlsx/.csv, a labels.jsonl, a "
                                              "Label Studio .json or class folders.")],
    out: Annotated[Path | None, typer.Option("--out", "-o", help="Report folder (default: "
                                                                  "MODEL/../eval).")] = None,
    words: Annotated[str, typer.Option(help="ocr, or ground_truth for generator words.")] = "ocr",
    ocr_cache: Annotated[Path, typer.Option(help="OCR cache folder.")] = Path("out/ocr-cache"),
) -> None:
    """Evaluate a model and the baselines on labelled documents: JSON, Markdown and PNGs."""
    from archml.training.data import OcrCache, guess_kind, load_source
    from archml.training.evaluate import evaluate as run
    from archml.training.examples import build_example
    from archml.training.modeldir import read_meta

    meta = read_meta(model)
    cache = OcrCache(ocr_cache)
    examples = [build_example(r, words, cache, meta.labels["tags"], meta.features)  # type: ignore[arg-type]
                for r in load_source(guess_kind(data), data)]
    target = out or model.parent / "eval"
    report = run(model, examples, target, baselines=model.parent / "baselines.joblib")
    typer.echo((target / "report.md").read_text(encoding="utf-8"))
    err.print(f"{report['documents']} documents → {target}")


@app.command(name="adapt-reader")
def adapt_reader(
    data: Annotated[Path, typer.Argument(help="Labelled scans with codeNumber / issuedDate: a "
                                              "catalogue .xlsx/.csv, a manifest.jsonl, a "
                                              "labels.jsonl, a Label Studio .json.")],
    out: Annotated[Path, typer.Option("--out", "-o", help="Folder for the adapted reader.")],
    base: Annotated[Path | None, typer.Option(help="Reader to start from (default: the "
                                                   "shipped one).")] = None,
    held_out: Annotated[float, typer.Option(
        min=0.0, max=0.9, help="Share of the records kept out to measure before / after.")] = 0.2,
    steps: Annotated[int, typer.Option(min=1, help="Training steps per member.")] = 400,
    seed: Annotated[int, typer.Option(min=0, help="Seed of the split and the training.")] = 0,
) -> None:
    """Fine-tune the fill-in digit reader on an archive's own catalogued scans (needs the
    \\[train] extra); use it with stage_options: {fillins: {model_dir: OUT}}."""
    from archml.fillins.recognizer import MODEL_DIR
    from archml.training.adapt_reader import AdaptConfig, adapt, split_records
    from archml.training.data import guess_kind, load_source
    from archml.training.fillin_crops import harvest

    train_records, test_records = split_records(load_source(guess_kind(data), data), held_out,
                                                seed)
    train_set, test_set = harvest(train_records), harvest(test_records)
    err.print(f"crops to adapt to: {train_set.summary()}; held out: {test_set.summary()}")
    if not train_set.crops:
        err.print("[red]No labelled fill-in found in the scans: nothing to adapt to.[/red]")
        raise typer.Exit(2)
    card = adapt(base or MODEL_DIR, train_set.crops, out, AdaptConfig(steps=steps, seed=seed),
                 held_out=test_set.crops, source=str(data), log=err.print)
    table = Table("check", "exact before", "exact after")
    for name, after in card["metrics"].items():
        before = card["adaptation"]["base"]["metrics"].get(name, {})
        table.add_row(name, str(before.get("exact", "")), str(after["exact"]))
    if "held_out" in card["adaptation"]:
        held = card["adaptation"]["held_out"]
        table.add_row(f"held-out crops ({held['before']['n']})", str(held["before"]["exact"]),
                      str(held["after"]["exact"]))
    Console().print(table)
    err.print(f"→ {out}")


@app.command(name="export")
def export_model(
    model: Annotated[Path, typer.Argument(help="Model directory written by `archml train`.")],
    out: Annotated[Path, typer.Option("--out", "-o", help="Runtime model directory to write.")],
    parity_data: Annotated[Path | None, typer.Option(
        help="Manifest of synthetic documents for the parity check (default: generate).")] = None,
    parity_n: Annotated[int, typer.Option(help="Documents in the parity check.")] = 200,
    int8: Annotated[bool, typer.Option(help="Also write the int8 model.")] = True,
    keep_torch: Annotated[bool, typer.Option(help="Also copy the torch weights.")] = False,
) -> None:
    """Export a trained model to ONNX (+ int8), check parity with torch, write checksums."""
    from archml.features import document_words
    from archml.training.data import OcrCache, load_manifest, read_document
    from archml.training.export import export, synthetic_words

    if parity_data is not None:
        manifest = parity_data / "manifest.jsonl" if parity_data.is_dir() else parity_data
        cache = OcrCache(Path("out/ocr-cache"))
        docs = [document_words(read_document(r, "ground_truth", cache))
                for r in load_manifest(manifest)[:parity_n]]
    else:
        docs = synthetic_words(parity_n)
    meta = export(model, out, parity_docs=docs, int8=int8, keep_torch=keep_torch)
    for file, p in meta.parity.items():
        err.print(f"{file}: {p.documents} documents, max |Δlogit| {p.max_abs_logit_diff}, "
                  f"top-1 agreement {p.top1_agreement}, tag agreement {p.tag_agreement:.4f}")
    err.print(f"→ {out}")


@app.command()
def serve(
    model: Annotated[Path | None, typer.Option(
        "--model", help="Model directory (default: the rule classifier and extractor).")] = None,
    config: Annotated[Path | None, typer.Option(
        "--config", help="Server settings (JSON or YAML): API keys, limits, policies.")] = None,
    host: Annotated[str, typer.Option(help="Address to listen on.")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="Port to listen on.")] = 8000,
    workers: Annotated[int | None, typer.Option(
        "--workers", help="Worker processes (default: the config's, else 2).")] = None,
) -> None:
    """Serve the HTTP API (needs the \\[api] extra); see docs/api.md."""
    from archml.api.serve import serve as run
    from archml.errors import ConfigError, ModelMismatch

    try:
        run(config=config, model=model, host=host, port=port, workers=workers)
    except (ConfigError, ModelMismatch, ValueError, OSError) as exc:
        err.print(f"[red]{exc}[/red]")
        raise typer.Exit(2) from None
