"""Every normalisation with the right sizes: BatchNorm1d on (N, C) and on (N, C, L),
BatchNorm2d, GroupNorm, InstanceNorm with and without affine, LayerNorm over the last dim
and over (C, H, W)."""

# shapecalc: input=4,8,6,6

import torch.nn as nn


class Norms(nn.Module):
    def __init__(self):
        super().__init__()
        self.bn2d = nn.BatchNorm2d(8)
        self.gn = nn.GroupNorm(4, 8)
        self.inorm = nn.InstanceNorm2d(8, affine=True)
        self.inorm_plain = nn.InstanceNorm1d(8)
        self.ln_chw = nn.LayerNorm([8, 6, 6])
        self.bn1d_seq = nn.BatchNorm1d(8)
        self.fc = nn.Linear(8 * 36, 16)
        self.bn1d_vec = nn.BatchNorm1d(16)
        self.ln = nn.LayerNorm(16)

    def forward(self, x):
        x = self.ln_chw(self.inorm(self.gn(self.bn2d(x))))
        seq = self.inorm_plain(self.bn1d_seq(x.flatten(2)))  # (4, 8, 36)
        return self.ln(self.bn1d_vec(self.fc(seq.flatten(1))))
