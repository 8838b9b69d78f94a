"""A 1-D CNN for time series with strided convs and pools, run on 32-step windows: after
the second pool the sequence has length 1 and the dilated conv's 5-step field doesn't fit."""

# shapecalc: input=8,4,32

import torch.nn as nn


class SeriesNet(nn.Module):
    def __init__(self):
        super().__init__()
        self.conv1 = nn.Conv1d(4, 16, 3, stride=2, padding=1)
        self.pool1 = nn.MaxPool1d(4)
        self.conv2 = nn.Conv1d(16, 16, 3, padding=1)
        self.pool2 = nn.MaxPool1d(4)
        self.conv3 = nn.Conv1d(16, 32, 3, dilation=2)  # expect: SC101
        self.head = nn.AdaptiveAvgPool1d(1)

    def forward(self, x):
        x = self.pool1(self.conv1(x).relu())
        x = self.pool2(self.conv2(x).relu())
        x = self.conv3(x).relu()
        return self.head(x).squeeze(-1)
