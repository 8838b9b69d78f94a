"""Model discovery: a module-level instance (and a part of it), a class that is a part of
another, a class that needs arguments, and factory functions."""

import torch.nn as nn


class Part(nn.Module):
    def __init__(self):
        super().__init__()
        self.fc = nn.Linear(8, 8)

    def forward(self, x):
        return self.fc(x)


class Whole(nn.Module):
    def __init__(self):
        super().__init__()
        self.inp = nn.Linear(4, 8)
        self.part = Part()

    def forward(self, x):
        return self.part(self.inp(x))


class NeedsArgs(nn.Module):
    def __init__(self, width, depth=2):
        super().__init__()
        self.layers = nn.Sequential(*[nn.Linear(width, width) for _ in range(depth)])

    def forward(self, x):
        return self.layers(x)


def make_model():
    return nn.Sequential(nn.Linear(6, 3), nn.ReLU())


def make_wide(width=8, classes=2):
    return nn.Sequential(nn.Linear(width, width * 2), nn.ReLU(), nn.Linear(width * 2, classes))


model = nn.Sequential(nn.Linear(10, 20), nn.ReLU(), nn.Linear(20, 2))
head = model[2]
