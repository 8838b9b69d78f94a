"""A classifier with its own weight Parameter used through F.linear; the weight was laid
out (in, out) instead of (out, in)."""

# shapecalc: input=2,64

import torch
import torch.nn as nn
import torch.nn.functional as F


class CosineHead(nn.Module):
    def __init__(self, dim=64, classes=10):
        super().__init__()
        self.weight = nn.Parameter(torch.randn(dim, classes))
        self.scale = 16.0

    def forward(self, x):
        return self.scale * F.linear(  # expect: SC401
            F.normalize(x, dim=-1), F.normalize(self.weight, dim=-1)
        )
