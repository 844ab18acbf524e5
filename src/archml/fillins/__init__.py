"""Handwritten fill-ins: the number after ``Số:`` and the day/month of the date line.

:mod:`~archml.fillins.regions` finds the gaps, :mod:`~archml.fillins.decide` judges whether their
ink is handwritten, :mod:`~archml.fillins.recognizer` reads digits with a small ONNX model
(torch-free), and :class:`~archml.fillins.stage.FillinStage` (stage ``fillins``) puts the
readings on the page as words marked ``handwritten``.
"""

from archml.fillins.recognizer import DigitReader, Reading, default_reader
from archml.fillins.stage import FillinStage

__all__ = ["DigitReader", "FillinStage", "Reading", "default_reader"]
