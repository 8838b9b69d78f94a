"""Receptive fields: for every node, per spatial axis of the model's first input, the size of
the input region one output element sees, the effective stride (jump: input pixels between
neighbouring outputs) and the start offset (the centre, in input pixel coordinates, of the
region output element 0 sees; with padding it can be negative).

The chain rule for a window of kernel k, stride s, padding p (left) and dilation d:
``r_out = r_in + (k - 1)*d*j_in``, ``j_out = j_in*s``,
``start_out = start_in + ((k - 1)*d/2 - p)*j_in``. A transposed convolution divides the jump by
its stride (each input element is spread over s outputs), and an output then reads at most
``floor((k - 1)*d/s) + 1`` neighbouring inputs; upsampling by f divides the jump by f (nearest
reads one input, linear two, cubic four). A size that varies from one output position to the
next is reported as its largest value (rounded up).

Merges (add, cat, any op whose output keeps its inputs' spatial sizes) take the union of their
inputs' fields: with equal jumps, the region from the lowest to the highest input pixel that
any path sees, which is at least the largest field over the paths. When the paths' jumps
differ, the union depends on the position; the merge then reports the field, jump and start of
the path with the largest field. Global and adaptive pools see the whole input (adaptive pools
at concrete sizes get their exact largest bin). An op that reshapes the spatial axes away
(flatten, view) leaves the field unknown, except that what follows a whole-input field sees the
whole input. One registry per op family (``@field_rule(...)``), as for MACs in stats.py.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from fractions import Fraction
from typing import Any

from .arith import ntuple
from .calls import OpCall, bind
from .graph import CONSTANT, INPUT, OUTPUT, LayerGraph
from .values import TensorValue, tensors_in


@dataclass(frozen=True)
class AxisField:
    """One spatial axis: field size, jump and start, in input pixels; ``whole``: the field is
    the whole input along this axis (size, jump and start are then None)."""

    size: Fraction | None
    jump: Fraction | None
    start: Fraction | None
    whole: bool = False

    @property
    def extent(self) -> int | None:
        """The field size as a whole number of pixels (the largest over positions)."""
        return None if self.size is None else math.ceil(self.size)

    def __str__(self) -> str:
        return "all" if self.whole else str(self.extent)

    def to_dict(self) -> dict:
        if self.whole:
            return {"size": None, "jump": None, "start": None, "whole": True}
        return {
            "size": self.extent,
            "jump": _num(self.jump),
            "start": _num(self.start),
            "whole": False,
        }


Field = tuple[AxisField, ...]
WHOLE = AxisField(None, None, None, True)
IDENTITY = AxisField(Fraction(1), Fraction(1), Fraction(0))

FieldFn = Callable[[OpCall, Field, int], Field | None]
FIELD_RULES: dict[str, FieldFn] = {}


def _num(x: Fraction | None) -> int | float | None:
    if x is None:
        return None
    return int(x) if x.denominator == 1 else float(x)


def field_rule(*ops: str) -> Callable[[FieldFn], FieldFn]:
    """Register ``fn(call, field_in, n) -> field_out`` for ops that move a window over the
    spatial axes; ``field_in`` is the field of the op's first tensor input, n its spatial
    rank."""

    def register(fn: FieldFn) -> FieldFn:
        for op in ops:
            if op in FIELD_RULES:
                raise ValueError(f"two field rules for {op!r}")
            FIELD_RULES[op] = fn
        return fn

    return register


def window(f: AxisField, k: int, s: int, p: Any, d: int = 1) -> AxisField:
    """The chain rule of one window axis."""
    if f.whole:
        return f
    span = (k - 1) * d
    return AxisField(f.size + span * f.jump, f.jump * s, f.start + (Fraction(span, 2) - p) * f.jump)


def transposed(f: AxisField, k: int, s: int, p: int, d: int = 1) -> AxisField:
    if f.whole:
        return f
    span = (k - 1) * d
    return AxisField(
        f.size + (span // s) * f.jump,
        f.jump / s,
        f.start + (Fraction(p) - Fraction(span, 2)) / s * f.jump,
    )


def upsample(f: AxisField, factor: Fraction, reads: int) -> AxisField:
    """Output o reads around input (o + 1/2)/factor - 1/2 (align_corners=False)."""
    if f.whole:
        return f
    return AxisField(
        f.size + (reads - 1) * f.jump,
        f.jump / factor,
        f.start + (Fraction(1, 2) / factor - Fraction(1, 2)) * f.jump,
    )


def _ints(value: Any, n: int) -> tuple | None:
    t = ntuple(value, n) if value is not None else None
    if t is None or not all(isinstance(v, int) for v in t):
        return None
    return t


def _padding(value: Any, kernel: tuple, dilation: tuple) -> tuple | None:
    if value == "valid":
        return (0,) * len(kernel)
    if value == "same":  # torch pads (total // 2) on the left
        return tuple((d * (k - 1)) // 2 for k, d in zip(kernel, dilation))
    return _ints(value, len(kernel))


def _windowed(
    fin: Field, n: int, kernel: Any, stride: Any, padding: Any, dilation: Any
) -> Field | None:
    k = _ints(kernel, n)
    if k is None:
        return None
    s = _ints(k if stride is None or stride == () else stride, n)
    d = _ints(1 if dilation is None else dilation, n)
    if s is None or d is None:
        return None
    p = _padding(0 if padding is None else padding, k, d)
    if p is None:
        return None
    return tuple(window(f, *args) for f, args in zip(fin, zip(k, s, p, d)))


@field_rule("Conv1d", "Conv2d", "Conv3d", "MaxPool1d", "MaxPool2d", "MaxPool3d")
def conv_module(call: OpCall, fin: Field, n: int) -> Field | None:
    return _windowed(
        fin,
        n,
        call.get("kernel_size"),
        call.get("stride"),
        call.get("padding"),
        call.get("dilation", 1),
    )


@field_rule("AvgPool1d", "AvgPool2d", "AvgPool3d", "LPPool1d", "LPPool2d", "LPPool3d")
def avg_pool_module(call: OpCall, fin: Field, n: int) -> Field | None:
    return _windowed(fin, n, call.get("kernel_size"), call.get("stride"), call.get("padding", 0), 1)


_POOL_CALLS = (
    tuple(
        f"{prefix}.{kind}_pool{i}d"
        for i in (1, 2, 3)
        for prefix in ("F", "torch")
        for kind in ("max", "avg", "lp")
    )
    + tuple(f"F.max_pool{i}d_with_indices" for i in (1, 2, 3))
    + ("torch.max_pool1d_with_indices",)
)


@field_rule(*(op for op in _POOL_CALLS))
def pool_call(call: OpCall, fin: Field, n: int) -> Field | None:
    kernel = call.get("kernel_size")
    return _windowed(fin, n, kernel, call.get("stride"), call.get("padding", 0),
                     call.get("dilation", 1))  # fmt: skip


@field_rule(*(f"{p}.conv{i}d" for p in ("F", "torch") for i in (1, 2, 3)))
def conv_call(call: OpCall, fin: Field, n: int) -> Field | None:
    w = call.tensor("weight")
    if w is None:
        return None
    return _windowed(
        fin, n, tuple(w.shape[2:]), call.get("stride", 1), call.get("padding", 0),
        call.get("dilation", 1),
    )  # fmt: skip


def _transposed_all(
    fin: Field, n: int, kernel: Any, stride: Any, padding: Any, dilation: Any
) -> Field | None:
    k, s = _ints(kernel, n), _ints(stride, n)
    p, d = _ints(padding, n), _ints(dilation, n)
    if None in (k, s, p, d):
        return None
    return tuple(transposed(f, *args) for f, args in zip(fin, zip(k, s, p, d)))


@field_rule("ConvTranspose1d", "ConvTranspose2d", "ConvTranspose3d")
def conv_transpose_module(call: OpCall, fin: Field, n: int) -> Field | None:
    return _transposed_all(
        fin,
        n,
        call.get("kernel_size"),
        call.get("stride", 1),
        call.get("padding", 0),
        call.get("dilation", 1),
    )


@field_rule(*(f"{p}.conv_transpose{i}d" for p in ("F", "torch") for i in (1, 2, 3)))
def conv_transpose_call(call: OpCall, fin: Field, n: int) -> Field | None:
    w = call.tensor("weight")
    if w is None:
        return None
    return _transposed_all(
        fin, n, tuple(w.shape[2:]), call.get("stride", 1), call.get("padding", 0),
        call.get("dilation", 1),
    )  # fmt: skip


_READS = {"nearest": 1, "nearest-exact": 1, "linear": 2, "bilinear": 2, "trilinear": 2,
          "bicubic": 4}  # fmt: skip


@field_rule(
    "Upsample", "UpsamplingNearest2d", "UpsamplingBilinear2d", "F.interpolate", "F.upsample",
    "F.upsample_nearest", "F.upsample_bilinear",
)  # fmt: skip
def resample(call: OpCall, fin: Field, n: int) -> Field | None:
    x, out = call.first, _out_tensor(call)
    if x is None or out is None:
        return None
    mode = call.get("mode", "nearest")
    if call.op in ("UpsamplingBilinear2d", "F.upsample_bilinear"):
        mode = "bilinear"
    if mode == "area":
        return adaptive(call, fin, n)
    reads = _READS.get(mode)
    if reads is None:
        return None
    fields = []
    for f, size_in, size_out in zip(fin, x.shape[-n:], out.shape[-n:]):
        if isinstance(size_in, int) and isinstance(size_out, int) and size_in:
            factor = Fraction(size_out, size_in)
        else:
            scale = ntuple(call.get("scale_factor"), n)[len(fields)]
            if not isinstance(scale, (int, float)):
                return None
            factor = Fraction(scale).limit_denominator(1000)
        fields.append(upsample(f, factor, reads))
    return tuple(fields)


@field_rule("PixelShuffle", "F.pixel_shuffle", "torch.pixel_shuffle")
def pixel_shuffle(call: OpCall, fin: Field, n: int) -> Field | None:
    r = call.get("upscale_factor")
    if not isinstance(r, int) or n < 2:
        return None
    return fin[:-2] + tuple(upsample(f, Fraction(r), 1) for f in fin[-2:])


@field_rule("PixelUnshuffle", "F.pixel_unshuffle", "torch.pixel_unshuffle")
def pixel_unshuffle(call: OpCall, fin: Field, n: int) -> Field | None:
    r = call.get("downscale_factor")
    if not isinstance(r, int) or n < 2:
        return None
    return fin[:-2] + tuple(window(f, r, r, 0) for f in fin[-2:])


@field_rule(
    *(f"{kind}{i}d" for kind in ("AdaptiveAvgPool", "AdaptiveMaxPool") for i in (1, 2, 3)),
    *(f"F.adaptive_{kind}_pool{i}d" for kind in ("avg", "max") for i in (1, 2, 3)),
    *(f"F.adaptive_max_pool{i}d_with_indices" for i in (1, 2, 3)),
    "torch.adaptive_avg_pool1d", "torch.adaptive_max_pool1d",
)  # fmt: skip
def adaptive(call: OpCall, fin: Field, n: int) -> Field | None:
    """Bin i of an adaptive pool covers [floor(i*L/o), ceil((i+1)*L/o)) (aten's
    start_index/end_index); output size 1, or sizes unknown until run time: the whole input."""
    x, out = call.first, _out_tensor(call)
    if x is None or out is None:
        return None
    fields = []
    for f, size_in, size_out in zip(fin, x.shape[-n:], out.shape[-n:]):
        if f.whole or size_out == 1:
            fields.append(WHOLE)
        elif isinstance(size_in, int) and isinstance(size_out, int) and size_out > 0:
            bins = [
                (i * size_in // size_out, -(-(i + 1) * size_in // size_out))
                for i in range(size_out)
            ]
            largest = max(hi - lo for lo, hi in bins)
            first = bins[0]
            fields.append(
                AxisField(
                    f.size + (largest - 1) * f.jump,
                    f.jump * Fraction(size_in, size_out),
                    f.start + Fraction(first[1] - 1, 2) * f.jump,
                )
            )
        else:
            fields.append(WHOLE)
    return tuple(fields)


_PADS = tuple(
    f"{kind}Pad{i}d"
    for kind in ("Constant", "Zero", "Reflection", "Replication", "Circular")
    for i in (1, 2, 3)
)


@field_rule(*_PADS, "F.pad")
def pad(call: OpCall, fin: Field, n: int) -> Field | None:
    """Padding shifts the start by the left padding; pads list the last axis first."""
    amounts = call.get("padding") if call.op != "F.pad" else call.get("pad")
    if isinstance(amounts, int):
        amounts = (amounts,) * (2 * n)
    if not isinstance(amounts, (tuple, list)) or not all(isinstance(a, int) for a in amounts):
        return None
    fields = list(fin)
    for axis in range(min(len(amounts) // 2, n)):
        i = n - 1 - axis
        f = fields[i]
        if not f.whole:
            fields[i] = AxisField(f.size, f.jump, f.start - amounts[2 * axis] * f.jump)
    return tuple(fields)


def _out_tensor(call: OpCall) -> TensorValue | None:
    ts = tensors_in(call.out)
    return ts[0] if ts else None


# ---------------------------------------------------------------------------------- the walk


def union(fields: Sequence[Field]) -> Field:
    """Merge paths: per axis, the union of the regions at equal jumps, else the largest."""
    out = []
    for axis in zip(*fields):
        if any(f.whole for f in axis):
            out.append(WHOLE)
            continue
        if all(f.jump == axis[0].jump for f in axis):
            lo = min(f.start - (f.size - 1) / 2 for f in axis)
            hi = max(f.start + (f.size - 1) / 2 for f in axis)
            out.append(AxisField(hi - lo + 1, axis[0].jump, (lo + hi) / 2))
        else:
            out.append(max(axis, key=lambda f: f.size))
    return tuple(out)


def _same_spatial(a: TensorValue, b: TensorValue, n: int) -> bool:
    return a.ndim == b.ndim and all(
        str(x) == str(y) and "?" not in str(x) for x, y in zip(a.shape[-n:], b.shape[-n:])
    )


def compute(analysis: Any) -> dict[str, Field | None]:
    """Every node's field (None where there is no spatial field to speak of), w.r.t. the
    spatial axes (all but the first two) of the model's first input of rank 3 or more."""
    graph: LayerGraph = analysis.graph
    values: Mapping[str, Any] = analysis.values
    fields: dict[str, Field | None] = {}
    source = next(
        (
            n.name
            for n in graph
            if n.kind == INPUT
            and isinstance(values.get(n.name), TensorValue)
            and values[n.name].ndim >= 3
        ),
        None,
    )
    if source is None:
        return {n.name: None for n in graph if n.kind != OUTPUT}
    x0: TensorValue = values[source]
    n = x0.ndim - 2
    for node in graph:
        if node.kind == OUTPUT:
            continue
        if node.name == source:
            fields[node.name] = (IDENTITY,) * n
            continue
        if node.kind in (INPUT, CONSTANT):
            fields[node.name] = None
            continue
        fields[node.name] = _node_field(node, values, fields, n, x0)
    return fields


