"""Channel split / chunk (ShuffleNetV2 unit with channel shuffle), einsum self-attention over
spatial positions, torch.flatten + x.reshape(B, -1) head."""

# shapecalc: input=2,3,32,32

import torch
import torch.nn as nn
import torch.nn.functional as F


def channel_shuffle(x, groups):
    batchsize, num_channels, height, width = x.size()
    channels_per_group = num_channels // groups
    x = x.view(batchsize, groups, channels_per_group, height, width)
    x = torch.transpose(x, 1, 2).contiguous()
    x = x.view(batchsize, -1, height, width)
    return x


class ShuffleUnit(nn.Module):
    def __init__(self, channels):
        super().__init__()
        branch = channels // 2
        self.branch2 = nn.Sequential(
            nn.Conv2d(branch, branch, 1, bias=False),
            nn.BatchNorm2d(branch),
            nn.ReLU(inplace=True),
            nn.Conv2d(branch, branch, 3, 1, 1, groups=branch, bias=False),
            nn.BatchNorm2d(branch),
            nn.Conv2d(branch, branch, 1, bias=False),
            nn.BatchNorm2d(branch),
            nn.ReLU(inplace=True),
        )

    def forward(self, x):
        x1, x2 = x.chunk(2, dim=1)
        out = torch.cat((x1, self.branch2(x2)), dim=1)
        return channel_shuffle(out, 2)


class EinsumAttention(nn.Module):
    def __init__(self, dim, heads=4):
        super().__init__()
        self.heads = heads
        self.scale = (dim // heads) ** -0.5
        self.qkv = nn.Conv2d(dim, dim * 3, 1, bias=False)
        self.proj = nn.Conv2d(dim, dim, 1)

    def forward(self, x):
        b, c, h, w = x.shape
        q, k, v = torch.split(self.qkv(x), c, dim=1)
        q = q.reshape(b, self.heads, c // self.heads, h * w)
        k = k.reshape(b, self.heads, c // self.heads, h * w)
        v = v.reshape(b, self.heads, c // self.heads, h * w)
        attn = torch.einsum("bhdi,bhdj->bhij", q, k) * self.scale
        attn = attn.softmax(dim=-1)
        out = torch.einsum("bhij,bhdj->bhdi", attn, v)
        out = out.reshape(b, c, h, w)
        return self.proj(out) + x


class SplitNet(nn.Module):
    def __init__(self, num_classes=10):
        super().__init__()
        self.stem = nn.Conv2d(3, 32, 3, stride=2, padding=1)
        self.unit1 = ShuffleUnit(32)
        self.unit2 = ShuffleUnit(32)
        self.attn = EinsumAttention(32)
        self.pool = nn.AdaptiveMaxPool2d((2, 2))
        self.fc = nn.Linear(32 * 2 * 2, num_classes)

    def forward(self, x):
        B = x.shape[0]
        x = F.relu(self.stem(x))
        x = self.unit2(self.unit1(x))
        x = self.attn(x)
        x = torch.flatten(self.pool(x), 1)
        x = x.reshape(B, -1)
        return self.fc(x)
