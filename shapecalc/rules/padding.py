"""Padding: F.pad in every mode and the ZeroPad, ConstantPad, ReflectionPad, ReplicationPad and
CircularPad layers (1d, 2d, 3d).

F.pad(input, pad) takes (left, right) pairs from the last dim backwards; a negative amount
crops. Measured against torch 2.13 (aten PadNd.cpp, ReflectionPad.cpp, ReplicationPad.cpp):

* constant: any rank; cropping may leave 0 elements (silently empty) but not fewer;
* reflect: each amount smaller than the dim; replicate: no limit; both take 2 pairs-per-rank
  inputs ((C, W) or (N, C, W) for 1 pair, and so on) and need some output dim >= 1 (the
  1-pair form: its only dim) with none negative;
* circular: each amount at most the dim ("wraps around more than once") and no negative
  output; where cropping one side leaves less than the other side pads, the copy torch
  performs is checked exactly for concrete sizes, and required not to happen for symbolic ones.
"""

from __future__ import annotations

from typing import Any

from .. import symbolic as sym
from ..arith import spatial_rank
from ..values import TensorValue
from . import bad, ok, shape_rule
from ._window import is_int

PAD_MODES = ("constant", "reflect", "replicate", "circular")


def pad_core(ctx: Any, x: TensorValue, pad: Any, mode: str, value: Any = None) -> TensorValue:
    """The shape rule of F.pad."""
    unknown = x.with_shape((sym.UNKNOWN,) * x.ndim)
    pairs = pad_pairs(ctx, x, pad, mode, value)
    if pairs is None:
        return unknown
    shape = list(x.shape)
    outs = []
    all_good = True
    for i, (left, right) in enumerate(pairs):
        dim = x.ndim - 1 - i
        length = x.shape[dim] + left + right
        good = check_dim(ctx, mode, dim, x.shape[dim], left, right, length, len(pairs))
        shape[dim] = length if good else sym.UNKNOWN
        outs.append(length)
        all_good &= good
    if mode in ("reflect", "replicate") and len(pairs) > 1:
        # aten checks `output_w >= 1 || output_h >= 1 ...`: one non-empty dim is enough
        ctx.check(
            sym.ge(sym.maximum(*outs), 1),
            "SC108",
            f"{ctx.layer}: {mode} padding {tuple(pad)!r} leaves every padded dim of {x} empty",
        )
    if mode == "circular" and all_good and all(isinstance(v, int) for v in (*x.shape, *pad)):
        problem = circular_copy_problem(x.shape, pad)
        if problem:
            ctx.report("SC108", f"{ctx.layer}: circular padding {tuple(pad)!r} of {x}: {problem}")
    for dim, length in enumerate(shape):
        if dim >= x.ndim - len(pairs) and ctx.decide(sym.eq(length, 0)) is True:
            ctx.report("SC111", f"{ctx.layer}: padding {tuple(pad)!r} empties dim {dim} of {x}")
    return x.with_shape(shape)


def pad_pairs(ctx: Any, x: TensorValue, pad: Any, mode: str, value: Any) -> list | None:
    """(left, right) per padded dim, last dim first, after F.pad's argument checks."""
    if mode not in PAD_MODES:
        ctx.report("SC106", f"{ctx.layer}: unknown padding mode {mode!r}")
        return None
    if not isinstance(pad, (tuple, list)) or not all(is_int(p) for p in pad):
        ctx.report("SC106", f"{ctx.layer}: pad must be a sequence of ints, got {pad!r}")
        return None
    if len(pad) % 2:
        ctx.report("SC106", f"{ctx.layer}: pad must have an even length, got {tuple(pad)!r}")
        return None
    n = len(pad) // 2
    if n > x.ndim:
        ctx.report("SC206", f"{ctx.layer}: pad {tuple(pad)!r} pads {n} dims of a {x.ndim}-D {x}")
        return None
    if mode != "constant":
        if value is not None and value != 0:
            ctx.report("SC106", f"{ctx.layer}: padding mode {mode!r} does not take a value")
        if n not in (1, 2, 3) or x.ndim not in (n + 1, n + 2):
            ctx.report(
                "SC206",
                f"{ctx.layer}: {mode} padding of {n} dim(s) needs a {n + 1}-D or {n + 2}-D "
                f"input, got {x.ndim}-D {x}",
            )
            return None
    return [(pad[2 * i], pad[2 * i + 1]) for i in range(n)]


