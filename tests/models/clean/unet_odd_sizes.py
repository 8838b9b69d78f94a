"""A U-Net level on an odd-sized input: the upsampled map is resized to the skip's own size
(F.interpolate with size=skip.shape[2:]) before the concat, so any H, W works."""

# shapecalc: input=1,3,37,29

import torch
import torch.nn as nn
import torch.nn.functional as F


class OddUNet(nn.Module):
    def __init__(self):
        super().__init__()
        self.enc = nn.Conv2d(3, 8, 3, padding=1)
        self.down = nn.Conv2d(8, 16, 3, stride=2, padding=1)
        self.up = nn.ConvTranspose2d(16, 8, 2, stride=2)
        self.dec = nn.Conv2d(16, 8, 3, padding=1)
        self.out = nn.Conv2d(8, 2, 1)

    def forward(self, x):
        skip = F.relu(self.enc(x))
        y = F.relu(self.down(skip))
        y = F.interpolate(self.up(y), size=skip.shape[2:], mode="bilinear", align_corners=False)
        return self.out(F.relu(self.dec(torch.cat([skip, y], dim=1))))
