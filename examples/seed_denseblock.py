"""The seed's dense block and transition layer (the seed tutorial, section 7).

A dense block concatenates each conv_block's output onto its input along the channel axis,
so DenseBlock(2, 3, 10) turns 3 channels into 3 + 2 * 10 = 23. A transition block then cuts
the channels with a 1x1 convolution and halves height and width with average pooling:
(4, 3, 8, 8) -> dense block -> (4, 23, 8, 8) -> transition_block(23, 10) -> (4, 10, 4, 4).
"""

# shapecalc: input=B,3,H,W
# The seed runs it on (4, 3, 8, 8).

import torch
import torch.nn as nn


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
            x = torch.cat((x, y), dim=1)  # join input and output on the channel axis
        return x


def transition_block(in_channels: int, out_channels: int) -> nn.Sequential:
    return nn.Sequential(
        nn.BatchNorm2d(in_channels),
        nn.ReLU(),
        nn.Conv2d(in_channels, out_channels, kernel_size=1),
        nn.AvgPool2d(kernel_size=2, stride=2),
    )


class DenseStage(nn.Module):
    """DenseBlock(2, 3, 10) followed by transition_block(23, 10), as the seed runs them."""

    def __init__(self) -> None:
        super().__init__()
        self.block = DenseBlock(2, 3, 10)
        self.transition = transition_block(self.block.out_channels, 10)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return self.transition(self.block(x))


if __name__ == "__main__":
    model = DenseStage().eval()
    x = torch.rand(4, 3, 8, 8)
    with torch.no_grad():
        y = model.block(x)
        print("dense block", tuple(y.shape))
        print("transition ", tuple(model.transition(y).shape))
