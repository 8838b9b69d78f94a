"""U-Net (Ronneberger et al., 2015) with same-padded convolutions.

The encoder applies two 3x3 convolutions per level and halves the size with a 2x2 max pool
four times; the decoder doubles it back with 2x2 transposed convolutions of stride 2 and
concatenates the encoder's feature map of the same level (the skip connection) before its
own two convolutions. The concatenation needs both maps to have the same height and width.
Max pooling floors odd sizes, so for a side that is not a multiple of 16 some level comes
back one pixel short (20 -> 10 -> 5 -> 2 -> 1 -> 2 -> 4, but the skip is 5) and the
concatenation fails. Sides that are multiples of 16 are exactly the valid inputs.
"""

# shapecalc: input=B,1,H,W
# Valid exactly when H and W are positive multiples of 16.

import torch
import torch.nn as nn


class DoubleConv(nn.Sequential):
    def __init__(self, in_channels: int, out_channels: int) -> None:
        super().__init__(
            nn.Conv2d(in_channels, out_channels, kernel_size=3, padding=1, bias=False),
            nn.BatchNorm2d(out_channels),
            nn.ReLU(inplace=True),
            nn.Conv2d(out_channels, out_channels, kernel_size=3, padding=1, bias=False),
            nn.BatchNorm2d(out_channels),
            nn.ReLU(inplace=True),
        )


class Down(nn.Sequential):
    def __init__(self, in_channels: int, out_channels: int) -> None:
        super().__init__(nn.MaxPool2d(2), DoubleConv(in_channels, out_channels))


class Up(nn.Module):
    def __init__(self, in_channels: int, out_channels: int) -> None:
        super().__init__()
        self.up = nn.ConvTranspose2d(in_channels, in_channels // 2, kernel_size=2, stride=2)
        self.conv = DoubleConv(in_channels, out_channels)

    def forward(self, x: torch.Tensor, skip: torch.Tensor) -> torch.Tensor:
        x = self.up(x)
        x = torch.cat([skip, x], dim=1)  # skip and upsampled maps must match in H and W
        return self.conv(x)


class UNet(nn.Module):
    def __init__(
        self,
        in_channels: int = 1,
        num_classes: int = 2,
        widths: tuple[int, ...] = (64, 128, 256, 512, 1024),
    ) -> None:
        super().__init__()
        levels = range(len(widths) - 1)
        self.inc = DoubleConv(in_channels, widths[0])
        self.downs = nn.ModuleList(Down(widths[i], widths[i + 1]) for i in levels)
        self.ups = nn.ModuleList(Up(widths[i + 1], widths[i]) for i in reversed(levels))
        self.head = nn.Conv2d(widths[0], num_classes, kernel_size=1)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        x = self.inc(x)
        skips = []
        for down in self.downs:
            skips.append(x)
            x = down(x)
        for up, skip in zip(self.ups, reversed(skips)):
            x = up(x, skip)
        return self.head(x)


if __name__ == "__main__":
    model = UNet().eval()
    with torch.no_grad():
        out = model(torch.rand(1, 1, 32, 32))
    print(tuple(out.shape))
