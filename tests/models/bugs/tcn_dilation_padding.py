"""A TCN whose residual blocks are built from a list of dilations; the padding is set to
the dilation, which keeps the length for kernel 3 but not for kernel 5: the residual add
sees the sequence shortened."""

# shapecalc: input=2,8,64

import torch.nn as nn


class TemporalBlock(nn.Module):
    def __init__(self, channels, kernel, dilation):
        super().__init__()
        self.conv = nn.Conv1d(channels, channels, kernel, padding=dilation, dilation=dilation)
        self.act = nn.ReLU()

    def forward(self, x):
        return x + self.act(self.conv(x))  # expect: SC301


class TCN(nn.Module):
    def __init__(self, channels=8, kernels=(3, 3, 5), dilations=(1, 2, 4)):
        super().__init__()
        self.blocks = nn.Sequential(
            *[TemporalBlock(channels, k, d) for k, d in zip(kernels, dilations)]
        )

    def forward(self, x):
        return self.blocks(x)
