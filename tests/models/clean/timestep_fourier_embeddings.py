"""Broadcasts that grow a dim on purpose: a diffusion timestep embedding
(t[:, None] * freqs with freqs a buffer) and Fourier features of 2-D points with learned
scales (feats.unsqueeze(-1) * scales). Outer products, not per-channel statistics."""

# shapecalc: input=4,50,2

import math

import torch
import torch.nn as nn


class Embeddings(nn.Module):
    def __init__(self, dim=32, n=8):
        super().__init__()
        half = dim // 2
        self.register_buffer("freqs", torch.exp(-math.log(10000) * torch.arange(half) / half))
        self.proj = nn.Parameter(torch.randn(2, n))
        self.scales = nn.Parameter(torch.ones(1, 1, 1, 3))
        self.time_mlp = nn.Sequential(nn.Linear(dim, dim), nn.SiLU())
        self.point_mlp = nn.Linear(2 * n * 3, dim)

    def forward(self, points):
        t = torch.arange(points.size(0), device=points.device).float()
        args = t[:, None] * self.freqs
        temb = self.time_mlp(torch.cat([torch.cos(args), torch.sin(args)], dim=-1))
        proj = 2 * math.pi * points @ self.proj
        feats = torch.cat([torch.sin(proj), torch.cos(proj)], dim=-1)
        multi = (feats.unsqueeze(-1) * self.scales).flatten(2)
        return self.point_mlp(multi) + temb[:, None, :]
