"""Geometric grouping of loose words into lines and of lines into blocks.

Used where words or lines arrive without structure (a PDF text layer, a line detector). A large
horizontal gap starts a new line, so side-by-side columns (the organ and motto of a Decree-30
header) stay apart; the layout stage later regroups blocks into zones.
"""

from __future__ import annotations

import statistics

from archml.document import Block, Box, Line, Word


def words_to_lines(words: list[Word], max_gap: float = 1.5) -> list[Line]:
    """Lines of words that overlap vertically and sit at most ``max_gap`` word heights apart."""
    if not words:
        return []
    height = statistics.median(w.box.height for w in words)
    lines: list[tuple[Box, list[Word]]] = []
    for word in sorted(words, key=lambda w: w.box.x0):
        fits = [(word.box.vertical_overlap(box), n) for n, (box, _) in enumerate(lines)
                if -0.5 * height <= word.box.x0 - box.x1 <= max_gap * height]
        overlap, best = max(fits, default=(0.0, -1))
        if overlap >= 0.5:
            box, members = lines[best]
            lines[best] = (box.union(word.box), [*members, word])
        else:
            lines.append((word.box, [word]))
    return sorted((Line.from_words(members) for _, members in lines),
                  key=lambda ln: (ln.box.y0, ln.box.x0))


def lines_to_blocks(lines: list[Line], max_gap: float = 1.0) -> list[Block]:
    """Blocks of consecutive lines that overlap horizontally, at most ``max_gap`` lines apart."""
    if not lines:
        return []
    height = statistics.median(ln.box.height for ln in lines)
    groups: list[list[Line]] = []
    for line in sorted(lines, key=lambda ln: (ln.box.y0, ln.box.x0)):
        for group in reversed(groups[-4:]):
            span = Box.enclosing(ln.box for ln in group)
            overlap = min(span.x1, line.box.x1) - max(span.x0, line.box.x0)
            if overlap > 0 and -0.2 * height <= line.box.y0 - group[-1].box.y1 <= max_gap * height:
                group.append(line)
                break
        else:
            groups.append([line])
    return [Block.from_lines(g) for g in groups]


def words_to_blocks(words: list[Word]) -> list[Block]:
    """Words → lines → blocks."""
    return lines_to_blocks(words_to_lines(words))
