"""MNIST digits fed as (batch, 28, 28) tensors without their channel dim: Conv2d takes the
3-D tensor as one unbatched image with 8 channels. One error, at the conv: the Linear
after it is right for the (8, 1, 28, 28) batch the author meant."""

# shapecalc: input=8,28,28

import torch.nn as nn


class DigitNet(nn.Module):
    def __init__(self):
        super().__init__()
        self.conv = nn.Conv2d(1, 4, 3)  # expect: SC201
        self.pool = nn.MaxPool2d(2)
        self.fc = nn.Linear(4 * 13 * 13, 10)

    def forward(self, x):
        x = self.pool(self.conv(x).relu())
        return self.fc(x.flatten(1))
