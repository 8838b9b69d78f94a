"""A ResNet basic block that downsamples (stride 2 on conv1) while keeping the channel count,
with the identity shortcut left unstrided: 16x16 plus 8x8."""

# shapecalc: input=2,32,16,16

import torch
import torch.nn as nn


class DownBlock(nn.Module):
    def __init__(self, channels=32, stride=2):
        super().__init__()
        self.conv1 = nn.Conv2d(channels, channels, 3, stride=stride, padding=1, bias=False)
        self.bn1 = nn.BatchNorm2d(channels)
        self.conv2 = nn.Conv2d(channels, channels, 3, padding=1, bias=False)
        self.bn2 = nn.BatchNorm2d(channels)

    def forward(self, x):
        out = torch.relu(self.bn1(self.conv1(x)))
        out = self.bn2(self.conv2(out))
        return torch.relu(out + x)  # expect: SC301
