"""A shipped digit-reader member (ONNX) back into a trainable :class:`~archml.training.
handwriting.CRNN`, so a reader can be fine-tuned without the torch weights it was exported from.

The export ran in eval mode, so each convolution carries its batch norm folded into its weights
and bias; the bias goes back into the batch norm as its shift, with a running mean of 0 and a
running variance of ``1 − eps`` (the norm is then the identity plus the bias, exactly the
exported function while the norms stay in eval mode). ONNX orders an LSTM's gates input,
output, forget, cell; torch input, forget, cell, output.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import torch
from torch import nn

from archml.errors import ModelMismatch
from archml.training.handwriting import CRNN

_ONNX_TO_TORCH_GATES = (0, 2, 3, 1)  # i, o, f, c → i, f, c, o


def crnn_from_onnx(path: str | Path) -> CRNN:
    """The :class:`CRNN` whose function is the ONNX member at ``path`` (eval mode)."""
    import onnx
    from onnx import numpy_helper

    graph = onnx.load(str(path)).graph
    weights = {i.name: numpy_helper.to_array(i) for i in graph.initializer}
    ops = {kind: [n for n in graph.node if n.op_type == kind] for kind in ("Conv", "LSTM",
                                                                           "MatMul", "Add")}
    if len(ops["LSTM"]) != 1 or len(ops["MatMul"]) != 1:
        raise ModelMismatch(f"{path}: not a digit-reader CRNN (one LSTM and one MatMul head)")
    lstm = ops["LSTM"][0]
    w_ih, w_hh, bias = (weights[name] for name in lstm.input[1:4])
    hidden = w_hh.shape[-1]
    head = weights[ops["MatMul"][0].input[1]]
    model = CRNN(n_classes=head.shape[1], hidden=hidden)
    convs = [m for m in model.features if isinstance(m, nn.Conv2d)]
    norms = [m for m in model.features if isinstance(m, nn.BatchNorm2d)]
    if len(ops["Conv"]) != len(convs):
        raise ModelMismatch(f"{path}: {len(ops['Conv'])} convolutions, the CRNN has {len(convs)}")
    with torch.no_grad():
        for node, conv, norm in zip(ops["Conv"], convs, norms, strict=True):
            conv.weight.copy_(_tensor(weights[node.input[1]]))
            norm.weight.fill_(1.0)
            norm.bias.copy_(_tensor(weights[node.input[2]]))
            norm.running_mean.zero_()
            norm.running_var.fill_(1.0 - norm.eps)
        for direction, suffix in enumerate(("", "_reverse")):
            b_ih, b_hh = np.split(bias[direction], 2)
            for name, value in (("weight_ih", w_ih[direction]), ("weight_hh", w_hh[direction]),
                                ("bias_ih", b_ih), ("bias_hh", b_hh)):
                getattr(model.rnn, f"{name}_l0{suffix}").copy_(_tensor(_gates(value)))
        model.head.weight.copy_(_tensor(head.T))
        (add,) = ops["Add"]
        model.head.bias.copy_(_tensor(next(weights[n] for n in add.input if n in weights)))
    return model.eval()


def _gates(value: np.ndarray) -> np.ndarray:
    """ONNX's gate blocks (first axis, four equal parts) in torch's order."""
    blocks = np.split(value, 4)
    return np.concatenate([blocks[i] for i in _ONNX_TO_TORCH_GATES])


def _tensor(value: np.ndarray) -> torch.Tensor:
    return torch.tensor(np.asarray(value, dtype=np.float32))
