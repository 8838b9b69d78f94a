"""Older code: F.avg_pool2d(x, x.size()[2:]) global pooling, squeeze, PReLU, Dropout2d,
GroupNorm, PixelShuffle super-resolution head, OrderedDict Sequential."""

# shapecalc: input=2,3,32,32

from collections import OrderedDict

import torch.nn as nn
import torch.nn.functional as F


class Net(nn.Module):
    def __init__(self, upscale=2):
        super().__init__()
        self.features = nn.Sequential(
            OrderedDict(
                [
                    ("conv0", nn.Conv2d(3, 32, 5, padding=2)),
                    ("norm0", nn.GroupNorm(8, 32)),
                    ("act0", nn.PReLU(32)),
                    ("drop0", nn.Dropout2d(0.1)),
                    ("conv1", nn.Conv2d(32, 3 * upscale**2, 3, padding=1)),
                ]
            )
        )
        self.shuffle = nn.PixelShuffle(upscale)
        self.fc = nn.Linear(3, 10)

    def forward(self, x):
        x = self.features(x)
        sr = self.shuffle(x)
        g = F.avg_pool2d(sr, sr.size()[2:])
        g = g.view(g.size(0), g.size(1))
        m = F.max_pool2d(sr, kernel_size=sr.size()[2:]).squeeze(3).squeeze(2)
        logits = self.fc(g + m)
        return sr, logits
