"""A 1-D vocoder-style upsampler: the 3x upsampling layer uses output_padding=3, not
smaller than its stride."""

# shapecalc: input=1,32,50

import torch.nn as nn
import torch.nn.functional as F


class Upsampler(nn.Module):
    def __init__(self):
        super().__init__()
        self.up1 = nn.ConvTranspose1d(32, 16, kernel_size=4, stride=2, padding=1)
        self.up2 = nn.ConvTranspose1d(16, 8, 6, 3, padding=2, output_padding=3)  # expect: SC104
        self.out = nn.Conv1d(8, 1, 7, padding=3)

    def forward(self, x):
        x = F.leaky_relu(self.up1(x), 0.1)
        x = F.leaky_relu(self.up2(x), 0.1)
        return self.out(x).tanh()
