"""What the rule extractor and classifier read: the blocks of the original document, in reading
order, without stamps and without a copy block (``SAO Y``) and what follows it."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from archml.document import Block, Document, Line, Zone
from archml.layout.patterns import is_copy_mark, is_received_word

STAMPS = frozenset({Zone.RECEIVED_STAMP, Zone.DIGITAL_SIGNATURE, Zone.PAGE_NUMBER, Zone.FOOTER})


@dataclass(frozen=True)
class Placed:
    """A block and the index of its page."""

    page: int
    block: Block


def is_copy_block(block: Block) -> bool:
    """A ``SAO Y`` / ``SAO LỤC`` / ``TRÍCH SAO`` block (by zone or by its first line)."""
    return block.zone == Zone.COPY or bool(block.lines and is_copy_mark(block.lines[0].text))


def is_received_line(line: Line) -> bool:
    """A line of a received stamp the layout did not zone: it holds the upper-case ``ĐẾN``."""
    return any(is_received_word(w.text) for w in line.words)


def original_blocks(document: Document) -> tuple[list[Placed], list[Placed]]:
    """(blocks of the original, blocks of the copy block and after it). Stamps are dropped."""
    original: list[Placed] = []
    copy: list[Placed] = []
    for page in document.pages:
        for block in page.blocks:
            if block.zone in STAMPS:
                continue
            target = copy if copy or is_copy_block(block) else original
            target.append(Placed(page.index, block))
    return original, copy


def zone_blocks(blocks: Iterable[Placed], zone: Zone, page: int | None = None) -> list[Placed]:
    """The blocks of ``zone`` (on page ``page`` only, if given)."""
    return [p for p in blocks if p.block.zone == zone and (page is None or p.page == page)]


def zone_text(blocks: Iterable[Placed], zone: Zone, page: int | None = 0) -> str:
    return "\n".join(p.block.text for p in zone_blocks(blocks, zone, page))


def first_page(blocks: list[Placed]) -> int:
    return blocks[0].page if blocks else 0
