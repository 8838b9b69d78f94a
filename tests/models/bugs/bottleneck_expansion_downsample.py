"""A ResNet-50 style Bottleneck (expansion = 4) whose downsample projects to `planes`
instead of `planes * expansion`: the residual add sees 64 against 256 channels."""

# shapecalc: input=2,64,16,16

import torch.nn as nn


class Bottleneck(nn.Module):
    expansion = 4

    def __init__(self, inplanes, planes, stride=1, downsample=None):
        super().__init__()
        self.conv1 = nn.Conv2d(inplanes, planes, 1, bias=False)
        self.bn1 = nn.BatchNorm2d(planes)
        self.conv2 = nn.Conv2d(planes, planes, 3, stride, 1, bias=False)
        self.bn2 = nn.BatchNorm2d(planes)
        self.conv3 = nn.Conv2d(planes, planes * self.expansion, 1, bias=False)
        self.bn3 = nn.BatchNorm2d(planes * self.expansion)
        self.relu = nn.ReLU(inplace=True)
        self.downsample = downsample

    def forward(self, x):
        identity = x
        out = self.relu(self.bn1(self.conv1(x)))
        out = self.relu(self.bn2(self.conv2(out)))
        out = self.bn3(self.conv3(out))
        if self.downsample is not None:
            identity = self.downsample(x)
        out += identity  # expect: SC301
        return self.relu(out)


def make_layer(inplanes, planes, blocks, stride=1):
    downsample = nn.Sequential(
        nn.Conv2d(inplanes, planes, 1, stride, bias=False),
        nn.BatchNorm2d(planes),
    )
    layers = [Bottleneck(inplanes, planes, stride, downsample)]
    for _ in range(1, blocks):
        layers.append(Bottleneck(planes * Bottleneck.expansion, planes))
    return nn.Sequential(*layers)


class Stage(nn.Module):
    def __init__(self):
        super().__init__()
        self.layer1 = make_layer(64, 64, 2)

    def forward(self, x):
        return self.layer1(x)
