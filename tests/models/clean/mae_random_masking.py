"""MAE random masking: random noise argsorted into a shuffle, int(L * (1 - ratio)) tokens
kept (int() of a traced size), gathered, projected, padded with a learned mask token and
unshuffled with gather."""

# shapecalc: input=2,16,32

import torch
import torch.nn as nn


class RandomMasking(nn.Module):
    def __init__(self, ratio=0.75, dim=32):
        super().__init__()
        self.ratio = ratio
        self.mask_token = nn.Parameter(torch.zeros(1, 1, dim))
        self.proj = nn.Linear(dim, dim)

    def forward(self, x):
        N, L, D = x.shape
        keep = int(L * (1 - self.ratio))
        noise = torch.rand(N, L, device=x.device)
        ids_shuffle = torch.argsort(noise, dim=1)
        ids_restore = torch.argsort(ids_shuffle, dim=1)
        ids_keep = ids_shuffle[:, :keep]
        kept = torch.gather(x, dim=1, index=ids_keep.unsqueeze(-1).repeat(1, 1, D))
        kept = self.proj(kept)
        mask_tokens = self.mask_token.repeat(N, L - keep, 1)
        full = torch.cat([kept, mask_tokens], dim=1)
        return torch.gather(full, 1, ids_restore.unsqueeze(-1).repeat(1, 1, D))
