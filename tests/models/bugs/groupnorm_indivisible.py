"""A detection head normalising 20-channel features with GroupNorm(8, 20): 8 groups do not
divide 20 channels, and PyTorch refuses to build the layer."""

# shapecalc: input=1,20,16,16

import torch.nn as nn


class Head(nn.Module):
    def __init__(self, channels=20, groups=8):
        super().__init__()
        self.conv = nn.Conv2d(channels, channels, 3, padding=1)
        self.norm = nn.GroupNorm(groups, channels)  # expect: SC204
        self.cls = nn.Conv2d(channels, 4, 1)

    def forward(self, x):
        return self.cls(self.norm(self.conv(x)).relu())
