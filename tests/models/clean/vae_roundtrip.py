"""A VAE: encoder to mu / logvar, the reparameterisation with randn_like, a Linear to
64 * 7 * 7 viewed back to (B, 64, 7, 7), and an nn.Unflatten variant in a Sequential."""

# shapecalc: input=2,1,28,28

import torch
import torch.nn as nn


class VAE(nn.Module):
    def __init__(self, z=16):
        super().__init__()
        self.enc = nn.Sequential(
            nn.Conv2d(1, 32, 4, 2, 1), nn.ReLU(), nn.Conv2d(32, 64, 4, 2, 1), nn.Flatten()
        )
        self.mu = nn.Linear(64 * 7 * 7, z)
        self.logvar = nn.Linear(64 * 7 * 7, z)
        self.fc = nn.Linear(z, 64 * 7 * 7)
        self.dec = nn.Sequential(
            nn.ConvTranspose2d(64, 32, 4, 2, 1), nn.ReLU(), nn.ConvTranspose2d(32, 1, 4, 2, 1)
        )
        self.dec2 = nn.Sequential(nn.Linear(z, 64 * 7 * 7), nn.Unflatten(1, (64, 7, 7)), self.dec)

    def forward(self, x):
        h = self.enc(x)
        mu, logvar = self.mu(h), self.logvar(h)
        z = mu + torch.randn_like(mu) * torch.exp(0.5 * logvar)
        out = self.dec(self.fc(z).view(z.size(0), 64, 7, 7))
        return torch.sigmoid(out + self.dec2(z))
