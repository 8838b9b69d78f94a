"""A generic Residual wrapper (x + fn(x)) around a block that widens the channels: the add
in the wrapper's forward is where torch fails, for the one wrapped block that is wrong."""

# shapecalc: input=2,16,8,8

import torch.nn as nn


class Residual(nn.Module):
    def __init__(self, fn):
        super().__init__()
        self.fn = fn

    def forward(self, x):
        return x + self.fn(x)  # expect: SC301


def block(cin, cout):
    return nn.Sequential(nn.Conv2d(cin, cout, 3, padding=1), nn.BatchNorm2d(cout), nn.ReLU())


net = nn.Sequential(
    Residual(block(16, 16)),
    Residual(block(16, 32)),
    nn.Conv2d(32, 32, 1),
)
