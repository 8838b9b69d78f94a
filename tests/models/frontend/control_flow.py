"""Forward code that torch.fx cannot trace: a branch on a size and a loop over a size. The
graph is recorded from one meta-tensor forward instead (SC001)."""

import torch.nn as nn
import torch.nn.functional as F


class SizeBranch(nn.Module):
    def __init__(self):
        super().__init__()
        self.conv = nn.Conv2d(3, 8, 3, padding=1)
        self.pool = nn.MaxPool2d(2)
        self.fc = nn.Linear(8, 4)

    def forward(self, x):
        x = self.conv(x)
        if x.shape[-1] > 64:
            x = self.pool(x)
        for _ in range(x.size(1) // 4):
            x = F.relu(x)
        x = x.mean(dim=(2, 3))
        return self.fc(x)
