"""A Linear after a flatten pins the input size: at symbolic sizes that is a condition on H
and W, not an error; at a size that breaks it, an error."""

# shapecalc: input=B,3,H,W

import torch
import torch.nn as nn


class SymbolicFC(nn.Module):
    def __init__(self) -> None:
        super().__init__()
        self.conv = nn.Conv2d(3, 6, 5)
        self.fc = nn.Linear(6 * 28 * 28, 10)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return self.fc(torch.flatten(self.conv(x), 1))
