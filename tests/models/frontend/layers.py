"""Fixture models for the layer families of rules/norm.py, activation.py, dropout.py,
embedding.py and linear.py, as ordinary PyTorch modules (module and functional forms)."""

import torch
import torch.nn as nn
import torch.nn.functional as F


class NormZoo(nn.Module):
    """Conv features through every normalisation and a few activations, then a classifier."""

    def __init__(self, classes: int = 10) -> None:
        super().__init__()
        self.conv = nn.Conv2d(3, 16, 3, padding=1)
        self.bn = nn.BatchNorm2d(16)
        self.gn = nn.GroupNorm(4, 16)
        self.inorm = nn.InstanceNorm2d(16, affine=True)
        self.lrn = nn.LocalResponseNorm(5)
        self.prelu = nn.PReLU(16)
        self.drop2d = nn.Dropout2d(0.1)
        self.glu = nn.GLU(dim=1)
        self.pool = nn.AdaptiveAvgPool2d(1)
        self.ln = nn.LayerNorm(8)
        self.rms = nn.RMSNorm([8])
        self.fc = nn.Linear(8, 32)
        self.bn1d = nn.BatchNorm1d(32)
        self.act = nn.Hardswish()
        self.drop = nn.Dropout(0.2)
        self.head = nn.Linear(32, classes)
        self.softmax = nn.LogSoftmax(dim=1)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        x = self.prelu(self.lrn(self.inorm(self.gn(self.bn(self.conv(x))))))
        x = self.glu(self.drop2d(x))
        x = F.group_norm(x, 2)
        x = F.instance_norm(x)
        x = F.leaky_relu(x, 0.1)
        x = self.pool(x).flatten(1)
        x = self.rms(self.ln(x))
        x = F.layer_norm(x, (8,))
        x = self.drop(self.act(self.bn1d(self.fc(x))))
        x = F.dropout(x, 0.1, training=self.training)
        return self.softmax(self.head(F.normalize(x, dim=-1)))


class TokenBag(nn.Module):
    """Token ids: an embedding with a GELU feed-forward, a bag of the same tokens, a bilinear
    merge of both views, and a softmax over classes."""

    def __init__(self, vocab: int = 50, dim: int = 12, classes: int = 4) -> None:
        super().__init__()
        self.embed = nn.Embedding(vocab, dim, padding_idx=0)
        self.bag = nn.EmbeddingBag(vocab, dim, mode="sum")
        self.ff = nn.Sequential(nn.Linear(dim, 2 * dim), nn.GELU(), nn.Linear(2 * dim, dim))
        self.norm = nn.LayerNorm(dim)
        self.merge = nn.Bilinear(dim, dim, classes)
        self.identity = nn.Identity(54, unused=True)

    def forward(self, ids: torch.Tensor) -> torch.Tensor:
        tokens = self.norm(self.embed(ids) + self.ff(self.embed(ids)))
        pooled = tokens.mean(1)
        bagged = self.bag(ids)
        return self.identity(self.merge(pooled, bagged)).softmax(-1)
