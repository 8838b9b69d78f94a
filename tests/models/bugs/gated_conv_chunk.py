"""A gated conv block: a conv doubles the channels, chunk splits value and gate, and the
output conv was declared for the doubled width instead of one half."""

# shapecalc: input=2,16,12,12

import torch
import torch.nn as nn


class GatedBlock(nn.Module):
    def __init__(self, c=16):
        super().__init__()
        self.inp = nn.Conv2d(c, 2 * c, 3, padding=1)
        self.out = nn.Conv2d(2 * c, c, 1)  # expect: SC201

    def forward(self, x):
        value, gate = self.inp(x).chunk(2, dim=1)
        return x + self.out(value * torch.sigmoid(gate))
