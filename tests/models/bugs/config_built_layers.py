"""Layers built from a config list by a factory (getattr(nn, type)(*args)), and the model
instantiated at module level with an argument. The BatchNorm entry of the config has the
wrong width; the error belongs to the line that constructs it: the factory's."""

# shapecalc: input=2,3,16,16

import torch.nn as nn

CONFIG = [
    ("Conv2d", (3, 8, 3)),
    ("BatchNorm2d", (16,)),
    ("ReLU", ()),
]


def make_layer(kind, args):
    return getattr(nn, kind)(*args)  # expect: SC203


class ConfigNet(nn.Module):
    def __init__(self, num_classes):
        super().__init__()
        self.body = nn.Sequential(*[make_layer(kind, args) for kind, args in CONFIG])
        self.fc = nn.Linear(8, num_classes)

    def forward(self, x):
        return self.fc(self.body(x).mean((2, 3)))


net = ConfigNet(10)
