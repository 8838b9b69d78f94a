"""Convolutional VAE: encoder to (mu, logvar) via chunk, reparameterise with randn_like, decode."""

# shapecalc: input=4,1,32,32

import torch
import torch.nn as nn


class VAE(nn.Module):
    def __init__(self, latent=8):
        super().__init__()
        self.enc = nn.Sequential(
            nn.Conv2d(1, 16, 4, 2, 1),
            nn.LeakyReLU(0.2),
            nn.Conv2d(16, 32, 4, 2, 1),
            nn.BatchNorm2d(32),
            nn.LeakyReLU(0.2),
            nn.Flatten(),
        )
        self.fc = nn.Linear(32 * 8 * 8, 2 * latent)
        self.dec_fc = nn.Linear(latent, 32 * 8 * 8)
        self.dec = nn.Sequential(
            nn.ConvTranspose2d(32, 16, 4, 2, 1),
            nn.ReLU(),
            nn.ConvTranspose2d(16, 1, 4, 2, 1),
            nn.Sigmoid(),
        )

    def reparameterize(self, mu, logvar):
        std = torch.exp(0.5 * logvar)
        eps = torch.randn_like(std)
        return mu + eps * std

    def forward(self, x):
        h = self.fc(self.enc(x))
        mu, logvar = torch.chunk(h, 2, dim=1)
        z = self.reparameterize(mu, logvar)
        out = self.dec(self.dec_fc(z).view(-1, 32, 8, 8))
        return out, mu, logvar
