"""A Sequential literal over many lines: three stride-2 convs without padding on 40x40,
then Flatten and a Linear sized as if the padding were there (64*5*5)."""

# shapecalc: input=2,3,40,40

import torch.nn as nn

model = nn.Sequential(
    nn.Conv2d(3, 16, kernel_size=3, stride=2),
    nn.ReLU(),
    nn.Conv2d(16, 32, kernel_size=3, stride=2),
    nn.ReLU(),
    nn.Conv2d(32, 64, kernel_size=3, stride=2),
    nn.ReLU(),
    nn.Flatten(),
    nn.Linear(  # expect: SC401
        64 * 5 * 5,
        10,
    ),
)
