"""Multi-head self-attention splitting 48 features into 5 heads of 10: view() cannot
reshape 48 features into 5 x 10."""

# shapecalc: input=2,7,48

import torch.nn as nn
import torch.nn.functional as F


class SelfAttention(nn.Module):
    def __init__(self, dim=48, heads=5):
        super().__init__()
        self.heads = heads
        self.head_dim = 10
        self.qkv = nn.Linear(dim, 3 * dim)
        self.out = nn.Linear(dim, dim)

    def forward(self, x):
        b, t, c = x.size()
        qkv = self.qkv(x).view(b, t, 3, self.heads, self.head_dim)  # expect: SC402
        q, k, v = qkv.permute(2, 0, 3, 1, 4).unbind(0)
        att = F.softmax(q @ k.transpose(-2, -1) / self.head_dim**0.5, dim=-1)
        y = att @ v
        return self.out(y.transpose(1, 2).reshape(b, t, c))
