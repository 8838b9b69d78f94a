"""Two downsampling branches concatenated: F.interpolate(scale_factor=0.5) floors 13 to 6,
the stride-2 conv with padding 1 gives 7."""

# shapecalc: input=2,8,13,13

import torch
import torch.nn as nn
import torch.nn.functional as F


class TwoPath(nn.Module):
    def __init__(self):
        super().__init__()
        self.down = nn.Conv2d(8, 8, 3, stride=2, padding=1)

    def forward(self, x):
        a = F.interpolate(x, scale_factor=0.5, mode="bilinear", align_corners=False)
        b = self.down(x)
        return torch.cat([a, b], dim=1)  # expect: SC302
