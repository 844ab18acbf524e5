"""Synthetic Vietnamese archival documents with exact ground truth, and scan degradation.

``generate_document(seed, index, config)`` makes one document (page images, the ground-truth
:class:`~archml.document.Document`, fields with boxes); ``generate_corpus`` writes many in
parallel with a JSONL manifest; ``render_text_page`` draws a single quick page; ``degrade``
and ``degrade_preset`` make clean pages look scanned.
"""

from archml.synth.degrade import DegradeLevel, degrade, degrade_preset
from archml.synth.generate import SynthConfig, SynthDocument, generate_document
from archml.synth.templates import TYPE_IDS
from archml.synth.textpage import SynthPage, render_text_page
from archml.synth.writer import generate_corpus, write_dataset

__all__ = ["TYPE_IDS", "DegradeLevel", "SynthConfig", "SynthDocument", "SynthPage", "degrade",
           "degrade_preset", "generate_corpus", "generate_document", "render_text_page",
           "write_dataset"]
