"""MobileNetV2 (Sandler et al., 2018): inverted residual blocks with linear bottlenecks.

Each block expands the channels t-fold with a 1x1 convolution, filters every channel on its
own with a 3x3 depthwise convolution (groups equal to the channel count), and projects back
down with a 1x1 convolution that has no activation. The input is added back only when the
block keeps the shape: stride 1 and as many output channels as input channels.
"""

# shapecalc: input=B,3,H,W
# Designed for 224x224; every H, W >= 1 works.

import torch
import torch.nn as nn

# expansion t, output channels c, repeats n, first stride s (Table 2 of the paper)
INVERTED_RESIDUAL_SETTINGS = [
    (1, 16, 1, 1),
    (6, 24, 2, 2),
    (6, 32, 3, 2),
    (6, 64, 4, 2),
    (6, 96, 3, 1),
    (6, 160, 3, 2),
    (6, 320, 1, 1),
]


def conv_bn_relu6(
    in_channels: int, out_channels: int, kernel_size: int = 3, stride: int = 1, groups: int = 1
) -> nn.Sequential:
    padding = (kernel_size - 1) // 2
    return nn.Sequential(
        nn.Conv2d(
            in_channels, out_channels, kernel_size, stride, padding, groups=groups, bias=False
        ),
        nn.BatchNorm2d(out_channels),
        nn.ReLU6(inplace=True),
    )


class InvertedResidual(nn.Module):
    def __init__(self, in_channels: int, out_channels: int, stride: int, expand_ratio: int):
        super().__init__()
        hidden = in_channels * expand_ratio
        self.use_residual = stride == 1 and in_channels == out_channels
        layers: list[nn.Module] = []
        if expand_ratio != 1:
            layers.append(conv_bn_relu6(in_channels, hidden, kernel_size=1))
        layers += [
            conv_bn_relu6(hidden, hidden, stride=stride, groups=hidden),  # depthwise
            nn.Conv2d(hidden, out_channels, kernel_size=1, bias=False),  # linear projection
            nn.BatchNorm2d(out_channels),
        ]
        self.conv = nn.Sequential(*layers)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        if self.use_residual:
            return x + self.conv(x)
        return self.conv(x)


class MobileNetV2(nn.Module):
    def __init__(self, num_classes: int = 1000, dropout: float = 0.2) -> None:
        super().__init__()
        in_channels, last_channels = 32, 1280
        features: list[nn.Module] = [conv_bn_relu6(3, in_channels, stride=2)]
        for t, c, n, s in INVERTED_RESIDUAL_SETTINGS:
            for i in range(n):
                features.append(InvertedResidual(in_channels, c, s if i == 0 else 1, t))
                in_channels = c
        features.append(conv_bn_relu6(in_channels, last_channels, kernel_size=1))
        self.features = nn.Sequential(*features)
        self.pool = nn.AdaptiveAvgPool2d((1, 1))
        self.classifier = nn.Sequential(nn.Dropout(dropout), nn.Linear(last_channels, num_classes))

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        x = self.pool(self.features(x))
        x = torch.flatten(x, 1)
        return self.classifier(x)


if __name__ == "__main__":
    model = MobileNetV2().eval()
    with torch.no_grad():
        out = model(torch.rand(1, 3, 32, 32))
    print(tuple(out.shape))
