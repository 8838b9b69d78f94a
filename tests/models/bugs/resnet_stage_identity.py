"""A ResNet-18-like stage transition: the first block of the stage doubles the channels but
the shortcut is the identity (downsample left as None)."""

# shapecalc: input=2,64,16,16

import torch.nn as nn


class BasicBlock(nn.Module):
    def __init__(self, cin, cout, downsample=None):
        super().__init__()
        self.conv1 = nn.Conv2d(cin, cout, 3, padding=1, bias=False)
        self.bn1 = nn.BatchNorm2d(cout)
        self.conv2 = nn.Conv2d(cout, cout, 3, padding=1, bias=False)
        self.bn2 = nn.BatchNorm2d(cout)
        self.relu = nn.ReLU(inplace=True)
        self.downsample = downsample

    def forward(self, x):
        identity = x
        out = self.relu(self.bn1(self.conv1(x)))
        out = self.bn2(self.conv2(out))
        if self.downsample is not None:
            identity = self.downsample(x)
        out += identity  # expect: SC301
        return self.relu(out)


class Stage(nn.Module):
    def __init__(self):
        super().__init__()
        self.layer1 = nn.Sequential(BasicBlock(64, 64), BasicBlock(64, 64))
        self.layer2 = nn.Sequential(BasicBlock(64, 128), BasicBlock(128, 128))

    def forward(self, x):
        return self.layer2(self.layer1(x))
