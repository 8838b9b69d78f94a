"""An FPN with laterals built from the stage widths in order, a top-down loop over the
reversed laterals with F.interpolate(size=...) so odd sizes line up, and outputs returned
as a tuple."""

# shapecalc: input=2,3,50,50
# check-symbolic: B,3,H,W

import torch.nn as nn
import torch.nn.functional as F


class FPN(nn.Module):
    def __init__(self, widths=(16, 32, 64), out=32):
        super().__init__()
        self.stages = nn.ModuleList()
        cin = 3
        for w in widths:
            self.stages.append(nn.Sequential(nn.Conv2d(cin, w, 3, 2, 1), nn.ReLU()))
            cin = w
        self.lateral = nn.ModuleList([nn.Conv2d(w, out, 1) for w in widths])
        self.smooth = nn.ModuleList([nn.Conv2d(out, out, 3, padding=1) for _ in widths])

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
            outs.insert(0, top)
        return tuple(s(o) for s, o in zip(self.smooth, outs))
