"""A hand-rolled conv net using F.conv2d with its own weight parameters: the second weight
is shaped for 8 input channels but the first conv produces 16."""

# shapecalc: input=1,3,16,16

import torch
import torch.nn as nn
import torch.nn.functional as F


class FunctionalNet(nn.Module):
    def __init__(self):
        super().__init__()
        self.w1 = nn.Parameter(torch.randn(16, 3, 3, 3))
        self.w2 = nn.Parameter(torch.randn(32, 8, 3, 3))

    def forward(self, x):
        x = F.relu(F.conv2d(x, self.w1, padding=1))
        x = F.relu(F.conv2d(x, self.w2, padding=1))  # expect: SC201
        return x
