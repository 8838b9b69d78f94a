"""ResNet-18 (He et al., 2015): basic residual blocks, [2, 2, 2, 2] per stage.

Each block adds its input back onto two 3x3 convolutions. When a block changes the shape
(stride 2, or more channels), the shortcut gets a 1x1 convolution with the same stride so
that both sides of the add agree. A global average pool makes the head independent of the
input size.
"""

# shapecalc: input=B,3,H,W
# Designed for 224x224; every H, W >= 1 works (strided 3x3 convs with padding 1 never
# shrink a side below 1).

import torch
import torch.nn as nn
import torch.nn.functional as F


def conv_bn(
    in_channels: int, out_channels: int, kernel_size: int, stride: int = 1
) -> nn.Sequential:
    return nn.Sequential(
        nn.Conv2d(
            in_channels, out_channels, kernel_size, stride, padding=kernel_size // 2, bias=False
        ),
        nn.BatchNorm2d(out_channels),
    )


class BasicBlock(nn.Module):
    def __init__(self, in_channels: int, out_channels: int, stride: int) -> None:
        super().__init__()
        self.conv1 = conv_bn(in_channels, out_channels, 3, stride)
        self.conv2 = conv_bn(out_channels, out_channels, 3)
        self.shortcut = nn.Identity()
        if stride != 1 or in_channels != out_channels:
            self.shortcut = conv_bn(in_channels, out_channels, 1, stride)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        out = F.relu(self.conv1(x))
        out = self.conv2(out)
        return F.relu(out + self.shortcut(x))


class ResNet18(nn.Module):
    def __init__(
        self, num_classes: int = 1000, blocks_per_stage: tuple[int, ...] = (2, 2, 2, 2)
    ) -> None:
        super().__init__()
        self.stem = nn.Sequential(
            nn.Conv2d(3, 64, kernel_size=7, stride=2, padding=3, bias=False),
            nn.BatchNorm2d(64),
            nn.ReLU(inplace=True),
            nn.MaxPool2d(kernel_size=3, stride=2, padding=1),
        )
        stages = []
        in_channels = 64
        for i, num_blocks in enumerate(blocks_per_stage):
            out_channels = 64 * 2**i
            first_stride = 1 if i == 0 else 2
            blocks = []
            for j in range(num_blocks):
                blocks.append(BasicBlock(in_channels, out_channels, first_stride if j == 0 else 1))
                in_channels = out_channels
            stages.append(nn.Sequential(*blocks))
        self.stages = nn.Sequential(*stages)
        self.pool = nn.AdaptiveAvgPool2d(1)
        self.fc = nn.Linear(in_channels, num_classes)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        x = self.stem(x)
        x = self.stages(x)
        x = torch.flatten(self.pool(x), 1)
        return self.fc(x)


if __name__ == "__main__":
    model = ResNet18().eval()
    with torch.no_grad():
        out = model(torch.rand(1, 3, 32, 32))
    print(tuple(out.shape))
