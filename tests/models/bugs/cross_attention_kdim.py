"""Cross-attention from 64-dim queries to 96-dim image features with a
MultiheadAttention declared with embed_dim=64 only (kdim / vdim left at their default)."""

# shapecalc: input=2,5,64 input=2,49,96

import torch.nn as nn


class CrossAttend(nn.Module):
    def __init__(self):
        super().__init__()
        self.attn = nn.MultiheadAttention(64, 8, batch_first=True)  # expect: SC215
        self.norm = nn.LayerNorm(64)

    def forward(self, queries, image):
        out, _ = self.attn(queries, image, image)
        return self.norm(queries + out)
