"""Pooling: MaxPool, AvgPool, LPPool, AdaptiveAvg/MaxPool, FractionalMaxPool, MaxUnpool (1d, 2d,
3d) and every functional form.

Semantics follow torch/nn/functional.py and the aten pooling shape checks (Pool.h), measured
against torch 2.13: the output is floor((L + 2P - D(K-1) - 1)/S) + 1 (ceil_mode rounds up but
drops a last window that would start in the right padding); padding may be at most half the
kernel, kernel_size // 2, for max, avg and lp pooling alike (dilation does not count); at
least one output position is required; avg_pool3d also needs the unpadded input to be as large
as the kernel. Pooling takes batched (N, C, *spatial) or unbatched (C, *spatial) inputs.
"""

from __future__ import annotations

import math
from typing import Any

from .. import symbolic as sym
from ..arith import scaled_size, spatial_rank
from ..values import TensorValue
from . import bad, ok, shape_rule
from ._window import is_int, output_entry, split_input, tuple_arg, windows


def with_indices(out: TensorValue) -> tuple[TensorValue, TensorValue]:
    """(values, int64 indices) as max pooling with return_indices=True returns them."""
    return out, TensorValue(out.shape, "int64")


def unknown_like(x: TensorValue, n: int) -> TensorValue:
    """The output of an N-d layer whose input rank is wrong: nothing is known."""
    return x.with_shape((sym.UNKNOWN,) * (n + 2))


def blank(ctx: Any, x: TensorValue, n: int) -> TensorValue:
    """The output of an N-d layer whose arguments are invalid: batch and channels kept."""
    parts = split_input(ctx, x, n)
    if parts is None:
        return unknown_like(x, n)
    batch, channels, _ = parts
    return x.with_shape((*batch, channels) + (sym.UNKNOWN,) * n)


def py_ntuple(value: Any, n: int) -> tuple:
    """torch.nn.modules.utils._ntuple: a sequence as it is (any length), else n copies."""
    return tuple(value) if isinstance(value, (tuple, list)) else (value,) * n


def default_stride(stride: Any, kernel_size: Any) -> Any:
    """stride=None, or the empty list F.max_pool2d passes to aten for it, means kernel_size."""
    if stride is None or (isinstance(stride, (tuple, list)) and len(stride) == 0):
        return kernel_size
    return stride


