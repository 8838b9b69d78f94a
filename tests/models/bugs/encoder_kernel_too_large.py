"""An encoder whose last conv has a 5x5 kernel and no padding, applied after three stride-2
downsamplings of a 24x24 input: the map is 3x3 by then."""

# shapecalc: input=2,1,24,24

import torch
import torch.nn as nn


class Encoder(nn.Module):
    def __init__(self):
        super().__init__()
        self.down = nn.Sequential(
            nn.Conv2d(1, 8, 4, stride=2, padding=1),
            nn.ReLU(),
            nn.Conv2d(8, 16, 4, stride=2, padding=1),
            nn.ReLU(),
            nn.Conv2d(16, 32, 4, stride=2, padding=1),
            nn.ReLU(),
        )
        self.final = nn.Conv2d(32, 64, kernel_size=5)  # expect: SC101

    def forward(self, x):
        x = self.final(self.down(x))
        return torch.flatten(x, 1)
