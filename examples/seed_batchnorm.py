"""The seed's batch-norm examples (the seed tutorial, section 5).

BatchNorm keeps one statistic per channel, so its num_features (16 here) must equal the
input's dimension 1. BatchNorm1d takes (N, C) or (N, C, L) inputs, BatchNorm2d (N, C, H, W).
After one training-mode forward on torch.rand data (mean 1/2, variance 1/12), the running
statistics move from (0, 1) by momentum 0.1: running_mean ~ 0.05, running_var ~ 0.9083.
"""

import torch
import torch.nn as nn


# shapecalc: model=BatchNorm1dExample input=B,16,L
# The seed runs it on torch.rand(100, 16, 784): 28 * 28 pixels flattened into one axis.
class BatchNorm1dExample(nn.Module):
    def __init__(self, num_features: int = 16) -> None:
        super().__init__()
        self.bn = nn.BatchNorm1d(num_features)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return self.bn(x)


# shapecalc: model=BatchNorm2dExample input=B,16,H,W
# The seed's image-shaped variant: torch.rand(100, 16, 28, 28).
class BatchNorm2dExample(nn.Module):
    def __init__(self, num_features: int = 16) -> None:
        super().__init__()
        self.bn = nn.BatchNorm2d(num_features)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return self.bn(x)


if __name__ == "__main__":
    for model, x in [
        (BatchNorm1dExample(), torch.rand(100, 16, 784)),
        (BatchNorm2dExample(), torch.rand(100, 16, 28, 28)),
    ]:
        out = model(x)  # training mode: this forward updates the running statistics
        print(type(model).__name__, tuple(out.shape))
        print("  running_mean", [round(v, 4) for v in model.bn.running_mean[:4].tolist()])
        print("  running_var ", [round(v, 4) for v in model.bn.running_var[:4].tolist()])
