"""A CRNN: conv features pooled to height 1, squeezed and permuted to (B, W, C) for a
bidirectional two-layer LSTM whose head takes 2 * hidden features; and a GRU over the
same sequence with its initial state given."""

# shapecalc: input=2,1,8,32

import torch
import torch.nn as nn


class CRNN(nn.Module):
    def __init__(self, hidden=48, classes=20):
        super().__init__()
        self.cnn = nn.Sequential(
            nn.Conv2d(1, 64, 3, padding=1),
            nn.ReLU(),
            nn.MaxPool2d((2, 1)),
            nn.Conv2d(64, 128, 3, padding=1),
            nn.AdaptiveAvgPool2d((1, None)),
        )
        self.rnn = nn.LSTM(128, hidden, num_layers=2, batch_first=True, bidirectional=True)
        self.gru = nn.GRU(2 * hidden, hidden, batch_first=True)
        self.head = nn.Linear(hidden, classes)

    def forward(self, x):
        seq = self.cnn(x).squeeze(2).permute(0, 2, 1)
        seq, _ = self.rnn(seq)
        h0 = torch.zeros(1, x.size(0), self.gru.hidden_size)
        out, _ = self.gru(seq, h0)
        return self.head(out[:, -1])
