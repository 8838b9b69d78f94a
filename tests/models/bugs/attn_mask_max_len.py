"""A causal mask built once for max_len=16 and given to MultiheadAttention over a
12-token sequence: the mask must be (L, S) = (12, 12)."""

# shapecalc: input=2,12,32

import torch
import torch.nn as nn


class CausalBlock(nn.Module):
    def __init__(self, dim=32, heads=4, max_len=16):
        super().__init__()
        self.attn = nn.MultiheadAttention(dim, heads, batch_first=True)  # expect: SC218
        mask = torch.triu(torch.ones(max_len, max_len, dtype=torch.bool), diagonal=1)
        self.register_buffer("mask", mask)

    def forward(self, x):
        out, _ = self.attn(x, x, x, attn_mask=self.mask)
        return x + out
