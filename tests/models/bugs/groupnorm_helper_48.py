"""A norm factory that always uses 32 groups (the GroupNorm paper's default), called for
a 48-channel stage: 48 channels cannot be split into 32 groups, and torch refuses to build
the layer on the factory's line."""

# shapecalc: input=2,3,32,32

import torch.nn as nn


def norm(channels, groups=32):
    return nn.GroupNorm(groups, channels)  # expect: SC204


class GNNet(nn.Module):
    def __init__(self, widths=(32, 48, 64)):
        super().__init__()
        layers, cin = [], 3
        for w in widths:
            layers += [nn.Conv2d(cin, w, 3, 2, 1), norm(w), nn.SiLU()]
            cin = w
        self.body = nn.Sequential(*layers)

    def forward(self, x):
        return self.body(x)
