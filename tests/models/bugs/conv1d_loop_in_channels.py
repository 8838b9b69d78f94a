"""A 1-D audio encoder built in a ModuleList loop from a channel list; the loop pairs the
channels up wrongly (each conv takes widths[i + 1] in instead of widths[i])."""

# shapecalc: input=2,1,400

import torch.nn as nn
import torch.nn.functional as F


class AudioEncoder(nn.Module):
    def __init__(self, widths=(1, 8, 16, 32)):
        super().__init__()
        self.convs = nn.ModuleList()
        self.convs.append(nn.Conv1d(widths[0], widths[1], 9, stride=2, padding=4))
        for i in range(1, len(widths) - 1):
            w = widths[i + 1]
            conv = nn.Conv1d(w, w, 9, stride=2, padding=4)  # expect: SC201, SC201
            self.convs.append(conv)

    def forward(self, x):
        for conv in self.convs:
            x = F.relu(conv(x))
        return x.mean(dim=-1)
