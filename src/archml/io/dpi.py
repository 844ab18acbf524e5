"""The resolution of an image page: from its metadata when plausible, else assumed."""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

from archml.io.config import ReadConfig


@dataclass(frozen=True)
class Resolution:
    """Horizontal and vertical DPI of a page image, and whether they were assumed."""

    x: float
    y: float
    assumed: bool
    metadata: list[float] | None = None
    """DPI found in the file (``[x, y]``), kept in the record even when it was not believed."""
    reason: str | None = None
    """Why the metadata was not used, when ``assumed``."""

    @property
    def square(self) -> bool:
        return abs(self.x - self.y) <= 0.01 * max(self.x, self.y)

    @property
    def dpi(self) -> float:
        """The one DPI recorded for the page: the finer of the two axes."""
        return max(self.x, self.y)

    def params(self) -> dict[str, Any]:
        """Plain values for the page's ``read`` step record."""
        out: dict[str, Any] = {"dpi": self.dpi, "dpi_assumed": self.assumed}
        if self.metadata is not None:
            out["dpi_metadata"] = self.metadata
        if self.reason:
            out["dpi_assumed_reason"] = self.reason
        return out


def resolution(info: dict[str, Any], width: int, height: int, config: ReadConfig) -> Resolution:
    """The resolution of a ``width`` × ``height`` image whose Pillow ``info`` is given."""
    raw = info.get("dpi")
    found = _pair(raw)
    assumed = float(config.assumed_dpi)
    if found is None:
        reason = "no resolution in the file" if raw is None else f"unreadable resolution {raw!r}"
        return Resolution(assumed, assumed, True, None, reason)
    x, y = found
    low, high = config.min_metadata_dpi, config.max_metadata_dpi
    if not (low <= x <= high and low <= y <= high):
        reason = f"resolution outside {low:g}–{high:g} dpi"
        return Resolution(assumed, assumed, True, [x, y], reason)
    inches = max(width / x, height / y)
    if inches > config.max_page_inches:
        reason = f"resolution implies a {inches:.0f}-inch page"
        return Resolution(assumed, assumed, True, [x, y], reason)
    return Resolution(x, y, False, [x, y])


def _pair(raw: object) -> tuple[float, float] | None:
    if not isinstance(raw, tuple | list) or len(raw) != 2:
        return None
    try:
        x, y = (float(v) for v in raw)
    except (TypeError, ValueError):
        return None
    if not all(math.isfinite(v) and v > 0 for v in (x, y)):
        return None
    return _tidy(x), _tidy(y)


def _tidy(value: float) -> float:
    """299.9994 (300 dpi stored as pixels per metre) → 300.0."""
    nearest = round(value)
    return float(nearest) if abs(value - nearest) < 0.05 else round(value, 2)
