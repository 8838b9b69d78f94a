"""A Siamese network over two images sharing one backbone with a non-local block (bmm of
views and permutes), CBAM channel and spatial attention (max(1, keepdim=True)[0]), reflect
padding, an Unfold of patches, and |a - b| into the head."""

# shapecalc: input=2,3,24,24 input=2,3,24,24

import torch
import torch.nn as nn
import torch.nn.functional as F


class NonLocal(nn.Module):
    def __init__(self, c):
        super().__init__()
        self.inter = c // 2
        self.theta = nn.Conv2d(c, self.inter, 1)
        self.phi = nn.Conv2d(c, self.inter, 1)
        self.g = nn.Conv2d(c, self.inter, 1)
        self.w = nn.Conv2d(self.inter, c, 1)

    def forward(self, x):
        b, c, h, w = x.size()
        theta = self.theta(x).view(b, self.inter, -1).permute(0, 2, 1)
        phi = self.phi(x).view(b, self.inter, -1)
        attn = F.softmax(torch.bmm(theta, phi), dim=-1)
        g = self.g(x).view(b, self.inter, -1).permute(0, 2, 1)
        y = torch.bmm(attn, g).permute(0, 2, 1).contiguous().view(b, self.inter, h, w)
        return x + self.w(y)


class CBAM(nn.Module):
    def __init__(self, c, r=4):
        super().__init__()
        self.mlp = nn.Sequential(nn.Conv2d(c, c // r, 1), nn.ReLU(), nn.Conv2d(c // r, c, 1))
        self.spatial = nn.Conv2d(2, 1, 7, padding=3)

    def forward(self, x):
        ca = torch.sigmoid(
            self.mlp(F.adaptive_avg_pool2d(x, 1)) + self.mlp(F.adaptive_max_pool2d(x, 1))
        )
        x = x * ca
        s = torch.cat([x.mean(1, keepdim=True), x.max(1, keepdim=True)[0]], dim=1)
        return x * torch.sigmoid(self.spatial(s))


class Siamese(nn.Module):
    def __init__(self):
        super().__init__()
        self.backbone = nn.Sequential(
            nn.Conv2d(3, 16, 3, padding=1, padding_mode="reflect"),
            nn.ReLU(),
            nn.MaxPool2d(2),
            NonLocal(16),
            CBAM(16),
            nn.Conv2d(16, 32, 3, stride=2, padding=1),
        )
        self.unfold = nn.Unfold(kernel_size=2, stride=2)
        self.head = nn.Linear(32 * 4 * 9, 1)

    def embed(self, x):
        return self.unfold(self.backbone(x)).flatten(1)

    def forward(self, a, b):
        return torch.sigmoid(self.head(torch.abs(self.embed(a) - self.embed(b))))
