"""Broadcasts that are legal and intended: a per-channel scale with the right channel
count, a bias over the last dim, an attention mask with singleton head and query dims, and
RGB statistics on an RGB image."""

# shapecalc: input=2,3,8,8

import torch
import torch.nn as nn


class Broadcasts(nn.Module):
    def __init__(self):
        super().__init__()
        self.register_buffer("mean", torch.tensor([0.485, 0.456, 0.406]).view(1, 3, 1, 1))
        self.register_buffer("std", torch.tensor([0.229, 0.224, 0.225]).view(3, 1, 1))
        self.conv = nn.Conv2d(3, 16, 3, padding=1)
        self.scale = nn.Parameter(torch.ones(1, 16, 1, 1))
        self.bias = nn.Parameter(torch.zeros(16))
        self.qk = nn.Linear(16, 32)

    def forward(self, x):
        x = (x - self.mean) / self.std
        x = self.conv(x) * self.scale
        tokens = x.flatten(2).transpose(1, 2) + self.bias  # (2, 64, 16)
        q, k = self.qk(tokens).chunk(2, dim=-1)
        scores = q.unsqueeze(1) @ k.unsqueeze(1).transpose(-2, -1)  # (2, 1, 64, 64)
        mask = torch.zeros(2, 1, 1, 64)
        return (scores + mask).softmax(-1).mean(dim=(1, 2))
