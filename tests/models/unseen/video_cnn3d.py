"""C3D-style 3-D CNN for short video clips (B, C, T, H, W)."""

# shapecalc: input=2,3,8,32,32

import torch.nn as nn


class C3DTiny(nn.Module):
    def __init__(self, num_classes=7):
        super().__init__()
        self.conv1 = nn.Conv3d(3, 16, kernel_size=(3, 3, 3), padding=(1, 1, 1))
        self.pool1 = nn.MaxPool3d(kernel_size=(1, 2, 2), stride=(1, 2, 2))
        self.conv2 = nn.Conv3d(16, 32, kernel_size=3, padding=1)
        self.bn2 = nn.BatchNorm3d(32)
        self.pool2 = nn.MaxPool3d(kernel_size=2, stride=2)
        self.conv3 = nn.Conv3d(32, 64, kernel_size=(3, 3, 3), stride=(1, 2, 2), padding=1)
        self.pool3 = nn.AdaptiveAvgPool3d((1, 1, 1))
        self.relu = nn.ReLU()
        self.fc = nn.Linear(64, num_classes)

    def forward(self, x):
        x = self.pool1(self.relu(self.conv1(x)))
        x = self.pool2(self.relu(self.bn2(self.conv2(x))))
        x = self.relu(self.conv3(x))
        x = self.pool3(x)
        x = x.view(-1, 64)
        return self.fc(x)
