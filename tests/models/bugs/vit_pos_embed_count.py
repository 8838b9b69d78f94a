"""A ViT patch embedding whose learned positional embedding was sized for the patch grid
alone and forgets the class token: 65 tokens plus 64 positions."""

# shapecalc: input=2,3,32,32

import torch
import torch.nn as nn


class PatchEmbed(nn.Module):
    def __init__(self, img=32, patch=4, dim=48):
        super().__init__()
        n = (img // patch) ** 2
        self.proj = nn.Conv2d(3, dim, patch, patch)
        self.cls = nn.Parameter(torch.zeros(1, 1, dim))
        self.pos = nn.Parameter(torch.zeros(1, n, dim))

    def forward(self, x):
        x = self.proj(x).flatten(2).transpose(1, 2)
        cls = self.cls.expand(x.shape[0], -1, -1)
        x = torch.cat([cls, x], dim=1)
        return x + self.pos  # expect: SC301
