"""An ESPCN super-resolution net for 3x upscaling: PixelShuffle(3) needs a multiple of
3*3 = 9 channels (3 colours: 27), but the last conv was written for 2x upscaling (3*4)."""

# shapecalc: input=1,3,16,16

import torch
import torch.nn as nn


class ESPCN(nn.Module):
    def __init__(self, scale=3):
        super().__init__()
        self.body = nn.Sequential(
            nn.Conv2d(3, 32, 5, padding=2),
            nn.Tanh(),
            nn.Conv2d(32, 16, 3, padding=1),
            nn.Tanh(),
            nn.Conv2d(16, 3 * 4, 3, padding=1),
        )
        self.shuffle = nn.PixelShuffle(scale)  # expect: SC105

    def forward(self, x):
        return torch.sigmoid(self.shuffle(self.body(x)))
