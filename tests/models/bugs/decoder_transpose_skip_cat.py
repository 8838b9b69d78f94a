"""A U-Net decoder step that upsamples with a 3x3 stride-2 transposed conv and padding 1
but no output_padding: 8x8 becomes 15x15, which cannot be concatenated with the 16x16
skip connection."""

# shapecalc: input=2,3,32,32

import torch
import torch.nn as nn


def double_conv(cin, cout):
    return nn.Sequential(
        nn.Conv2d(cin, cout, 3, padding=1), nn.ReLU(), nn.Conv2d(cout, cout, 3, padding=1)
    )


class MiniUNet(nn.Module):
    def __init__(self):
        super().__init__()
        self.enc1 = double_conv(3, 16)
        self.enc2 = double_conv(16, 32)
        self.bottom = double_conv(32, 64)
        self.up2 = nn.ConvTranspose2d(64, 32, 3, stride=2, padding=1)
        self.dec2 = double_conv(64, 32)
        self.up1 = nn.ConvTranspose2d(32, 16, 2, stride=2)
        self.dec1 = double_conv(32, 16)
        self.pool = nn.MaxPool2d(2)

    def forward(self, x):
        s1 = self.enc1(x)
        s2 = self.enc2(self.pool(s1))
        b = self.bottom(self.pool(s2))
        d2 = self.dec2(torch.cat([self.up2(b), s2], dim=1))  # expect: SC302
        d1 = self.dec1(torch.cat([self.up1(d2), s1], dim=1))
        return d1
