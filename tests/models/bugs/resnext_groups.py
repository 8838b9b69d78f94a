"""A ResNeXt bottleneck with cardinality 32 and a bottleneck width of 48: the grouped 3x3
conv has 48 channels, which 32 groups do not divide, so the block cannot be built."""

# shapecalc: input=2,64,8,8

import torch.nn as nn
import torch.nn.functional as F


class ResNeXtBlock(nn.Module):
    def __init__(self, channels=64, width=48, cardinality=32):
        super().__init__()
        self.reduce = nn.Conv2d(channels, width, 1, bias=False)
        self.grouped = nn.Conv2d(width, width, 3, padding=1, groups=cardinality)  # expect: SC202
        self.expand = nn.Conv2d(width, channels, 1, bias=False)

    def forward(self, x):
        out = F.relu(self.reduce(x))
        out = F.relu(self.grouped(out))
        return F.relu(x + self.expand(out))
