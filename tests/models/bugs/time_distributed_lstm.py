"""A video model folding time into the batch for a 2-D CNN, unfolding it for an LSTM:
the per-frame features are 32 * 4 * 4 = 512, the LSTM was declared for 256."""

# shapecalc: input=2,5,3,16,16

import torch.nn as nn


class VideoNet(nn.Module):
    def __init__(self):
        super().__init__()
        self.cnn = nn.Sequential(
            nn.Conv2d(3, 16, 3, 2, 1), nn.ReLU(), nn.Conv2d(16, 32, 3, 2, 1), nn.ReLU()
        )
        self.lstm = nn.LSTM(256, 64, batch_first=True)  # expect: SC215
        self.fc = nn.Linear(64, 4)

    def forward(self, x):
        b, t, c, h, w = x.shape
        f = self.cnn(x.view(b * t, c, h, w))
        f = f.view(b, t, -1)
        out, _ = self.lstm(f)
        return self.fc(out[:, -1])
