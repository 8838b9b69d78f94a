"""Scaled dot-product attention written by hand with the key's transpose forgotten:
(B, H, T, d) @ (B, H, T, d) has inner dimensions d = 16 and T = 10."""

# shapecalc: input=2,10,64

import math

import torch
import torch.nn as nn


class Attention(nn.Module):
    def __init__(self, dim=64, heads=4):
        super().__init__()
        self.heads = heads
        self.to_q = nn.Linear(dim, dim)
        self.to_k = nn.Linear(dim, dim)
        self.to_v = nn.Linear(dim, dim)
        self.proj = nn.Linear(dim, dim)

    def split(self, t):
        b, n, d = t.shape
        return t.reshape(b, n, self.heads, d // self.heads).transpose(1, 2)

    def forward(self, x):
        q, k, v = self.split(self.to_q(x)), self.split(self.to_k(x)), self.split(self.to_v(x))
        scores = torch.matmul(q, k) / math.sqrt(q.size(-1))  # expect: SC304
        attn = scores.softmax(dim=-1)
        out = (attn @ v).transpose(1, 2).flatten(2)
        return self.proj(out)
