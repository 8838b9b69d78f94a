"""EfficientNet MBConv blocks from a settings table with make_divisible widths, a
squeeze-excitation with 1x1 convs, stochastic-depth style residual and the torchvision
_make_divisible helper."""

# shapecalc: input=2,3,32,32
# check-symbolic: B,3,H,W

import torch.nn as nn


def make_divisible(v, divisor=8, min_value=None):
    min_value = min_value or divisor
    new_v = max(min_value, int(v + divisor / 2) // divisor * divisor)
    if new_v < 0.9 * v:
        new_v += divisor
    return new_v


class SqueezeExcite(nn.Module):
    def __init__(self, c, squeeze):
        super().__init__()
        self.pool = nn.AdaptiveAvgPool2d(1)
        self.fc1 = nn.Conv2d(c, squeeze, 1)
        self.fc2 = nn.Conv2d(squeeze, c, 1)

    def forward(self, x):
        s = self.fc2(self.fc1(self.pool(x)).relu()).sigmoid()
        return x * s


class MBConv(nn.Module):
    def __init__(self, cin, cout, expand, stride, k):
        super().__init__()
        hidden = make_divisible(cin * expand)
        self.use_res = stride == 1 and cin == cout
        layers = []
        if hidden != cin:
            layers += [nn.Conv2d(cin, hidden, 1, bias=False), nn.BatchNorm2d(hidden), nn.SiLU()]
        layers += [
            nn.Conv2d(hidden, hidden, k, stride, k // 2, groups=hidden, bias=False),
            nn.BatchNorm2d(hidden),
            nn.SiLU(),
            SqueezeExcite(hidden, max(1, cin // 4)),
            nn.Conv2d(hidden, cout, 1, bias=False),
            nn.BatchNorm2d(cout),
        ]
        self.block = nn.Sequential(*layers)

    def forward(self, x):
        out = self.block(x)
        return out + x if self.use_res else out


SETTINGS = [(1, 16, 1, 1, 3), (6, 24, 2, 2, 3), (6, 40, 2, 2, 5)]


class EfficientNetish(nn.Module):
    def __init__(self, width=1.1):
        super().__init__()
        c = make_divisible(32 * width)
        layers = [nn.Conv2d(3, c, 3, 2, 1, bias=False), nn.BatchNorm2d(c), nn.SiLU()]
        for t, ch, n, s, k in SETTINGS:
            out = make_divisible(ch * width)
            for i in range(n):
                layers.append(MBConv(c, out, t, s if i == 0 else 1, k))
                c = out
        self.features = nn.Sequential(*layers)
        self.head = nn.Sequential(nn.AdaptiveAvgPool2d(1), nn.Flatten(), nn.Linear(c, 10))

    def forward(self, x):
        return self.head(self.features(x))
