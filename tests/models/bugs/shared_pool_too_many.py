"""One MaxPool2d instance reused after every stage of a loop over a ModuleList: the fifth
use sees a 1x1 map. The pool is built once, on one line; that line is the error's."""

# shapecalc: input=2,3,16,16

import torch.nn as nn


class Net(nn.Module):
    def __init__(self, widths=(8, 16, 32, 64, 64)):
        super().__init__()
        self.pool = nn.MaxPool2d(2)  # expect: SC101
        self.stages = nn.ModuleList()
        cin = 3
        for w in widths:
            self.stages.append(nn.Conv2d(cin, w, 3, padding=1))
            cin = w

    def forward(self, x):
        for stage in self.stages:
            x = self.pool(stage(x).relu())
        return x.flatten(1)
