"""A forward that guards against NaNs with a branch on tensor values: torch.fx cannot trace
it and meta tensors have no values, so shapecalc records it from a CPU forward of zeros
(SC001). The bug after the guard is still found: the classifier's in_features."""

# shapecalc: input=2,3,16,16

import torch
import torch.nn as nn


class Guarded(nn.Module):
    def __init__(self):
        super().__init__()
        self.features = nn.Sequential(nn.Conv2d(3, 16, 3, 2, 1), nn.ReLU(), nn.MaxPool2d(2))
        self.classifier = nn.Linear(16 * 8 * 8, 10)  # expect: SC401

    def forward(self, x):
        if torch.isnan(x).any():  # expect: SC001
            x = torch.nan_to_num(x)
        return self.classifier(self.features(x).flatten(1))
