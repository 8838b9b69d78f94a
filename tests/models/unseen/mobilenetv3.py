"""MobileNetV3-small style: h-swish / h-sigmoid (hand-written and nn.Hardswish), SE, ModuleDict."""

# shapecalc: input=2,3,64,64

import torch.nn as nn
import torch.nn.functional as F


class h_sigmoid(nn.Module):
    def __init__(self, inplace=True):
        super().__init__()
        self.relu = nn.ReLU6(inplace=inplace)

    def forward(self, x):
        return self.relu(x + 3) / 6


class h_swish(nn.Module):
    def __init__(self, inplace=True):
        super().__init__()
        self.sigmoid = h_sigmoid(inplace=inplace)

    def forward(self, x):
        return x * self.sigmoid(x)


class SELayer(nn.Module):
    def __init__(self, channel, reduction=4):
        super().__init__()
        self.avg_pool = nn.AdaptiveAvgPool2d(1)
        self.fc = nn.Sequential(
            nn.Linear(channel, channel // reduction),
            nn.ReLU(inplace=True),
            nn.Linear(channel // reduction, channel),
            h_sigmoid(),
        )

    def forward(self, x):
        b, c, _, _ = x.size()
        y = self.avg_pool(x).view(b, c)
        y = self.fc(y).view(b, c, 1, 1)
        return x * y


class InvertedResidual(nn.Module):
    def __init__(self, inp, hidden_dim, oup, kernel_size, stride, use_se, use_hs):
        super().__init__()
        self.identity = stride == 1 and inp == oup
        act = nn.Hardswish() if use_hs else nn.ReLU(inplace=True)
        self.conv = nn.Sequential(
            nn.Conv2d(inp, hidden_dim, 1, 1, 0, bias=False),
            nn.BatchNorm2d(hidden_dim),
            act,
            nn.Conv2d(
                hidden_dim,
                hidden_dim,
                kernel_size,
                stride,
                (kernel_size - 1) // 2,
                groups=hidden_dim,
                bias=False,
            ),
            nn.BatchNorm2d(hidden_dim),
            SELayer(hidden_dim) if use_se else nn.Identity(),
            h_swish() if use_hs else nn.ReLU(inplace=True),
            nn.Conv2d(hidden_dim, oup, 1, 1, 0, bias=False),
            nn.BatchNorm2d(oup),
        )

    def forward(self, x):
        if self.identity:
            return x + self.conv(x)
        return self.conv(x)


class MobileNetV3Small(nn.Module):
    def __init__(self, num_classes=10):
        super().__init__()
        self.features = nn.ModuleDict(
            {
                "stem": nn.Sequential(
                    nn.Conv2d(3, 16, 3, 2, 1, bias=False), nn.BatchNorm2d(16), h_swish()
                ),
                "b1": InvertedResidual(16, 16, 16, 3, 2, True, False),
                "b2": InvertedResidual(16, 72, 24, 3, 2, False, False),
                "b3": InvertedResidual(24, 88, 24, 3, 1, False, False),
                "b4": InvertedResidual(24, 96, 40, 5, 2, True, True),
            }
        )
        self.conv = nn.Sequential(nn.Conv2d(40, 96, 1, bias=False), nn.BatchNorm2d(96), h_swish())
        self.classifier = nn.Sequential(
            nn.Linear(96, 128), nn.Hardswish(), nn.Dropout(0.2), nn.Linear(128, num_classes)
        )

    def forward(self, x):
        for name in ["stem", "b1", "b2", "b3", "b4"]:
            x = self.features[name](x)
        x = self.conv(x)
        x = F.adaptive_avg_pool2d(x, (1, 1))
        x = x.reshape(x.shape[0], -1)
        return self.classifier(x)
