"""Multi-task heads in an nn.ModuleDict, a dict comprehension over them, and the outputs
concatenated in key order."""

# shapecalc: input=2,3,32,32

import torch
import torch.nn as nn

TASKS = {"cls": 10, "box": 4, "obj": 1}


class MultiTask(nn.Module):
    def __init__(self):
        super().__init__()
        self.backbone = nn.Sequential(
            nn.Conv2d(3, 32, 3, 2, 1),
            nn.GroupNorm(8, 32),
            nn.ReLU(),
            nn.Conv2d(32, 64, 3, 2, 1),
            nn.GroupNorm(1, 64),
            nn.AdaptiveMaxPool2d(1),
            nn.Flatten(),
        )
        self.heads = nn.ModuleDict({name: nn.Linear(64, n) for name, n in TASKS.items()})

    def forward(self, x):
        feat = self.backbone(x)
        outs = {name: head(feat) for name, head in self.heads.items()}
        return torch.cat([outs[name] for name in TASKS], dim=-1)
