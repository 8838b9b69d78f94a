"""Grouped and depthwise convolutions: a ShuffleNet unit (grouped 1x1, channel shuffle,
depthwise 3x3), a depthwise conv with channel multiplier 2, and a grouped conv on the
functional path with its weight as a parameter."""

# shapecalc: input=2,24,16,16

import torch
import torch.nn as nn
import torch.nn.functional as F


class ShuffleUnit(nn.Module):
    def __init__(self, channels=24, groups=3):
        super().__init__()
        self.groups = groups
        self.gconv1 = nn.Conv2d(channels, channels, 1, groups=groups)
        self.dw = nn.Conv2d(channels, channels, 3, padding=1, groups=channels)
        self.gconv2 = nn.Conv2d(channels, channels, 1, groups=groups)
        self.dw_mult = nn.Conv2d(channels, channels * 2, 3, padding=1, groups=channels)
        self.weight = nn.Parameter(torch.randn(48, 12, 1, 1))

    def forward(self, x):
        b, c, h, w = x.shape
        y = F.relu(self.gconv1(x))
        y = y.view(b, self.groups, c // self.groups, h, w).transpose(1, 2).reshape(b, c, h, w)
        y = self.gconv2(self.dw(y))
        y = F.relu(x + y)
        y = self.dw_mult(y)
        return F.conv2d(y, self.weight, groups=4)
