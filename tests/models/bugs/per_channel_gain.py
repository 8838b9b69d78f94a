"""A learned per-channel gain and bias written for 16 channels but applied to the 1-channel
spectrogram input: the broadcast turns each example into 16 channels silently."""

# shapecalc: input=4,1,40,100

import torch
import torch.nn as nn


class SpecNet(nn.Module):
    def __init__(self, channels=16):
        super().__init__()
        self.gain = nn.Parameter(torch.ones(1, channels, 1, 1))
        self.conv = nn.Conv2d(channels, 32, 3, stride=2, padding=1)
        self.pool = nn.AdaptiveAvgPool2d(1)

    def forward(self, x):
        x = x * self.gain  # expect: SC305
        x = self.conv(x).relu()
        return self.pool(x).flatten(1)
