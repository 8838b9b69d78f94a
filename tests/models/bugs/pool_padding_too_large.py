"""A CNN whose 'same-size' max pool uses padding=2 with a 3x3 window: PyTorch only allows
padding up to half the kernel."""

# shapecalc: input=2,3,32,32

import torch.nn as nn


class PoolNet(nn.Module):
    def __init__(self):
        super().__init__()
        self.conv1 = nn.Conv2d(3, 16, 3, padding=1)
        self.pool1 = nn.MaxPool2d(kernel_size=3, stride=1, padding=2)  # expect: SC103
        self.conv2 = nn.Conv2d(16, 32, 3, padding=1)
        self.pool2 = nn.AvgPool2d(2)
        self.fc = nn.Linear(32 * 17 * 17, 10)

    def forward(self, x):
        x = self.pool1(self.conv1(x).relu())
        x = self.pool2(self.conv2(x).relu())
        return self.fc(x.flatten(1))
