"""A token classifier whose embedding width (32) differs from the d_model (64) its
TransformerEncoder stack was built with. The stack runs deep copies of the layer, so the
error is the stack's, on its line; the Linear after it, sized for d_model, is right."""

# shapecalc: input=2,16:int64

import torch.nn as nn


class Tagger(nn.Module):
    def __init__(self, vocab=200, emb=32, d_model=64, tags=9):
        super().__init__()
        self.embed = nn.Embedding(vocab, emb)
        layer = nn.TransformerEncoderLayer(d_model, 4, 128, batch_first=True)
        self.encoder = nn.TransformerEncoder(layer, 2, enable_nested_tensor=False)  # expect: SC215
        self.out = nn.Linear(d_model, tags)

    def forward(self, tokens):
        return self.out(self.encoder(self.embed(tokens)))
