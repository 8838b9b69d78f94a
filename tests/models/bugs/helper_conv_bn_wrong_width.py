"""A MobileNet-v1 style stem written with one-line helpers; the third call passes the width
of the block before last instead of the previous block's output. The conv is built on the
helper's line, so that is where the error belongs (the same line builds the good ones)."""

# shapecalc: input=2,3,64,64

import torch.nn as nn


# fmt: off
def conv_bn(i, o, s): return nn.Sequential(nn.Conv2d(i, o, 3, s, 1, bias=False), nn.BatchNorm2d(o), nn.ReLU(inplace=True))  # noqa: E501, E704  # expect: SC201
# fmt: on


def conv_dw(i, o, s):
    return nn.Sequential(
        nn.Conv2d(i, i, 3, s, 1, groups=i, bias=False),
        nn.BatchNorm2d(i),
        nn.ReLU(inplace=True),
        nn.Conv2d(i, o, 1, 1, 0, bias=False),
        nn.BatchNorm2d(o),
        nn.ReLU(inplace=True),
    )


class TinyMobileNet(nn.Module):
    def __init__(self, n_class=10):
        super().__init__()
        self.model = nn.Sequential(
            conv_bn(3, 32, 2),
            conv_dw(32, 64, 1),
            conv_bn(32, 128, 2),
            conv_dw(128, 128, 1),
            nn.AdaptiveAvgPool2d(1),
        )
        self.fc = nn.Linear(128, n_class)

    def forward(self, x):
        x = self.model(x)
        x = x.view(-1, 128)
        return self.fc(x)
