"""A token + position embedding whose position ids come from torch.arange with a float
step: nn.Embedding needs integer indices."""

# shapecalc: input=2,12:int64

import torch
import torch.nn as nn


class Embed(nn.Module):
    def __init__(self, vocab=100, max_len=32, dim=24):
        super().__init__()
        self.tok = nn.Embedding(vocab, dim)
        self.pos = nn.Embedding(max_len, dim)  # expect: SC207

    def forward(self, ids):
        positions = torch.arange(0, ids.size(1), 1.0)
        return self.tok(ids) + self.pos(positions)
