"""A torchvision-style dense block: each layer concatenates the list of all earlier
feature maps, and the block returns the concatenation of all of them. The 3x3 conv of the
dense layer lost its padding, so the first new map is 14x14 beside 16x16 ones; torch stops
at the next layer's concatenation, and that is the one error (the same map is concatenated
again by later layers and at the end of the block)."""

# shapecalc: input=2,16,16,16

import torch
import torch.nn as nn
import torch.nn.functional as F


class DenseLayer(nn.Module):
    def __init__(self, cin, growth=8, bn_size=4):
        super().__init__()
        self.norm1 = nn.BatchNorm2d(cin)
        self.conv1 = nn.Conv2d(cin, bn_size * growth, 1, bias=False)
        self.norm2 = nn.BatchNorm2d(bn_size * growth)
        self.conv2 = nn.Conv2d(bn_size * growth, growth, 3, bias=False)

    def forward(self, features):
        x = torch.cat(features, 1)  # expect: SC302
        x = self.conv1(F.relu(self.norm1(x)))
        return self.conv2(F.relu(self.norm2(x)))


class DenseBlock(nn.Module):
    def __init__(self, layers=3, cin=16, growth=8):
        super().__init__()
        self.layers = nn.ModuleList([DenseLayer(cin + i * growth, growth) for i in range(layers)])

    def forward(self, x):
        features = [x]
        for layer in self.layers:
            features.append(layer(features))
        return torch.cat(features, 1)
