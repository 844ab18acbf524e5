"""Layout analysis: column segments, reading order, blocks and Decree-30 zones."""

from archml.layout.config import LayoutConfig
from archml.layout.lines import lines_from_words, segment_lines, split_line
from archml.layout.stage import LayoutStage
from archml.layout.text import fold, partial_similarity
from archml.layout.zones import assign_zones
from archml.stages import STAGES

STAGES.register("layout", LayoutStage)

__all__ = [
    "LayoutConfig",
    "LayoutStage",
    "assign_zones",
    "fold",
    "lines_from_words",
    "partial_similarity",
    "segment_lines",
    "split_line",
]
