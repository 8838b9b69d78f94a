"""A diffusion-style ResBlock with GroupNorm: the second norm was given the input width
(64) but normalises the conv's 128 output channels."""

# shapecalc: input=2,64,16,16

import torch.nn as nn
import torch.nn.functional as F


class GNResBlock(nn.Module):
    def __init__(self, cin=64, cout=128, groups=32):
        super().__init__()
        self.norm1 = nn.GroupNorm(groups, cin)
        self.conv1 = nn.Conv2d(cin, cout, 3, padding=1)
        self.norm2 = nn.GroupNorm(groups, cin)  # expect: SC204
        self.conv2 = nn.Conv2d(cout, cout, 3, padding=1)
        self.skip = nn.Conv2d(cin, cout, 1)

    def forward(self, x):
        h = self.conv1(F.silu(self.norm1(x)))
        h = self.conv2(F.silu(self.norm2(h)))
        return self.skip(x) + h
