"""MobileNetV2 inverted residuals where the residual condition forgot the stride: the
stride-2 block keeps its channels, so 'use_res' is true and a 16x16 map is added to 8x8."""

# shapecalc: input=1,24,16,16

import torch.nn as nn


class InvertedResidual(nn.Module):
    def __init__(self, cin, cout, stride, expand=6):
        super().__init__()
        hidden = cin * expand
        self.use_res = cin == cout  # should be: stride == 1 and cin == cout
        self.conv = nn.Sequential(
            nn.Conv2d(cin, hidden, 1, bias=False),
            nn.BatchNorm2d(hidden),
            nn.ReLU6(inplace=True),
            nn.Conv2d(hidden, hidden, 3, stride, 1, groups=hidden, bias=False),
            nn.BatchNorm2d(hidden),
            nn.ReLU6(inplace=True),
            nn.Conv2d(hidden, cout, 1, bias=False),
            nn.BatchNorm2d(cout),
        )

    def forward(self, x):
        if self.use_res:
            return x + self.conv(x)  # expect: SC301
        return self.conv(x)


class Features(nn.Module):
    def __init__(self):
        super().__init__()
        self.blocks = nn.Sequential(
            InvertedResidual(24, 24, 1),
            InvertedResidual(24, 24, 2),
            InvertedResidual(24, 32, 1),
        )

    def forward(self, x):
        return self.blocks(x)
