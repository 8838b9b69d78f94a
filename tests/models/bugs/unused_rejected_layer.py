"""A leftover layer the forward no longer calls: its arguments are invalid (8 groups do not
divide 12 channels), so PyTorch cannot even build the model, although every layer the
forward uses is fine."""

# shapecalc: input=2,3,16,16

import torch.nn as nn


class Classifier(nn.Module):
    def __init__(self):
        super().__init__()
        self.features = nn.Sequential(nn.Conv2d(3, 12, 3, padding=1), nn.ReLU())
        self.old_head = nn.Conv2d(12, 12, 3, groups=8)  # expect: SC002
        self.pool = nn.AdaptiveAvgPool2d(1)
        self.fc = nn.Linear(12, 10)

    def forward(self, x):
        return self.fc(self.pool(self.features(x)).flatten(1))
