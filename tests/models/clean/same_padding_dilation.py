"""padding='same' with odd and even kernels and dilations, and a DeepLab ASPP head with
parallel dilated branches (padding = dilation) concatenated."""

# shapecalc: input=1,8,17,23

import torch
import torch.nn as nn


class ASPP(nn.Module):
    def __init__(self, cin=8, cout=8, rates=(1, 2, 3)):
        super().__init__()
        self.same_even = nn.Conv2d(cin, cin, 4, padding="same")
        self.same_dilated = nn.Conv2d(cin, cin, 3, padding="same", dilation=3)
        self.branches = nn.ModuleList(
            [nn.Conv2d(cin, cout, 3, padding=r, dilation=r) for r in rates]
        )
        self.project = nn.Conv2d(cout * len(rates), cout, 1)

    def forward(self, x):
        x = self.same_dilated(self.same_even(x))
        return self.project(torch.cat([b(x) for b in self.branches], dim=1))
