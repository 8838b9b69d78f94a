"""Deep supervision: the outputs of every stage are collected in a loop and stacked,
without resizing them to a common size."""

# shapecalc: input=2,3,16,16

import torch
import torch.nn as nn


class DeepSup(nn.Module):
    def __init__(self):
        super().__init__()
        self.stages = nn.ModuleList(
            [nn.Conv2d(3, 4, 3, padding=1), nn.Conv2d(4, 4, 3, stride=2, padding=1)]
        )

    def forward(self, x):
        outs = []
        for stage in self.stages:
            x = stage(x)
            outs.append(x)
        return torch.stack(outs, dim=1).mean(1)  # expect: SC303
