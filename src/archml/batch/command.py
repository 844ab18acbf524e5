"""``archml batch SRC --out OUT``: the command around :func:`archml.batch.job.run_batch`."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    TextColumn,
    TimeElapsedColumn,
    TimeRemainingColumn,
)

from archml.batch.engines import EngineName, Processed
from archml.errors import ArchmlError
from archml.pipeline import PipelineConfig

err = Console(stderr=True)


def batch_command(
    source: Annotated[str, typer.Argument(
        help="Collection folder (searched recursively) or fsspec URL (needs the ray extra).")],
    out: Annotated[Path, typer.Option("--out", "-o", help="Output folder (resumes if it exists).")],
    jobs: Annotated[int, typer.Option("--jobs", "-j", help="Worker processes or Ray actors.")] = 1,
    engine: Annotated[EngineName, typer.Option(
        help="local: this machine's processes; ray: Ray Data actors (docs/ray.md).")] = "local",
    review_threshold: Annotated[float | None, typer.Option(
        help="Flag classes and fields below this confidence for review (default: 0.6).")] = None,
    dpi: Annotated[int | None, typer.Option(
        help="Render DPI for PDF pages (default: 300).")] = None,
    retry_failed: Annotated[bool, typer.Option(
        help="Process documents that failed in an earlier run again.")] = False,
    ray_address: Annotated[str | None, typer.Option(
        help="Ray cluster to join (default: start a local one).")] = None,
    gpus_per_actor: Annotated[float, typer.Option(
        help="GPUs each Ray actor reserves (default: 0, CPU actors).")] = 0.0,
    config: Annotated[Path | None, typer.Option(
        help="PipelineConfig JSON file; the flags above override it.")] = None,
) -> None:
    """Classify a whole collection: resumable (journal), audited, with tables, a review queue,
    a TT05 catalogue CSV and an HTML report in OUT."""
    from archml.batch.job import BatchOptions, run_batch  # the [batch] extra's modules

    settings = (PipelineConfig.load(config) if config else PipelineConfig()).updated(
        {"read": {"dpi": dpi}, "review_threshold": review_threshold})
    options = BatchOptions(engine=engine, jobs=jobs, retry_failed=retry_failed,
                           ray_address=ray_address, gpus_per_actor=gpus_per_actor)
    columns = (TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(),
               TextColumn("{task.fields[pages]} pages, {task.fields[rate]} pages/s, "
                          "{task.fields[failed]} failed"),
               TimeElapsedColumn(), TextColumn("ETA"), TimeRemainingColumn())
    with Progress(*columns, console=err) as progress:
        task = progress.add_task("documents", total=None, pages=0, rate="–", failed=0)

        def planned(todo: int, finished: int) -> None:
            progress.update(task, total=todo)
            if finished:
                progress.console.print(f"resuming: {finished} documents already finished, "
                                       f"{todo} to go")

        def processed(done: Processed) -> None:
            state = progress.tasks[task]
            pages = state.fields["pages"] + done.pages
            elapsed = state.elapsed or 0.0
            progress.update(task, advance=1, pages=pages,
                            rate=f"{pages / elapsed:.2f}" if elapsed else "–",
                            failed=state.fields["failed"] + (done.result.status == "error"))

        try:
            summary = run_batch(source, out, settings, options, on_planned=planned,
                                on_processed=processed)
        except ArchmlError as exc:
            err.print(f"[red]{exc}[/red]")
            raise typer.Exit(2) from None
    counts = ", ".join(f"{n} {status}" for status, n in sorted(summary.counts.items()))
    err.print(f"{summary.processed} documents ({summary.pages} pages) processed in "
              f"{summary.seconds:.1f} s ({summary.pages_per_second:.2f} pages/s); collection: "
              f"{summary.documents} documents ({counts}), {summary.needs_review} to review "
              f"→ {summary.out}")
    if summary.documents and summary.counts.get("failed", 0) == summary.documents:
        raise typer.Exit(1)
