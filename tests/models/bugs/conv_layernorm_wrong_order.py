"""A ConvNeXt-like block that applies LayerNorm([C, H, W]) sized (H, W, C): on a
(B, 32, 8, 8) activation the trailing dimensions are (32, 8, 8), not (8, 8, 32)."""

# shapecalc: input=2,32,8,8

import torch.nn as nn


class Block(nn.Module):
    def __init__(self, dim=32, size=8):
        super().__init__()
        self.dw = nn.Conv2d(dim, dim, 7, padding=3, groups=dim)
        self.norm = nn.LayerNorm([size, size, dim])  # expect: SC205
        self.pw1 = nn.Conv2d(dim, 4 * dim, 1)
        self.act = nn.GELU()
        self.pw2 = nn.Conv2d(4 * dim, dim, 1)

    def forward(self, x):
        return x + self.pw2(self.act(self.pw1(self.norm(self.dw(x)))))
