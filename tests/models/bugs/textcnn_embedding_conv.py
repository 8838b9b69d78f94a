"""A Kim-style text CNN: the embeddings are (batch, tokens, dim) and go into Conv1d
without the transpose to (batch, dim, tokens)."""

# shapecalc: input=8,40:int64

import torch
import torch.nn as nn
import torch.nn.functional as F


class TextCNN(nn.Module):
    def __init__(self, vocab=100, dim=16, filters=8, sizes=(3, 4, 5)):
        super().__init__()
        self.embed = nn.Embedding(vocab, dim)
        convs = [nn.Conv1d(dim, filters, k) for k in sizes]  # expect: SC201, SC201, SC201
        self.convs = nn.ModuleList(convs)
        self.fc = nn.Linear(filters * len(sizes), 2)

    def forward(self, tokens):
        x = self.embed(tokens)
        pooled = [F.relu(conv(x)).max(dim=2).values for conv in self.convs]
        return self.fc(torch.cat(pooled, dim=1))
