"""Res2Net split with an int split size and SKNet selective-kernel attention."""

# shapecalc: input=2,3,32,32

import torch
import torch.nn as nn


class Bottle2neck(nn.Module):
    def __init__(self, planes=64, scale=4):
        super().__init__()
        self.width = planes // scale
        self.nums = scale - 1
        self.convs = nn.ModuleList(
            [nn.Conv2d(self.width, self.width, 3, padding=1, bias=False) for _ in range(self.nums)]
        )
        self.conv3 = nn.Conv2d(planes, planes, 1)

    def forward(self, x):
        spx = torch.split(x, self.width, 1)
        sp = spx[0]
        outs = []
        for i in range(self.nums):
            if i > 0:
                sp = sp + spx[i]
            sp = self.convs[i](sp)
            outs.append(sp)
        out = torch.cat(outs + [spx[self.nums]], 1)
        return self.conv3(out) + x


class SKConv(nn.Module):
    def __init__(self, features, M=2, r=4, L=8):
        super().__init__()
        d = max(int(features / r), L)
        self.M = M
        self.features = features
        self.convs = nn.ModuleList(
            [
                nn.Sequential(
                    nn.Conv2d(
                        features, features, 3, padding=1 + i, dilation=1 + i, groups=4, bias=False
                    ),
                    nn.BatchNorm2d(features),
                    nn.ReLU(inplace=True),
                )
                for i in range(M)
            ]
        )
        self.gap = nn.AdaptiveAvgPool2d((1, 1))
        self.fc = nn.Sequential(nn.Conv2d(features, d, 1, bias=False), nn.BatchNorm2d(d), nn.ReLU())
        self.fcs = nn.ModuleList([nn.Conv2d(d, features, 1) for _ in range(M)])
        self.softmax = nn.Softmax(dim=1)

    def forward(self, x):
        batch_size = x.shape[0]
        feats = [conv(x) for conv in self.convs]
        feats = torch.cat(feats, dim=1)
        feats = feats.view(batch_size, self.M, self.features, feats.shape[2], feats.shape[3])
        feats_U = torch.sum(feats, dim=1)
        feats_S = self.gap(feats_U)
        feats_Z = self.fc(feats_S)
        attention_vectors = [fc(feats_Z) for fc in self.fcs]
        attention_vectors = torch.cat(attention_vectors, dim=1)
        attention_vectors = attention_vectors.view(batch_size, self.M, self.features, 1, 1)
        attention_vectors = self.softmax(attention_vectors)
        return torch.sum(feats * attention_vectors, dim=1)


class Net(nn.Module):
    def __init__(self):
        super().__init__()
        self.stem = nn.Conv2d(3, 64, 3, 2, 1)
        self.res2 = Bottle2neck(64)
        self.sk = SKConv(64)
        self.fc = nn.Linear(64, 10)

    def forward(self, x):
        x = self.sk(self.res2(self.stem(x)))
        return self.fc(torch.flatten(nn.functional.adaptive_avg_pool2d(x, 1), 1))
