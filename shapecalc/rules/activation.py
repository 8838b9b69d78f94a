"""Activations: shape-preserving, one line each (torch.nn activation docs: Input (*),
Output (*), same shape)."""

from __future__ import annotations

from . import ok, passthrough

passthrough(
    "ReLU(inplace=False)",
    "ReLU6(inplace=False)",
    "Sigmoid()",
    "Tanh()",
    "F.relu(input, inplace=False)",
    "torch.relu(input)",
    "Tensor.relu(self)",
    "F.sigmoid(input)",
    "torch.sigmoid(input)",
    "Tensor.sigmoid(self)",
    "torch.tanh(input)",
    "Tensor.tanh(self)",
    examples=[
        ok("nn.ReLU()(x)", (2, 3, 4), x=(2, 3, 4)),
        ok("F.relu(x)", (5,), x=(5,)),
        ok("x.sigmoid()", (1, 2), x=(1, 2)),
    ],
)
