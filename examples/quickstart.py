"""The seed's conv unit with its fully connected head (SEED_NOTES.md sections 4 and 8).

shapecalc examples/quickstart.py
"""

import torch.nn as nn


class ConvUnit(nn.Module):
    def __init__(self):
        super().__init__()
        self.features = nn.Sequential(
            nn.Conv2d(3, 6, kernel_size=5, stride=1, padding=1),
            nn.MaxPool2d(kernel_size=2, stride=2, padding=0),
            nn.Conv2d(6, 6, kernel_size=5, stride=1, padding=1),
            nn.MaxPool2d(kernel_size=2, stride=1, padding=0),
        )
        self.flatten = nn.Flatten()
        self.fc = nn.Linear(6 * 12 * 12, 10)

    def forward(self, x):
        return self.fc(self.flatten(self.features(x)))
