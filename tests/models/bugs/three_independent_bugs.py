"""A small ResNet-style classifier with three independent bugs: the stem's BatchNorm has
the wrong width, the second block's first conv expects the wrong number of channels, and
the classifier's Linear has the wrong in_features. torch stops at the first; shapecalc
reports all three, and nothing else."""

# shapecalc: input=2,3,32,32

import torch
import torch.nn as nn
import torch.nn.functional as F


class Block(nn.Module):
    def __init__(self, cin, cout, stride=1):
        super().__init__()
        self.conv1 = nn.Conv2d(cin, cout, 3, stride=stride, padding=1, bias=False)
        self.bn1 = nn.BatchNorm2d(cout)
        self.conv2 = nn.Conv2d(cout, cout, 3, padding=1, bias=False)
        self.bn2 = nn.BatchNorm2d(cout)
        self.shortcut = nn.Sequential()
        if stride != 1 or cin != cout:
            self.shortcut = nn.Sequential(
                nn.Conv2d(cin, cout, 1, stride=stride, bias=False), nn.BatchNorm2d(cout)
            )

    def forward(self, x):
        out = F.relu(self.bn1(self.conv1(x)))
        out = self.bn2(self.conv2(out))
        return F.relu(out + self.shortcut(x))


class Classifier(nn.Module):
    def __init__(self):
        super().__init__()
        self.stem = nn.Conv2d(3, 32, 3, padding=1, bias=False)
        self.bn = nn.BatchNorm2d(16)  # expect: SC203
        self.block1 = Block(32, 32)
        self.conv = nn.Conv2d(64, 64, 3, stride=2, padding=1, bias=False)  # expect: SC201
        self.block2 = Block(64, 128, stride=2)
        self.pool = nn.AdaptiveAvgPool2d(2)
        self.fc = nn.Linear(128, 10)  # expect: SC401

    def forward(self, x):
        x = F.relu(self.bn(self.stem(x)))
        x = F.relu(self.conv(self.block1(x)))
        x = self.block2(x)
        x = torch.flatten(self.pool(x), 1)
        return self.fc(x)
