"""YOLOv5 pieces: Focus space-to-depth slicing, C2f CSP block with chunk, SPPF, upsample + cat."""

# shapecalc: input=2,3,64,64

import torch
import torch.nn as nn


class Conv(nn.Module):
    def __init__(self, c1, c2, k=1, s=1, p=None, g=1):
        super().__init__()
        if p is None:
            p = k // 2
        self.conv = nn.Conv2d(c1, c2, k, s, p, groups=g, bias=False)
        self.bn = nn.BatchNorm2d(c2)
        self.act = nn.SiLU()

    def forward(self, x):
        return self.act(self.bn(self.conv(x)))


class Focus(nn.Module):
    def __init__(self, c1, c2, k=1):
        super().__init__()
        self.conv = Conv(c1 * 4, c2, k)

    def forward(self, x):
        return self.conv(
            torch.cat(
                [x[..., ::2, ::2], x[..., 1::2, ::2], x[..., ::2, 1::2], x[..., 1::2, 1::2]], 1
            )
        )


class C2f(nn.Module):
    def __init__(self, c1, c2, n=1):
        super().__init__()
        self.c = c2 // 2
        self.cv1 = Conv(c1, 2 * self.c, 1, 1)
        self.cv2 = Conv((2 + n) * self.c, c2, 1)
        self.m = nn.ModuleList(Conv(self.c, self.c, 3) for _ in range(n))

    def forward(self, x):
        y = list(self.cv1(x).chunk(2, 1))
        y.extend(m(y[-1]) for m in self.m)
        return self.cv2(torch.cat(y, 1))


class SPPF(nn.Module):
    def __init__(self, c1, c2, k=5):
        super().__init__()
        c_ = c1 // 2
        self.cv1 = Conv(c1, c_, 1, 1)
        self.cv2 = Conv(c_ * 4, c2, 1, 1)
        self.m = nn.MaxPool2d(kernel_size=k, stride=1, padding=k // 2)

    def forward(self, x):
        x = self.cv1(x)
        y1 = self.m(x)
        y2 = self.m(y1)
        return self.cv2(torch.cat((x, y1, y2, self.m(y2)), 1))


class TinyYOLO(nn.Module):
    def __init__(self, nc=3, na=3):
        super().__init__()
        self.no = nc + 5
        self.na = na
        self.focus = Focus(3, 16, 3)
        self.c1 = Conv(16, 32, 3, 2)
        self.csp = C2f(32, 32, 2)
        self.c2 = Conv(32, 64, 3, 2)
        self.sppf = SPPF(64, 64)
        self.up = nn.Upsample(scale_factor=2, mode="nearest")
        self.fuse = C2f(96, 32)
        self.detect = nn.ModuleList(
            [nn.Conv2d(32, self.no * na, 1), nn.Conv2d(64, self.no * na, 1)]
        )

    def forward(self, x):
        x = self.csp(self.c1(self.focus(x)))
        p4 = self.sppf(self.c2(x))
        p3 = self.fuse(torch.cat([self.up(p4), x], 1))
        z = []
        for i, f in enumerate([p3, p4]):
            out = self.detect[i](f)
            bs, _, ny, nx = out.shape
            out = out.view(bs, self.na, self.no, ny, nx).permute(0, 1, 3, 4, 2).contiguous()
            z.append(out.view(bs, -1, self.no))
        return torch.cat(z, 1)
