"""One-line conv_bn / conv_dw helpers (MobileNet v1), a functools.partial conv, and a
classifier head from a factory: all called with the right widths."""

# shapecalc: input=2,3,64,64
# check-symbolic: B,3,H,W

from functools import partial

import torch.nn as nn

conv1x1 = partial(nn.Conv2d, kernel_size=1, bias=False)


# fmt: off
def conv_bn(i, o, s): return nn.Sequential(nn.Conv2d(i, o, 3, s, 1, bias=False), nn.BatchNorm2d(o), nn.ReLU(inplace=True))  # noqa: E501, E704
# fmt: on


def conv_dw(i, o, s):
    return nn.Sequential(
        nn.Conv2d(i, i, 3, s, 1, groups=i, bias=False),
        nn.BatchNorm2d(i),
        nn.ReLU(inplace=True),
        conv1x1(i, o),
        nn.BatchNorm2d(o),
        nn.ReLU(inplace=True),
    )


def make_head(channels, classes, grid=2):
    return nn.Sequential(
        nn.AdaptiveAvgPool2d(grid), nn.Flatten(), nn.Linear(channels * grid * grid, classes)
    )


class MobileNetV1(nn.Module):
    def __init__(self):
        super().__init__()
        self.body = nn.Sequential(
            conv_bn(3, 16, 2), conv_dw(16, 32, 1), conv_dw(32, 64, 2), conv_dw(64, 64, 1)
        )
        self.head = make_head(64, 10)

    def forward(self, x):
        return self.head(self.body(x))
