"""Lazy layers: LazyLinear, LazyConv1d/2d/3d, LazyConvTranspose1d/2d/3d, LazyBatchNorm1d/2d/3d,
LazyInstanceNorm1d/2d/3d.

A lazy layer leaves out the size of its input (in_features, in_channels) and learns it from
the first input it sees (torch/nn/modules/lazy.py, LazyModuleMixin; LazyLinear and
_LazyConvXdMixin.initialize_parameters: in_channels is dim 1 of a batched input, dim 0 of an
unbatched one, and must be divisible by groups; _LazyNormBase takes num_features from dim 1,
even of an unbatched InstanceNorm input, whose channels are dim 0). Each rule reads that size
from the input, records it (the table shows ``LazyLinear(10) [in_features=864]``) with the
parameter count the layer will have once materialised, and applies the eager layer's rule.
"""

from __future__ import annotations

import math
from typing import Any

from .. import symbolic as sym
from ..arith import ntuple, spatial_rank
from ..values import TensorValue
from . import bad, ok, shape_rule
from .conv import conv, conv_transpose
from .linear import linear_core
from .norm import batch_norm, instance_norm


def _count(*factors: Any, bias: Any = 0) -> int | None:
    """A product of sizes plus a bias size, when all are concrete."""
    if not all(isinstance(f, int) for f in (*factors, bias)):
        return None
    return math.prod(factors) + bias


@shape_rule(
    "LazyLinear",
    examples=[
        ok("nn.LazyLinear(10)(x)", (2, 10), x=(2, 864)),
        ok("nn.LazyLinear(3, bias=False)(x)", (2, 5, 3), x=(2, 5, 7)),
        ok("nn.LazyLinear(4)(x)", (4,), x=(6,)),
        bad("nn.LazyLinear(10)(x)", "SC206", x=()),
    ],
)
def lazy_linear(
    ctx: Any,
    input: TensorValue,
    *,
    out_features: Any,
    bias: bool = True,
    device: Any = None,
    dtype: Any = None,
) -> TensorValue:
    if input.ndim == 0:
        ctx.report("SC206", f"{ctx.layer} needs an input with at least 1 dimension, got a scalar")
        return input.with_shape((out_features,))
    in_features = input.shape[-1]
    count = _count(in_features, out_features, bias=out_features if bias else 0)
    ctx.infer({"in_features": in_features}, count)
    return linear_core(ctx, input, in_features, out_features, None)


def _in_channels(input: TensorValue, n: int) -> Any:
    """Dim 1 of a batched input, dim 0 of an unbatched one (_get_in_channels); unknown for a
    rank the layer rejects (the eager rule reports it)."""
    if input.ndim == n + 2:
        return input.shape[1]
    if input.ndim == n + 1:
        return input.shape[0]
    return sym.UNKNOWN


def _infer_in_channels(
    ctx: Any,
    input: TensorValue,
    out_channels: Any,
    kernel_size: Any,
    groups: Any,
    bias: bool,
    transposed: bool,
) -> Any:
    """Records in_channels with the parameter count: weight (out_channels, in_channels /
    groups, *kernel_size), transposed (in_channels, out_channels / groups, *kernel_size),
    and a bias of out_channels."""
    n = spatial_rank(ctx.op)
    in_channels = _in_channels(input, n)
    if in_channels is not sym.UNKNOWN:
        whole, split = (in_channels, out_channels) if transposed else (out_channels, in_channels)
        per_group = split // groups if isinstance(split, int) and groups else None
        kernel = ntuple(kernel_size, n)
        count = _count(whole, per_group, *kernel, bias=out_channels if bias else 0)
        ctx.infer({"in_channels": in_channels}, count)
    return in_channels


@shape_rule(
    "LazyConv1d",
    "LazyConv2d",
    "LazyConv3d",
    examples=[
        ok("nn.LazyConv2d(8, 3)(x)", (2, 8, 7, 7), x=(2, 3, 9, 9)),
        ok("nn.LazyConv2d(8, 3, groups=2, padding=1)(x)", (8, 9, 9), x=(4, 9, 9)),
        ok("nn.LazyConv1d(8, 4, padding='same')(x)", (2, 8, 9), x=(2, 3, 9)),
        bad("nn.LazyConv2d(8, 3, groups=2)(x)", "SC202", x=(2, 3, 9, 9)),
        bad("nn.LazyConv2d(8, 5)(x)", "SC101", x=(2, 3, 4, 9)),
        bad("nn.LazyConv2d(8, 3)(x)", "SC206", x=(1, 2, 3, 9, 9)),
    ],
)
def lazy_conv(
    ctx: Any,
    input: TensorValue,
    *,
    out_channels: Any,
    kernel_size: Any,
    stride: Any = 1,
    padding: Any = 0,
    dilation: Any = 1,
    groups: int = 1,
    bias: bool = True,
    padding_mode: str = "zeros",
    device: Any = None,
    dtype: Any = None,
) -> TensorValue:
    in_channels = _infer_in_channels(ctx, input, out_channels, kernel_size, groups, bias, False)
    return conv(
        ctx,
        input,
        in_channels=in_channels,
        out_channels=out_channels,
        kernel_size=kernel_size,
        stride=stride,
        padding=padding,
        dilation=dilation,
        groups=groups,
        bias=bias,
        padding_mode=padding_mode,
    )


