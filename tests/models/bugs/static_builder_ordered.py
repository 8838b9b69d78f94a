"""Stages built by a staticmethod returning an OrderedDict Sequential over several lines,
a nested helper function inside __init__, and a lambda factory; the last stage's
norm is too narrow. The layer is constructed on the lambda's line: that is where the error is
reported (the line that constructed the offending layer)."""

# shapecalc: input=2,3,16,16

from collections import OrderedDict

import torch.nn as nn


class Net(nn.Module):
    def __init__(self):
        super().__init__()

        def act():
            return nn.LeakyReLU(0.1)

        bn = lambda c: nn.BatchNorm2d(c)  # noqa: E731  # expect: SC203
        self.stem = self.stage(3, 16)
        self.mid = nn.Sequential(nn.Conv2d(16, 24, 3, padding=1), bn(24), act())
        self.last = nn.Sequential(nn.Conv2d(24, 32, 3, padding=1), bn(16), act())

    @staticmethod
    def stage(cin, cout):
        return nn.Sequential(
            OrderedDict(
                [
                    ("conv", nn.Conv2d(cin, cout, 3, padding=1, bias=False)),
                    ("norm", nn.BatchNorm2d(cout)),
                    ("act", nn.ReLU()),
                ]
            )
        )

    def forward(self, x):
        return self.last(self.mid(self.stem(x)))
