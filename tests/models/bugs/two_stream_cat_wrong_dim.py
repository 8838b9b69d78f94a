"""Two feature streams with different widths fused with torch.cat along the height
instead of the channels."""

# shapecalc: input=2,3,24,24

import torch
import torch.nn as nn


class TwoStream(nn.Module):
    def __init__(self):
        super().__init__()
        self.rgb = nn.Conv2d(3, 32, 3, padding=1)
        self.edge = nn.Conv2d(3, 8, 5, padding=2)
        self.fuse = nn.Conv2d(40, 16, 1)

    def forward(self, x):
        a = self.rgb(x)
        b = self.edge(x)
        fused = torch.cat((a, b), 2)  # expect: SC302
        return self.fuse(fused)