def check_dim(
    ctx: Any, mode: str, dim: int, size: Any, left: Any, right: Any, length: Any, pairs: int
) -> bool:
    """The per-dim checks of each mode; False when the dim is certainly invalid."""
    where = f"at dim {dim} (size {size}, padding ({left}, {right}))"
    checks: list[tuple[sym.Rel, str]] = []
    grows = ctx.decide(sym.ge(sym.minimum(left, right), 0)) is True
    if mode == "constant" and not grows:
        kept = size + sym.minimum(left, 0) + sym.minimum(right, 0)
        checks.append((sym.ge(kept, 0), f"cropping removes more than the input {where}"))
    elif mode == "reflect":
        for amount in (left, right):
            checks.append((sym.lt(amount, size), f"reflect padding must be below the size {where}"))
    elif mode == "circular":
        for amount in (left, right):
            checks.append((sym.le(amount, size), f"circular padding wraps more than once {where}"))
    least = 1 if mode in ("reflect", "replicate") and pairs == 1 else 0
    if not grows:  # no cropping: the output is at least the input's size
        checks.append((sym.ge(length, least), f"the output size {length} is below {least} {where}"))
    if (
        mode == "circular"
        and not grows
        and not all(isinstance(v, int) for v in (size, left, right))
    ):
        checks += circular_symbolic_checks(size, left, right, where)
    good = True
    for rel, message in checks:
        good &= ctx.check(rel, "SC108", f"{ctx.layer}: {message}") is not False
    return good


def circular_symbolic_checks(size: Any, left: Any, right: Any, where: str) -> list:
    """Symbolic sizes: each side's padding must fit in what the other side's cropping leaves
    (outside that, torch's copies depend on memory layout; see circular_copy_problem)."""
    kept = size + sym.minimum(left, 0) + sym.minimum(right, 0)
    return [
        (sym.ge(kept, 0), f"cropping removes more than the input {where}"),
        (
            sym.le(sym.maximum(left, 0), size + sym.minimum(right, 0)),
            f"circular padding exceeds what the cropping leaves {where}",
        ),
        (
            sym.le(sym.maximum(right, 0), size + sym.minimum(left, 0)),
            f"circular padding exceeds what the cropping leaves {where}",
        ),
    ]


def _slice(size: int, start: int, end: int) -> tuple[int, int]:
    """aten slice(): negative bounds count from the end, then clamp into [0, size]."""
    start += size if start < 0 else 0
    end += size if end < 0 else 0
    start = min(max(start, 0), size)
    return start, min(max(end, start), size)


def circular_copy_problem(shape: tuple, pad: tuple) -> str | None:
    """Replay the copies of aten _pad_circular_symint on concrete sizes (their shapes only).

    It first copies the kept input into the output, then, per padded dim, copies the wrapped
    slabs from within the output itself. A copy fails when its shapes don't broadcast, or, for
    a dense slab (every dim before it of size 1), when source and target partly overlap.
    """
    n, ndim = len(pad) // 2, len(shape)
    out = list(shape)
    for i in range(n):
        out[ndim - 1 - i] += pad[2 * i] + pad[2 * i + 1]
    for i in range(n):
        dim, left, right = ndim - 1 - i, pad[2 * i], pad[2 * i + 1]
        o, s = out[dim], shape[dim]
        target = _slice(o, max(left, 0), o - max(right, 0))
        source = _slice(s, max(-left, 0), s - max(-right, 0))
        if not _fits(target, source):
            return f"the kept input does not fit the output at dim {dim}"
    for i in range(n):
        dim, left, right = ndim - 1 - i, pad[2 * i], pad[2 * i + 1]
        o = out[dim]
        copies = []
        if left > 0:
            copies.append(((0, left), (o - left - max(right, 0), o - max(right, 0))))
        if right > 0:
            copies.append(((o - right, o), (max(left, 0), max(left, 0) + right)))
        for target, source in copies:
            target, source = _slice(o, *target), _slice(o, *source)
            if not _fits(target, source):
                return f"the wrapped slab does not fit at dim {dim}"
            if _partial_overlap(out, dim, target, source):
                return f"the wrapped slab overlaps its own source at dim {dim}"
    return None


