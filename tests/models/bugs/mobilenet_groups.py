"""A MobileNet-style depthwise-separable stack. The depthwise conv of the second block uses
groups=48 on 32 channels: torch refuses to build it (in_channels must be divisible by groups)."""

# shapecalc: input=2,3,32,32

import torch.nn as nn


def dw_separable(cin, cout, stride, groups):
    return nn.Sequential(
        nn.Conv2d(cin, cin, 3, stride, padding=1, groups=groups, bias=False),  # expect: SC202
        nn.ReLU6(inplace=True),
        nn.Conv2d(cin, cout, 1, bias=False),
        nn.ReLU6(inplace=True),
    )


class TinyMobileNet(nn.Module):
    def __init__(self):
        super().__init__()
        self.stem = nn.Conv2d(3, 32, 3, stride=2, padding=1)
        self.block1 = dw_separable(32, 32, 1, groups=32)
        self.block2 = dw_separable(32, 64, 2, groups=48)
        self.pool = nn.AdaptiveAvgPool2d(1)
        self.fc = nn.Linear(64, 10)

    def forward(self, x):
        x = self.block2(self.block1(self.stem(x)))
        return self.fc(self.pool(x).flatten(1))
