"""No class at all: a model written as one module-level nn.Sequential, as in quick
experiments and notebooks. The 3x3 conv without padding shrinks 28x28 to 26x26, the
Linear was sized for 28x28."""

# shapecalc: input=16,1,28,28

import torch.nn as nn

model = nn.Sequential(
    nn.Conv2d(1, 8, kernel_size=3),
    nn.ReLU(),
    nn.Flatten(),
    nn.Linear(8 * 28 * 28, 10),  # expect: SC401
)
