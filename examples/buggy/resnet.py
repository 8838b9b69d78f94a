"""A small ResNet with three independent shape bugs, for `shapecalc check` (README, "Checking
in CI"). Every one of them makes a real forward raise; shapecalc reports all three at once,
each at the line to change:

1. The shortcut's 1x1 projection forgot the block's stride: beside a main branch that halves
   the size it stays 32x32, and the residual add cannot broadcast (SC301, in forward).
2. layer3 is built for 64 input channels, but layer2 outputs 128 (SC201).
3. The classifier expects 512 features, but the network ends with 256 channels (SC401).

`shapecalc check --fix` rewrites the two literals (128, 256); the shortcut needs a human.
"""

# shapecalc: input=B,3,32,32

import torch
import torch.nn as nn
import torch.nn.functional as F


class Block(nn.Module):
    def __init__(self, in_channels: int, out_channels: int, stride: int = 1) -> None:
        super().__init__()
        self.conv1 = nn.Conv2d(in_channels, out_channels, 3, stride=stride, padding=1)
        self.conv2 = nn.Conv2d(out_channels, out_channels, 3, padding=1)
        self.shortcut = nn.Sequential()
        if in_channels != out_channels:
            self.shortcut = nn.Conv2d(in_channels, out_channels, 1)  # bug 1: no stride

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        out = self.conv2(F.relu(self.conv1(x)))
        return F.relu(out + self.shortcut(x))


class BuggyResNet(nn.Module):
    def __init__(self, num_classes: int = 10) -> None:
        super().__init__()
        self.stem = nn.Sequential(nn.Conv2d(3, 64, 3, padding=1), nn.ReLU())
        self.layer1 = Block(64, 64)
        self.layer2 = Block(64, 128, stride=2)
        self.layer3 = nn.Conv2d(64, 256, 3, stride=2, padding=1)  # bug 2: 128 channels arrive
        self.pool = nn.AdaptiveAvgPool2d(1)
        self.fc = nn.Linear(512, num_classes)  # bug 3: 256 features arrive

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        x = self.layer2(self.layer1(self.stem(x)))
        x = F.relu(self.layer3(x))
        return self.fc(torch.flatten(self.pool(x), 1))


if __name__ == "__main__":
    BuggyResNet()(torch.rand(2, 3, 32, 32))  # RuntimeError: the first of the three bugs
