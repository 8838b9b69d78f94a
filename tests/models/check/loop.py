"""A literal inside a loop that is right for some layers built there and wrong for others:
--fix must not rewrite it (no single value is right)."""

# shapecalc: input=B,3,8,8

import torch
import torch.nn as nn


class Loop(nn.Module):
    def __init__(self) -> None:
        super().__init__()
        self.convs = nn.ModuleList()
        for _ in range(3):
            self.convs.append(nn.Conv2d(16, 16, 3, padding=1))

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        for conv in self.convs:
            x = conv(x)
        return x
