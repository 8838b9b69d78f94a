"""A 1-D CNN over a (batch, time, features) sequence that forgot to move the features to
dim 1: Conv1d(20, ...) sees the 50 time steps as channels."""

# shapecalc: input=8,50,20

import torch.nn as nn


class SeqCNN(nn.Module):
    def __init__(self, features=20, hidden=32):
        super().__init__()
        self.conv = nn.Conv1d(features, hidden, kernel_size=3, padding=1)  # expect: SC201
        self.pool = nn.AdaptiveMaxPool1d(1)
        self.fc = nn.Linear(hidden, 2)

    def forward(self, x):
        x = self.conv(x).relu()  # should be self.conv(x.transpose(1, 2))
        return self.fc(self.pool(x).squeeze(-1))
