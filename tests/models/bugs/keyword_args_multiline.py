"""A conv constructed with keyword arguments over several lines: its in_channels is the
wrong one. torch and shapecalc both point at the line the call starts on."""

# shapecalc: input=2,3,16,16

import torch.nn as nn


class Net(nn.Module):
    def __init__(self):
        super().__init__()
        self.a = nn.Conv2d(3, 32, 3, padding=1)
        self.b = nn.Conv2d(  # expect: SC201
            in_channels=16,
            out_channels=64,
            kernel_size=3,
            padding=1,
        )

    def forward(self, x):
        return self.b(self.a(x))
