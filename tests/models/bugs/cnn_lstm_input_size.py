"""A CRNN: conv features (B, 128, 1, W) are squeezed and permuted into a sequence for an
LSTM that was declared with input_size=64."""

# shapecalc: input=2,1,8,32

import torch.nn as nn


class CRNN(nn.Module):
    def __init__(self, n_classes=20):
        super().__init__()
        self.cnn = nn.Sequential(
            nn.Conv2d(1, 64, 3, padding=1),
            nn.ReLU(),
            nn.MaxPool2d((2, 1)),
            nn.Conv2d(64, 128, 3, padding=1),
            nn.ReLU(),
            nn.AdaptiveAvgPool2d((1, None)),
        )
        self.rnn = nn.LSTM(input_size=64, hidden_size=48, batch_first=True)  # expect: SC215
        self.out = nn.Linear(48, n_classes)

    def forward(self, x):
        f = self.cnn(x).squeeze(2).permute(0, 2, 1)
        seq, _ = self.rnn(f)
        return self.out(seq)