def pool_core(
    ctx: Any,
    x: TensorValue,
    n: int,
    kernel_size: Any,
    stride: Any,
    padding: Any,
    dilation: Any,
    ceil_mode: bool,
    *,
    kind: str,
) -> TensorValue:
    """The shape rule of an N-d max ('max'), average ('avg') or power-average pooling."""
    parts = split_input(ctx, x, n)
    if parts is None:
        return unknown_like(x, n)
    batch, channels, spatial = parts
    lead = (*batch, channels)
    unknown = x.with_shape(lead + (sym.UNKNOWN,) * n)
    kernel = tuple_arg(ctx, kernel_size, n, "kernel_size", minimum=1)
    stride_t = tuple_arg(ctx, default_stride(stride, kernel_size), n, "stride", minimum=1)
    padding_t = tuple_arg(ctx, padding, n, "padding", minimum=0)
    dilation_t = tuple_arg(ctx, dilation, n, "dilation", minimum=1)
    if kernel is None or stride_t is None or padding_t is None or dilation_t is None:
        return unknown
    half_kernel = True
    for i, (k, p) in enumerate(zip(kernel, padding_t)):
        half_kernel &= (
            ctx.check(
                sym.le(p, k // 2),
                "SC103",
                f"{ctx.layer}: padding {p} is more than half the kernel size {k} at spatial "
                f"dim {i}",
            )
            is not False
        )
    if not half_kernel:
        return unknown
    if kind == "avg" and n == 3:
        # aten avg_pool3d (pool3d_shape_check with check_input_size): input >= kernel
        for i, (size, k) in enumerate(zip(spatial, kernel)):
            ctx.check(
                sym.ge(size, k),
                "SC101",
                f"{ctx.layer}: input size {size} is smaller than the kernel {k} at spatial dim "
                f"{i} (avg_pool3d does not count the padding)",
            )
    sizes = windows(ctx, spatial, kernel, stride_t, padding_t, dilation_t, ceil_mode=ceil_mode)
    return x.with_shape(lead + tuple(sizes))


# ------------------------------------------------------------------------------ max pooling


@shape_rule(
    "MaxPool1d",
    "MaxPool2d",
    "MaxPool3d",
    examples=[
        ok("nn.MaxPool2d(kernel_size=2, stride=2, padding=0)(x)", (2, 6, 15, 15), x=(2, 6, 30, 30)),
        ok("nn.MaxPool2d(3, stride=2, padding=1)(x)", (1, 64, 24, 24), x=(1, 64, 48, 48)),
        ok("nn.MaxPool2d(3, 2, ceil_mode=True)(x)", (1, 4, 4, 4), x=(1, 4, 8, 8)),
        ok("nn.MaxPool1d(2, 2, ceil_mode=True)(x)", (2, 1), x=(2, 1)),
        ok("nn.MaxPool1d(3, 1, 1, dilation=2)(x)", (3, 5), x=(3, 7)),
        ok("nn.MaxPool3d((1, 2, 2), return_indices=True)(x)", [(2, 3, 2, 2)] * 2, x=(2, 3, 4, 5)),
        bad("nn.MaxPool2d(2, padding=2)(x)", "SC103", x=(1, 3, 8, 8)),
        bad("nn.MaxPool2d(5)(x)", "SC101", x=(1, 3, 4, 8)),
        bad("nn.MaxPool2d(2, stride=0)(x)", "SC106", x=(1, 3, 8, 8)),
        bad("nn.MaxPool2d(2)(x)", "SC206", x=(8, 8)),
    ],
)
def max_pool(
    ctx: Any,
    input: TensorValue,
    *,
    kernel_size: Any,
    stride: Any = None,
    padding: Any = 0,
    dilation: Any = 1,
    return_indices: bool = False,
    ceil_mode: bool = False,
) -> Any:
    n = spatial_rank(ctx.op)
    out = pool_core(ctx, input, n, kernel_size, stride, padding, dilation, ceil_mode, kind="max")
    return with_indices(out) if return_indices else out


@shape_rule(
    "F.max_pool1d",
    "F.max_pool2d",
    "F.max_pool3d",
    examples=[
        ok("F.max_pool2d(x, 2)", (1, 3, 4, 4), x=(1, 3, 8, 9)),
        ok("F.max_pool2d(x, (3, 1), 1, (1, 0), 1, True, True)", [(3, 8, 9)] * 2, x=(3, 8, 9)),
        ok("F.max_pool1d(x, 4, padding=2, dilation=3)", (2, 3, 1), x=(2, 3, 9)),
        bad("F.max_pool2d(x, (2, 2, 2))", "SC106", x=(1, 3, 8, 8)),
        bad("F.max_pool3d(x, 3, padding=2)", "SC103", x=(1, 3, 8, 8, 8)),
    ],
)
def max_pool_functional(
    ctx: Any,
    input: TensorValue,
    kernel_size: Any,
    stride: Any = None,
    padding: Any = 0,
    dilation: Any = 1,
    ceil_mode: bool = False,
    return_indices: bool = False,
) -> Any:
    n = spatial_rank(ctx.op)
    out = pool_core(ctx, input, n, kernel_size, stride, padding, dilation, ceil_mode, kind="max")
    return with_indices(out) if return_indices else out


@shape_rule(
    "F.max_pool1d_with_indices",
    "F.max_pool2d_with_indices",
    "F.max_pool3d_with_indices",
    "torch.max_pool1d_with_indices",
    examples=[
        ok("F.max_pool2d_with_indices(x, 2)", [(1, 3, 4, 4)] * 2, x=(1, 3, 8, 9)),
        ok("torch.max_pool1d_with_indices(x, 3, 2)", [(1, 2, 3)] * 2, x=(1, 2, 7)),
        bad("F.max_pool3d_with_indices(x, 2)", "SC206", x=(8, 8)),
    ],
)
def max_pool_with_indices(
    ctx: Any,
    input: TensorValue,
    kernel_size: Any,
    stride: Any = None,
    padding: Any = 0,
    dilation: Any = 1,
    ceil_mode: bool = False,
    return_indices: bool = False,
) -> tuple[TensorValue, TensorValue]:
    n = spatial_rank(ctx.op.removesuffix("_with_indices"))
    out = pool_core(ctx, input, n, kernel_size, stride, padding, dilation, ceil_mode, kind="max")
    return with_indices(out)


@shape_rule(
    "torch.max_pool1d",
    "torch.max_pool2d",
    "torch.max_pool3d",
    examples=[
        ok("torch.max_pool2d(x, 3, 2, 1)", (1, 2, 4, 4), x=(1, 2, 8, 8)),
        ok("torch.max_pool1d(x, 2, ceil_mode=True)", (1, 2, 4), x=(1, 2, 7)),
        bad("torch.max_pool2d(x, 3, 1, 2)", "SC103", x=(1, 2, 8, 8)),
    ],
)
def max_pool_torch(
    ctx: Any,
    input: TensorValue,
    kernel_size: Any,
    stride: Any = (),
    padding: Any = 0,
    dilation: Any = 1,
    ceil_mode: bool = False,
) -> TensorValue:
    n = spatial_rank(ctx.op)
    return pool_core(ctx, input, n, kernel_size, stride, padding, dilation, ceil_mode, kind="max")


# ------------------------------------------------------------------------------ avg pooling


def check_divisor(ctx: Any, divisor_override: Any) -> None:
    """aten avg_pool2d/3d: "divisor must be not zero"."""
    if divisor_override is not None and not divisor_override:
        ctx.report("SC106", f"{ctx.layer}: divisor_override must not be zero")


@shape_rule(
    "AvgPool1d",
    examples=[
        ok("nn.AvgPool1d(3, stride=2, padding=1)(x)", (2, 4, 5), x=(2, 4, 10)),
        ok("nn.AvgPool1d(2, ceil_mode=True)(x)", (4, 3), x=(4, 5)),
        bad("nn.AvgPool1d(2, padding=2)(x)", "SC103", x=(2, 4, 10)),
        bad("nn.AvgPool1d(4)(x)", "SC101", x=(2, 4, 3)),
    ],
)
def avg_pool1d(
    ctx: Any,
    input: TensorValue,
    *,
    kernel_size: Any,
    stride: Any = None,
    padding: Any = 0,
    ceil_mode: bool = False,
    count_include_pad: bool = True,
) -> TensorValue:
    return pool_core(ctx, input, 1, kernel_size, stride, padding, 1, ceil_mode, kind="avg")


@shape_rule(
    "AvgPool2d",
    "AvgPool3d",
    examples=[
        ok("nn.AvgPool2d(2, stride=2)(x)", (4, 10, 4, 4), x=(4, 10, 8, 8)),
        ok("nn.AvgPool2d(3, 1, 1, ceil_mode=True, divisor_override=2)(x)", (3, 5, 6), x=(3, 5, 6)),
        ok("nn.AvgPool3d((1, 2, 2))(x)", (1, 2, 3, 2, 2), x=(1, 2, 3, 4, 5)),
        bad("nn.AvgPool3d(2, padding=1)(x)", "SC101", x=(1, 2, 1, 4, 4)),
        bad("nn.AvgPool2d(2, divisor_override=0)(x)", "SC106", x=(1, 2, 4, 4)),
        bad("nn.AvgPool2d(3, padding=2)(x)", "SC103", x=(1, 2, 4, 4)),
    ],
)
def avg_pool(
    ctx: Any,
    input: TensorValue,
    *,
    kernel_size: Any,
    stride: Any = None,
    padding: Any = 0,
    ceil_mode: bool = False,
    count_include_pad: bool = True,
    divisor_override: Any = None,
) -> TensorValue:
    check_divisor(ctx, divisor_override)
    n = spatial_rank(ctx.op)
    return pool_core(ctx, input, n, kernel_size, stride, padding, 1, ceil_mode, kind="avg")


@shape_rule(
    "F.avg_pool1d",
    "torch.avg_pool1d",
    examples=[
        ok("F.avg_pool1d(x, 3, 2)", (2, 3, 4), x=(2, 3, 9)),
        ok("torch.avg_pool1d(x, 2, padding=1, ceil_mode=True)", (3, 5), x=(3, 8)),
        bad("F.avg_pool1d(x, (2, 2))", "SC106", x=(2, 3, 9)),
    ],
)
def avg_pool1d_functional(
    ctx: Any,
    input: TensorValue,
    kernel_size: Any,
    stride: Any = None,
    padding: Any = 0,
    ceil_mode: bool = False,
    count_include_pad: bool = True,
) -> TensorValue:
    return pool_core(ctx, input, 1, kernel_size, stride, padding, 1, ceil_mode, kind="avg")


@shape_rule(
    "F.avg_pool2d",
    "F.avg_pool3d",
    examples=[
        ok("F.avg_pool2d(x, 2)", (4, 10, 4, 4), x=(4, 10, 8, 8)),
        ok("F.avg_pool3d(x, (2, 1, 1), padding=(1, 0, 0))", (2, 4, 2, 3, 3), x=(2, 4, 3, 3, 3)),
        bad("F.avg_pool2d(x, 2, divisor_override=0)", "SC106", x=(1, 2, 4, 4)),
        bad("F.avg_pool3d(x, 2)", "SC206", x=(2, 4, 4)),
    ],
)
def avg_pool_functional(
    ctx: Any,
    input: TensorValue,
    kernel_size: Any,
    stride: Any = None,
    padding: Any = 0,
    ceil_mode: bool = False,
    count_include_pad: bool = True,
    divisor_override: Any = None,
) -> TensorValue:
    check_divisor(ctx, divisor_override)
    n = spatial_rank(ctx.op)
    return pool_core(ctx, input, n, kernel_size, stride, padding, 1, ceil_mode, kind="avg")


# ------------------------------------------------------------------------------- lp pooling


def lp_pool_core(
    ctx: Any,
    x: TensorValue,
    n: int,
    norm_type: Any,
    kernel_size: Any,
    stride: Any,
    ceil_mode: bool,
) -> TensorValue:
    """F.lp_pool{n}d: an avg_pool of x**p with padding 0, or a max_pool for p = +-inf."""
    infinite = isinstance(norm_type, (int, float)) and math.isinf(norm_type)
    if n > 1 and isinstance(kernel_size, (tuple, list)) and len(kernel_size) != n:
        # lp_pool2d unpacks `kw, kh = _pair(kernel_size)` before pooling
        ctx.report("SC106", f"{ctx.layer}: kernel_size must have {n} entries, got {kernel_size!r}")
        return unknown_like(x, n)
    if n == 1 and not infinite and not is_int(kernel_size):
        # lp_pool1d multiplies the result by kernel_size, which must be a number
        ctx.report("SC106", f"{ctx.layer}: kernel_size must be an int, got {kernel_size!r}")
        return unknown_like(x, n)
    if not infinite and norm_type == 0:
        ctx.report("SC106", f"{ctx.layer}: norm_type 0 divides by zero (the result is ** 1/p)")
    kind = "max" if infinite else "avg"
    return pool_core(ctx, x, n, kernel_size, stride, 0, 1, ceil_mode, kind=kind)


@shape_rule(
    "LPPool1d",
    "LPPool2d",
    "LPPool3d",
    examples=[
        ok("nn.LPPool2d(2, 3, stride=2)(x)", (1, 4, 3, 3), x=(1, 4, 7, 8)),
        ok("nn.LPPool1d(1, 2, ceil_mode=True)(x)", (3, 4), x=(3, 7)),
        ok("nn.LPPool3d(1e999, 2)(x)", (1, 2, 1, 2, 2), x=(1, 2, 3, 4, 5)),
        bad("nn.LPPool3d(2, 2)(x)", "SC101", x=(1, 2, 1, 4, 4)),
        bad("nn.LPPool2d(2, (2,))(x)", "SC106", x=(1, 2, 4, 4)),
        bad("nn.LPPool1d(0, 2)(x)", "SC106", x=(1, 2, 4)),
    ],
)
def lp_pool(
    ctx: Any,
    input: TensorValue,
    *,
    norm_type: float,
    kernel_size: Any,
    stride: Any = None,
    ceil_mode: bool = False,
) -> TensorValue:
    n = spatial_rank(ctx.op)
    return lp_pool_core(ctx, input, n, norm_type, kernel_size, stride, ceil_mode)


@shape_rule(
    "F.lp_pool1d",
    "F.lp_pool2d",
    "F.lp_pool3d",
    examples=[
        ok("F.lp_pool2d(x, 2, 2)", (1, 3, 4, 4), x=(1, 3, 8, 9)),
        ok("F.lp_pool1d(x, 1e999, (3,), 1)", (2, 3, 7), x=(2, 3, 9)),
        bad("F.lp_pool1d(x, 2, (3,))", "SC106", x=(2, 3, 9)),
        bad("F.lp_pool2d(x, 2, 5)", "SC101", x=(2, 3, 4, 9)),
    ],
)
def lp_pool_functional(
    ctx: Any,
    input: TensorValue,
    norm_type: Any,
    kernel_size: Any,
    stride: Any = None,
    ceil_mode: bool = False,
) -> TensorValue:
    n = spatial_rank(ctx.op)
    return lp_pool_core(ctx, input, n, norm_type, kernel_size, stride, ceil_mode)


# ------------------------------------------------------------------------- adaptive pooling


def adaptive_sizes(ctx: Any, output_size: Any, spatial: tuple, n: int) -> tuple | None:
    """The output sizes of an adaptive pooling. 1-d takes an int or a 1-tuple; 2-d and 3-d an
    int or an n-tuple whose None entries keep the input's size (torch _list_with_default)."""
    if isinstance(output_size, (tuple, list)):
        if len(output_size) != n:
            ctx.report(
                "SC109", f"{ctx.layer}: output_size must have {n} entries, got {output_size!r}"
            )
            return None
        entries = list(output_size)
    elif output_size is None:
        entries = [object()]  # AdaptiveAvgPool2d(None) has no size at all: rejected below
    else:
        entries = [output_size] * n
    sizes = []
    for i, value in enumerate(entries):
        if value is None and n > 1:
            sizes.append(spatial[i])
        else:
            sizes.append(output_entry(ctx, value, i))
    return tuple(sizes * (n if len(sizes) < n else 1))


def adaptive_core(
    ctx: Any, x: TensorValue, n: int, output_size: Any, *, average: bool = False
) -> TensorValue:
    if average and n > 1 and x.ndim >= n and x.ndim not in (n + 1, n + 2):
        return global_average(ctx, x, n, output_size)
    parts = split_input(ctx, x, n)
    if parts is None:
        return unknown_like(x, n)
    batch, channels, spatial = parts
    sizes = adaptive_sizes(ctx, output_size, spatial, n)
    return x.with_shape((*batch, channels) + (sizes or (sym.UNKNOWN,) * n))


def global_average(ctx: Any, x: TensorValue, n: int, output_size: Any) -> TensorValue:
    """aten adaptive_avg_pool2d/3d take a mean over the last n dims, for an input of any rank,
    when every output size is 1; otherwise such a rank is SC206. A tuple output_size first
    needs more input dims than entries (torch _list_with_default)."""
    rank_error = (
        f"{ctx.layer} expects a {n + 1}-D or {n + 2}-D input (any rank only for an output of "
        f"all 1s), got {x.ndim}-D {x}"
    )
    if isinstance(output_size, (tuple, list)) and x.ndim <= len(output_size):
        ctx.report("SC206", rank_error)
        return unknown_like(x, n)
    sizes = adaptive_sizes(ctx, output_size, x.shape[-n:], n)
    if sizes is None:
        return unknown_like(x, n)
    for size in sizes:
        if ctx.check(sym.eq(size, 1), "SC206", rank_error) is False:
            return unknown_like(x, n)
    return x.with_shape(x.shape[:-n] + (1,) * n)


@shape_rule(
    "AdaptiveAvgPool1d",
    "AdaptiveAvgPool2d",
    "AdaptiveAvgPool3d",
    examples=[
        ok("nn.AdaptiveAvgPool2d((1, 1))(x)", (2, 512, 1, 1), x=(2, 512, 7, 9)),
        ok("nn.AdaptiveAvgPool2d((None, 3))(x)", (2, 4, 5, 3), x=(2, 4, 5, 6)),
        ok("nn.AdaptiveAvgPool1d(9)(x)", (3, 9), x=(3, 4)),
        ok("nn.AdaptiveAvgPool3d((2, None, 1))(x)", (4, 2, 5, 1), x=(4, 3, 5, 6)),
        bad("nn.AdaptiveAvgPool2d(0)(x)", "SC111", x=(2, 4, 5, 6)),
        bad("nn.AdaptiveAvgPool2d((-1, 3))(x)", "SC109", x=(2, 4, 5, 6)),
        bad("nn.AdaptiveAvgPool1d(None)(x)", "SC109", x=(2, 4, 5)),
        bad("nn.AdaptiveAvgPool2d((3,))(x)", "SC109", x=(2, 4, 5, 6)),
        ok("nn.AdaptiveAvgPool2d(1)(x)", (2, 3, 4, 1, 1), x=(2, 3, 4, 5, 6)),
        bad("nn.AdaptiveAvgPool2d(2)(x)", "SC206", x=(5, 6)),
    ],
)
def adaptive_avg_pool(ctx: Any, input: TensorValue, *, output_size: Any) -> TensorValue:
    return adaptive_core(ctx, input, spatial_rank(ctx.op), output_size, average=True)


@shape_rule(
    "AdaptiveMaxPool1d",
    "AdaptiveMaxPool2d",
    "AdaptiveMaxPool3d",
    examples=[
        ok("nn.AdaptiveMaxPool2d(7)(x)", (1, 3, 7, 7), x=(1, 3, 5, 20)),
        ok("nn.AdaptiveMaxPool1d(2, return_indices=True)(x)", [(1, 3, 2)] * 2, x=(1, 3, 5)),
        ok("nn.AdaptiveMaxPool3d((None, 2, 2))(x)", (1, 3, 4, 2, 2), x=(1, 3, 4, 5, 6)),
        bad("nn.AdaptiveMaxPool2d((3, 4, 5))(x)", "SC109", x=(1, 3, 8, 8)),
        bad("nn.AdaptiveMaxPool1d(2)(x)", "SC206", x=(1, 3, 8, 8)),
    ],
)
def adaptive_max_pool(
    ctx: Any, input: TensorValue, *, output_size: Any, return_indices: bool = False
) -> Any:
    out = adaptive_core(ctx, input, spatial_rank(ctx.op), output_size)
    return with_indices(out) if return_indices else out


@shape_rule(
    "F.adaptive_avg_pool1d",
    "F.adaptive_avg_pool2d",
    "F.adaptive_avg_pool3d",
    "torch.adaptive_avg_pool1d",
    examples=[
        ok("F.adaptive_avg_pool2d(x, (None, 2))", (2, 3, 5, 2), x=(2, 3, 5, 6)),
        ok("torch.adaptive_avg_pool1d(x, 3)", (2, 3, 3), x=(2, 3, 5)),
        bad("F.adaptive_avg_pool3d(x, (1, 2))", "SC109", x=(2, 3, 4, 5, 6)),
    ],
)
def adaptive_avg_pool_functional(ctx: Any, input: TensorValue, output_size: Any) -> TensorValue:
    return adaptive_core(ctx, input, spatial_rank(ctx.op), output_size, average=True)


@shape_rule(
    "F.adaptive_max_pool1d",
    "F.adaptive_max_pool2d",
    "F.adaptive_max_pool3d",
    examples=[
        ok("F.adaptive_max_pool2d(x, 3)", (2, 3, 3, 3), x=(2, 3, 5, 6)),
        ok("F.adaptive_max_pool1d(x, 4, True)", [(3, 4)] * 2, x=(3, 5)),
        bad("F.adaptive_max_pool2d(x, (2, -2))", "SC109", x=(2, 3, 5, 6)),
    ],
)
def adaptive_max_pool_functional(
    ctx: Any, input: TensorValue, output_size: Any, return_indices: bool = False
) -> Any:
    out = adaptive_core(ctx, input, spatial_rank(ctx.op), output_size)
    return with_indices(out) if return_indices else out


@shape_rule(
    "F.adaptive_max_pool1d_with_indices",
    "F.adaptive_max_pool2d_with_indices",
    "F.adaptive_max_pool3d_with_indices",
    "torch.adaptive_max_pool1d",
    examples=[
        ok("F.adaptive_max_pool2d_with_indices(x, 3)", [(2, 3, 3, 3)] * 2, x=(2, 3, 5, 6)),
        ok("torch.adaptive_max_pool1d(x, 2)", [(2, 3, 2)] * 2, x=(2, 3, 5)),
        bad("torch.adaptive_max_pool1d(x, 2)", "SC206", x=(5,)),
    ],
)
def adaptive_max_pool_with_indices(
    ctx: Any, input: TensorValue, output_size: Any, return_indices: bool = False
) -> tuple[TensorValue, TensorValue]:
    n = spatial_rank(ctx.op.removesuffix("_with_indices"))
    return with_indices(adaptive_core(ctx, input, n, output_size))


# ----------------------------------------------------------------------- fractional pooling


def exact_tuple(ctx: Any, value: Any, n: int, what: str) -> tuple | None:
    """An int or a sequence of exactly n ints (aten fractional_max_pool: a 1-tuple is not
    broadcast), else SC106."""
    values = tuple(value) if isinstance(value, (tuple, list)) else (value,) * n
    if len(values) != n or not all(is_int(v) for v in values):
        ctx.report("SC106", f"{ctx.layer}: {what} must be an int or {n} ints, got {value!r}")
        return None
    return values


def fraction_ratios(ctx: Any, output_ratio: Any, n: int) -> tuple | None:
    """F.fractional_max_pool2d takes a sequence of 2 ratios (it calls len() on it);
    F.fractional_max_pool3d a number or at least 3 (_triple, then indexes 0..2)."""
    if isinstance(output_ratio, (tuple, list)):
        too_long = n == 2 and len(output_ratio) > n
        if len(output_ratio) < n or too_long:
            ctx.report(
                "SC109", f"{ctx.layer}: output_ratio must have {n} entries, got {output_ratio!r}"
            )
            return None
        ratios = tuple(output_ratio[:n])
    elif n == 3:
        ratios = (output_ratio,) * 3
    else:
        ctx.report("SC109", f"{ctx.layer}: output_ratio must be a pair, got {output_ratio!r}")
        return None
    for r in ratios:
        if not isinstance(r, (int, float)) or not math.isfinite(r):
            ctx.report(
                "SC109", f"{ctx.layer}: output_ratio must be finite numbers, got {output_ratio!r}"
            )
            return None
    return ratios


def fractional_core(
    ctx: Any, x: TensorValue, n: int, kernel_size: Any, output_size: Any, output_ratio: Any
) -> TensorValue:
    """F.fractional_max_pool{n}d: output_size (or int(size * ratio)); the windows must fit,
    output + kernel - 1 <= input (2-d) or < input (3-d) (aten "pool height ... too large")."""
    parts = split_input(ctx, x, n)
    if parts is None:
        return unknown_like(x, n)
    batch, channels, spatial = parts
    unknown = x.with_shape((*batch, channels) + (sym.UNKNOWN,) * n)
    if output_size is None and output_ratio is None:
        ctx.report("SC109", f"{ctx.layer} needs an output_size or an output_ratio")
        return unknown
    kernel = exact_tuple(ctx, kernel_size, n, "kernel_size")
    if output_size is not None:
        wanted = exact_tuple(ctx, output_size, n, "output_size")
    else:
        ratios = fraction_ratios(ctx, output_ratio, n)
        wanted = None if ratios is None else tuple(map(scaled_size, spatial, ratios))
    if kernel is None or wanted is None:
        return unknown
    sizes = []
    for i, (size, k, o) in enumerate(zip(spatial, kernel, wanted)):
        o = output_entry(ctx, o, i)
        # aten: output + kernel - 1 <= input in 2-d, but < input in 3-d
        fits = sym.le(o + k - 1, size) if n == 2 else sym.lt(o + k - 1, size)
        need = "<=" if n == 2 else "<"
        if o is not sym.UNKNOWN and (
            ctx.check(
                fits,
                "SC101",
                f"{ctx.layer}: kernel {k} is too large for output size {o} from input size "
                f"{size} at spatial dim {i} (needs output + kernel - 1 {need} input)",
            )
            is False
        ):
            o = sym.UNKNOWN
        sizes.append(o)
    return x.with_shape((*batch, channels, *sizes))


@shape_rule(
    "FractionalMaxPool2d",
    "FractionalMaxPool3d",
    examples=[
        ok("nn.FractionalMaxPool2d(3, output_size=(13, 12))(x)", (2, 4, 13, 12), x=(2, 4, 50, 32)),
        ok("nn.FractionalMaxPool2d(2, output_ratio=0.5)(x)", (2, 3, 3), x=(2, 6, 7)),
        ok(
            "nn.FractionalMaxPool3d(2, output_size=2, return_indices=True)(x)",
            [(1, 2, 2, 2, 2)] * 2,
            x=(1, 2, 5, 6, 7),
        ),
        bad("nn.FractionalMaxPool2d(3, output_size=(4, 6))(x)", "SC101", x=(1, 2, 6, 7)),
        bad("nn.FractionalMaxPool2d(2, output_ratio=1.0)(x)", "SC109", x=(1, 2, 6, 7)),
        bad("nn.FractionalMaxPool3d(0, output_size=2)(x)", "SC106", x=(1, 2, 5, 6, 7)),
        bad("nn.FractionalMaxPool2d(2, output_size=3, output_ratio=0.5)(x)", "SC109", x=(2, 6, 7)),
    ],
)
def fractional_max_pool(
    ctx: Any,
    input: TensorValue,
    *,
    kernel_size: Any,
    output_size: Any = None,
    output_ratio: Any = None,
    return_indices: bool = False,
    _random_samples: Any = None,
) -> Any:
    n = spatial_rank(ctx.op)
    if fractional_init_ok(ctx, n, kernel_size, output_size, output_ratio):
        if output_ratio is not None:
            output_ratio = py_ntuple(output_ratio, n)
        if output_size is not None:
            output_size = py_ntuple(output_size, n)
        out = fractional_core(ctx, input, n, kernel_size, output_size, output_ratio)
    else:
        out = blank(ctx, input, n)
    return with_indices(out) if return_indices else out


def fractional_init_ok(
    ctx: Any, n: int, kernel_size: Any, output_size: Any, output_ratio: Any
) -> bool:
    """The checks of FractionalMaxPool2d/3d.__init__ (torch/nn/modules/pooling.py)."""
    if n == 3:
        for k in py_ntuple(kernel_size, 3):
            if not is_int(k) or ctx.decide(sym.ge(k, 1)) is False:
                ctx.report(
                    "SC106", f"{ctx.layer}: kernel_size must be greater than 0, got {kernel_size!r}"
                )
                return False
    if output_size is None and output_ratio is None:
        ctx.report("SC109", f"{ctx.layer} needs an output_size or an output_ratio")
        return False
    if output_size is not None and output_ratio is not None:
        ctx.report("SC109", f"{ctx.layer}: only one of output_size and output_ratio may be given")
        return False
    if output_ratio is not None:
        ratios = py_ntuple(output_ratio, n)
        if len(ratios) < n or not all(
            isinstance(r, (int, float)) and 0 < r < 1 for r in ratios[:n]
        ):
            ctx.report(
                "SC109", f"{ctx.layer}: output_ratio must be between 0 and 1, got {output_ratio!r}"
            )
            return False
    return True


@shape_rule(
    "F.fractional_max_pool2d",
    "F.fractional_max_pool3d",
    examples=[
        ok("F.fractional_max_pool2d(x, 2, output_ratio=(0.5, 0.7))", (1, 2, 3, 4), x=(1, 2, 6, 7)),
        ok("F.fractional_max_pool3d(x, 2, output_ratio=0.5)", (2, 2, 3, 3), x=(2, 5, 6, 7)),
        ok("F.fractional_max_pool2d(x, 2, 3, return_indices=True)", [(2, 3, 3)] * 2, x=(2, 6, 7)),
        bad("F.fractional_max_pool2d(x, 2, output_ratio=0.5)", "SC109", x=(1, 2, 6, 7)),
        bad("F.fractional_max_pool2d(x, 2)", "SC109", x=(1, 2, 6, 7)),
        bad("F.fractional_max_pool3d(x, 2, output_size=5)", "SC101", x=(1, 2, 5, 6, 7)),
        bad("F.fractional_max_pool2d(x, (2,), output_size=3)", "SC106", x=(1, 2, 6, 7)),
    ],
)
def fractional_max_pool_functional(
    ctx: Any,
    input: TensorValue,
    kernel_size: Any,
    output_size: Any = None,
    output_ratio: Any = None,
    return_indices: bool = False,
    _random_samples: Any = None,
) -> Any:
    out = fractional_core(ctx, input, spatial_rank(ctx.op), kernel_size, output_size, output_ratio)
    return with_indices(out) if return_indices else out


@shape_rule(
    "F.fractional_max_pool2d_with_indices",
    "F.fractional_max_pool3d_with_indices",
    examples=[
        ok("F.fractional_max_pool2d_with_indices(x, 2, 3)", [(1, 2, 3, 3)] * 2, x=(1, 2, 6, 7)),
        bad("F.fractional_max_pool3d_with_indices(x, 2, 3)", "SC206", x=(6, 7)),
    ],
)
def fractional_max_pool_with_indices(
    ctx: Any,
    input: TensorValue,
    kernel_size: Any,
    output_size: Any = None,
    output_ratio: Any = None,
    return_indices: bool = False,
    _random_samples: Any = None,
) -> tuple[TensorValue, TensorValue]:
    n = spatial_rank(ctx.op.removesuffix("_with_indices"))
    return with_indices(fractional_core(ctx, input, n, kernel_size, output_size, output_ratio))


# --------------------------------------------------------------------------------- unpooling


def unpool_args(ctx: Any, n: int, kernel_size: Any, stride: Any, padding: Any) -> tuple | None:
    """kernel, stride, padding of F.max_unpool{n}d after torch's _single/_pair/_triple. The
    kernel needs exactly n entries; stride and padding n (3-d) or at least n (extra entries
    are ignored); nothing else is checked except a positive stride in 3-d (aten)."""
    kernel = py_ntuple(kernel_size, n)
    strides = py_ntuple(kernel_size if stride is None else stride, n)
    pads = py_ntuple(padding, n)
    for what, values in (("kernel_size", kernel), ("stride", strides), ("padding", pads)):
        exact = n == 3 or what == "kernel_size"
        if len(values) < n or (exact and len(values) != n):
            ctx.report("SC106", f"{ctx.layer}: {what} must have {n} entries, got {values!r}")
            return None
        if not all(is_int(v) for v in values[:n]):
            ctx.report("SC106", f"{ctx.layer}: {what} must be integers, got {values!r}")
            return None
    if n == 3:
        for s in strides:
            if (
                ctx.check(sym.ge(s, 1), "SC106", f"{ctx.layer}: stride must be >= 1, got {s}")
                is False
            ):
                return None
    return kernel, strides[:n], pads[:n]


def unpool_core(
    ctx: Any,
    x: TensorValue,
    indices: Any,
    n: int,
    kernel_size: Any,
    stride: Any,
    padding: Any,
    output_size: Any,
) -> TensorValue:
    """F.max_unpool{n}d: (L - 1)S - 2P + K per dim, or output_size strictly within one stride
    of that (torch/nn/functional.py _unpool_output_size); the size may be 0 but not negative."""
    parts = split_input(ctx, x, n)
    if parts is None:
        return unknown_like(x, n)
    batch, channels, spatial = parts
    out = x.with_shape((*batch, channels) + (sym.UNKNOWN,) * n)
    check_indices(ctx, x, indices)
    args = unpool_args(ctx, n, kernel_size, stride, padding)
    if args is None:
        return out
    kernel, strides, pads = args
    default = [(size - 1) * s + k - 2 * p for size, k, s, p in zip(spatial, kernel, strides, pads)]
    if output_size is None:
        wanted = default
    elif not isinstance(output_size, (tuple, list)) or len(output_size) not in (n, n + 2):
        ctx.report(
            "SC109",
            f"{ctx.layer}: output_size must have {n} or {n + 2} entries, got {output_size!r}",
        )
        return out
    else:
        wanted = list(output_size)[-n:]
        for i, (want, low, s) in enumerate(zip(wanted, default, strides)):
            if not is_int(want):
                ctx.report("SC109", f"{ctx.layer}: output_size must be integers, got {want!r}")
                return out
            ctx.check(
                sym.gt(want, low - s),
                "SC102",
                f"{ctx.layer}: requested output size {want} at spatial dim {i} must be above "
                f"{low - s}",
            )
            ctx.check(
                sym.lt(want, low + s),
                "SC102",
                f"{ctx.layer}: requested output size {want} at spatial dim {i} must be below "
                f"{low + s}",
            )
    sizes = []
    for i, length in enumerate(wanted):
        if (
            ctx.check(
                sym.ge(length, 0),
                "SC102",
                f"{ctx.layer}: output size {length} at spatial dim {i} is negative",
            )
            is False
        ):
            length = sym.UNKNOWN
        elif ctx.decide(sym.eq(length, 0)) is True:
            ctx.report("SC111", f"{ctx.layer}: output size 0 at spatial dim {i}: an empty output")
        sizes.append(length)
    return x.with_shape((*batch, channels, *sizes))


def check_indices(ctx: Any, x: TensorValue, indices: Any) -> None:
    """aten max_unpooling: int64 indices of exactly the input's shape."""
    if not isinstance(indices, TensorValue):
        return
    if indices.dtype != "int64":
        ctx.report("SC207", f"{ctx.layer} expects int64 indices, got {indices.dtype}")
    if indices.ndim != x.ndim:
        ctx.report("SC112", f"{ctx.layer}: indices {indices} do not have the input's shape {x}")
        return
    for got, want in zip(indices.shape, x.shape):
        if (
            ctx.check(
                sym.eq(got, want),
                "SC112",
                f"{ctx.layer}: indices {indices} do not have the input's shape {x}",
            )
            is False
        ):
            return


@shape_rule(
    "MaxUnpool1d",
    "MaxUnpool2d",
    "MaxUnpool3d",
    examples=[
        ok(
            "nn.MaxUnpool2d(2)(x, i)",
            (1, 2, 6, 6),
            x=(1, 2, 3, 3),
            i=(1, 2, 3, 3),
            dtypes={"i": "int64"},
        ),
        ok(
            "nn.MaxUnpool2d(2, stride=2)(x, i, output_size=(1, 2, 7, 5))",
            (1, 2, 7, 5),
            x=(1, 2, 3, 3),
            i=(1, 2, 3, 3),
            dtypes={"i": "int64"},
        ),
        ok("nn.MaxUnpool1d(3, 2, 1)(x, i)", (2, 7), x=(2, 4), i=(2, 4), dtypes={"i": "int64"}),
        ok(
            "nn.MaxUnpool3d(2)(x, i)",
            (3, 4, 4, 4),
            x=(3, 2, 2, 2),
            i=(3, 2, 2, 2),
            dtypes={"i": "int64"},
        ),
        bad(
            "nn.MaxUnpool2d(2)(x, i)",
            "SC112",
            x=(1, 2, 3, 3),
            i=(1, 2, 3, 4),
            dtypes={"i": "int64"},
        ),
        bad("nn.MaxUnpool2d(2)(x, i)", "SC207", x=(1, 2, 3, 3), i=(1, 2, 3, 3)),
        bad(
            "nn.MaxUnpool2d(2)(x, i, output_size=(8, 7))",
            "SC102",
            x=(1, 2, 3, 3),
            i=(1, 2, 3, 3),
            dtypes={"i": "int64"},
        ),
        bad(
            "nn.MaxUnpool1d(3, 1, 3)(x, i)",
            "SC102",
            x=(1, 2, 3),
            i=(1, 2, 3),
            dtypes={"i": "int64"},
        ),
    ],
)
def max_unpool(
    ctx: Any,
    input: TensorValue,
    indices: TensorValue,
    output_size: Any = None,
    *,
    kernel_size: Any,
    stride: Any = None,
    padding: Any = 0,
) -> TensorValue:
    n = spatial_rank(ctx.op)
    return unpool_core(ctx, input, indices, n, kernel_size, stride, padding, output_size)


@shape_rule(
    "F.max_unpool1d",
    "F.max_unpool2d",
    "F.max_unpool3d",
    examples=[
        ok(
            "F.max_unpool2d(x, i, 2, output_size=(5, 6))",
            (2, 5, 6),
            x=(2, 3, 3),
            i=(2, 3, 3),
            dtypes={"i": "int64"},
        ),
        ok(
            "F.max_unpool3d(x, i, 2, 1, 2)",
            (1, 2, 0, 0, 0),
            x=(1, 2, 3, 3, 3),
            i=(1, 2, 3, 3, 3),
            dtypes={"i": "int64"},
        ),
        bad(
            "F.max_unpool3d(x, i, 2, 0)",
            "SC106",
            x=(1, 2, 3, 3, 3),
            i=(1, 2, 3, 3, 3),
            dtypes={"i": "int64"},
        ),
        bad("F.max_unpool1d(x, i, 2)", "SC206", x=(3,), i=(3,), dtypes={"i": "int64"}),
    ],
)
def max_unpool_functional(
    ctx: Any,
    input: TensorValue,
    indices: TensorValue,
    kernel_size: Any,
    stride: Any = None,
    padding: Any = 0,
    output_size: Any = None,
) -> TensorValue:
    n = spatial_rank(ctx.op)
    return unpool_core(ctx, input, indices, n, kernel_size, stride, padding, output_size)