@shape_rule(
    "LazyConvTranspose1d",
    "LazyConvTranspose2d",
    "LazyConvTranspose3d",
    examples=[
        ok("nn.LazyConvTranspose2d(8, 3, stride=2)(x)", (2, 8, 11, 11), x=(2, 3, 5, 5)),
        ok("nn.LazyConvTranspose1d(8, 3)(x)", (8, 7), x=(3, 5)),
        bad("nn.LazyConvTranspose2d(8, 3, groups=2)(x)", "SC202", x=(2, 3, 5, 5)),
        bad("nn.LazyConvTranspose2d(8, 3, stride=2, output_padding=2)(x)", "SC104", x=(1, 3, 5, 5)),
    ],
)
def lazy_conv_transpose(
    ctx: Any,
    input: TensorValue,
    output_size: Any = None,
    *,
    out_channels: Any,
    kernel_size: Any,
    stride: Any = 1,
    padding: Any = 0,
    output_padding: Any = 0,
    groups: int = 1,
    bias: bool = True,
    dilation: Any = 1,
    padding_mode: str = "zeros",
    device: Any = None,
    dtype: Any = None,
) -> TensorValue:
    in_channels = _infer_in_channels(ctx, input, out_channels, kernel_size, groups, bias, True)
    return conv_transpose(
        ctx,
        input,
        output_size,
        in_channels=in_channels,
        out_channels=out_channels,
        kernel_size=kernel_size,
        stride=stride,
        padding=padding,
        output_padding=output_padding,
        groups=groups,
        bias=bias,
        dilation=dilation,
        padding_mode=padding_mode,
    )


def _norm_features(ctx: Any, input: TensorValue, affine: bool, bias: bool) -> Any:
    """num_features as _LazyNormBase.initialize_parameters reads it: input.shape[1]."""
    if input.ndim < 2:
        return sym.UNKNOWN  # torch: IndexError; the eager rule reports the rank
    features = input.shape[1]
    count = _count(features, bias=features if bias else 0) if affine else 0
    ctx.infer({"num_features": features}, count)
    return features


@shape_rule(
    "LazyBatchNorm1d",
    "LazyBatchNorm2d",
    "LazyBatchNorm3d",
    "LazyInstanceNorm1d",
    "LazyInstanceNorm2d",
    "LazyInstanceNorm3d",
    examples=[
        ok("nn.LazyBatchNorm2d()(x)", (2, 3, 4, 4), x=(2, 3, 4, 4)),
        ok("nn.LazyBatchNorm1d(affine=False)(x)", (4, 3), x=(4, 3)),
        bad("nn.LazyBatchNorm2d()(x)", "SC206", x=(3, 4, 4)),
        bad("nn.LazyBatchNorm1d()(x)", "SC206", x=(3,)),
        bad("nn.LazyBatchNorm2d().eval()(x)", "SC208", x=(1, 3, 1, 1)),
        ok("nn.LazyInstanceNorm1d()(x)", (2, 3, 5), x=(2, 3, 5)),
        ok("nn.LazyInstanceNorm2d()(x)", (4, 4, 4), x=(4, 4, 4)),
        ok("nn.LazyInstanceNorm1d(affine=False, track_running_stats=False)(x)", (3, 5), x=(3, 5)),
        bad("nn.LazyInstanceNorm1d()(x)", "SC203", x=(3, 5)),
        bad("nn.LazyInstanceNorm2d(track_running_stats=False)(x)", "SC209", x=(2, 3, 1, 1)),
    ],
)
def lazy_norm(
    ctx: Any,
    input: TensorValue,
    *,
    eps: float = 1e-5,
    momentum: Any = 0.1,
    affine: bool = True,
    track_running_stats: bool = True,
    device: Any = None,
    dtype: Any = None,
    bias: bool = True,
) -> TensorValue:
    """The eager BatchNorm / InstanceNorm rule with num_features read from the input. An
    unbatched InstanceNorm input's dim 1 is not its channels: torch then rejects it (with
    affine or running statistics) unless the two sizes happen to agree, and so does this."""
    eager = batch_norm if ctx.op.startswith("LazyBatchNorm") else instance_norm
    return eager(
        ctx,
        input,
        num_features=_norm_features(ctx, input, affine, bias),
        eps=eps,
        momentum=momentum,
        affine=affine,
        track_running_stats=track_running_stats,
        bias=bias,
    )
