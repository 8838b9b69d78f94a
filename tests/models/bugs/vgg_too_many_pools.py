"""A VGG-16 feature extractor (five 2x2 pools) run on 16x16 crops: the fifth pool
receives a 1x1 map, and a 2x2 window does not fit."""

# shapecalc: input=2,3,16,16

import torch.nn as nn

CFG = [16, "M", 32, "M", 64, "M", 64, "M", 64, "M"]


class VGGFeatures(nn.Module):
    def __init__(self):
        super().__init__()
        layers = []
        cin = 3
        for v in CFG:
            if v == "M":
                layers.append(nn.MaxPool2d(kernel_size=2, stride=2))  # expect: SC101
            else:
                layers += [nn.Conv2d(cin, v, kernel_size=3, padding=1), nn.ReLU(inplace=True)]
                cin = v
        self.features = nn.Sequential(*layers)
        self.classifier = nn.Linear(64, 10)

    def forward(self, x):
        x = self.features(x)
        return self.classifier(x.flatten(1))
