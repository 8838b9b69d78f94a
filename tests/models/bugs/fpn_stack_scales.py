"""Multi-scale features stacked for an ensemble average: the three scales are projected to
the same width but never resized, so torch.stack gets 16x16, 8x8 and 4x4 maps."""

# shapecalc: input=2,3,32,32

import torch
import torch.nn as nn


class MultiScale(nn.Module):
    def __init__(self):
        super().__init__()
        self.c1 = nn.Conv2d(3, 16, 3, stride=2, padding=1)
        self.c2 = nn.Conv2d(16, 32, 3, stride=2, padding=1)
        self.c3 = nn.Conv2d(32, 64, 3, stride=2, padding=1)
        self.lat = nn.ModuleList([nn.Conv2d(c, 8, 1) for c in (16, 32, 64)])

    def forward(self, x):
        f1 = self.c1(x)
        f2 = self.c2(f1)
        f3 = self.c3(f2)
        feats = [lat(f) for lat, f in zip(self.lat, (f1, f2, f3))]
        return torch.stack(feats, dim=0).mean(0)  # expect: SC303
