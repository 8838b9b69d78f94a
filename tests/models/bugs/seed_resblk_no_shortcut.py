"""The seed's ResBlk (section 6) without its 1x1 shortcut: ch_in=64, ch_out=256, and the
identity branch still has 64 channels when it is added to the 256-channel main branch."""

# shapecalc: input=2,64,16,16

import torch.nn as nn
import torch.nn.functional as F


class ResBlk(nn.Module):
    def __init__(self, ch_in=64, ch_out=256):
        super().__init__()
        self.conv1 = nn.Conv2d(ch_in, ch_out, kernel_size=3, stride=1, padding=1)
        self.bn1 = nn.BatchNorm2d(ch_out)
        self.conv2 = nn.Conv2d(ch_out, ch_out, kernel_size=3, stride=1, padding=1)
        self.bn2 = nn.BatchNorm2d(ch_out)
        self.extra = nn.Sequential()  # identity shortcut, the 1x1 conv forgotten

    def forward(self, x):
        out = F.relu(self.bn1(self.conv1(x)))
        out = self.bn2(self.conv2(out))
        out = self.extra(x) + out  # expect: SC301
        return out
