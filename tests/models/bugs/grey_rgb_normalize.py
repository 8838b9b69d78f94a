"""The seed's input normalisation (section 1) with ImageNet's RGB statistics applied to
grey MNIST digits: (x - mean) / std broadcasts the 1-channel image to 3 channels, and the
first conv was sized to accept them, so nothing raises and the model trains on a grey
image copied three times with different offsets."""

# shapecalc: input=8,1,28,28

import torch
import torch.nn as nn


class Normalized(nn.Module):
    def __init__(self):
        super().__init__()
        self.register_buffer("mean", torch.tensor([0.485, 0.456, 0.406]).view(1, 3, 1, 1))
        self.register_buffer("std", torch.tensor([0.229, 0.224, 0.225]).view(1, 3, 1, 1))
        self.conv = nn.Conv2d(3, 8, 3, padding=1)
        self.fc = nn.Linear(8 * 14 * 14, 10)

    def forward(self, x):
        x = (x - self.mean) / self.std  # expect: SC305
        x = nn.functional.max_pool2d(self.conv(x).relu(), 2)
        return self.fc(x.flatten(1))
