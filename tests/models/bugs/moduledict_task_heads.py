"""A multi-task model with its heads in an nn.ModuleDict literal spanning several lines;
the box head was sized for an older, narrower backbone."""

# shapecalc: input=2,3,32,32

import torch
import torch.nn as nn


class MultiTask(nn.Module):
    def __init__(self):
        super().__init__()
        self.backbone = nn.Sequential(
            nn.Conv2d(3, 64, 3, 2, 1),
            nn.ReLU(),
            nn.Conv2d(64, 256, 3, 2, 1),
            nn.AdaptiveAvgPool2d(1),
            nn.Flatten(),
        )
        self.heads = nn.ModuleDict(
            {
                "cls": nn.Linear(256, 10),
                "box": nn.Linear(128, 4),  # expect: SC401
                "obj": nn.Linear(256, 1),
            }
        )

    def forward(self, x):
        feat = self.backbone(x)
        outs = [head(feat) for head in self.heads.values()]
        return torch.cat(outs, dim=1)
