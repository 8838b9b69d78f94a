"""Layers whose arguments PyTorch rejects when the model is built. shapecalc keeps them as
shells, reports each at its constructing line, and analyses the rest of the model."""

import torch.nn as nn


class Rejected(nn.Module):
    def __init__(self):
        super().__init__()
        self.conv1 = nn.Conv2d(3, 8, 3, groups=2)
        self.conv2 = nn.Conv2d(8, 16, 3, padding="same", stride=2)
        self.fc = nn.Linear(16, 10)

    def forward(self, x):
        x = self.conv2(self.conv1(x))
        x = x.mean(dim=(2, 3))
        return self.fc(x)
