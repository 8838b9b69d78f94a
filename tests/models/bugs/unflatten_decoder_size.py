"""A decoder written as one Sequential: Linear to 128*4*4 features, then nn.Unflatten to
(128, 3, 3)."""

# shapecalc: input=2,32

import torch.nn as nn

decoder = nn.Sequential(
    nn.Linear(32, 128 * 4 * 4),
    nn.ReLU(),
    nn.Unflatten(1, (128, 3, 3)),  # expect: SC405
    nn.ConvTranspose2d(128, 64, 2, 2),
    nn.ReLU(),
    nn.ConvTranspose2d(64, 3, 2, 2),
)
