"""Multi-head attention written by hand: separate q / k / v projections, heads split
with view + transpose, scores with k.transpose(-2, -1), an einsum for the values, and a
LayerNorm over the last dim; plus a cross-attention MultiheadAttention with kdim / vdim."""

# shapecalc: input=2,10,64 input=2,49,96

import math

import torch
import torch.nn as nn


class Block(nn.Module):
    def __init__(self, dim=64, heads=4, ctx_dim=96):
        super().__init__()
        self.heads = heads
        self.q, self.k, self.v = nn.Linear(dim, dim), nn.Linear(dim, dim), nn.Linear(dim, dim)
        self.proj = nn.Linear(dim, dim)
        self.norm = nn.LayerNorm(dim)
        self.cross = nn.MultiheadAttention(dim, 8, kdim=ctx_dim, vdim=ctx_dim, batch_first=True)

    def split(self, t):
        b, n, d = t.shape
        return t.view(b, n, self.heads, d // self.heads).transpose(1, 2)

    def forward(self, x, context):
        q, k, v = self.split(self.q(x)), self.split(self.k(x)), self.split(self.v(x))
        scores = torch.matmul(q, k.transpose(-2, -1)) / math.sqrt(q.size(-1))
        out = torch.einsum("bhij,bhjd->bhid", scores.softmax(-1), v)
        x = self.norm(x + self.proj(out.transpose(1, 2).contiguous().view(x.shape)))
        y, _ = self.cross(x, context, context, need_weights=False)
        return x + y