def _fits(target: tuple[int, int], source: tuple[int, int]) -> bool:
    """copy_ broadcasting along one dim: equal lengths, or a source of length 1."""
    return target[1] - target[0] == source[1] - source[0] or source[1] - source[0] == 1


def _partial_overlap(out: list, dim: int, target: tuple, source: tuple) -> bool:
    """TensorIterator's memory-overlap check (MemOverlap.cpp get_overlap_status): only dense,
    non-empty slices are compared; the same slice twice is a full overlap, which is allowed."""
    inner = 1
    for size in out[dim + 1 :]:
        inner *= size
    if inner == 0 or target[0] == target[1] or source[0] == source[1]:
        return False
    if any(size != 1 for size in out[:dim]) or target == source:
        return False
    return target[0] < source[1] and source[0] < target[1]


# ------------------------------------------------------------------------------------ forms


@shape_rule(
    "F.pad",
    examples=[
        ok("F.pad(x, (1, 1, 2, 2))", (3, 3, 8, 4), x=(3, 3, 4, 2)),
        ok("F.pad(x, (0, 1, 2, 1, 3, 3))", (3, 9, 7, 3), x=(3, 3, 4, 2)),
        ok("F.pad(x, (-1, 3), mode='reflect')", (2, 3, 6), x=(2, 3, 4)),
        ok("F.pad(x, (4, 4), mode='circular')", (2, 3, 12), x=(2, 3, 4)),
        ok("F.pad(x, (5, 2, 1, 1), mode='replicate')", (1, 2, 5, 11), x=(1, 2, 3, 4)),
        ok("F.pad(x, (-4, 0, -4, 2), mode='reflect')", (2, 1, 0), x=(2, 3, 4)),
        bad("F.pad(x, (-4, 0))", "SC111", x=(2, 3, 4)),
        bad("F.pad(x, (-5, 1))", "SC108", x=(2, 3, 4)),
        bad("F.pad(x, (4, 0), mode='reflect')", "SC108", x=(2, 3, 4)),
        bad("F.pad(x, (5, 0), mode='circular')", "SC108", x=(2, 3, 4)),
        bad("F.pad(x, (-4, 0), mode='replicate')", "SC108", x=(2, 3, 4)),
        bad("F.pad(x, (1, 1), mode='reflect')", "SC206", x=(1, 2, 3, 4)),
        bad("F.pad(x, (1, 2, 3))", "SC106", x=(2, 3, 4)),
        bad("F.pad(x, (1, 1), mode='reflect', value=1.0)", "SC106", x=(2, 3, 4)),
    ],
)
def pad(
    ctx: Any, input: TensorValue, pad: Any, mode: str = "constant", value: Any = None
) -> TensorValue:
    return pad_core(ctx, input, pad, mode, value)


def module_padding(ctx: Any, padding: Any) -> Any:
    """_pair / _quadruple / _ntuple(6): an int repeated 2n times, a sequence kept as it is."""
    if isinstance(padding, (tuple, list)):
        return tuple(padding)
    return (padding,) * (2 * spatial_pairs(ctx))


def spatial_pairs(ctx: Any) -> int:
    """ZeroPad2d -> 2: the number of (left, right) pairs an int padding expands to."""
    return spatial_rank(ctx.op)


@shape_rule(
    "ZeroPad1d",
    "ZeroPad2d",
    "ZeroPad3d",
    examples=[
        ok("nn.ZeroPad2d(2)(x)", (1, 3, 8, 8), x=(1, 3, 4, 4)),
        ok("nn.ZeroPad2d((1, 2))(x)", (1, 3, 4, 7), x=(1, 3, 4, 4)),
        ok("nn.ZeroPad1d(1)(x)", (1, 2, 3, 4, 6), x=(1, 2, 3, 4, 4)),
        bad("nn.ZeroPad2d(-2)(x)", "SC111", x=(1, 3, 4, 4)),
        bad("nn.ZeroPad3d(1)(x)", "SC206", x=(3, 4)),
    ],
)
def zero_pad(ctx: Any, input: TensorValue, *, padding: Any) -> TensorValue:
    return pad_core(ctx, input, module_padding(ctx, padding), "constant", 0.0)


