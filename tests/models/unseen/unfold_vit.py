"""ViT from scratch with Tensor.unfold patches, einsum multi-head attention, torch.clone."""

# shapecalc: input=2,3,32,32

import torch
import torch.nn as nn


class Attention(nn.Module):
    def __init__(self, dim, heads=4):
        super().__init__()
        self.heads = heads
        self.scale = (dim // heads) ** -0.5
        self.to_qkv = nn.Linear(dim, dim * 3, bias=False)
        self.out = nn.Linear(dim, dim)

    def forward(self, x):
        b, n, d = x.shape
        qkv = self.to_qkv(x).chunk(3, dim=-1)
        q, k, v = (t.reshape(b, n, self.heads, d // self.heads).transpose(1, 2) for t in qkv)
        dots = torch.einsum("bhid,bhjd->bhij", q, k) * self.scale
        attn = dots.softmax(dim=-1)
        out = torch.einsum("bhij,bhjd->bhid", attn, v)
        out = out.transpose(1, 2).reshape(b, n, d)
        return self.out(out)


class UnfoldViT(nn.Module):
    def __init__(self, image_size=32, patch_size=8, dim=64, num_classes=10):
        super().__init__()
        self.patch_size = patch_size
        num_patches = (image_size // patch_size) ** 2
        self.to_embedding = nn.Linear(3 * patch_size * patch_size, dim)
        self.pos = nn.Parameter(torch.randn(1, num_patches, dim))
        self.attn = Attention(dim)
        self.norm = nn.LayerNorm(dim)
        self.head = nn.Linear(dim, num_classes)

    def forward(self, img):
        p = self.patch_size
        b, c = img.shape[:2]
        patches = img.unfold(2, p, p).unfold(3, p, p)  # (B, C, H/p, W/p, p, p)
        patches = patches.permute(0, 2, 3, 1, 4, 5).reshape(b, -1, c * p * p)
        x = self.to_embedding(patches) + self.pos
        residual = torch.clone(x)
        x = self.attn(self.norm(x)) + residual
        return self.head(x.mean(dim=1))
