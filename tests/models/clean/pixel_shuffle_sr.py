"""ESPCN done right: the last conv emits 3 * r * r channels for PixelShuffle(r), and a
PixelUnshuffle stem on a size divisible by its factor."""

# shapecalc: input=1,3,12,12

import torch.nn as nn


class SuperRes(nn.Module):
    def __init__(self, scale=3):
        super().__init__()
        self.stem = nn.PixelUnshuffle(2)  # (12, 12) -> (6, 6), 12 channels
        self.body = nn.Sequential(
            nn.Conv2d(12, 32, 5, padding=2),
            nn.Tanh(),
            nn.Conv2d(32, 3 * scale * scale * 4, 3, padding=1),
        )
        self.shuffle = nn.PixelShuffle(scale * 2)

    def forward(self, x):
        return self.shuffle(self.body(self.stem(x)))  # (1, 3, 36, 36)
