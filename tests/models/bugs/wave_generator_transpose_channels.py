"""A WaveGAN-style 1-D generator: a Linear projects the latent to (16, 32) and a stack of
ConvTranspose1d layers upsamples it; the first upsampler was written for 32 input
channels."""

# shapecalc: input=2,10

import torch
import torch.nn as nn


class WaveGenerator(nn.Module):
    def __init__(self, latent=10):
        super().__init__()
        self.fc = nn.Linear(latent, 16 * 32)
        self.ups = nn.Sequential(
            nn.ConvTranspose1d(32, 8, 25, stride=4, padding=11, output_padding=1),  # expect: SC201
            nn.ReLU(),
            nn.ConvTranspose1d(8, 1, 25, stride=4, padding=11, output_padding=1),
        )

    def forward(self, z):
        x = self.fc(z).view(-1, 16, 32)
        return torch.tanh(self.ups(x))
