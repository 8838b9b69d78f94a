"""Forwards that unpack traced sizes: ``b, c, *s = x.shape``, ``*y.size()[2:]`` and a loop
over the spatial sizes (torch.fx alone cannot iterate a size of unknown length)."""

# shapecalc: input=2,8,12,10

import torch
import torch.nn as nn


class Unpacked(nn.Module):
    def __init__(self):
        super().__init__()
        self.conv = nn.Conv2d(8, 16, 3, padding=1)
        self.pool = nn.MaxPool2d(2)
        self.fc = nn.Linear(16, 4)

    def forward(self, x):
        b, c, *spatial = x.shape
        y = self.pool(self.conv(x))
        y = y.view(b, 16, *y.size()[2:])
        n = 1
        for d in y.size()[2:]:
            n = n * d
        z = y.reshape(b, 16, n).mean(-1)
        return torch.cat([self.fc(z), x.new_zeros(b, len(spatial))], 1)
