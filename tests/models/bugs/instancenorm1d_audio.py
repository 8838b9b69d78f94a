"""A speech enhancement encoder with affine InstanceNorm1d after each conv; the second
norm repeats the first one's width."""

# shapecalc: input=2,40,100

import torch.nn as nn


class SpeechEncoder(nn.Module):
    def __init__(self):
        super().__init__()
        self.block1 = nn.Sequential(
            nn.Conv1d(40, 64, 5, padding=2), nn.InstanceNorm1d(64, affine=True), nn.PReLU()
        )
        self.block2 = nn.Sequential(
            nn.Conv1d(64, 128, 5, stride=2, padding=2),
            nn.InstanceNorm1d(64, affine=True),  # expect: SC203
            nn.PReLU(),
        )

    def forward(self, x):
        return self.block2(self.block1(x))
