"""Findings silenced by '# shapecalc: ignore' comments, and comments that silence nothing."""

# shapecalc: input=B,3,16,16

import torch
import torch.nn as nn


class Suppressed(nn.Module):
    def __init__(self) -> None:
        super().__init__()
        self.a = nn.Conv2d(4, 8, 3, padding=1)  # shapecalc: ignore[SC201]
        self.b = nn.Conv2d(4, 8, 3, padding=1)  # shapecalc: ignore
        self.c = nn.Conv2d(
            4,
            8,
            3,
            padding=1,
        )  # shapecalc: ignore[SC2]
        self.d = nn.Conv2d(8, 8, 3, padding=1)  # shapecalc: ignore[SC201, SC999]
        self.e = nn.Conv2d(4, 8, 3, padding=1)
        self.note = "# shapecalc: ignore[SC401]"  # a string, not a comment
        self.fc = nn.Linear(100, 10)  # shapecalc: ignore[SC4]

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        x = self.a(x)  # shapecalc: ignore
        y = self.b(x) + self.c(x) + self.e(x)
        y = self.d(y)
        return self.fc(torch.flatten(y.mean((2, 3)), 1))
