"""Ensemble of classifier heads stacked before averaging; one head was built with 11
classes instead of 10."""

# shapecalc: input=4,128

import torch
import torch.nn as nn


class Ensemble(nn.Module):
    def __init__(self, dim=128, num_classes=10):
        super().__init__()
        self.heads = nn.ModuleList(
            [nn.Linear(dim, num_classes), nn.Linear(dim, num_classes), nn.Linear(dim, 11)]
        )

    def forward(self, x):
        logits = torch.stack([head(x) for head in self.heads], dim=1)  # expect: SC303
        return logits.mean(dim=1)
