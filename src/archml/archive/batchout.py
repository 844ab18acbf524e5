"""Reading a batch output folder (:mod:`archml.batch.layout`) for packaging: the document keys,
each key's Result and annotated Document, and where its source file is."""

from __future__ import annotations

import gzip
import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from archml.batch.layout import OutputLayout
from archml.document import Document
from archml.errors import ConfigError, InputNotFound, ProcessingError
from archml.result import Result


@dataclass(frozen=True)
class BatchOutput:
    """An ``archml batch`` output folder, opened read-only."""

    layout: OutputLayout
    manifest: dict[str, Any]

    @classmethod
    def open(cls, root: str | Path) -> BatchOutput:
        """Raise :class:`~archml.errors.ConfigError` unless ``root`` holds a batch output
        (``batch.json`` and ``results/``)."""
        layout = OutputLayout(Path(root))
        if not layout.manifest.is_file() or not layout.results_dir.is_dir():
            raise ConfigError(f"{root} is not an archml batch output folder "
                              "(no batch.json or results/); run `archml batch` first")
        try:
            manifest = json.loads(layout.manifest.read_text(encoding="utf-8"))
        except (OSError, ValueError) as exc:
            raise ConfigError(f"{layout.manifest} cannot be read: {exc}") from exc
        if not isinstance(manifest, dict):
            raise ConfigError(f"{layout.manifest} is not a JSON object")
        return cls(layout, manifest)

    @property
    def source_root(self) -> str | None:
        """The collection the batch read (``source`` in ``batch.json``)."""
        root = self.manifest.get("source")
        return str(root) if root else None

    @property
    def collection_name(self) -> str:
        """The collection folder's name (the output folder's when the source is unknown)."""
        root = self.source_root
        return Path(root.rstrip("/")).name if root else self.layout.root.resolve().name

    def keys(self) -> list[str]:
        """Every document key with a Result, sorted."""
        folder = self.layout.results_dir
        return sorted(path.relative_to(folder).as_posix()[: -len(".json")]
                      for path in folder.rglob("*.json")
                      if path.is_file() and not path.name.startswith("."))

    def result(self, key: str) -> Result:
        try:
            return Result.model_validate_json(self.layout.result(key).read_bytes())
        except (OSError, ValidationError) as exc:
            raise ProcessingError(f"results/{key}.json cannot be read: {exc}",
                                  source=key) from exc

    def document(self, key: str) -> Document:
        path = self.layout.document(key)
        try:
            return Document.from_export(json.loads(gzip.decompress(path.read_bytes())))
        except (OSError, ValueError, ValidationError) as exc:
            raise ProcessingError(f"documents/{key}.json.gz cannot be read: {exc}",
                                  source=key) from exc

    def source(self, key: str, result: Result) -> Path:
        """The source file of ``key``: under the collection root, else the Result's path."""
        root = self.source_root
        candidates = [Path(root) / key] if root and "://" not in root else []
        if result.source.path and "://" not in result.source.path:
            candidates.append(Path(result.source.path))
        for path in candidates:
            if path.is_file():
                return path
        raise InputNotFound("the source file is not under the collection root any more "
                            f"(looked for {', '.join(map(str, candidates)) or 'a local path'})",
                            source=key)
