"""A squeeze-and-excitation block whose excitation Linear returns twice the channels: the
gate cannot be viewed as (b, c, 1, 1)."""

# shapecalc: input=2,32,8,8

import torch
import torch.nn as nn


class SEBlock(nn.Module):
    def __init__(self, channels=32, reduction=4):
        super().__init__()
        self.pool = nn.AdaptiveAvgPool2d(1)
        self.fc1 = nn.Linear(channels, channels // reduction)
        self.fc2 = nn.Linear(channels // reduction, channels * 2)

    def forward(self, x):
        b, c, _, _ = x.shape
        s = self.pool(x).view(b, c)
        s = torch.sigmoid(self.fc2(torch.relu(self.fc1(s))))
        return x * s.view(b, c, 1, 1)  # expect: SC402
