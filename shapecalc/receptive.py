"""Receptive fields: for every node, per spatial axis of the model's first input, the size of
the input region one output element sees, the effective stride (jump: input pixels between
neighbouring outputs) and the start offset (the centre, in input pixel coordinates, of the
region output element 0 sees; with padding it can be negative).

For strided windows this is the chain rule ``r_out = r_in + (k - 1)*d*j_in``,
``j_out = j_in*s``, ``start_out = start_in + ((k - 1)*d/2 - p)*j_in``. Transposed convolutions
and upsampling divide the jump, and then neighbouring outputs see regions of different sizes
(an output of ConvTranspose2d(k=4, s=2, p=1) reads two inputs, but which two alternates): so
each axis is kept exactly, as the input interval that each output phase reads, and the size
reported is the largest over positions. Borders are not modelled: the field of an output is
what it reads away from the edges (padding included), as in the usual definition.

Merges (add, cat, any op whose output keeps its inputs' spatial sizes) take the union of their
inputs' fields position by position, which is at least the largest field over the paths. When
the paths' jumps differ (no common position pattern), the merge reports the field, jump and
start of the path with the largest field. A global pool (adaptive to size 1, or a window as
large as the map), a reduction over the map kept as size 1 (``mean((2, 3), keepdim=True)``)
and a softmax or cumulative op along a spatial axis see the whole input along that axis
(``whole``); an adaptive pool to several bins is exact at concrete sizes and unknown with
symbols. An op that reshapes or reorders the spatial axes (flatten, view, permute, flip) leaves
the field unknown, except that what follows a whole-input field sees the whole input.
Normalisation layers count as pointwise (their statistics are ignored, as RF tools do). One
registry per op family (``@field_rule(...)``), as for MACs in stats.py.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from fractions import Fraction
from typing import Any

from . import symbolic as sym
from .arith import ntuple
from .calls import OpCall, bind
from .graph import CONSTANT, INPUT, OUTPUT, LayerGraph
from .values import TensorValue, tensors_in


@dataclass(frozen=True)
class AxisField:
    """One spatial axis: which input pixels each output element reads, exactly.

    Output element o reads input pixels ``lo(o) .. hi(o)``, where ``lo(o) = lo[o % period] +
    (o // period)*shift`` (the same for hi): a strided window makes the pattern repeat every
    output, a transposed convolution or an upsampling every few outputs (phases). The jump is
    ``shift/period`` input pixels per output; the field size is the largest ``hi - lo + 1`` over
    the phases; the start is output 0's centre. ``whole``: the field is the whole input along
    this axis (then the tables are empty). A phase that reads nothing (a transposed
    convolution's hole) holds None.
    """

    period: int
    shift: int
    lo: tuple[int | None, ...]
    hi: tuple[int | None, ...]
    whole: bool = False

    def at(self, o: int) -> tuple[int, int] | None:
        """(lowest, highest) input pixel that output element o reads."""
        q, ph = divmod(o, self.period)
        lo, hi = self.lo[ph], self.hi[ph]
        if lo is None or hi is None:
            return None
        return lo + q * self.shift, hi + q * self.shift

    @property
    def extent(self) -> int | None:
        """The field size in pixels (the largest over output positions)."""
        if self.whole:
            return None
        sizes = [h - lo + 1 for lo, h in zip(self.lo, self.hi) if lo is not None]
        return max(sizes) if sizes else 0

    @property
    def size(self) -> int | None:
        return self.extent

    @property
    def jump(self) -> Fraction | None:
        return None if self.whole else Fraction(self.shift, self.period)

    @property
    def start(self) -> Fraction | None:
        span = None if self.whole else self.at(0)
        return None if span is None else Fraction(span[0] + span[1], 2)

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
WHOLE = AxisField(1, 0, (), (), True)
IDENTITY = AxisField(1, 1, (0,), (0,))

FieldFn = Callable[[OpCall, Field, int], Field | None]
FIELD_RULES: dict[str, FieldFn] = {}
MAX_PERIOD = 4096  # beyond this many phases a field is reported unknown


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


def reads(
    f: AxisField, period: int, shift: int, inputs: Callable[[int], Iterable[int]]
) -> AxisField:
    """The field of an op whose output o reads the input elements ``inputs(o)``, a pattern that
    repeats every ``period`` outputs shifted by ``shift`` of the op's input elements."""
    if f.whole:
        return f
    # the composed pattern repeats when both the op's and the input field's patterns do
    reps = f.period // math.gcd(f.period, shift) if shift else 1
    period, shift = period * reps, shift * reps // f.period * f.shift
    if period > MAX_PERIOD:
        raise ValueError("too many phases")
    los: list[int | None] = []
    his: list[int | None] = []
    for o in range(period):
        spans = [s for s in (f.at(u) for u in inputs(o)) if s is not None]
        los.append(min(s[0] for s in spans) if spans else None)
        his.append(max(s[1] for s in spans) if spans else None)
    return _reduced(AxisField(period, shift, tuple(los), tuple(his)))


def _reduced(f: AxisField) -> AxisField:
    """The same field with its shortest period."""
    changed = True
    while changed and f.period > 1:
        changed = False
        g = math.gcd(f.period, f.shift) if f.shift else f.period
        for q in _prime_factors(g):
            p, a = f.period // q, f.shift // q
            if all(
                _plus(f.lo[i + p], -a) == f.lo[i] and _plus(f.hi[i + p], -a) == f.hi[i]
                for i in range(f.period - p)
            ):
                f = AxisField(p, a, f.lo[:p], f.hi[:p])
                changed = True
                break
    return f


def _plus(x: int | None, d: int) -> int | None:
    return None if x is None else x + d


def _prime_factors(n: int) -> list[int]:
    out, q = [], 2
    while q * q <= n:
        while n % q == 0:
            out.append(q)
            n //= q
        q += 1
    if n > 1:
        out.append(n)
    return sorted(set(out))


def window(f: AxisField, k: int, s: int, p: int, d: int = 1) -> AxisField:
    """Output o reads inputs ``o*s - p + t*d`` for t < k (Conv*, *Pool*)."""
    return reads(f, 1, s, lambda o: [o * s - p + t * d for t in range(k)])


def transposed(f: AxisField, k: int, s: int, p: int, d: int = 1) -> AxisField:
    """Output o receives input i when ``o = i*s - p + t*d`` for some t < k."""

    def inputs(o: int) -> list[int]:
        return [(o + p - t * d) // s for t in range(k) if (o + p - t * d) % s == 0]

    return reads(f, s, 1, inputs)


def resample(f: AxisField, factor: Fraction, mode: str) -> AxisField | None:
    """Upsampling or downsampling by ``factor`` (out/in), align_corners=False: nearest reads
    ``floor(o/factor)``, nearest-exact ``floor((o + 1/2)/factor)``; linear modes the two
    inputs around ``(o + 1/2)/factor - 1/2``, cubic the four (one where that is a whole
    number: the other weights are 0). ATen's upsample kernels."""
    u, v = factor.numerator, factor.denominator  # o + u reads v inputs further

    def inputs(o: int) -> list[int]:
        if mode == "nearest":
            return [o * v // u]
        if mode == "nearest-exact":
            return [(2 * o + 1) * v // (2 * u)]
        src = Fraction((2 * o + 1) * v - u, 2 * u)
        base = math.floor(src)
        if src == base:
            return [base]
        return [base, base + 1] if mode in LINEAR else [base - 1, base, base + 1, base + 2]

    if mode not in ("nearest", "nearest-exact", *LINEAR, "bicubic"):
        return None
    return reads(f, u, v, inputs)


LINEAR = ("linear", "bilinear", "trilinear")


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
    fin: Field,
    n: int,
    kernel: Any,
    stride: Any,
    padding: Any,
    dilation: Any,
    sizes: tuple | None = None,
) -> Field | None:
    """The chain rule per axis; a window as large as the whole map, unpadded (a global pool
    written ``F.avg_pool2d(x, x.size()[2:])``), sees the whole input along that axis."""
    kernel_t = ntuple(kernel, n) if kernel is not None else None
    if kernel_t is not None and sizes is not None and padding in (0, None, (0,) * n, "valid"):
        whole = [str(kk) == str(size) and "?" not in str(size) for kk, size in zip(kernel_t, sizes)]
        if all(whole):
            return tuple(WHOLE for _ in fin)
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


@field_rule(
    "Conv1d", "Conv2d", "Conv3d", "MaxPool1d", "MaxPool2d", "MaxPool3d",
    "LazyConv1d", "LazyConv2d", "LazyConv3d",
)  # fmt: skip
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
    return _windowed(
        fin, n, call.get("kernel_size"), call.get("stride"), call.get("padding", 0),
        call.get("dilation", 1), tuple(call.first.shape[-n:]),
    )  # fmt: skip


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


@field_rule(
    "ConvTranspose1d", "ConvTranspose2d", "ConvTranspose3d",
    "LazyConvTranspose1d", "LazyConvTranspose2d", "LazyConvTranspose3d",
)  # fmt: skip
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


@field_rule(
    "Upsample", "UpsamplingNearest2d", "UpsamplingBilinear2d", "F.interpolate", "F.upsample",
    "F.upsample_nearest", "F.upsample_bilinear",
)  # fmt: skip
def resample_rule(call: OpCall, fin: Field, n: int) -> Field | None:
    x, out = call.first, _out_tensor(call)
    if x is None or out is None:
        return None
    mode = call.get("mode", "nearest")
    if call.op in ("UpsamplingBilinear2d", "F.upsample_bilinear") or call.get("align_corners"):
        return None  # align_corners=True maps by (L - 1)/(O - 1): not a fixed pattern
    if mode == "area":
        return adaptive(call, fin, n)
    fields = []
    for i, (f, size_in, size_out) in enumerate(zip(fin, x.shape[-n:], out.shape[-n:])):
        scale = ntuple(call.get("scale_factor"), n)[i]
        if isinstance(scale, (int, float)) and scale > 0:
            factor = Fraction(scale).limit_denominator(1000)  # torch uses the given scale
        elif isinstance(size_in, int) and isinstance(size_out, int) and size_in:
            factor = Fraction(size_out, size_in)
        else:
            return None
        field = resample(f, factor, mode)
        if field is None:
            return None
        fields.append(field)
    return tuple(fields)


@field_rule("PixelShuffle", "F.pixel_shuffle", "torch.pixel_shuffle")
def pixel_shuffle(call: OpCall, fin: Field, n: int) -> Field | None:
    r = call.get("upscale_factor")
    if not isinstance(r, int) or n < 2:
        return None
    return fin[:-2] + tuple(resample(f, Fraction(r), "nearest") for f in fin[-2:])


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
    """Bin o of an adaptive pool covers [floor(o*L/O), ceil((o + 1)*L/O)) (aten's start_index
    and end_index); output size 1: the whole input; other sizes unknown until run time:
    unknown."""
    x, out = call.first, _out_tensor(call)
    if x is None or out is None:
        return None
    fields = []
    for f, size_in, size_out in zip(fin, x.shape[-n:], out.shape[-n:]):
        if f.whole or size_out == 1:
            fields.append(WHOLE)
        elif isinstance(size_in, int) and isinstance(size_out, int) and size_out > 0:
            g = math.gcd(size_in, size_out)
            period, shift = size_out // g, size_in // g

            def inputs(o: int, big: int = size_in, small: int = size_out) -> range:
                return range(o * big // small, -(-(o + 1) * big // small))

            fields.append(reads(f, period, shift, inputs))
        else:
            return None  # bins unknown until the sizes are
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
        left = amounts[2 * axis]
        fields[i] = reads(fields[i], 1, 1, lambda o, left=left: [o - left])
    return tuple(fields)


@field_rule("operator.getitem")
def getitem(call: OpCall, fin: Field, n: int) -> Field | None:
    """Slicing (a crop, a stride): output o of a spatial axis is input ``start + o*step``.
    Integer indices and anything else on a spatial axis leave the field unknown."""
    x = call.first
    index = call.positional[1] if len(call.positional) > 1 else None
    if x is None or x.ndim != n + 2:
        return None
    items = list(index) if isinstance(index, tuple) else [index]
    if any(i is None for i in items) or sum(i is Ellipsis for i in items) > 1:
        return None
    if Ellipsis in items:
        at = items.index(Ellipsis)
        items[at : at + 1] = [slice(None)] * (x.ndim - len(items) + 1)
    items += [slice(None)] * (x.ndim - len(items))
    if len(items) != x.ndim or not all(isinstance(i, slice) for i in items[2:]):
        return None
    fields = []
    for f, item, size in zip(fin, items[2:], x.shape[2:]):
        start, step = item.start or 0, item.step or 1
        if not isinstance(start, int) or not isinstance(step, int) or step < 1:
            return None
        if start < 0:
            if not isinstance(size, int):
                return None
            start = max(start + size, 0)
        fields.append(window(f, 1, step, -start))
    return tuple(fields)


def _out_tensor(call: OpCall) -> TensorValue | None:
    ts = tensors_in(call.out)
    return ts[0] if ts else None


# ---------------------------------------------------------------------------------- the walk


def union(fields: Sequence[Field]) -> Field:
    """Merge paths: per axis and output position, the input pixels any path reads (at equal
    jumps); when the paths' jumps differ, the path with the largest field."""
    out = []
    for axis in zip(*fields):
        if any(f.whole for f in axis):
            out.append(WHOLE)
            continue
        if any(f.jump != axis[0].jump for f in axis):
            out.append(max(axis, key=lambda f: f.extent or 0))
            continue
        period = math.lcm(*(f.period for f in axis))
        if period > MAX_PERIOD:
            raise ValueError("too many phases")
        shift = axis[0].shift * period // axis[0].period
        los: list[int | None] = []
        his: list[int | None] = []
        for o in range(period):
            spans = [s for s in (f.at(o) for f in axis) if s is not None]
            los.append(min(s[0] for s in spans) if spans else None)
            his.append(max(s[1] for s in spans) if spans else None)
        out.append(_reduced(AxisField(period, shift, tuple(los), tuple(his))))
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
    return _fallback(node, values, sources, outs[0], n, x0)


# ops that reorder axes or positions: the trailing axes no longer line up with the input's
_REORDER = {"permute", "transpose", "swapaxes", "swapdims", "movedim", "moveaxis", "t", "flip",
            "roll", "rot90", "fliplr", "flipud", "T", "mT"}  # fmt: skip
# ops that, along their ``dim``, make every output depend on the whole axis
_MIXING = {"softmax", "log_softmax", "softmin", "cumsum", "cumprod", "cummax", "cummin",
           "logcumsumexp", "sort", "argsort", "normalize", "Softmax", "LogSoftmax", "Softmin",
           "Softmax2d"}  # fmt: skip


def _fallback(
    node: Any, values: Mapping[str, Any], sources: list[Field], t: Any, n: int, x0: Any
) -> Field | None:
    """An op without a window rule: a merge or a pointwise op (same spatial sizes as its
    inputs) takes the union of its inputs' fields; a spatial axis reduced to size 1 (a mean
    over the map, keepdim) or mixed along a ``dim`` (softmax over positions) is whole; an op
    that reorders axes or positions leaves the field unknown."""
    short = node.op.rsplit(".", 1)[-1]
    if short in _REORDER:
        return None
    fielded = [
        values[r]
        for r in node.refs()
        if isinstance(values.get(r), TensorValue) and values[r].ndim == x0.ndim
    ]
    if not isinstance(t, TensorValue) or t.ndim != x0.ndim or len(fielded) != len(sources):
        return (WHOLE,) * n if all(all(f.whole for f in s) for s in sources) else None
    whole_axes = set()
    for i in range(n):
        sizes_in = [v.shape[-n + i] for v in fielded]
        size_out = t.shape[-n + i]
        if size_out is sym.UNKNOWN or any(x is sym.UNKNOWN for x in sizes_in):
            return None
        if size_out == 1 and not all(_equal(x, 1) for x in sizes_in):
            whole_axes.add(i)  # reduced over the axis, kept as size 1 (a mean over the map)
        elif any(_differ(x, size_out) and _differ(x, 1) for x in sizes_in):
            return None  # the positions do not line up with the inputs'
    if short in _MIXING:
        dim = _dim_arg(node, values)
        if dim is None:
            return None
        whole_axes |= {d - (x0.ndim - n) for d in dim if d >= x0.ndim - n}
    merged = union(
        [tuple(WHOLE if _broadcast(v, t, i, n) else a for i, a in enumerate(s))
         for s, v in zip(sources, fielded)]
    )  # fmt: skip
    return tuple(WHOLE if i in whole_axes else a for i, a in enumerate(merged))


def _broadcast(v: TensorValue, t: TensorValue, i: int, n: int) -> bool:
    """A size-1 axis that broadcasts against a larger one: each output reads all of it."""
    return v.shape[-n + i] == 1 and not _equal(t.shape[-n + i], 1)


def _differ(a: Any, b: Any) -> bool:
    """Provably different. Sizes a rule accepted as equal under a recorded condition (``H``
    and ``2*(H//2)`` at a skip connection) are not, so they line up."""
    if isinstance(a, int) and isinstance(b, int):
        return a != b
    return sym.decide(sym.eq(a, b)) is False


def _equal(a: Any, b: Any) -> bool:
    if isinstance(a, int) and isinstance(b, int):
        return a == b
    return sym.decide(sym.eq(a, b)) is True


def _dim_arg(node: Any, values: Mapping[str, Any]) -> list[int] | None:
    call = bind(node, values)
    dim = call.get("dim")
    if dim is None and node.kind != "module" and len(call.positional) > 1:
        dim = call.positional[1]  # a call without a rule: (input, dim, ...) as torch's
    if dim is None and call.op.rsplit(".", 1)[-1] == "Softmax2d":
        dim = -3
    x = call.first
    if x is None or dim is None:
        return None
    dims = dim if isinstance(dim, (tuple, list)) else [dim]
    if not all(isinstance(d, int) for d in dims):
        return None
    return [d % x.ndim for d in dims]


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
