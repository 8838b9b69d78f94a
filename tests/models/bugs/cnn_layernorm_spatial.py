"""A small CNN normalising whole feature maps with LayerNorm([C, H, W]); the author sized
the second norm for the map before the pool (16x16) instead of after it (8x8)."""

# shapecalc: input=4,1,16,16

import torch.nn as nn


class LNConvNet(nn.Module):
    def __init__(self):
        super().__init__()
        self.conv1 = nn.Conv2d(1, 8, 3, padding=1)
        self.ln1 = nn.LayerNorm([8, 16, 16])
        self.pool = nn.MaxPool2d(2)
        self.conv2 = nn.Conv2d(8, 8, 3, padding=1)
        self.ln2 = nn.LayerNorm([8, 16, 16])  # expect: SC205
        self.fc = nn.Linear(8 * 8 * 8, 10)

    def forward(self, x):
        x = self.pool(self.ln1(self.conv1(x)).relu())
        x = self.ln2(self.conv2(x)).relu()
        return self.fc(x.flatten(1))
