"""Patches with F.unfold / nn.Fold, an MLP-Mixer style token mixer, repeat_interleave, einsum."""

# shapecalc: input=2,3,32,32

import torch
import torch.nn as nn
import torch.nn.functional as F


class MixerBlock(nn.Module):
    def __init__(self, tokens, dim):
        super().__init__()
        self.norm1 = nn.LayerNorm(dim)
        self.token_mlp = nn.Sequential(
            nn.Linear(tokens, 2 * tokens), nn.GELU(), nn.Linear(2 * tokens, tokens)
        )
        self.norm2 = nn.LayerNorm(dim)
        self.channel_mlp = nn.Sequential(
            nn.Linear(dim, 2 * dim), nn.GELU(), nn.Linear(2 * dim, dim)
        )

    def forward(self, x):
        y = self.norm1(x).transpose(1, 2)
        x = x + self.token_mlp(y).transpose(1, 2)
        return x + self.channel_mlp(self.norm2(x))


class PatchMixer(nn.Module):
    def __init__(self, image=32, patch=8, dim=48, num_classes=10):
        super().__init__()
        self.patch = patch
        tokens = (image // patch) ** 2
        self.embed = nn.Linear(3 * patch * patch, dim)
        self.block = MixerBlock(tokens, dim)
        self.proj = nn.Linear(dim, 3 * patch * patch)
        self.fold = nn.Fold(output_size=(image, image), kernel_size=patch, stride=patch)
        self.heads = nn.Parameter(torch.randn(4, dim))
        self.head = nn.Linear(4 * 3, num_classes)

    def forward(self, x):
        patches = F.unfold(x, kernel_size=self.patch, stride=self.patch)  # (B, C*p*p, L)
        tokens = self.embed(patches.transpose(1, 2))
        tokens = self.block(tokens)
        recon = self.fold(self.proj(tokens).transpose(1, 2))
        scores = torch.einsum("bld,hd->bhl", tokens, self.heads)
        pooled = scores.mean(-1).repeat_interleave(3, dim=1)
        return recon, self.head(pooled)
