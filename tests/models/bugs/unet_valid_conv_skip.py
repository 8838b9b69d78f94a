"""A small U-Net with unpadded ('valid') convs, as in the original paper, but without the
crop of the skip connection: the encoder's 28x28 map is concatenated with a 20x20 one."""

# shapecalc: input=1,1,32,32

import torch
import torch.nn as nn


def double_conv(cin, cout):
    return nn.Sequential(
        nn.Conv2d(cin, cout, 3),
        nn.ReLU(inplace=True),
        nn.Conv2d(cout, cout, 3),
        nn.ReLU(inplace=True),
    )


class ValidUNet(nn.Module):
    def __init__(self):
        super().__init__()
        self.down1 = double_conv(1, 16)
        self.pool = nn.MaxPool2d(2)
        self.down2 = double_conv(16, 32)
        self.up = nn.ConvTranspose2d(32, 16, 2, stride=2)
        self.up1 = double_conv(32, 16)
        self.out = nn.Conv2d(16, 2, 1)

    def forward(self, x):
        skip = self.down1(x)
        x = self.down2(self.pool(skip))
        x = self.up(x)
        x = torch.cat([skip, x], dim=1)  # expect: SC302
        return self.out(self.up1(x))
