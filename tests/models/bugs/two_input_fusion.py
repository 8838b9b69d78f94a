"""A model with two inputs, an image and a vector of 12 tabular features; the tabular
branch was written for 10 features. Both inputs are declared in one comment."""

# shapecalc: input=2,3,32,32 input=2,12

import torch
import torch.nn as nn


class ImageTabular(nn.Module):
    def __init__(self):
        super().__init__()
        self.cnn = nn.Sequential(
            nn.Conv2d(3, 8, 3, 2, 1), nn.ReLU(), nn.AdaptiveAvgPool2d(1), nn.Flatten()
        )
        self.tab = nn.Linear(10, 8)  # expect: SC401
        self.head = nn.Linear(16, 2)

    def forward(self, image, features):
        return self.head(torch.cat([self.cnn(image), self.tab(features)], dim=1))
