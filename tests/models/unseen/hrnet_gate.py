"""HRNet-style multi-resolution fusion (interpolate by 2**k), attention-UNet gate, adaptive pool
with a None size, scale_factor=0.5 downsampling."""

# shapecalc: input=2,3,64,64

import torch.nn as nn
import torch.nn.functional as F


class AttentionGate(nn.Module):
    def __init__(self, F_g, F_l, F_int):
        super().__init__()
        self.W_g = nn.Sequential(nn.Conv2d(F_g, F_int, 1), nn.BatchNorm2d(F_int))
        self.W_x = nn.Sequential(nn.Conv2d(F_l, F_int, 1), nn.BatchNorm2d(F_int))
        self.psi = nn.Sequential(nn.Conv2d(F_int, 1, 1), nn.BatchNorm2d(1), nn.Sigmoid())
        self.relu = nn.ReLU(inplace=True)

    def forward(self, g, x):
        g1 = self.W_g(g)
        x1 = self.W_x(x)
        psi = self.psi(self.relu(g1 + x1))
        return x * psi


class HRFuse(nn.Module):
    def __init__(self, channels=(16, 32, 64)):
        super().__init__()
        self.stem = nn.Conv2d(3, channels[0], 3, padding=1)
        self.branches = nn.ModuleList()
        for i, c in enumerate(channels):
            cin = channels[0]
            self.branches.append(nn.Conv2d(cin, c, 3, stride=2**i, padding=1))
        self.align = nn.ModuleList([nn.Conv2d(c, channels[0], 1) for c in channels])
        self.gate = AttentionGate(channels[0], channels[0], 8)
        self.up = nn.Upsample(size=(32, 32), mode="bilinear", align_corners=False)
        self.col_pool = nn.AdaptiveAvgPool2d((None, 1))

    def forward(self, x):
        x = F.relu(self.stem(x))
        feats = [b(x) for b in self.branches]
        fused = self.align[0](feats[0])
        for i in range(1, len(feats)):
            fused = fused + F.interpolate(
                self.align[i](feats[i]), scale_factor=2**i, mode="bilinear", align_corners=False
            )
        fused = self.gate(fused, x)
        small = F.interpolate(fused, scale_factor=0.5, mode="bilinear", recompute_scale_factor=True)
        cols = self.col_pool(small).squeeze(-1)
        return self.up(fused), cols
