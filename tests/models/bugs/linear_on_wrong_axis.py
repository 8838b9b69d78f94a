"""A 'channel mixing' Linear applied to an NCHW feature map without moving the channels
last: it multiplies along W (14), not C (64)."""

# shapecalc: input=2,3,28,28

import torch.nn as nn


class ChannelMixer(nn.Module):
    def __init__(self):
        super().__init__()
        self.conv = nn.Conv2d(3, 64, 3, stride=2, padding=1)
        self.mix = nn.Linear(64, 64)  # expect: SC401
        self.head = nn.Conv2d(64, 10, 1)

    def forward(self, x):
        x = self.conv(x).relu()
        x = self.mix(x)  # should be self.mix(x.permute(0, 2, 3, 1)).permute(0, 3, 1, 2)
        return self.head(x)
