"""The calculator against its anchors, on ResNet-50 and DenseNet-121 (printed, not a test).

    python benchmarks/bench_calculator.py

1. Concrete analysis (1, 3, 224, 224): shapecalc (trace + propagate, model built on meta)
   against torchinfo.summary (a real CPU forward with hooks) and a plain meta-device forward.
2. Symbolic analysis (B, 3, H, W): shapecalc against torch.export with dynamic Dims.
3. shapecalc's concrete analysis at 224x224 against 4096x4096: the cost must not depend on the
   input size.
4. A model with one billion parameters, built (on meta) and analysed from its file in a fresh
   process: time after imports (target < 2 s) and peak memory added (target < 200 MB).

Each time is the best of a few runs; ratios are anchor / shapecalc (higher is better).
"""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
import textwrap
import time
from collections.abc import Callable

import torch
import torch.nn as nn

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

from shapecalc.analyze import analyze_loaded  # noqa: E402
from shapecalc.frontends import LoadedModel  # noqa: E402
from shapecalc.frontends.torch import graph_from_module  # noqa: E402
from shapecalc.inputs import parse_shape  # noqa: E402

# ------------------------------------------------------------------------------- the models


class Bottleneck(nn.Module):
    def __init__(self, cin: int, width: int, stride: int = 1) -> None:
        super().__init__()
        cout = width * 4
        self.conv1 = nn.Conv2d(cin, width, 1, bias=False)
        self.bn1 = nn.BatchNorm2d(width)
        self.conv2 = nn.Conv2d(width, width, 3, stride=stride, padding=1, bias=False)
        self.bn2 = nn.BatchNorm2d(width)
        self.conv3 = nn.Conv2d(width, cout, 1, bias=False)
        self.bn3 = nn.BatchNorm2d(cout)
        self.relu = nn.ReLU(inplace=True)
        self.downsample = None
        if stride != 1 or cin != cout:
            self.downsample = nn.Sequential(
                nn.Conv2d(cin, cout, 1, stride=stride, bias=False), nn.BatchNorm2d(cout)
            )

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        identity = x if self.downsample is None else self.downsample(x)
        out = self.relu(self.bn1(self.conv1(x)))
        out = self.relu(self.bn2(self.conv2(out)))
        out = self.bn3(self.conv3(out))
        return self.relu(out + identity)


class ResNet50(nn.Module):
    def __init__(self, classes: int = 1000) -> None:
        super().__init__()
        self.stem = nn.Sequential(
            nn.Conv2d(3, 64, 7, stride=2, padding=3, bias=False),
            nn.BatchNorm2d(64),
            nn.ReLU(inplace=True),
            nn.MaxPool2d(3, stride=2, padding=1),
        )
        layers, cin = [], 64
        for width, blocks, stride in [(64, 3, 1), (128, 4, 2), (256, 6, 2), (512, 3, 2)]:
            for i in range(blocks):
                layers.append(Bottleneck(cin, width, stride if i == 0 else 1))
                cin = width * 4
        self.layers = nn.Sequential(*layers)
        self.pool = nn.AdaptiveAvgPool2d(1)
        self.fc = nn.Linear(2048, classes)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        x = self.pool(self.layers(self.stem(x)))
        return self.fc(torch.flatten(x, 1))


class DenseLayer(nn.Module):
    def __init__(self, cin: int, growth: int, bn_size: int = 4) -> None:
        super().__init__()
        self.norm1 = nn.BatchNorm2d(cin)
        self.conv1 = nn.Conv2d(cin, bn_size * growth, 1, bias=False)
        self.norm2 = nn.BatchNorm2d(bn_size * growth)
        self.conv2 = nn.Conv2d(bn_size * growth, growth, 3, padding=1, bias=False)

    def forward(self, features: list[torch.Tensor]) -> torch.Tensor:
        x = torch.cat(features, 1)
        x = self.conv1(torch.relu(self.norm1(x)))
        return self.conv2(torch.relu(self.norm2(x)))


class DenseStage(nn.Module):
    def __init__(self, layers: int, cin: int, growth: int) -> None:
        super().__init__()
        self.layers = nn.ModuleList(DenseLayer(cin + i * growth, growth) for i in range(layers))

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        features = [x]
        for layer in self.layers:
            features.append(layer(features))
        return torch.cat(features, 1)


