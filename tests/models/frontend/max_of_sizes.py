"""max() / min() of traced sizes: pad to a square of the larger side, crop to the smaller."""

# shapecalc: input=2,8,12,10
import torch.nn as nn
import torch.nn.functional as F


class Pad(nn.Module):
    def __init__(self):
        super().__init__()
        self.conv = nn.Conv2d(8, 4, 3)

    def forward(self, x):
        h, w = x.shape[-2:]
        s = max(h, w)
        x = F.pad(x, (0, s - w, 0, s - h))
        return self.conv(x)[:, :, : min(h, w)]
