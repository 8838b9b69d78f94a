"""DETR-like: conv backbone, flatten(2).permute(2, 0, 1) sequence-first transformer, learned
query embeddings repeated over the batch, sine-free learned row/col positional embeddings."""

# shapecalc: input=2,3,64,64

import torch
import torch.nn as nn


class DETRTiny(nn.Module):
    def __init__(self, num_classes=5, hidden_dim=32, nheads=4, num_queries=10):
        super().__init__()
        self.backbone = nn.Sequential(
            nn.Conv2d(3, 32, 3, 2, 1), nn.ReLU(), nn.Conv2d(32, 64, 3, 2, 1), nn.ReLU()
        )
        self.conv = nn.Conv2d(64, hidden_dim, 1)
        self.transformer = nn.Transformer(hidden_dim, nheads, 1, 1, dim_feedforward=64)
        self.linear_class = nn.Linear(hidden_dim, num_classes + 1)
        self.linear_bbox = nn.Linear(hidden_dim, 4)
        self.query_pos = nn.Parameter(torch.rand(num_queries, hidden_dim))
        self.row_embed = nn.Parameter(torch.rand(50, hidden_dim // 2))
        self.col_embed = nn.Parameter(torch.rand(50, hidden_dim // 2))

    def forward(self, inputs):
        x = self.backbone(inputs)
        h = self.conv(x)
        H, W = h.shape[-2:]
        pos = (
            torch.cat(
                [
                    self.col_embed[:W].unsqueeze(0).repeat(H, 1, 1),
                    self.row_embed[:H].unsqueeze(1).repeat(1, W, 1),
                ],
                dim=-1,
            )
            .flatten(0, 1)
            .unsqueeze(1)
        )
        src = pos + 0.1 * h.flatten(2).permute(2, 0, 1)
        tgt = self.query_pos.unsqueeze(1).repeat(1, h.shape[0], 1)
        h = self.transformer(src, tgt).transpose(0, 1)
        return self.linear_class(h), self.linear_bbox(h).sigmoid()
