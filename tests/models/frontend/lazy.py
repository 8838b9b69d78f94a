"""Lazy layers: their input sizes are learnt from the first forward."""

import torch.nn as nn


class LazyNet(nn.Module):
    def __init__(self, classes=10):
        super().__init__()
        self.features = nn.Sequential(
            nn.LazyConv2d(16, 3, padding=1),
            nn.ReLU(),
            nn.LazyConv2d(32, 3, stride=2, groups=2),
            nn.ReLU(),
            nn.LazyConvTranspose2d(8, 2, stride=2),
        )
        self.head = nn.LazyLinear(classes)

    def forward(self, x):
        return self.head(self.features(x).flatten(1))
