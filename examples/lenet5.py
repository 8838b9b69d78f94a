"""LeNet-5 (LeCun et al., 1998) for 32x32 grey digits.

Two 5x5 convolutions, each followed by 2x2 subsampling, then three fully connected layers.
The first Linear needs 16 * 5 * 5 = 400 features, which pins the input size: 32x32 works
(as do 33 to 35, since pooling floors), but 28x28 MNIST digits give 16 * 4 * 4 = 256 and
fail unless padded to 32x32 first. The original C5 layer is a 5x5 convolution over a 5x5
map; on a 32x32 input it is exactly the Linear(400, 120) written here.
"""

# shapecalc: input=B,1,32,32

import torch
import torch.nn as nn


class LeNet5(nn.Module):
    def __init__(self, num_classes: int = 10) -> None:
        super().__init__()
        self.features = nn.Sequential(
            nn.Conv2d(1, 6, kernel_size=5),  # C1: 32 -> 28
            nn.Tanh(),
            nn.AvgPool2d(kernel_size=2, stride=2),  # S2: 28 -> 14
            nn.Conv2d(6, 16, kernel_size=5),  # C3: 14 -> 10
            nn.Tanh(),
            nn.AvgPool2d(kernel_size=2, stride=2),  # S4: 10 -> 5
        )
        self.classifier = nn.Sequential(
            nn.Flatten(),
            nn.Linear(16 * 5 * 5, 120),  # C5
            nn.Tanh(),
            nn.Linear(120, 84),  # F6
            nn.Tanh(),
            nn.Linear(84, num_classes),
        )

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return self.classifier(self.features(x))


if __name__ == "__main__":
    model = LeNet5().eval()
    with torch.no_grad():
        out = model(torch.rand(2, 1, 32, 32))
    print(tuple(out.shape))
