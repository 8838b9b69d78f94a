"""An Inception-style block concatenating its branches in a torch.cat call spread over
several lines; the pooling branch keeps the full 9x9 map (stride 2 forgotten in its
MaxPool) while the others are 5x5."""

# shapecalc: input=2,16,9,9

import torch
import torch.nn as nn


class ReductionBlock(nn.Module):
    def __init__(self, cin=16):
        super().__init__()
        self.b3 = nn.Conv2d(cin, 24, 3, stride=2, padding=1)
        self.b5 = nn.Sequential(
            nn.Conv2d(cin, 8, 1),
            nn.Conv2d(8, 16, 5, stride=2, padding=2),
        )
        self.pool = nn.MaxPool2d(3, stride=1, padding=1)

    def forward(self, x):
        return torch.cat(  # expect: SC302
            [
                self.b3(x),
                self.b5(x),
                self.pool(x),
            ],
            dim=1,
        )
