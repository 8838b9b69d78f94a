"""Input shapes declared in comments: one comment for every model of the file, and one that
targets a model with two inputs."""

# shapecalc: input=2,3,32,32
# shapecalc: model=TwoInputs input=B,3,H,W input=B,T:int64

import torch
import torch.nn as nn


class OneInput(nn.Module):
    def __init__(self):
        super().__init__()
        self.conv = nn.Conv2d(3, 8, 3)

    def forward(self, x):
        return self.conv(x)


class TwoInputs(nn.Module):
    def __init__(self):
        super().__init__()
        self.conv = nn.Conv2d(3, 16, 3, padding=1)
        self.embed = nn.Embedding(50, 16)

    def forward(self, image, tokens):
        pooled = self.conv(image).mean(dim=(2, 3))
        words = self.embed(tokens).mean(dim=1)
        return torch.cat([pooled, words], dim=1)
