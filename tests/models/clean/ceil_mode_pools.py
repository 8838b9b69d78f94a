"""GoogLeNet-style ceil_mode pooling on odd sizes, an average pool with ceil_mode and
padding, and a pool whose last window starts in the padding only under ceil_mode."""

# shapecalc: input=2,4,15,15

import torch.nn as nn
import torch.nn.functional as F


class CeilPools(nn.Module):
    def __init__(self):
        super().__init__()
        self.pool1 = nn.MaxPool2d(3, stride=2, ceil_mode=True)  # 15 -> 7
        self.pool2 = nn.AvgPool2d(3, stride=2, padding=1, ceil_mode=True)  # 7 -> 4
        self.conv = nn.Conv2d(4, 8, 1)
        self.fc = nn.Linear(8 * 2 * 2, 5)

    def forward(self, x):
        x = self.pool2(self.pool1(x))
        x = F.max_pool2d(self.conv(x), 2, stride=2, ceil_mode=True)  # 4 -> 2
        return self.fc(x.flatten(1))
