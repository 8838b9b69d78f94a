"""The seed's BatchNorm1d example (section 5) on a sequence model: a Conv1d widens the 16
channels to 32, the BatchNorm1d after it still counts 16."""

# shapecalc: input=100,16,784

import torch.nn as nn


class SeqNorm(nn.Module):
    def __init__(self):
        super().__init__()
        self.conv = nn.Conv1d(16, 32, kernel_size=3, padding=1)
        self.bn = nn.BatchNorm1d(16)  # expect: SC203
        self.act = nn.ReLU()

    def forward(self, x):
        return self.act(self.bn(self.conv(x)))
