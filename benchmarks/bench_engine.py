"""The engine's speed at depth (issue: symbolic engine).

A 2,000-layer chain (conv 3x3 / ReLU / every 50th conv strided, as deep plain CNNs go) is
analysed symbolically on (B, 3, H, W) and concretely on (1, 3, 2**20, 2**20); the expression
for H stays one floor deep, so the cost per layer does not grow with depth.

    PYTHONPATH=. python benchmarks/bench_engine.py   (or after pip install -e .)
"""

from __future__ import annotations

import time

from shapecalc.graph import INPUT, MODULE, OUTPUT, LayerGraph, LayerSpec, Node, Ref
from shapecalc.inputs import parse_shape
from shapecalc.propagate import propagate
from shapecalc.rules import get_rule


def chain(depth: int, channels: int = 16) -> LayerGraph:
    g = LayerGraph("chain")
    g.add(Node("x", "input", INPUT))
    prev, cin = "x", 3
    conv, relu = get_rule("Conv2d"), get_rule("ReLU")
    for i in range(depth):
        if i % 2 == 0:
            stride = 2 if i % 100 == 0 else 1
            params = conv.bind_init((cin, channels, 3), {"stride": stride, "padding": 1})
            g.add(Node(f"conv{i}", "Conv2d", MODULE, (Ref(prev),), spec=LayerSpec(params)))
            prev, cin = f"conv{i}", channels
        else:
            g.add(Node(f"relu{i}", "ReLU", MODULE, (Ref(prev),), spec=LayerSpec(relu.bind_init())))
            prev = f"relu{i}"
    g.add(Node("output", "output", OUTPUT, (Ref(prev),)))
    return g


def timed(graph: LayerGraph, spec: str, repeat: int = 3) -> tuple[float, object]:
    best, result = float("inf"), None
    for _ in range(repeat):
        start = time.perf_counter()
        result = propagate(graph, [parse_shape(spec)], strict=True)
        best = min(best, time.perf_counter() - start)
    return best, result


def main() -> None:
    for depth in (500, 1000, 2000):
        graph = chain(depth)
        t_sym, a_sym = timed(graph, "B,3,H,W")
        t_con, _ = timed(graph, f"1,3,{2**20},{2**20}")
        out = a_sym.output_shapes[0]
        print(
            f"{depth:5d} layers  symbolic {t_sym:6.3f} s ({1e6 * t_sym / depth:5.1f} us/layer)"
            f"  concrete {t_con:6.3f} s ({1e6 * t_con / depth:5.1f} us/layer)"
            f"  H -> {out[2]}"
        )
    t, _ = timed(chain(2000), "B,3,H,W")
    print(
        f"target: 2,000-layer symbolic chain under 2 s: {t:.3f} s -> {'met' if t < 2 else 'MISSED'}"
    )


if __name__ == "__main__":
    main()
