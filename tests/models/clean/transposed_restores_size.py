"""An autoencoder whose ConvTranspose layers restore odd sizes exactly with
output_padding, and a 1-D upsampler with output_padding below its stride."""

# shapecalc: input=2,1,28,28

import torch
import torch.nn as nn


class TransposedAE(nn.Module):
    def __init__(self):
        super().__init__()
        self.enc = nn.Sequential(
            nn.Conv2d(1, 8, 3, stride=2, padding=1), nn.ReLU(),  # 28 -> 14
            nn.Conv2d(8, 16, 3, stride=2, padding=1), nn.ReLU(),  # 14 -> 7
            nn.Conv2d(16, 32, 3, stride=2, padding=1), nn.ReLU(),  # 7 -> 4
        )  # fmt: skip
        self.dec = nn.Sequential(
            nn.ConvTranspose2d(32, 16, 3, stride=2, padding=1), nn.ReLU(),  # 4 -> 7
            nn.ConvTranspose2d(16, 8, 3, stride=2, padding=1, output_padding=1), nn.ReLU(),
            nn.ConvTranspose2d(8, 1, 3, stride=2, padding=1, output_padding=1),  # 14 -> 28
        )  # fmt: skip
        self.up1d = nn.ConvTranspose1d(1, 1, 5, stride=3, padding=1, output_padding=2)

    def forward(self, x):
        y = torch.sigmoid(self.dec(self.enc(x)))
        z = self.up1d(y.flatten(2))  # (2, 1, 784) -> (2, 1, 2354)
        return y + z[..., :784].view(2, 1, 28, 28)
