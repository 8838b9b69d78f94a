"""The ways people flatten: x.view(x.size(0), -1), torch.flatten(x, 1), nn.Flatten,
reshape with -1 in the middle, unflatten and a permute before a contiguous view."""

# shapecalc: input=4,6,5,7

import torch
import torch.nn as nn


class Flattens(nn.Module):
    def __init__(self):
        super().__init__()
        self.flat = nn.Flatten()
        self.fc = nn.Linear(6 * 5 * 7, 10)

    def forward(self, x):
        a = x.view(x.size(0), -1)
        b = torch.flatten(x, 1)
        c = self.flat(x)
        d = x.reshape(x.shape[0], -1, 7).reshape(4, 210)
        e = x.unflatten(1, (2, 3)).flatten(1, 2).flatten(1)
        f = x.permute(0, 2, 3, 1).contiguous().view(4, -1)
        return self.fc(a + b + c + d + e + f)
