"""An Inception module whose pooling branch uses a 3x3 max pool without padding: its
output is 2 pixels smaller than the other three branches at the channel concat."""

# shapecalc: input=2,64,14,14

import torch
import torch.nn as nn
import torch.nn.functional as F


class Inception(nn.Module):
    def __init__(self, cin=64):
        super().__init__()
        self.b1 = nn.Conv2d(cin, 16, 1)
        self.b3_reduce = nn.Conv2d(cin, 16, 1)
        self.b3 = nn.Conv2d(16, 24, 3, padding=1)
        self.b5_reduce = nn.Conv2d(cin, 8, 1)
        self.b5 = nn.Conv2d(8, 8, 5, padding=2)
        self.pool_proj = nn.Conv2d(cin, 8, 1)

    def forward(self, x):
        y1 = F.relu(self.b1(x))
        y2 = F.relu(self.b3(F.relu(self.b3_reduce(x))))
        y3 = F.relu(self.b5(F.relu(self.b5_reduce(x))))
        y4 = F.relu(self.pool_proj(F.max_pool2d(x, 3, stride=1)))
        return torch.cat([y1, y2, y3, y4], 1)  # expect: SC302
