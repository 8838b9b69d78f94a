"""A bidirectional LSTM text classifier whose head takes the last time step's features but
was sized for one direction (hidden) instead of both (2 * hidden)."""

# shapecalc: input=2,20:int64

import torch.nn as nn


class BiLSTMClassifier(nn.Module):
    def __init__(self, vocab=500, emb=32, hidden=64, classes=5):
        super().__init__()
        self.embed = nn.Embedding(vocab, emb, padding_idx=0)
        self.lstm = nn.LSTM(emb, hidden, num_layers=2, batch_first=True, bidirectional=True)
        self.dropout = nn.Dropout(0.3)
        self.head = nn.Linear(hidden, classes)  # expect: SC401

    def forward(self, tokens):
        out, (h, c) = self.lstm(self.embed(tokens))
        return self.head(self.dropout(out[:, -1, :]))
