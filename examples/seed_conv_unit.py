"""The seed's worked example (the seed tutorial, section 4): two conv/pool pairs, then a Linear.

The point of the seed was the question people get stuck on: what in_features does the
Linear after the convolutions need? On (2, 3, 32, 32) the conv unit gives (2, 6, 12, 12),
so the Linear needs 6 * 12 * 12 = 864.
"""

# shapecalc: input=B,3,32,32

import torch
import torch.nn as nn


class ConvUnitNet(nn.Module):
    def __init__(self, num_classes: int = 10) -> None:
        super().__init__()
        self.conv_unit = nn.Sequential(
            nn.Conv2d(3, 6, kernel_size=5, stride=1, padding=1),  # -> (B, 6, 30, 30)
            nn.MaxPool2d(kernel_size=2, stride=2, padding=0),  # -> (B, 6, 15, 15)
            nn.Conv2d(6, 6, kernel_size=5, stride=1, padding=1),  # -> (B, 6, 13, 13)
            nn.MaxPool2d(kernel_size=2, stride=1, padding=0),  # -> (B, 6, 12, 12)
        )
        self.fc = nn.Linear(6 * 12 * 12, num_classes)  # 864 inputs

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        x = self.conv_unit(x)
        x = torch.flatten(x, 1)
        return self.fc(x)


if __name__ == "__main__":
    model = ConvUnitNet().eval()
    with torch.no_grad():
        out = model(torch.rand(2, 3, 32, 32))
    print(tuple(out.shape))
