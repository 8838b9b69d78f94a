"""The seed's residual block (the seed tutorial, section 6).

The element-wise add needs both branches to have the same shape. When ch_out differs from
ch_in, a 1x1 convolution on the shortcut makes the channels agree:
[b, 64, h, w] -> [b, 256, h, w].
"""

# shapecalc: input=B,64,H,W

import torch
import torch.nn as nn
import torch.nn.functional as F


class ResBlk(nn.Module):
    def __init__(self, ch_in: int = 64, ch_out: int = 256) -> None:
        super().__init__()
        self.conv1 = nn.Conv2d(ch_in, ch_out, kernel_size=3, stride=1, padding=1)
        self.bn1 = nn.BatchNorm2d(ch_out)
        self.conv2 = nn.Conv2d(ch_out, ch_out, kernel_size=3, stride=1, padding=1)
        self.bn2 = nn.BatchNorm2d(ch_out)

        self.extra = nn.Sequential()  # identity shortcut
        if ch_out != ch_in:
            # [b, ch_in, h, w] -> [b, ch_out, h, w]
            self.extra = nn.Sequential(
                nn.Conv2d(ch_in, ch_out, kernel_size=1, stride=1),
                nn.BatchNorm2d(ch_out),
            )

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        out = F.relu(self.bn1(self.conv1(x)))
        out = self.bn2(self.conv2(out))
        return self.extra(x) + out


if __name__ == "__main__":
    model = ResBlk().eval()
    with torch.no_grad():
        out = model(torch.rand(2, 64, 16, 16))
    print(tuple(out.shape))
