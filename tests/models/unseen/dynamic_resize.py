"""Control flow on sizes: resize only when the input is not the expected size; a loop over
getattr'd stages; torch.stack of branch outputs summed; checkpointed block."""

# shapecalc: input=2,3,40,40

import torch
import torch.nn as nn
import torch.nn.functional as F


class MultiScale(nn.Module):
    def __init__(self, size=32, num_classes=10):
        super().__init__()
        self.size = size
        for i, (cin, cout) in enumerate([(3, 16), (16, 32), (32, 64)]):
            setattr(self, f"stage{i}", nn.Sequential(nn.Conv2d(cin, cout, 3, 2, 1), nn.ReLU()))
        self.branches = nn.ModuleList([nn.Conv2d(64, 64, 3, padding=d, dilation=d) for d in (1, 2)])
        self.fc = nn.Linear(64, num_classes)

    def forward(self, x):
        if x.size(-1) != self.size or x.size(-2) != self.size:
            x = F.interpolate(x, size=(self.size, self.size), mode="bilinear", align_corners=False)
        for i in range(3):
            x = getattr(self, f"stage{i}")(x)
        x = torch.stack([b(x) for b in self.branches], dim=0).sum(dim=0)
        x = F.adaptive_avg_pool2d(x, 1).view(x.shape[0], -1)
        return self.fc(x)
