"""The seed's DenseNet (the seed tutorial, section 8): one input channel, ten classes.

A stem of convolution and pooling, four dense blocks of four convolutions each (growth rate
32) with a transition halving the channels between them, then batch norm, a global average
pool whose kernel is the input's own height and width, and a Linear. On (1, 1, 96, 96):
stem (1, 64, 24, 24); block 0 (1, 192, 24, 24); transition 0 (1, 96, 12, 12); block 1
(1, 224, 12, 12); transition 1 (1, 112, 6, 6); block 2 (1, 240, 6, 6); transition 2
(1, 120, 3, 3); block 3 (1, 248, 3, 3); global pool (1, 248, 1, 1); fc (1, 10).
Because the global pool always gives 1x1, Linear(248, 10) is right at every input size.
"""

# shapecalc: input=B,1,H,W
# The seed runs it on (1, 1, 96, 96); any H, W >= 29 works (the three transitions each
# need at least 2x2 to pool).

import torch
import torch.nn as nn
import torch.nn.functional as F


def conv_block(in_channels: int, out_channels: int) -> nn.Sequential:
    return nn.Sequential(
        nn.BatchNorm2d(in_channels),
        nn.ReLU(),
        nn.Conv2d(in_channels, out_channels, kernel_size=3, padding=1),
    )


class DenseBlock(nn.Module):
    def __init__(self, num_convs: int, in_channels: int, out_channels: int) -> None:
        super().__init__()
        self.net = nn.ModuleList(
            conv_block(in_channels + i * out_channels, out_channels) for i in range(num_convs)
        )
        self.out_channels = in_channels + num_convs * out_channels

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        for blk in self.net:
            y = blk(x)
            x = torch.cat((x, y), dim=1)
        return x


def transition_block(in_channels: int, out_channels: int) -> nn.Sequential:
    return nn.Sequential(
        nn.BatchNorm2d(in_channels),
        nn.ReLU(),
        nn.Conv2d(in_channels, out_channels, kernel_size=1),
        nn.AvgPool2d(kernel_size=2, stride=2),
    )


class DenseNet(nn.Module):
    def __init__(
        self,
        in_channels: int = 1,
        num_classes: int = 10,
        num_channels: int = 64,
        growth_rate: int = 32,
        num_convs_in_dense_blocks: tuple[int, ...] = (4, 4, 4, 4),
    ) -> None:
        super().__init__()
        self.stem = nn.Sequential(
            nn.Conv2d(in_channels, num_channels, kernel_size=7, stride=2, padding=3),
            nn.BatchNorm2d(num_channels),
            nn.ReLU(),
            nn.MaxPool2d(kernel_size=3, stride=2, padding=1),
        )
        self.blocks = nn.Sequential()
        last = len(num_convs_in_dense_blocks) - 1
        for i, num_convs in enumerate(num_convs_in_dense_blocks):
            block = DenseBlock(num_convs, num_channels, growth_rate)
            self.blocks.add_module(f"dense_block_{i}", block)
            num_channels = block.out_channels
            if i != last:  # a transition halves the channels between dense blocks
                self.blocks.add_module(
                    f"transition_block_{i}", transition_block(num_channels, num_channels // 2)
                )
                num_channels //= 2
        self.bn = nn.BatchNorm2d(num_channels)
        self.relu = nn.ReLU()
        self.fc = nn.Linear(num_channels, num_classes)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        x = self.stem(x)
        x = self.blocks(x)
        x = self.relu(self.bn(x))
        x = F.avg_pool2d(x, kernel_size=x.size()[2:])  # global average pool: (B, C, 1, 1)
        x = x.view(x.shape[0], -1)
        return self.fc(x)


if __name__ == "__main__":
    model = DenseNet().eval()
    with torch.no_grad():
        out = model(torch.rand(1, 1, 96, 96))
    print(tuple(out.shape))
