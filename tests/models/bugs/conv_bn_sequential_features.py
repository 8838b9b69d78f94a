"""Conv-BN-ReLU blocks from a helper: the helper normalises with the block's *input* width
instead of its output width."""

# shapecalc: input=2,3,32,32

import torch.nn as nn


def conv_bn(cin, cout, stride=1):
    return nn.Sequential(
        nn.Conv2d(cin, cout, 3, stride=stride, padding=1, bias=False),
        nn.BatchNorm2d(cin),  # expect: SC203, SC203
        nn.ReLU(inplace=True),
    )


class ConvBNNet(nn.Module):
    def __init__(self):
        super().__init__()
        self.body = nn.Sequential(
            conv_bn(3, 16),
            conv_bn(16, 16),
            conv_bn(16, 32, stride=2),
        )
        self.head = nn.Sequential(nn.AdaptiveAvgPool2d(1), nn.Flatten(), nn.Linear(32, 10))

    def forward(self, x):
        return self.head(self.body(x))
