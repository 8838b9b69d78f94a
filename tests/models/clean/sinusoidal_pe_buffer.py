"""A Transformer language model with the annotated-transformer sinusoidal positional
encoding buffer sliced to the sequence length, a key padding mask from the token ids and a
causal mask from nn.Transformer.generate_square_subsequent_mask; tied output weights."""

# shapecalc: input=2,12:int64

import math

import torch
import torch.nn as nn
import torch.nn.functional as F


class PositionalEncoding(nn.Module):
    def __init__(self, d_model, max_len=64):
        super().__init__()
        pe = torch.zeros(max_len, d_model)
        position = torch.arange(0, max_len).unsqueeze(1)
        div = torch.exp(torch.arange(0, d_model, 2) * -(math.log(10000.0) / d_model))
        pe[:, 0::2] = torch.sin(position * div)
        pe[:, 1::2] = torch.cos(position * div)
        self.register_buffer("pe", pe.unsqueeze(0))

    def forward(self, x):
        return x + self.pe[:, : x.size(1)]


class LM(nn.Module):
    def __init__(self, vocab=100, d=32):
        super().__init__()
        self.embed = nn.Embedding(vocab, d)
        self.pos = PositionalEncoding(d)
        layer = nn.TransformerEncoderLayer(d, 4, 64, batch_first=True)
        self.encoder = nn.TransformerEncoder(layer, 2, enable_nested_tensor=False)

    def forward(self, ids):
        t = ids.size(1)
        causal = nn.Transformer.generate_square_subsequent_mask(t)
        h = self.encoder(
            self.pos(self.embed(ids) * math.sqrt(32)), mask=causal, src_key_padding_mask=ids == 0
        )
        return F.linear(h, self.embed.weight)
