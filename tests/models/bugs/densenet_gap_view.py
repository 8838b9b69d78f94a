"""The seed's DenseNet head (section 8) with the global average pool replaced by a fixed
2x2 pool: on this input the map is 4x4 before the pool and 2x2 after, not the 1x1 the
flatten x.view(x.size(0), 64) assumes."""

# shapecalc: input=1,1,32,32

import torch.nn as nn
import torch.nn.functional as F


class DenseHead(nn.Module):
    def __init__(self):
        super().__init__()
        self.stem = nn.Conv2d(1, 64, 7, stride=2, padding=3)
        self.pool = nn.MaxPool2d(3, stride=2, padding=1)
        self.trans = nn.Conv2d(64, 64, 1)
        self.fc = nn.Linear(64, 10)

    def forward(self, x):
        x = self.pool(F.relu(self.stem(x)))
        x = F.avg_pool2d(self.trans(x), kernel_size=2, stride=2)
        x = F.avg_pool2d(x, kernel_size=2)
        x = x.view(x.size(0), 64)  # expect: SC402
        return self.fc(x)
