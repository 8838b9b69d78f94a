"""A DCGAN generator whose last upsampling layer sets output_padding=2 with stride 2, which
PyTorch rejects (output_padding must be smaller than stride or dilation)."""

# shapecalc: input=2,16,1,1

import torch.nn as nn


class Generator(nn.Module):
    def __init__(self, nz=16, ngf=8):
        super().__init__()
        self.main = nn.Sequential(
            nn.ConvTranspose2d(nz, ngf * 4, 4, 1, 0, bias=False),
            nn.BatchNorm2d(ngf * 4),
            nn.ReLU(True),
            nn.ConvTranspose2d(ngf * 4, ngf * 2, 4, 2, 1, bias=False),
            nn.BatchNorm2d(ngf * 2),
            nn.ReLU(True),
            nn.ConvTranspose2d(ngf * 2, 3, 3, 2, padding=1, output_padding=2),  # expect: SC104
            nn.Tanh(),
        )

    def forward(self, z):
        return self.main(z)
