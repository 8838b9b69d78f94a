"""YOLO-style detection head: conv backbone, prediction conv reshaped to (B, A, H, W, 5 + C)."""

# shapecalc: input=2,3,64,64

import torch
import torch.nn as nn


class ConvBlock(nn.Module):
    def __init__(self, c_in, c_out, k=3, s=1):
        super().__init__()
        self.conv = nn.Conv2d(c_in, c_out, k, s, k // 2, bias=False)
        self.bn = nn.BatchNorm2d(c_out)
        self.act = nn.LeakyReLU(0.1)

    def forward(self, x):
        return self.act(self.bn(self.conv(x)))


class YOLOHead(nn.Module):
    def __init__(self, num_classes=4, num_anchors=3):
        super().__init__()
        self.num_classes = num_classes
        self.num_anchors = num_anchors
        self.backbone = nn.Sequential(
            ConvBlock(3, 16),
            ConvBlock(16, 32, s=2),
            ConvBlock(32, 64, s=2),
            ConvBlock(64, 64, s=2),
        )
        self.pred = nn.Conv2d(64, num_anchors * (5 + num_classes), 1)

    def forward(self, x):
        x = self.pred(self.backbone(x))
        bs, _, ny, nx = x.shape
        x = x.view(bs, self.num_anchors, 5 + self.num_classes, ny, nx)
        x = x.permute(0, 1, 3, 4, 2).contiguous()
        xy = torch.sigmoid(x[..., 0:2])
        wh = torch.exp(x[..., 2:4])
        conf = torch.sigmoid(x[..., 4:])
        out = torch.cat((xy, wh, conf), -1)
        return out.view(bs, -1, 5 + self.num_classes)
