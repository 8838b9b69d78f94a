"""An MLP-Mixer-like token block: the channel MLP projects back to the wrong width (its
last Linear outputs the hidden size), so the residual add cannot broadcast."""

# shapecalc: input=2,16,48

import torch.nn as nn


class MixerBlock(nn.Module):
    def __init__(self, tokens=16, dim=48, hidden=96):
        super().__init__()
        self.norm1 = nn.LayerNorm(dim)
        self.token_mlp = nn.Sequential(nn.Linear(tokens, tokens), nn.GELU())
        self.norm2 = nn.LayerNorm(dim)
        self.channel_mlp = nn.Sequential(
            nn.Linear(dim, hidden), nn.GELU(), nn.Linear(hidden, hidden)
        )

    def forward(self, x):
        x = x + self.token_mlp(self.norm1(x).transpose(1, 2)).transpose(1, 2)
        x = x + self.channel_mlp(self.norm2(x))  # expect: SC301
        return x
