"""Group labelled lines, in reading order, into blocks: one zone per block, split at wide
vertical gaps and, in the body, at paragraph starts (first-line indent or a short last line)."""

from __future__ import annotations

from dataclasses import dataclass

from archml.document import Block, Line, Zone
from archml.layout.config import LayoutConfig
from archml.layout.geometry import PageGeometry


@dataclass(frozen=True)
class Labelled:
    """A line with its zone and the page part (column, region) it was read from."""

    line: Line
    zone: Zone
    part: str


def build_blocks(items: list[Labelled], geo: PageGeometry, config: LayoutConfig) -> list[Block]:
    groups: list[list[Labelled]] = []
    for item in items:
        if groups and not _starts_block(groups[-1][-1], item, geo, config):
            groups[-1].append(item)
        else:
            groups.append([item])
    return [Block.from_lines([it.line for it in g], zone=g[0].zone) for g in groups]


def _starts_block(previous: Labelled, item: Labelled, geo: PageGeometry,
                  config: LayoutConfig) -> bool:
    if (item.zone, item.part) != (previous.zone, previous.part):
        return True
    above, line = previous.line.box, item.line.box
    if line.y0 - above.y1 > config.block_gap * geo.line_height or line.y1 <= above.y0:
        return True
    if item.zone != Zone.BODY:
        return False
    indent = config.indent * geo.word_height
    indented = line.x0 - above.x0 >= indent
    short_above = above.x1 < geo.right - 2 * indent and line.x0 < above.x0 + indent
    return indented or short_above
