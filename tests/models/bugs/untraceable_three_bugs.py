"""A forward torch.fx cannot trace (it star-unpacks x.shape and loops over x.size()[1:], the
old tutorial's num_flat_features), so shapecalc records it at the declared size (SC001).
Three independent bugs: a cat of a map with its pooled self, a helper-built conv that
expects 32 channels, and a Linear sized 100 for 4096 features. torch stops at the first;
the recording goes on past it and finds the other two."""

# shapecalc: input=2,3,16,16

import torch
import torch.nn as nn
import torch.nn.functional as F


def conv_bn(i, o):
    return nn.Sequential(nn.Conv2d(i, o, 3, padding=1), nn.BatchNorm2d(o))  # expect: SC201


class Net(nn.Module):
    def __init__(self):
        super().__init__()
        self.a = conv_bn(3, 16)
        self.b = conv_bn(32, 16)
        self.fc = nn.Linear(100, 10)  # expect: SC401

    def forward(self, x):
        b, c, *spatial = x.shape  # expect: SC001
        x = self.a(x)
        y = torch.cat([x, F.max_pool2d(x, 2)], 1)  # expect: SC302
        x = self.b(x)
        n = 1
        for s in x.size()[1:]:
            n *= s
        return self.fc(x.view(-1, n)) + y.mean()
