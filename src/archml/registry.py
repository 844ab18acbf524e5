"""Name → factory registries, filled from Python entry points and by ``register``.

A third party adds an OCR engine or a stage without forking archml by declaring an entry point
in its own package::

    [project.entry-points."archml.ocr_engines"]
    myengine = "mypkg.engine:MyEngine"
"""

from __future__ import annotations

from collections.abc import Callable
from importlib.metadata import entry_points
from typing import Generic, TypeVar

from archml.errors import ConfigError

T = TypeVar("T")


class Registry(Generic[T]):
    """Factories of one kind, looked up by name; entry points load lazily on first use."""

    def __init__(self, group: str) -> None:
        self.group = group
        self._factories: dict[str, Callable[..., T]] = {}

    def register(self, name: str, factory: Callable[..., T] | None = None):
        """Register ``factory`` under ``name``; usable as a decorator."""

        def add(fn: Callable[..., T]) -> Callable[..., T]:
            self._factories[name] = fn
            return fn

        return add(factory) if factory is not None else add

    def names(self) -> list[str]:
        """Registered and declared names; nothing is imported, so one broken plugin does not
        hide the others (it fails with a :class:`ConfigError` when it is asked for)."""
        return sorted(set(self._factories) | set(self._entry_point_names()))

    def get(self, name: str) -> Callable[..., T]:
        if name not in self._factories:
            self._load_entry_point(name)
        try:
            return self._factories[name]
        except KeyError:
            known = ", ".join(self.names()) or "none"
            raise ConfigError(f"unknown {self.group} entry {name!r}; registered: {known}") from None

    def create(self, name: str, *args, **kwargs) -> T:
        return self.get(name)(*args, **kwargs)

    def _entry_point_names(self) -> list[str]:
        return [ep.name for ep in entry_points(group=self.group)]

    def _load_entry_point(self, only: str) -> None:
        for ep in entry_points(group=self.group, name=only):
            try:
                self._factories[ep.name] = ep.load()
            except ImportError as exc:
                raise ConfigError(f"{self.group} entry {only!r} ({ep.value}) cannot be "
                                  f"loaded: {exc}") from exc
