"""A LeNet-style net on 30x30 inputs: after a 5x5 conv the map is 26x26, the first pool
halves it to 13x13, and the second 2x2 pool on 13x13 silently drops the last row and
column."""

# shapecalc: input=2,1,30,30

import torch.nn as nn


class OddLeNet(nn.Module):
    def __init__(self):
        super().__init__()
        self.conv1 = nn.Conv2d(1, 6, 5)
        self.pool1 = nn.MaxPool2d(2)
        self.conv2 = nn.Conv2d(6, 16, 1)
        self.pool2 = nn.MaxPool2d(2)  # expect: SC110
        self.fc = nn.Linear(16 * 6 * 6, 10)

    def forward(self, x):
        x = self.pool1(self.conv1(x).relu())
        x = self.pool2(self.conv2(x).relu())
        return self.fc(x.flatten(1))