def _node_field(
    node: Any, values: Mapping[str, Any], fields: Mapping[str, Field | None], n: int, x0: Any
) -> Field | None:
    sources = [fields[r] for r in node.refs() if fields.get(r) is not None]
    if not sources:
        return None
    out = values.get(node.name)
    outs = tensors_in(out)
    if not outs:
        return None
    rule = FIELD_RULES.get(node.op)
    if rule is not None:
        first = next((r for r in node.refs() if fields.get(r) is not None), None)
        call = bind(node, values)
        fin = fields[first]
        if call.first is None or call.first.ndim < n + 1:
            return None
        try:
            return rule(call, fin, n)
        except (TypeError, ValueError, ZeroDivisionError, IndexError):
            return None
    # no window: a merge or a pointwise op keeps the spatial sizes of its fielded inputs
    fielded = [
        values[r]
        for r in node.refs()
        if fields.get(r) is not None and isinstance(values.get(r), TensorValue)
    ]
    t = outs[0]
    if (
        t.ndim == x0.ndim
        and fielded
        and all(_same_spatial(v, t, n) for v in fielded)
        and len(sources) == len(fielded)
    ):
        return union(sources)
    if all(all(f.whole for f in s) for s in sources):
        return (WHOLE,) * n
    return None


def format_field(f: Field | None) -> str:
    """``7x7`` / ``all`` per axis, joined; empty when unknown."""
    if f is None:
        return ""
    if all(a.whole for a in f):
        return "all"
    return "x".join(str(a) for a in f)


def format_jump(f: Field | None) -> str:
    if f is None or any(a.whole for a in f):
        return ""
    return "x".join(_fmt_num(a.jump) for a in f)


def format_start(f: Field | None) -> str:
    if f is None or any(a.whole for a in f):
        return ""
    return ",".join(_fmt_num(a.start) for a in f)


def _fmt_num(x: Fraction | None) -> str:
    if x is None:
        return "?"
    if x.denominator == 1:
        return str(x.numerator)
    return f"{float(x):g}"
