"""The torch-free inference path: ONNX Runtime sessions over a model directory, decoding of
the heads into calibrated classes and of the field tags into values, and the pipeline stage.

Imports numpy, onnxruntime and tokenizers only; never torch or transformers.
"""

from archml.runtime.model import DocOutput, Model, load_model

__all__ = ["DocOutput", "Model", "load_model"]
