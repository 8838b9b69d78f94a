"""A space-to-depth stem (PixelUnshuffle) for a 30x30 input: 30 is not divisible by the
downscale factor 4."""

# shapecalc: input=2,3,30,30

import torch.nn as nn


class SpaceToDepthNet(nn.Module):
    def __init__(self):
        super().__init__()
        self.stem = nn.PixelUnshuffle(4)  # expect: SC105
        self.conv = nn.Conv2d(3 * 16, 32, 3, padding=1)
        self.head = nn.Sequential(nn.AdaptiveAvgPool2d(1), nn.Flatten(), nn.Linear(32, 10))

    def forward(self, x):
        return self.head(self.conv(self.stem(x)).relu())
