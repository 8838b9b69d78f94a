"""A width multiplier applied with int() where the first conv is built and with a rounding
variant where the second is: 0.75 * 42 is 31 channels against 32."""

# shapecalc: input=2,3,16,16

import torch.nn as nn

ALPHA = 0.75


class SlimNet(nn.Module):
    def __init__(self):
        super().__init__()
        c1 = int(42 * ALPHA)
        self.conv1 = nn.Conv2d(3, c1, 3, padding=1)
        self.conv2 = nn.Conv2d(round(42 * ALPHA + 0.5), 64, 3, padding=1)  # expect: SC201

    def forward(self, x):
        return self.conv2(self.conv1(x))
