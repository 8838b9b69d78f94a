"""The model is made by a module-level build function from a dataclass config; the
config's hidden width disagrees with the encoder's output."""

# shapecalc: input=2,3,32,32

from dataclasses import dataclass

import torch.nn as nn


@dataclass
class Config:
    width: int = 32
    hidden: int = 128
    classes: int = 10


def build_model(cfg: Config) -> nn.Module:
    encoder = nn.Sequential(
        nn.Conv2d(3, cfg.width, 3, 2, 1),
        nn.ReLU(),
        nn.Conv2d(cfg.width, cfg.width * 2, 3, 2, 1),
        nn.AdaptiveAvgPool2d(1),
        nn.Flatten(),
    )
    head = nn.Sequential(
        nn.Linear(cfg.hidden, cfg.classes),  # expect: SC401
    )
    return nn.Sequential(encoder, head)


model = build_model(Config())
