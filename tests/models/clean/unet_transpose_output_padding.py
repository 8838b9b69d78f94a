"""A U-Net decoder with 3x3 stride-2 transposed convs that restore even sizes with
output_padding=1, a kernel-2 transposed conv, and skips concatenated on channels."""

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
        self.enc1, self.enc2, self.bottom = (
            double_conv(3, 16),
            double_conv(16, 32),
            double_conv(32, 64),
        )
        self.up2 = nn.ConvTranspose2d(64, 32, 3, stride=2, padding=1, output_padding=1)
        self.dec2 = double_conv(64, 32)
        self.up1 = nn.ConvTranspose2d(32, 16, 2, stride=2)
        self.dec1 = double_conv(32, 16)
        self.pool = nn.MaxPool2d(2)
        self.out = nn.Conv2d(16, 2, 1)

    def forward(self, x):
        s1 = self.enc1(x)
        s2 = self.enc2(self.pool(s1))
        b = self.bottom(self.pool(s2))
        d2 = self.dec2(torch.cat([self.up2(b), s2], dim=1))
        d1 = self.dec1(torch.cat((self.up1(d2), s1), 1))
        return self.out(d1)
