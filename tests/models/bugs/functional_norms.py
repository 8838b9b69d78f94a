"""Normalisation written with the functional API and the model's own parameters: the
layer-norm weight and shape were sized for the hidden width, the activations are at the
model width."""

# shapecalc: input=2,5,24

import torch
import torch.nn as nn
import torch.nn.functional as F


class FunctionalLN(nn.Module):
    def __init__(self, dim=24, hidden=48):
        super().__init__()
        self.hidden = hidden
        self.ln_weight = nn.Parameter(torch.ones(hidden))
        self.ln_bias = nn.Parameter(torch.zeros(hidden))
        self.proj = nn.Linear(dim, dim)

    def forward(self, x):
        h = F.layer_norm(x, (self.hidden,), self.ln_weight, self.ln_bias)  # expect: SC205
        return self.proj(h)
