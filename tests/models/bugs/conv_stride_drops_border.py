"""A stem conv with kernel 3, stride 2 and no padding on 32x32 images: (32 - 3) / 2 is not
whole, so the last row and column never enter any window. Legal, but usually unintended."""

# shapecalc: input=2,3,32,32

import torch.nn as nn


class Stem(nn.Module):
    def __init__(self):
        super().__init__()
        self.conv = nn.Conv2d(3, 16, kernel_size=3, stride=2)  # expect: SC110
        self.act = nn.ReLU()
        self.pool = nn.AdaptiveAvgPool2d(1)

    def forward(self, x):
        return self.pool(self.act(self.conv(x))).flatten(1)
