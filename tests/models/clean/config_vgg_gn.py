"""VGG-style features from a config list with 'M' entries, GroupNorm from a factory whose
group count adapts to the width, and setattr-registered classifier layers."""

# shapecalc: input=2,3,32,32
# check-symbolic: B,3,H,W

import torch.nn as nn

CFG = [16, 16, "M", 48, "M", 64, 64, "M"]


def norm(channels):
    return nn.GroupNorm(16 if channels % 16 == 0 else 8, channels)


def make_features(cfg):
    layers, cin = [], 3
    for v in cfg:
        if v == "M":
            layers.append(nn.MaxPool2d(2, 2))
        else:
            layers += [nn.Conv2d(cin, v, 3, padding=1), norm(v), nn.ReLU(inplace=True)]
            cin = v
    return nn.Sequential(*layers)


class VGGish(nn.Module):
    def __init__(self, dims=(64, 32, 10)):
        super().__init__()
        self.features = make_features(CFG)
        self.pool = nn.AdaptiveAvgPool2d(1)
        for i, (a, b) in enumerate(zip(dims[:-1], dims[1:])):
            setattr(self, f"fc{i}", nn.Linear(a, b))

    def forward(self, x):
        x = self.pool(self.features(x)).flatten(1)
        return self.fc1(self.fc0(x).relu())
