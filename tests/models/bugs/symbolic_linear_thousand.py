"""A small CNN whose classifier was given in_features=1000 (a number from another model):
16 * (H // 4) * (W // 4) is a multiple of 16 and is never 1000, so no input size fixes it;
shapecalc reports it at the symbolic input B,3,H,W too, not only at 32x32."""

# shapecalc: input=2,3,32,32
# check-symbolic: B,3,H,W

import torch.nn as nn


class SmallCNN(nn.Module):
    def __init__(self):
        super().__init__()
        self.features = nn.Sequential(
            nn.Conv2d(3, 8, 3, padding=1),
            nn.ReLU(),
            nn.MaxPool2d(2),
            nn.Conv2d(8, 16, 3, padding=1),
            nn.ReLU(),
            nn.MaxPool2d(2),
        )
        self.classifier = nn.Linear(1000, 10)  # expect: SC401

    def forward(self, x):
        return self.classifier(self.features(x).flatten(1))
