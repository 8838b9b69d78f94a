"""padding='same' combined with stride 2 in a downsampling conv: torch refuses to build
it."""

# shapecalc: input=2,3,32,32

import torch.nn as nn


class Down(nn.Module):
    def __init__(self):
        super().__init__()
        self.conv1 = nn.Conv2d(3, 16, 3, padding="same")
        self.conv2 = nn.Conv2d(16, 32, 3, stride=2, padding="same")  # expect: SC106

    def forward(self, x):
        return self.conv2(self.conv1(x))
