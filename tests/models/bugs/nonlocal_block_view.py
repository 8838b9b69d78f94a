"""A non-local block inside a Sequential: the attention output is viewed back with the
block's full width c instead of the reduced inter-channel width (c // 2)."""

# shapecalc: input=2,3,24,24

import torch
import torch.nn as nn
import torch.nn.functional as F


class NonLocal(nn.Module):
    def __init__(self, c):
        super().__init__()
        self.inter = c // 2
        self.theta = nn.Conv2d(c, self.inter, 1)
        self.phi = nn.Conv2d(c, self.inter, 1)
        self.g = nn.Conv2d(c, self.inter, 1)
        self.w = nn.Conv2d(self.inter, c, 1)

    def forward(self, x):
        b, c, h, w = x.size()
        theta = self.theta(x).view(b, self.inter, -1).permute(0, 2, 1)
        phi = self.phi(x).view(b, self.inter, -1)
        attn = F.softmax(torch.bmm(theta, phi), dim=-1)
        g = self.g(x).view(b, self.inter, -1).permute(0, 2, 1)
        y = torch.bmm(attn, g).permute(0, 2, 1).contiguous().view(b, c, h, w)  # expect: SC402
        return x + self.w(y)


backbone = nn.Sequential(
    nn.Conv2d(3, 16, 3, padding=1),
    nn.ReLU(),
    nn.MaxPool2d(2),
    NonLocal(16),
    nn.Conv2d(16, 32, 3, stride=2, padding=1),
)
