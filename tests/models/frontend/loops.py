"""ModuleList loops, nested Sequentials, a custom module with a residual add, functional
calls, a layer called twice (shared weights) and the classic x.view(x.size(0), -1)."""

import torch
import torch.nn as nn
import torch.nn.functional as F


class Branch(nn.Module):
    def __init__(self, channels):
        super().__init__()
        self.body = nn.Sequential(
            nn.Conv2d(channels, channels, 3, padding=1, bias=False),
            nn.BatchNorm2d(channels),
        )

    def forward(self, x):
        return F.relu(self.body(x) + x)


class LoopNet(nn.Module):
    def __init__(self):
        super().__init__()
        self.stem = nn.Sequential(
            nn.Sequential(nn.Conv2d(3, 16, 3, padding=1), nn.BatchNorm2d(16)),
            nn.ReLU(inplace=True),
        )
        self.stages = nn.ModuleList([Branch(16) for _ in range(3)])
        self.down = nn.Conv2d(16, 32, 3, stride=2, padding=1)
        self.shared = nn.Conv2d(32, 32, 3, padding=1)
        self.head = nn.Linear(64 * 2 * 2, 10)

    def forward(self, x):
        x = self.stem(x)
        for stage in self.stages:
            x = stage(x)
        x = self.down(x)
        x = self.shared(F.relu(self.shared(x)))
        x = torch.cat([x, x * 0.5], dim=1)
        x = F.adaptive_avg_pool2d(x, (2, 2))
        x = x.view(x.size(0), -1)
        return self.head(x)
