"""A top-down pathway that upsamples with scale_factor=2 and adds the lateral map: the
lateral is 7x7 (from a 13x13 input through a stride-2 conv), the upsampled map 8x8."""

# shapecalc: input=2,3,13,13

import torch.nn as nn
import torch.nn.functional as F


class TopDown(nn.Module):
    def __init__(self):
        super().__init__()
        self.c1 = nn.Conv2d(3, 32, 3, 2, 1)
        self.c2 = nn.Conv2d(32, 32, 3, 2, 1)
        self.lat = nn.Conv2d(32, 32, 1)

    def forward(self, x):
        p1 = self.c1(x)
        p2 = self.c2(p1)
        up = F.interpolate(p2, scale_factor=2, mode="nearest")
        return self.lat(p1) + up  # expect: SC301
