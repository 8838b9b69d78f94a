"""Model statistics against PyTorch's FLOP counter on ResNet-50 (printed, not a test).

    python benchmarks/bench_stats.py

1. Concrete (1, 3, 224, 224): shapecalc (trace + propagate + stats + receptive fields, model
   built on meta) against torch.utils.flop_counter.FlopCounterMode around a real CPU forward,
   and torchinfo.summary when it is installed. The MAC totals must agree (1 MAC = 2 FLOPs).
2. The statistics alone (stats + receptive fields on a finished analysis), concrete and
   symbolic (B, 3, H, W): the cost of the feature on top of the calculator.

Each time is the best of a few runs; ratios are anchor / shapecalc (higher is better).
"""

from __future__ import annotations

import importlib.util
import os
import sys
import time
from collections.abc import Callable

import torch
from torch.utils.flop_counter import FlopCounterMode

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, ROOT)

import shapecalc  # noqa: E402

SHAPE = (1, 3, 224, 224)


def best(fn: Callable[[], object], repeat: int = 3) -> float:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return min(times)


def resnet50_class() -> type:
    path = os.path.join(ROOT, "examples", "resnet50.py")
    spec = importlib.util.spec_from_file_location("_bench_resnet50", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module.ResNet50


def shapecalc_full(cls: type) -> tuple[object, object]:
    with torch.device("meta"):
        model = cls()
    analysis = shapecalc.analyze(model, SHAPE, strict=False)
    return analysis.stats(), analysis.receptive_fields()


def flop_counter(model: torch.nn.Module) -> int:
    x = torch.rand(SHAPE)
    with FlopCounterMode(display=False) as counter, torch.no_grad():
        model(x)
    return counter.get_total_flops()


def row(label: str, anchor: float | None, ours: float) -> str:
    if anchor is None:
        return f"{label:<52} {'n/a':>10}   (not installed)"
    return f"{label:<52} {anchor * 1e3:8.1f} ms / {ours * 1e3:7.1f} ms = {anchor / ours:6.1f}x"


def main() -> None:
    torch.set_num_threads(1)
    cls = resnet50_class()
    cpu_model = cls().eval()
    stats, fields = shapecalc_full(cls)
    flops = flop_counter(cpu_model)
    print(f"ResNet-50 at {SHAPE}")
    params = sum(p.numel() for p in cpu_model.parameters())
    print(f"  params            shapecalc {stats.params:,}  torch {params:,}")
    print(f"  MACs              shapecalc {stats.macs:,}  FlopCounterMode/2 {flops // 2:,}")
    print(f"  peak activations  {stats.peak_bytes / 2**20:.1f} MiB (inference, liveness)")
    print(f"  receptive field   {[a.extent for a in fields['layer4.2.conv3']]} before the pool")
    assert 2 * stats.macs == flops, "MACs disagree with FlopCounterMode"

    ours = best(lambda: shapecalc_full(cls))
    counter = best(lambda: flop_counter(cpu_model))
    print(row("FlopCounterMode (CPU forward)      / shapecalc", counter, ours))
    try:
        import torchinfo
    except ImportError:
        print(row("torchinfo.summary (CPU forward)    / shapecalc", None, ours))
    else:
        info = best(lambda: torchinfo.summary(cpu_model, input_size=SHAPE, verbose=0), 2)
        print(row("torchinfo.summary (CPU forward)    / shapecalc", info, ours))

    with torch.device("meta"):
        meta_model = cls()
    concrete = shapecalc.analyze(meta_model, SHAPE, strict=False)
    symbolic = shapecalc.analyze(meta_model, "B,3,H,W", strict=False)
    for label, analysis in (("concrete", concrete), ("symbolic", symbolic)):
        t = best(lambda a=analysis: (a.stats(), a.receptive_fields()), 5)
        print(f"  stats + receptive fields alone, {label}: {t * 1e3:.1f} ms")


if __name__ == "__main__":
    main()
