"""A squeeze-and-excitation gate on a ResNeXt bottleneck (cardinality 8, width 32): the
gate is viewed as (b, c, 1, 1) and broadcast over the map; the shortcut is the identity."""

# shapecalc: input=2,64,8,8

import torch
import torch.nn as nn


class SEResNeXt(nn.Module):
    def __init__(self, channels=64, width=32, cardinality=8, reduction=16):
        super().__init__()
        self.body = nn.Sequential(
            nn.Conv2d(channels, width, 1, bias=False),
            nn.BatchNorm2d(width),
            nn.ReLU(inplace=True),
            nn.Conv2d(width, width, 3, padding=1, groups=cardinality, bias=False),
            nn.BatchNorm2d(width),
            nn.ReLU(inplace=True),
            nn.Conv2d(width, channels, 1, bias=False),
            nn.BatchNorm2d(channels),
        )
        self.fc1 = nn.Linear(channels, channels // reduction)
        self.fc2 = nn.Linear(channels // reduction, channels)

    def forward(self, x):
        out = self.body(x)
        b, c, _, _ = out.size()
        s = out.mean(dim=(2, 3))
        s = torch.sigmoid(self.fc2(torch.relu(self.fc1(s)))).view(b, c, 1, 1)
        return torch.relu(out * s + x)