class DenseNet121(nn.Module):
    def __init__(self, growth: int = 32, classes: int = 1000) -> None:
        super().__init__()
        blocks = [
            nn.Conv2d(3, 64, 7, stride=2, padding=3, bias=False),
            nn.BatchNorm2d(64),
            nn.ReLU(inplace=True),
            nn.MaxPool2d(3, stride=2, padding=1),
        ]
        channels = 64
        for i, n in enumerate([6, 12, 24, 16]):
            blocks.append(DenseStage(n, channels, growth))
            channels += n * growth
            if i != 3:
                blocks += [
                    nn.BatchNorm2d(channels),
                    nn.ReLU(inplace=True),
                    nn.Conv2d(channels, channels // 2, 1, bias=False),
                    nn.AvgPool2d(2, stride=2),
                ]
                channels //= 2
        blocks += [nn.BatchNorm2d(channels), nn.ReLU(inplace=True)]
        self.features = nn.Sequential(*blocks)
        self.fc = nn.Linear(channels, classes)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        x = nn.functional.adaptive_avg_pool2d(self.features(x), (1, 1))
        return self.fc(torch.flatten(x, 1))


MODELS: dict[str, type[nn.Module]] = {"ResNet-50": ResNet50, "DenseNet-121": DenseNet121}

# --------------------------------------------------------------------------------- timing


def best(fn: Callable[[], object], repeat: int = 3) -> float:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return min(times)


def shapecalc_time(model: nn.Module, spec: str, repeat: int = 3) -> float:
    """Trace the (meta-built) model and propagate shapes: what `shapecalc model.py` does after
    building."""

    def run() -> None:
        graph = graph_from_module(model, type(model).__name__)
        analysis = analyze_loaded(LoadedModel("m", "", graph), [parse_shape(spec)], strict=True)
        assert not analysis.errors, analysis.errors

    return best(run, repeat)


def torchinfo_time(model: nn.Module) -> float | None:
    try:
        import torchinfo
    except ImportError:
        return None
    return best(lambda: torchinfo.summary(model, input_size=(1, 3, 224, 224), verbose=0), 2)


def meta_forward_time(model: nn.Module) -> float:
    x = torch.empty(1, 3, 224, 224, device="meta")
    with torch.no_grad():
        return best(lambda: model(x))


def export_time(model: nn.Module) -> float:
    from torch.export import Dim, export

    x = torch.rand(2, 3, 224, 224)
    dynamic = {"x": {0: Dim("B"), 2: Dim("H", min=64, max=4096), 3: Dim("W", min=64, max=4096)}}
    return best(lambda: export(model, (x,), dynamic_shapes=dynamic), 1)


def row(label: str, seconds: float | None, reference: float | None = None) -> str:
    if seconds is None:
        return f"  {label:<44} (not installed)"
    ratio = f"  {seconds / reference:8.1f}x" if reference else ""
    return f"  {label:<44} {seconds * 1000:10.1f} ms{ratio}"


def bench_model(name: str, cls: type[nn.Module]) -> None:
    with torch.device("meta"):
        meta_model = cls().eval()
    cpu_model = cls().eval()
    print(f"\n{name} ({sum(p.numel() for p in cpu_model.parameters()):,} parameters)")
    concrete = shapecalc_time(meta_model, "1,3,224,224")
    print("  concrete (1, 3, 224, 224)")
    print(row("shapecalc analysis", concrete))
    info, meta = torchinfo_time(cpu_model), meta_forward_time(meta_model)
    print(row("torchinfo.summary (CPU forward)   / shapecalc", info, concrete))
    print(row("meta-device forward               / shapecalc", meta, concrete))
    symbolic = shapecalc_time(meta_model, "B,3,H,W")
    print("  symbolic (B, 3, H, W)")
    print(row("shapecalc analysis", symbolic))
    print(row("torch.export with dynamic Dims    / shapecalc", export_time(cpu_model), symbolic))
    large = shapecalc_time(meta_model, "1,3,4096,4096")
    print("  input size")
    print(row("shapecalc at 224x224", concrete))
    print(row("shapecalc at 4096x4096            / 224x224", large, concrete))


# -------------------------------------------------------------------------- a billion params

BILLION = textwrap.dedent(
    """\
    import torch.nn as nn


    class Billion(nn.Module):
        # 16 blocks of Linear(8192, 8192): 1,073,872,896 parameters (4 GB of float32)
        def __init__(self):
            super().__init__()
            self.blocks = nn.Sequential(
                *[nn.Sequential(nn.Linear(8192, 8192), nn.GELU()) for _ in range(16)]
            )
            self.head = nn.Linear(8192, 10)

        def forward(self, x):
            return self.head(self.blocks(x))
    """
)

CHILD = textwrap.dedent(
    """\
    import resource, sys, time
    import torch, shapecalc, shapecalc.frontends.loader, shapecalc.frontends.torch
    from shapecalc.rules import load_all
    load_all()
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    start = time.perf_counter()
    analysis = shapecalc.analyze(sys.argv[1], "B,8192")
    elapsed = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    params = analysis.total_params
    print(elapsed, (after - before) / 1024, params, analysis.output_shapes)
    """
)


def bench_billion() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        path = os.path.join(tmp, "billion.py")
        with open(path, "w") as f:
            f.write(BILLION)
        out = subprocess.run(
            [sys.executable, "-c", CHILD, path], capture_output=True, text=True, check=True
        ).stdout.split(maxsplit=3)
    elapsed, added, params = float(out[0]), float(out[1]), int(out[2])
    print(f"\nA {params:,}-parameter model, built on meta and analysed from its file")
    print(f"  time after imports   {elapsed:6.2f} s   (target < 2 s)")
    print(f"  peak memory added    {added:6.1f} MB  (target < 200 MB)")


def main() -> None:
    print(f"torch {torch.__version__}; times are the best of several runs")
    for name, cls in MODELS.items():
        bench_model(name, cls)
    bench_billion()


if __name__ == "__main__":
    main()
