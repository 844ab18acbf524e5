"""The Ray engine: whole documents spread over the actors of a Ray cluster, with Ray Data.

Work items become a Ray dataset (one block per document) mapped by a pool of actors; each actor
holds one :class:`~archml.pipeline.Pipeline` (ONNX sessions and Tesseract loaded once) and reads
one document per call, so a document's pages run one after another in one process. Results
stream back as they finish, identical to the local engine's for the same inputs. Ray is optional
(the ``[ray]`` extra) and imported only when a :class:`RayEngine` is made.

Offline by default: before it starts a local Ray instance the engine sets :data:`OFFLINE_ENV`
(values the user set win), starts Ray without the dashboard web UI and keeps Ray's usage-stats
module from probing cloud metadata servers (:func:`skip_cloud_probe`). ``docs/ray.md`` has the
trace that shows what Ray contacts without these settings.
"""

from __future__ import annotations

import json
import logging
import os
import time
from collections.abc import Iterable, Iterator
from pathlib import Path
from types import ModuleType
from typing import Any

from archml.batch.collection import is_url
from archml.batch.engines import Processed, WorkItem
from archml.document import Document
from archml.errors import ArchmlError, ConfigError, InputError, InputNotFound
from archml.io import ReadConfig
from archml.io.limits import check_file_size
from archml.pipeline import Pipeline, PipelineConfig, single_threaded
from archml.result import Result
from archml.runner import guarded

log = logging.getLogger(__name__)

OFFLINE_ENV = {"RAY_USAGE_STATS_ENABLED": "0"}
"""Set (unless already set) before a local Ray instance starts: no usage reports."""
OFFLINE_INIT: dict[str, Any] = {"include_dashboard": False}
"""``ray.init`` defaults for a local instance (``init_kwargs`` override them)."""
BOOTSTRAP_CONFIG = Path("~/ray_bootstrap_config.yaml")
"""Ray's cluster-launcher config on a head node. Ray's usage-stats module, which runs even with
usage stats and the dashboard off, asks cloud metadata servers (169.254.169.254,
``metadata.google.internal``) which cloud it runs on when this file is missing."""
_BOOTSTRAP_TEXT = ("# Written by archml's RayEngine (removed when it closes): an on-premises\n"
                   "# cluster, so Ray does not probe cloud metadata servers. See docs/ray.md.\n"
                   "provider:\n  type: local\n")


def import_ray() -> ModuleType:
    """Ray with Ray Data, or a :class:`ConfigError` saying how to install it."""
    try:
        import ray
        import ray.data  # Ray Data is a separate import
    except ImportError as exc:
        raise ConfigError(f"the Ray engine needs Ray Data: pip install 'archml[ray]' ({exc})"
                          ) from exc
    return ray


class RayEngine:
    """Documents spread over ``actors`` Ray actors (one CPU and ``gpus_per_actor`` GPUs each).

    Uses the Ray instance already initialised in this process, else joins the cluster at
    ``address`` (``"auto"``: the one ``ray start`` started here; ``"head:6379"``,
    ``"ray://head:10001"``), else starts a local instance (never an unnamed cluster it happens
    to find); ``init_kwargs`` go to ``ray.init``. :meth:`close` shuts down only what this
    engine started. ``offline=False`` leaves Ray's defaults alone (see :data:`OFFLINE_ENV`).
    """

    name = "ray"

    def __init__(self, config: PipelineConfig, *, actors: int = 2, gpus_per_actor: float = 0.0,
                 address: str | None = None, init_kwargs: dict[str, Any] | None = None,
                 offline: bool = True) -> None:
        if actors < 1:
            raise ValueError("actors must be at least 1")
        self.ray = import_ray()
        Pipeline(config)  # a bad config fails here with its typed error, not in every actor
        self.config = config
        self.actors = actors
        self.gpus_per_actor = gpus_per_actor
        self.address = address
        self.init_kwargs = dict(init_kwargs or {})
        self.offline = offline
        self._started = False
        self._guard: Path | None = None

    def run(self, items: Iterable[WorkItem]) -> Iterator[Processed]:
        pending = list(items)
        if not pending:
            return
        self._connect()
        started = time.perf_counter()
        for row in self._dataset(pending).iter_rows():
            now = time.perf_counter()
            yield _processed(pending[int(row["index"])], row, now - started)
            started = now

    def close(self) -> None:
        """Shut Ray down if this engine started it, and remove the bootstrap file it wrote."""
        if self._started:
            self.ray.shutdown()
            self._started = False
        if self._guard is not None:
            _remove_guard(self._guard)
            self._guard = None

    def _connect(self) -> None:
        if self.ray.is_initialized():
            return
        kwargs = dict(self.init_kwargs)
        if self.address in (None, "local") and self.offline:
            for name, value in OFFLINE_ENV.items():
                os.environ.setdefault(name, value)
            kwargs = {**OFFLINE_INIT, "num_cpus": max(self.actors, os.cpu_count() or 1),
                      **kwargs}
            self._guard = skip_cloud_probe()
        self.ray.init(address=self.address or "local", **kwargs)
        self._started = True

    def _dataset(self, items: list[WorkItem]) -> Any:
        """One block per document, mapped by the actor pool."""
        rows = [{"index": index, "uri": item.uri} for index, item in enumerate(items)]
        data = self.ray.data
        # one document in flight per actor: a free actor takes the next one, none queue up
        pool = data.ActorPoolStrategy(size=self.actors, max_tasks_in_flight_per_actor=1)
        return data.from_items(rows, override_num_blocks=len(rows)).map_batches(
            PipelineActor, fn_constructor_kwargs={"config_json": self.config.model_dump_json()},
            batch_size=1, batch_format="numpy", compute=pool, num_cpus=1,
            num_gpus=self.gpus_per_actor)


