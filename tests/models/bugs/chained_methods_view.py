"""Patch tokens computed in one parenthesised method chain across lines; the chain's view
splits 48 features into heads of 7. The error is on the line of the .view call."""

# shapecalc: input=2,3,16,16

import torch.nn as nn


class Tokens(nn.Module):
    def __init__(self):
        super().__init__()
        self.proj = nn.Conv2d(3, 48, 4, 4)

    def forward(self, x):
        b = x.shape[0]
        heads = (
            self.proj(x)
            .flatten(2)
            .transpose(1, 2)
            .reshape(b, 16, 4, 12)
            .permute(0, 2, 1, 3)
            .reshape(b, 4, 16, 7)  # expect: SC402
        )
        return heads.softmax(-1)
