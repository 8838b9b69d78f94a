"""A Kim-style text CNN done right: embeddings transposed to (batch, dim, tokens), parallel
convs of different widths, max over time (.values of torch.max), concatenated."""

# shapecalc: input=8,40:int64

import torch
import torch.nn as nn
import torch.nn.functional as F


class TextCNN(nn.Module):
    def __init__(self, vocab=100, dim=16, filters=8, sizes=(3, 4, 5)):
        super().__init__()
        self.embed = nn.Embedding(vocab, dim, padding_idx=0)
        self.convs = nn.ModuleList([nn.Conv1d(dim, filters, k) for k in sizes])
        self.drop = nn.Dropout(0.5)
        self.fc = nn.Linear(filters * len(sizes), 2)

    def forward(self, tokens):
        x = self.embed(tokens).transpose(1, 2)
        pooled = [torch.max(F.relu(conv(x)), dim=2).values for conv in self.convs]
        return self.fc(self.drop(torch.cat(pooled, dim=1)))