class PipelineActor:
    """One actor of the pool: one single-threaded Pipeline, reused for every document."""

    def __init__(self, config_json: str) -> None:
        single_threaded()
        self.pipeline = Pipeline(PipelineConfig.model_validate_json(config_json))

    def __call__(self, batch: dict[str, Any]) -> dict[str, list[Any]]:
        out: dict[str, list[Any]] = {"index": [], "result": [], "document": []}
        for index, uri in zip(batch["index"], batch["uri"], strict=True):
            result, document = process_item(self.pipeline, str(uri))
            out["index"].append(int(index))
            out["result"].append(result.to_json())
            out["document"].append(None if document is None
                                   else json.dumps(document, ensure_ascii=False))
        return out


def process_item(pipeline: Pipeline, uri: str) -> tuple[Result, dict[str, Any] | None]:
    """One work item read in this process: its Result and Document export, or an error Result
    made as the local engine makes it (unexpected failures become a ``ProcessingError``)."""
    try:
        document = guarded(uri, read_uri, pipeline, uri)
        result = guarded(uri, pipeline.result, document)
    except ArchmlError as error:
        return Result.from_error(error, uri, pipeline.provenance()), None
    return result, document.export()


def read_uri(pipeline: Pipeline, uri: str) -> Document:
    """A local path as itself; an fsspec URL as its bytes, named by the URL."""
    if is_url(uri):
        return pipeline.read(fetch(uri, pipeline.config.read), name=uri)
    return pipeline.read(uri)


def fetch(uri: str, config: ReadConfig) -> bytes:
    """The bytes behind an fsspec URL, its size checked against ``max_file_bytes`` first."""
    try:
        from fsspec.core import url_to_fs
    except ImportError as exc:
        raise ConfigError("reading URLs needs fsspec: pip install 'archml[ray]'",
                          source=uri) from exc
    try:
        fs, path = url_to_fs(uri)
        size = fs.size(path)
        if size is not None:
            check_file_size(int(size), config, uri)
        with fs.open(path, "rb") as handle:
            return handle.read()
    except FileNotFoundError as exc:
        raise InputNotFound("the file does not exist; check the URL, and that the storage "
                            "is reachable from every Ray node", source=uri) from exc
    except OSError as exc:
        raise InputError(f"the file cannot be read: {exc}", source=uri) from exc


def skip_cloud_probe() -> Path | None:
    """Write :data:`BOOTSTRAP_CONFIG` (an on-premises cluster) if it is missing, so the Ray
    instance about to start does not probe cloud metadata servers. Returns the path written."""
    path = BOOTSTRAP_CONFIG.expanduser()
    try:
        with path.open("x", encoding="utf-8") as handle:
            handle.write(_BOOTSTRAP_TEXT)
    except FileExistsError:
        return None
    except OSError as exc:
        log.warning("cannot write %s (%s): Ray will probe cloud metadata servers", path, exc)
        return None
    return path


def _remove_guard(path: Path) -> None:
    """Remove the bootstrap file this engine wrote, unless someone has changed it since."""
    try:
        if path.read_text(encoding="utf-8") == _BOOTSTRAP_TEXT:
            path.unlink()
    except OSError as exc:
        log.warning("cannot remove %s: %s", path, exc)


def _processed(item: WorkItem, row: dict[str, Any], seconds: float) -> Processed:
    document = row["document"]
    return Processed(item=item, result=Result.model_validate_json(row["result"]),
                     document=None if document is None else json.loads(document),
                     seconds=seconds)
