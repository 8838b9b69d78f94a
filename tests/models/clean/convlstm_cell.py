"""A ConvLSTM cell unrolled for three steps: its state starts as
torch.zeros(b, self.hidden, h, w) with sizes read from the input (a factory call that fx
now traces), the gates come from torch.split of one conv over cat([x, h])."""

# shapecalc: input=2,8,16,16

import torch
import torch.nn as nn


class ConvLSTMCell(nn.Module):
    def __init__(self, cin=8, hidden=16, k=3):
        super().__init__()
        self.hidden = hidden
        self.conv = nn.Conv2d(cin + hidden, 4 * hidden, k, padding=k // 2)

    def forward(self, x):
        b, _, h, w = x.shape
        hx = torch.zeros(b, self.hidden, h, w, device=x.device)
        cx = torch.zeros_like(hx)
        for _ in range(3):
            gates = self.conv(torch.cat([x, hx], dim=1))
            i, f, o, g = torch.split(gates, self.hidden, dim=1)
            cx = torch.sigmoid(f) * cx + torch.sigmoid(i) * torch.tanh(g)
            hx = torch.sigmoid(o) * torch.tanh(cx)
        return hx
