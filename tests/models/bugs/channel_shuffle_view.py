"""A ShuffleNet channel shuffle with 3 groups applied to a 32-channel map: view cannot
split 32 channels into 3 groups."""

# shapecalc: input=2,16,8,8

import torch
import torch.nn as nn


def channel_shuffle(x, groups):
    b, c, h, w = x.size()
    x = x.view(b, groups, c // groups, h, w)  # expect: SC402
    return torch.transpose(x, 1, 2).contiguous().view(b, -1, h, w)


class ShuffleUnit(nn.Module):
    def __init__(self, cin=16, cout=32, groups=3):
        super().__init__()
        self.groups = groups
        self.conv = nn.Conv2d(cin, cout, 1)
        self.dw = nn.Conv2d(cout, cout, 3, padding=1, groups=cout)

    def forward(self, x):
        return self.dw(channel_shuffle(self.conv(x), self.groups))
