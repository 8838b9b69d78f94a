"""A 1-D signal classifier: 24 channels of a strided Conv1d flattened into a Linear with
in_features=500, which 24 * L' never equals; and a GroupNorm over 48 channels of a
24-channel map. Both are errors at any length L."""

# shapecalc: input=2,1,128
# check-symbolic: B,1,L

import torch.nn as nn


class SignalNet(nn.Module):
    def __init__(self):
        super().__init__()
        self.conv = nn.Conv1d(1, 24, kernel_size=8, stride=4)
        self.norm = nn.GroupNorm(1, 48)  # expect: SC204
        self.fc = nn.Linear(500, 3)  # expect: SC401

    def forward(self, x):
        h = self.norm(self.conv(x).relu())
        return self.fc(h.flatten(1))
