"""Two wrong literals that `shapecalc check --fix` rewrites: in_channels and in_features."""

# shapecalc: input=B,3,32,32

import torch
import torch.nn as nn


class Fixable(nn.Module):
    def __init__(self) -> None:
        super().__init__()
        self.conv1 = nn.Conv2d(3, 16, 3, padding=1)
        self.conv2 = nn.Conv2d(in_channels=8, out_channels=32, kernel_size=3, padding=1)
        self.pool = nn.MaxPool2d(4)
        self.fc = nn.Linear(
            1000,  # was 16 * 8 * 8 before conv2 grew
            10,
        )

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        x = torch.relu(self.conv2(torch.relu(self.conv1(x))))
        return self.fc(torch.flatten(self.pool(x), 1))
