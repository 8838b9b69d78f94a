"""VGG-16 (Simonyan and Zisserman, 2014), configuration D.

Thirteen 3x3 convolutions in five stages, each stage closed by a 2x2 max pool that halves
height and width, then three fully connected layers. The stages are built from a short
configuration list, as VGG implementations usually are. An adaptive average pool to 7x7
keeps the classifier at 512 * 7 * 7 = 25088 inputs for any input size.
"""

# shapecalc: input=B,3,H,W
# Designed for 224x224; any H, W >= 32 works (five halvings must leave at least 1x1).

import torch
import torch.nn as nn

# Output channels of each 3x3 convolution; "M" is a 2x2 max pool.
VGG16_LAYERS = [
    64, 64, "M",
    128, 128, "M",
    256, 256, 256, "M",
    512, 512, 512, "M",
    512, 512, 512, "M",
]  # fmt: skip


def make_stages(layers: list, in_channels: int = 3) -> nn.Sequential:
    modules: list[nn.Module] = []
    for item in layers:
        if item == "M":
            modules.append(nn.MaxPool2d(kernel_size=2, stride=2))
        else:
            modules += [nn.Conv2d(in_channels, item, kernel_size=3, padding=1), nn.ReLU(True)]
            in_channels = item
    return nn.Sequential(*modules)


class VGG16(nn.Module):
    def __init__(self, num_classes: int = 1000, dropout: float = 0.5) -> None:
        super().__init__()
        self.features = make_stages(VGG16_LAYERS)
        self.avgpool = nn.AdaptiveAvgPool2d((7, 7))
        self.classifier = nn.Sequential(
            nn.Linear(512 * 7 * 7, 4096),
            nn.ReLU(True),
            nn.Dropout(p=dropout),
            nn.Linear(4096, 4096),
            nn.ReLU(True),
            nn.Dropout(p=dropout),
            nn.Linear(4096, num_classes),
        )

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        x = self.features(x)
        x = self.avgpool(x)
        x = x.flatten(1)
        return self.classifier(x)


if __name__ == "__main__":
    model = VGG16().eval()
    with torch.no_grad():
        out = model(torch.rand(1, 3, 32, 32))
    print(tuple(out.shape))
