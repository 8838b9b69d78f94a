"""A segmentation head (FPN style) with GroupNorm in a ModuleList loop; the last stage
widens to 96 channels while its GroupNorm keeps the 64-channel setting."""

# shapecalc: input=1,64,32,32

import torch.nn as nn


class SegHead(nn.Module):
    def __init__(self, num_classes=5):
        super().__init__()
        widths = [64, 64, 96]
        self.stages = nn.ModuleList()
        for cin, cout in zip(widths, widths[1:]):
            self.stages.append(
                nn.Sequential(
                    nn.Conv2d(cin, cout, 3, padding=1, bias=False),
                    nn.GroupNorm(16, 64),  # expect: SC204
                    nn.ReLU(inplace=True),
                )
            )
        self.classify = nn.Conv2d(96, num_classes, 1)

    def forward(self, x):
        for stage in self.stages:
            x = stage(x)
        return self.classify(x)
