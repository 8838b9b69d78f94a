"""Feature pyramid network: bottom-up convs, lateral 1x1, top-down interpolate to size + add."""

# shapecalc: input=2,3,64,64

import torch.nn as nn
import torch.nn.functional as F


class FPN(nn.Module):
    def __init__(self, out_channels=32):
        super().__init__()
        self.c2 = nn.Sequential(nn.Conv2d(3, 16, 3, stride=2, padding=1), nn.ReLU())
        self.c3 = nn.Sequential(nn.Conv2d(16, 32, 3, stride=2, padding=1), nn.ReLU())
        self.c4 = nn.Sequential(nn.Conv2d(32, 64, 3, stride=2, padding=1), nn.ReLU())
        self.c5 = nn.Sequential(nn.Conv2d(64, 128, 3, stride=2, padding=1), nn.ReLU())
        self.lateral = nn.ModuleList([nn.Conv2d(c, out_channels, 1) for c in (16, 32, 64, 128)])
        self.smooth = nn.ModuleList(
            [nn.Conv2d(out_channels, out_channels, 3, padding=1) for _ in range(4)]
        )

    def _upsample_add(self, x, lateral):
        return F.interpolate(x, size=lateral.shape[-2:], mode="nearest") + lateral

    def forward(self, x):
        c2 = self.c2(x)
        c3 = self.c3(c2)
        c4 = self.c4(c3)
        c5 = self.c5(c4)
        p5 = self.lateral[3](c5)
        p4 = self._upsample_add(p5, self.lateral[2](c4))
        p3 = self._upsample_add(p4, self.lateral[1](c3))
        _, _, H, W = c2.size()
        p2 = F.interpolate(p3, size=(H, W), mode="bilinear", align_corners=False)
        p2 = p2 + self.lateral[0](c2)
        outs = [p2, p3, p4, p5]
        return [conv(p) for conv, p in zip(self.smooth, outs)]
