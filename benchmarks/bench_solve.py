"""The solver on DenseNet-121 with symbolic input (printed, not a test).

    python benchmarks/bench_solve.py

Times, each the best of a few runs:
1. shapecalc's analysis of examples/densenet121.py at (B, 3, H, W) (trace + propagate);
2. solving its conditions: the domain per symbol, the smallest input, the sizes that lose no
   pixels and the Linear sizes (target < 1 s);
3. the anchor: torch.export with dynamic Dims for B, H and W, which answers with guards on
   the sizes rather than a domain. The ratio is anchor / shapecalc (higher is better).
"""

from __future__ import annotations

import os
import sys
import time
from collections.abc import Callable

import torch

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, ROOT)

from shapecalc.analyze import analyze_loaded  # noqa: E402
from shapecalc.frontends.loader import load  # noqa: E402
from shapecalc.inputs import parse_shape  # noqa: E402
from shapecalc.solve import domain, fc_sizes, lossless, min_input  # noqa: E402

EXAMPLE = os.path.join(ROOT, "examples", "densenet121.py")


def best(fn: Callable[[], object], repeat: int = 3) -> float:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return min(times)


def export_time() -> float | None:
    """torch.export of the example with B, H and W dynamic. From the true minimum (29) it
    refuses: its guards specialise the last feature map's size != 1, so the range starts at
    64, as in bench_calculator.py."""
    import importlib.util

    from torch.export import Dim, export

    spec = importlib.util.spec_from_file_location("_bench_densenet121", EXAMPLE)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    model = module.DenseNet121().eval()
    x = torch.rand(2, 3, 64, 64)
    dynamic = {"x": {0: Dim("B"), 2: Dim("H", min=64, max=4096), 3: Dim("W", min=64, max=4096)}}
    try:
        return best(lambda: export(model, (x,), dynamic_shapes=dynamic), 1)
    except Exception as exc:  # an anchor that cannot run is reported, not fatal
        print(f"torch.export failed: {type(exc).__name__}: {exc}")
        return None


def main() -> None:
    (loaded,) = load(EXAMPLE)
    spec = [parse_shape("B,3,H,W")]
    analysis = analyze_loaded(loaded, spec, strict=False)
    unchecked = [d for d in analysis.diagnostics if d.code in ("SC901", "SC903")]
    if unchecked:
        print(
            f"note: {len(unchecked)} layers without a shape rule; conditions after them "
            "are missing, so this run solves fewer conditions than the full model has"
        )

    def solve_all() -> None:
        dom = domain(analysis)
        min_input(analysis, dom)
        lossless(analysis)
        fc_sizes(analysis, twin=False)

    analyse = best(lambda: analyze_loaded(loaded, spec, strict=False))
    solving = best(solve_all)
    dom = domain(analysis)
    print(
        f"DenseNet-121 at (B, 3, H, W): {len(analysis.layers)} nodes, "
        f"{len(analysis.constraints)} conditions"
    )
    print(f"  domain: {'; '.join(dom.lines())}; smallest input {min_input(analysis, dom)}")
    print(f"  no pixel loss: {'; '.join(lossless(analysis).lines())}")
    print(f"  shapecalc analysis (trace + propagate)   {analyse * 1000:8.1f} ms")
    print(
        f"  shapecalc solving (domain, min, lossless, fc) {solving * 1000:8.1f} ms"
        f"   target < 1000 ms: {'met' if solving < 1 else 'MISSED'}"
    )
    anchor = export_time()
    if anchor is not None:
        total = analyse + solving
        print(
            f"  torch.export with dynamic Dims           {anchor * 1000:8.1f} ms"
            f"   ratio export / shapecalc (analysis + solving) = {anchor / total:.1f}x"
        )


if __name__ == "__main__":
    main()
