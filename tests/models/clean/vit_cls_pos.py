"""A small ViT: conv patch embedding, class token concatenated, a positional embedding for
patches + 1, a TransformerEncoder stack, and the class token read out."""

# shapecalc: input=2,3,32,32

import torch
import torch.nn as nn


class ViT(nn.Module):
    def __init__(self, img=32, patch=4, dim=48, depth=2, classes=10):
        super().__init__()
        n = (img // patch) ** 2
        self.proj = nn.Conv2d(3, dim, patch, patch)
        self.cls = nn.Parameter(torch.zeros(1, 1, dim))
        self.pos = nn.Parameter(torch.zeros(1, n + 1, dim))
        layer = nn.TransformerEncoderLayer(dim, 4, 2 * dim, batch_first=True, norm_first=True)
        self.encoder = nn.TransformerEncoder(layer, depth, enable_nested_tensor=False)
        self.head = nn.Sequential(nn.LayerNorm(dim), nn.Linear(dim, classes))

    def forward(self, x):
        x = self.proj(x).flatten(2).transpose(1, 2)
        x = torch.cat([self.cls.expand(x.shape[0], -1, -1), x], dim=1) + self.pos
        return self.head(self.encoder(x)[:, 0])
