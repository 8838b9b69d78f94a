"""Convs made through functools.partial (a common way to fix kernel and padding) and
modules registered with setattr in a loop; the decoder's partial is given the encoder's
widths in the wrong order."""

# shapecalc: input=2,3,16,16

from functools import partial

import torch.nn as nn

conv3x3 = partial(nn.Conv2d, kernel_size=3, padding=1, bias=False)


class AutoEncoder(nn.Module):
    def __init__(self, widths=(3, 16, 32)):
        super().__init__()
        for i, (a, b) in enumerate(zip(widths[:-1], widths[1:])):
            setattr(self, f"enc{i}", nn.Sequential(conv3x3(a, b), nn.ReLU()))
        self.dec0 = conv3x3(32, 16)
        self.dec1 = conv3x3(32, 3)  # expect: SC201

    def forward(self, x):
        x = self.enc1(self.enc0(x))
        return self.dec1(self.dec0(x).relu())
