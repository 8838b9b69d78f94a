"""An MLP on 28x28 grey images that forgot the images are 28x28: nn.Flatten gives 784
features, the first Linear was written for 32x32 = 1024."""

# shapecalc: input=8,1,28,28

import torch.nn as nn


class MLP(nn.Module):
    def __init__(self, hidden=64):
        super().__init__()
        self.net = nn.Sequential(
            nn.Flatten(),
            nn.Linear(32 * 32, hidden),  # expect: SC401
            nn.ReLU(),
            nn.Linear(hidden, hidden),
            nn.ReLU(),
            nn.Linear(hidden, 10),
        )

    def forward(self, x):
        return self.net(x)
