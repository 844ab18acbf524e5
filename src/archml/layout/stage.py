"""The layout stage: OCR or text-layer blocks → column segments → zoned blocks in reading order."""

from __future__ import annotations

from collections import Counter

from archml.document import Block, Page
from archml.layout.config import LayoutConfig
from archml.layout.lines import segment_lines
from archml.layout.zones import assign_zones
from archml.stages import Stage, Timer


class LayoutStage(Stage):
    """Split lines into single-column segments, read them in order and label Decree-30 zones."""

    name = "layout"

    def __init__(self, config: LayoutConfig | None = None) -> None:
        self.config = config or LayoutConfig()

    def process_page(self, page: Page) -> None:
        with Timer() as timer:
            segments = segment_lines(page.blocks, page.height, self.config)
            page.blocks = [Block.from_lines(segments)] if segments else []
            assign_zones(page, self.config)
        zones = Counter(str(b.zone) for b in page.blocks)
        page.record(self.name, seconds=timer.seconds, zones=dict(sorted(zones.items())))
