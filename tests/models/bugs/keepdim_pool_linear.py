"""Global pooling with keepdim=True left in (from an SE block) before the classifier:
the Linear sees (B, 64, 1, 1) whose last dimension is 1."""

# shapecalc: input=2,3,16,16

import torch.nn as nn


class Classifier(nn.Module):
    def __init__(self):
        super().__init__()
        self.body = nn.Sequential(nn.Conv2d(3, 64, 3, 2, 1), nn.ReLU(), nn.Conv2d(64, 64, 3, 1, 1))
        self.fc = nn.Linear(64, 10)  # expect: SC401

    def forward(self, x):
        x = self.body(x).mean(dim=(2, 3), keepdim=True)
        return self.fc(x)
