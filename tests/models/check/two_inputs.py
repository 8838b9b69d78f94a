"""Two inputs and no input comment: the shapes come from --input or the configuration."""

import torch
import torch.nn as nn


class TwoInputs(nn.Module):
    def __init__(self) -> None:
        super().__init__()
        self.image = nn.Conv2d(3, 4, 3, padding=1)
        self.fc = nn.Linear(4 * 8 * 8 + 5, 2)

    def forward(self, image: torch.Tensor, extra: torch.Tensor) -> torch.Tensor:
        features = torch.flatten(self.image(image), 1)
        return self.fc(torch.cat([features, extra], 1))
