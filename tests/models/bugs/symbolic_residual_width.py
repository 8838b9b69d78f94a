"""A residual stage whose shortcut keeps 32 channels while the body ends in 64: the add
fails at every input size, so B,32,H,W reports it too."""

# shapecalc: input=2,32,16,16
# check-symbolic: B,32,H,W

import torch.nn as nn


class Stage(nn.Module):
    def __init__(self, cin=32, cout=64):
        super().__init__()
        self.body = nn.Sequential(
            nn.Conv2d(cin, cout, 3, padding=1, bias=False),
            nn.BatchNorm2d(cout),
            nn.ReLU(inplace=True),
            nn.Conv2d(cout, cout, 3, padding=1, bias=False),
            nn.BatchNorm2d(cout),
        )
        self.shortcut = nn.Identity()

    def forward(self, x):
        return (self.body(x) + self.shortcut(x)).relu()  # expect: SC301
