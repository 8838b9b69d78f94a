"""VGG features built from a config list in a loop; the loop updates the running channel
count only after max-pools, so the conv after a plain conv gets the stale width. The bad
conv is built by the loop's Conv2d line."""

# shapecalc: input=2,3,32,32

import torch.nn as nn

CFG = [16, "M", 32, 32, "M", 64, "M"]


def make_features(cfg, batch_norm=False):
    layers = []
    in_channels = 3
    last = 3
    for v in cfg:
        if v == "M":
            layers += [nn.MaxPool2d(kernel_size=2, stride=2)]
            in_channels = last
        else:
            conv = nn.Conv2d(in_channels, v, kernel_size=3, padding=1)  # expect: SC201
            layers += [conv, nn.ReLU(inplace=True)]
            last = v
    return nn.Sequential(*layers)


class VGGish(nn.Module):
    def __init__(self):
        super().__init__()
        self.features = make_features(CFG)
        self.classifier = nn.Linear(64 * 4 * 4, 10)

    def forward(self, x):
        x = self.features(x)
        return self.classifier(x.flatten(1))
