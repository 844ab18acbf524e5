"""Run by ``tests/test_batch_ray.py`` inside a network namespace that has only loopback.

``python ray_support.py SPEC OUT``: SPEC (JSON) names the inputs as ``[key, local_uri,
ray_uri]`` triples, the pipeline config and a Ray temp folder; the inputs go through
``LocalEngine(config, jobs=1)`` and ``RayEngine(config, actors=2)`` (one Ray start), and OUT
receives every Processed of both engines plus what Ray left behind after ``close()`` (run in
a PID namespace, where every other process is this script's parent or its descendant).
"""

from __future__ import annotations

import json
import os
import sys
import time
from pathlib import Path
from typing import Any

from archml.batch.engines import Engine, WorkItem
from archml.batch.local import LocalEngine
from archml.batch.ray_engine import BOOTSTRAP_CONFIG, RayEngine
from archml.pipeline import PipelineConfig


def outcomes(engine: Engine, items: list[WorkItem]) -> dict[str, Any]:
    """Every Processed of ``engine``, by key."""
    return {done.item.key: {"uri": done.item.uri, "result": done.result.model_dump(mode="json"),
                            "document": done.document, "seconds": done.seconds}
            for done in engine.run(items)}


def other_processes(wait: float = 15.0) -> list[str]:
    """Command lines of the processes of this PID namespace but this one and its parent, once
    they are gone or ``wait`` seconds have passed."""
    deadline = time.monotonic() + wait
    while True:
        mine = {str(os.getpid()), str(os.getppid())}
        found = []
        for entry in Path("/proc").iterdir():
            if entry.name.isdigit() and entry.name not in mine:
                try:
                    found.append(entry.joinpath("cmdline").read_bytes().replace(b"\0", b" ")
                                 .decode(errors="replace").strip())
                except OSError:  # it ended while we looked
                    continue
        found = [cmd for cmd in found if cmd]
        if not found or time.monotonic() > deadline:
            return found
        time.sleep(0.5)


def main(spec_path: str, out_path: str) -> None:
    spec = json.loads(Path(spec_path).read_text(encoding="utf-8"))
    config = PipelineConfig.model_validate(spec["config"])
    local = [WorkItem(key=key, uri=uri, sha256="", size=0) for key, uri, _ in spec["inputs"]]
    remote = [WorkItem(key=key, uri=uri, sha256="", size=0) for key, _, uri in spec["inputs"]]
    local_engine = LocalEngine(config, jobs=1)
    report: dict[str, Any] = {"local": outcomes(local_engine, local)}
    local_engine.close()
    ray_engine = RayEngine(config, actors=2, init_kwargs={"_temp_dir": spec["ray_temp"]})
    try:
        report["ray"] = outcomes(ray_engine, remote)
        report["bootstrap_during_run"] = BOOTSTRAP_CONFIG.expanduser().exists()
    finally:
        ray_engine.close()
    report["ray_running_after_close"] = ray_engine.ray.is_initialized()
    report["processes_after_close"] = other_processes()
    report["bootstrap_left"] = BOOTSTRAP_CONFIG.expanduser().exists()
    Path(out_path).write_text(json.dumps(report, ensure_ascii=False), encoding="utf-8")


if __name__ == "__main__":
    main(*sys.argv[1:])