@shape_rule(
    "ConstantPad1d",
    "ConstantPad2d",
    "ConstantPad3d",
    examples=[
        ok("nn.ConstantPad1d((3, 1), 3.5)(x)", (2, 8), x=(2, 4)),
        ok("nn.ConstantPad3d(1, 0.0)(x)", (1, 4, 5, 6), x=(1, 2, 3, 4)),
        bad("nn.ConstantPad2d((-5, 0, 0, 0), 1.0)(x)", "SC108", x=(1, 3, 4, 4)),
    ],
)
def constant_pad(ctx: Any, input: TensorValue, *, padding: Any, value: float) -> TensorValue:
    return pad_core(ctx, input, module_padding(ctx, padding), "constant", value)


@shape_rule(
    "ReflectionPad1d",
    "ReflectionPad2d",
    "ReflectionPad3d",
    examples=[
        ok("nn.ReflectionPad2d(2)(x)", (1, 7, 8), x=(1, 3, 4)),
        ok("nn.ReflectionPad1d((-1, 2))(x)", (1, 3, 5), x=(1, 3, 4)),
        ok("nn.ReflectionPad3d(1)(x)", (1, 4, 5, 6), x=(1, 2, 3, 4)),
        bad("nn.ReflectionPad2d(4)(x)", "SC108", x=(1, 3, 4, 4)),
        bad("nn.ReflectionPad2d(2)(x)", "SC206", x=(3, 4)),
    ],
)
def reflection_pad(ctx: Any, input: TensorValue, *, padding: Any) -> TensorValue:
    return pad_core(ctx, input, module_padding(ctx, padding), "reflect")


@shape_rule(
    "ReplicationPad1d",
    "ReplicationPad2d",
    "ReplicationPad3d",
    examples=[
        ok("nn.ReplicationPad2d((5, 0, 1, 1))(x)", (1, 3, 6, 9), x=(1, 3, 4, 4)),
        ok("nn.ReplicationPad1d((-4, 1))(x)", (1, 3, 1), x=(1, 3, 4)),
        bad("nn.ReplicationPad1d((-4, 0))(x)", "SC108", x=(1, 3, 4)),
        bad("nn.ReplicationPad3d(1)(x)", "SC206", x=(2, 3, 4)),
    ],
)
def replication_pad(ctx: Any, input: TensorValue, *, padding: Any) -> TensorValue:
    return pad_core(ctx, input, module_padding(ctx, padding), "replicate")


@shape_rule(
    "CircularPad1d",
    "CircularPad2d",
    "CircularPad3d",
    examples=[
        ok("nn.CircularPad2d(2)(x)", (2, 7, 8), x=(2, 3, 4)),
        ok("nn.CircularPad2d((1, 1))(x)", (2, 3, 6), x=(2, 3, 4)),
        ok("nn.CircularPad1d((-4, 1))(x)", (2, 3, 1), x=(2, 3, 4)),
        bad("nn.CircularPad1d(5)(x)", "SC108", x=(2, 3, 4)),
        bad("nn.CircularPad1d(2)(x)", "SC206", x=(4,)),
    ],
)
def circular_pad(ctx: Any, input: TensorValue, *, padding: Any) -> TensorValue:
    n = spatial_pairs(ctx)
    # _CircularPadNd._check_input_dim: the layer's own rank decides, not the padding's length
    if input.ndim not in (n + 1, n + 2):
        ctx.report(
            "SC206",
            f"{ctx.layer} expects a {n + 1}-D or {n + 2}-D input, got {input.ndim}-D {input}",
        )
        return input.with_shape((sym.UNKNOWN,) * input.ndim)
    return pad_core(ctx, input, module_padding(ctx, padding), "circular")
