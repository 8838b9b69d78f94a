"""A style-transfer residual generator with affine InstanceNorm2d: the norm after the
downsampling conv is sized for 32 channels, the conv produces 64."""

# shapecalc: input=1,3,32,32

import torch.nn as nn


class StyleNet(nn.Module):
    def __init__(self):
        super().__init__()
        self.model = nn.Sequential(
            nn.ReflectionPad2d(4),
            nn.Conv2d(3, 32, kernel_size=9),
            nn.InstanceNorm2d(32, affine=True),
            nn.ReLU(),
            nn.Conv2d(32, 64, kernel_size=3, stride=2, padding=1),
            nn.InstanceNorm2d(32, affine=True),  # expect: SC203
            nn.ReLU(),
            nn.ConvTranspose2d(64, 32, kernel_size=3, stride=2, padding=1, output_padding=1),
            nn.InstanceNorm2d(32, affine=True),
            nn.ReLU(),
            nn.Conv2d(32, 3, kernel_size=9, padding=4),
        )

    def forward(self, x):
        return self.model(x)
