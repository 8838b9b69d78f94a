"""BatchNorm1d applied to transformer-style (batch, tokens, features) activations: it
normalises dim 1, the 20 tokens, not the 64 features it was built for."""

# shapecalc: input=4,20,32

import torch.nn as nn


class TokenMLP(nn.Module):
    def __init__(self, dim=32, hidden=64):
        super().__init__()
        self.fc1 = nn.Linear(dim, hidden)
        self.bn = nn.BatchNorm1d(hidden)  # expect: SC203
        self.fc2 = nn.Linear(hidden, dim)

    def forward(self, x):
        x = self.bn(self.fc1(x)).relu()  # should be self.bn(h.transpose(1, 2)).transpose(1, 2)
        return self.fc2(x)
