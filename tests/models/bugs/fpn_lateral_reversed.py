"""An FPN whose lateral 1x1 convs are built from the backbone widths listed deepest first,
while the forward feeds them shallowest first: two laterals get the wrong width (the
middle one happens to fit). Both bad convs are built by the same comprehension line."""

# shapecalc: input=2,3,64,64

import torch.nn as nn
import torch.nn.functional as F


class FPN(nn.Module):
    def __init__(self, widths=(32, 64, 128), out=64):
        super().__init__()
        self.stages = nn.ModuleList()
        cin = 3
        for w in widths:
            self.stages.append(nn.Sequential(nn.Conv2d(cin, w, 3, 2, 1), nn.ReLU()))
            cin = w
        self.lateral = nn.ModuleList(
            [nn.Conv2d(w, out, 1) for w in reversed(widths)]  # expect: SC201, SC201
        )

    def forward(self, x):
        feats = []
        for stage in self.stages:
            x = stage(x)
            feats.append(x)
        lat = [l(f) for l, f in zip(self.lateral, feats)]
        top = lat[-1]
        outs = [top]
        for f in reversed(lat[:-1]):
            top = f + F.interpolate(top, size=f.shape[-2:], mode="nearest")
            outs.append(top)
        return outs
