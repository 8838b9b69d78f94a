"""A text CNN smoothing its feature sequence with F.avg_pool1d(kernel_size=2, padding=2):
padding larger than half the window, which PyTorch rejects when the pool runs."""

# shapecalc: input=4,20,50

import torch
import torch.nn as nn
import torch.nn.functional as F


class TextCNN(nn.Module):
    def __init__(self):
        super().__init__()
        self.conv = nn.Conv1d(20, 32, 5, padding=2)
        self.fc = nn.Linear(32, 2)

    def forward(self, x):
        x = torch.relu(self.conv(x))
        x = F.avg_pool1d(x, kernel_size=2, stride=2, padding=2)  # expect: SC103
        x = x.amax(dim=-1)
        return self.fc(x)
