"""Synthetic pages with exact ground truth, and scan degradation, for tests and benchmarks."""

from archml.synth.degrade import DegradeLevel, degrade, degrade_preset
from archml.synth.textpage import SynthPage, render_text_page

__all__ = ["DegradeLevel", "SynthPage", "degrade", "degrade_preset", "render_text_page"]
