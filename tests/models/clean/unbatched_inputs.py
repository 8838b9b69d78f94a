"""Unbatched inputs, which torch.nn layers accept: a conv on (C, H, W), a pool, a flatten of
everything and a Linear on a 1-D vector."""

# shapecalc: input=3,12,12

import torch
import torch.nn as nn


class Unbatched(nn.Module):
    def __init__(self):
        super().__init__()
        self.conv = nn.Conv2d(3, 4, 3)
        self.pool = nn.MaxPool2d(2)
        self.conv1d = nn.Conv1d(4, 2, 3, padding=1)
        self.fc = nn.Linear(2 * 25, 6)

    def forward(self, x):
        x = self.pool(self.conv(x))  # (4, 5, 5)
        x = self.conv1d(x.flatten(1))  # (2, 25)
        return torch.tanh(self.fc(x.flatten()))
