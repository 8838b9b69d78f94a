"""A DenseNet dense block (seed section 7) whose conv_block lost padding=1: the new
feature map is 2 pixels smaller than the input it is concatenated with (one bug, one fix,
one error: the later concatenations are not blamed again)."""

# shapecalc: input=4,3,8,8

import torch
import torch.nn as nn


def conv_block(cin, cout):
    return nn.Sequential(nn.BatchNorm2d(cin), nn.ReLU(), nn.Conv2d(cin, cout, kernel_size=3))


class DenseBlock(nn.Module):
    def __init__(self, num_convs=2, in_channels=3, growth=10):
        super().__init__()
        self.net = nn.ModuleList(
            [conv_block(in_channels + i * growth, growth) for i in range(num_convs)]
        )

    def forward(self, x):
        for blk in self.net:
            y = blk(x)
            x = torch.cat((x, y), dim=1)  # expect: SC302
        return x
