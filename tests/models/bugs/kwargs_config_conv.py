"""Layers built with **kwargs from dict configs; the second block's config lists 24 input
channels after a 32-channel block."""

# shapecalc: input=2,3,32,32

import torch.nn as nn

BLOCKS = [
    dict(in_channels=3, out_channels=32, kernel_size=3, stride=2, padding=1),
    dict(in_channels=24, out_channels=64, kernel_size=3, stride=2, padding=1),
]


class Net(nn.Module):
    def __init__(self):
        super().__init__()
        self.blocks = nn.Sequential(
            *[nn.Sequential(nn.Conv2d(**cfg), nn.ReLU()) for cfg in BLOCKS]  # expect: SC201
        )

    def forward(self, x):
        return self.blocks(x)
