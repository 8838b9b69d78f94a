"""A VAE decoder that expands the latent to 64 x 7 x 7 with a Linear, then views it as
64 x 8 x 8 (the encoder's map size for 32x32 images, not 28x28)."""

# shapecalc: input=2,16

import torch.nn as nn


class Decoder(nn.Module):
    def __init__(self, z=16):
        super().__init__()
        self.fc = nn.Linear(z, 64 * 7 * 7)
        self.up = nn.Sequential(
            nn.ConvTranspose2d(64, 32, 4, 2, 1),
            nn.ReLU(),
            nn.ConvTranspose2d(32, 1, 4, 2, 1),
            nn.Sigmoid(),
        )

    def forward(self, z):
        h = self.fc(z)
        h = h.view(z.size(0), 64, 8, 8)  # expect: SC402
        return self.up(h)
