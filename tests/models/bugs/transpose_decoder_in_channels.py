"""A convolutional autoencoder whose decoder starts from the wrong width: the encoder ends
with 32 channels, the first ConvTranspose2d expects 64."""

# shapecalc: input=4,1,28,28

import torch
import torch.nn as nn


class AutoEncoder(nn.Module):
    def __init__(self):
        super().__init__()
        self.enc1 = nn.Conv2d(1, 16, 3, stride=2, padding=1)
        self.enc2 = nn.Conv2d(16, 32, 3, stride=2, padding=1)
        self.dec1 = nn.ConvTranspose2d(64, 16, 3, 2, padding=1, output_padding=1)  # expect: SC201
        self.dec2 = nn.ConvTranspose2d(16, 1, 3, stride=2, padding=1, output_padding=1)

    def forward(self, x):
        z = torch.relu(self.enc2(torch.relu(self.enc1(x))))
        y = torch.relu(self.dec1(z))
        return torch.sigmoid(self.dec2(y))
