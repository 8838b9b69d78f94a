"""Convolutions: Conv1d/2d/3d, ConvTranspose1d/2d/3d and their functional forms.

Semantics follow torch/nn/modules/conv.py (constructor checks) and the aten convolution
shape checks (run time): output = floor((L + 2P - D(K-1) - 1)/S) + 1, transposed
(L-1)S - 2P + D(K-1) + output_padding + 1.
"""

from __future__ import annotations

from typing import Any

from .. import symbolic as sym
from ..arith import ntuple, same_padding, spatial_rank, transposed_out
from ..diagnostics import Fix
from ..values import TensorValue
from . import bad, ok, shape_rule
from ._window import split_input, tuple_arg, windows

PADDING_MODES = ("zeros", "reflect", "replicate", "circular")


def check_groups(ctx: Any, in_channels: Any, out_channels: Any, groups: Any) -> bool:
    """groups must be positive and divide both channel counts (nn.Conv*d.__init__)."""
    if not isinstance(groups, int) or groups <= 0:
        ctx.report("SC202", f"{ctx.layer}: groups must be a positive integer, got {groups!r}")
        return False
    good = True
    for what, value in (("in_channels", in_channels), ("out_channels", out_channels)):
        if (
            ctx.check(
                sym.divisible(value, groups),
                "SC202",
                f"{ctx.layer}: {what} ({value}) must be divisible by groups ({groups})",
            )
            is False
        ):
            good = False
    return good


def conv_core(
    ctx: Any,
    x: TensorValue,
    n: int,
    in_channels: Any,
    out_channels: Any,
    kernel_size: Any,
    stride: Any,
    padding: Any,
    dilation: Any,
    groups: int,
    padding_mode: str = "zeros",
    fix_param: str | None = "in_channels",
) -> TensorValue:
    """The shape rule of an N-d convolution, shared by the module and functional forms."""
    before = len(ctx.reported)
    out = _conv_core(
        ctx, x, n, in_channels, out_channels, kernel_size, stride, padding, dilation, groups,
        padding_mode, fix_param,
    )  # fmt: skip
    if (
        x.ndim == n + 1
        and isinstance(out, TensorValue)
        and any(d.code == "SC201" for d in ctx.reported[before:])
    ):
        # an unbatched input with the wrong channel count is often a batch without its
        # channel dim ((B, H, W) grey images for Conv2d(1, ...)); which one it is decides
        # every size after this layer, so they are opaque rather than blamed later
        return out.with_shape((sym.UNKNOWN,) * out.ndim)
    return out


def _conv_core(
    ctx: Any,
    x: TensorValue,
    n: int,
    in_channels: Any,
    out_channels: Any,
    kernel_size: Any,
    stride: Any,
    padding: Any,
    dilation: Any,
    groups: int,
    padding_mode: str,
    fix_param: str | None,
) -> TensorValue:
    parts = split_input(ctx, x, n)
    if parts is None:
        return x.with_shape((sym.UNKNOWN,) * (n + 2))
    batch, channels, spatial = parts
    fix = None
    if fix_param and isinstance(channels, int) and groups == 1:
        fix = Fix(fix_param, channels, f"{fix_param}={channels}")
    ctx.expect_eq(channels, in_channels, "SC201", "input channels", fix=fix)
    out_shape = (*batch, out_channels)
    unknown = x.with_shape(out_shape + (sym.UNKNOWN,) * n)
    kernel = tuple_arg(ctx, kernel_size, n, "kernel_size", minimum=1)
    stride_t = tuple_arg(ctx, stride, n, "stride", minimum=1)
    dilation_t = tuple_arg(ctx, dilation, n, "dilation", minimum=1)
    if kernel is None or stride_t is None or dilation_t is None:
        return unknown
    pad_right = None
    if isinstance(padding, str):
        if padding == "valid":
            padding_t: tuple | None = (0,) * n
        elif padding == "same":
            if any(s != 1 for s in stride_t):
                ctx.report(
                    "SC106",
                    f"{ctx.layer}: padding='same' is not supported for strided "
                    f"convolutions (stride={stride!r})",
                )
                return unknown
            pads = [same_padding(k, d) for k, d in zip(kernel, dilation_t)]
            padding_t = tuple(p[0] for p in pads)
            pad_right = tuple(p[1] for p in pads)
        else:
            ctx.report(
                "SC106",
                f"{ctx.layer}: padding must be 'valid', 'same' or integers, got {padding!r}",
            )
            return unknown
    else:
        padding_t = tuple_arg(ctx, padding, n, "padding", minimum=0)
    if padding_t is None:
        return unknown
    if padding_mode not in PADDING_MODES:
        ctx.report(
            "SC106",
            f"{ctx.layer}: padding_mode must be one of {PADDING_MODES}, got {padding_mode!r}",
        )
    elif padding_mode != "zeros":
        _check_padding_mode(ctx, spatial, padding_t, pad_right, padding_mode)
    sizes = windows(ctx, spatial, kernel, stride_t, padding_t, dilation_t, pad_right=pad_right)
    return x.with_shape(out_shape + tuple(sizes))


def _check_padding_mode(
    ctx: Any, spatial: tuple, pad: tuple, pad_right: tuple | None, mode: str
) -> None:
    """Non-zero padding modes pad with F.pad first: reflect needs pad < size, circular
    pad <= size (aten ReflectionPad / _pad_circular)."""
    for i, size in enumerate(spatial):
        p = max(pad[i], pad_right[i]) if pad_right else pad[i]
        if mode == "reflect":
            ctx.check(
                sym.lt(p, size),
                "SC108",
                f"{ctx.layer}: reflect padding {p} must be smaller than the input size "
                f"{size} at spatial dim {i}",
            )
        elif mode == "circular":
            ctx.check(
                sym.le(p, size),
                "SC108",
                f"{ctx.layer}: circular padding {p} must not exceed the input size "
                f"{size} at spatial dim {i}",
            )


@shape_rule(
    "Conv1d",
    "Conv2d",
    "Conv3d",
    examples=[
        ok(
            "nn.Conv2d(1, 3, kernel_size=3, stride=1, padding=0)(x)",
            (2, 3, 26, 26),
            x=(2, 1, 28, 28),
        ),
        ok("nn.Conv2d(3, 16, 3, padding=1)(x)", (4, 16, 28, 28), x=(4, 3, 28, 28)),
        ok(
            "nn.Conv2d(3, 6, kernel_size=5, stride=1, padding=1)(x)",
            (2, 6, 30, 30),
            x=(2, 3, 32, 32),
        ),
        ok("nn.Conv2d(3, 8, 4, padding='same', dilation=3)(x)", (8, 9, 7), x=(3, 9, 7)),
        ok(
            "nn.Conv1d(4, 8, 3, stride=2, padding_mode='circular', padding=2)(x)",
            (1, 8, 4),
            x=(1, 4, 5),
        ),
        ok("nn.Conv3d(2, 4, (1, 3, 3), groups=2)(x)", (1, 4, 4, 6, 6), x=(1, 2, 4, 8, 8)),
        bad("nn.Conv2d(3, 64, 3)(x)", "SC201", x=(1, 32, 8, 8)),
        bad("nn.Conv2d(4, 8, 3, groups=3)(x)", "SC202", x=(1, 4, 8, 8)),
        bad("nn.Conv2d(3, 8, 5)(x)", "SC101", x=(1, 3, 4, 8)),
        bad("nn.Conv2d(3, 8, 3, stride=2, padding='same')(x)", "SC106", x=(1, 3, 8, 8)),
        bad("nn.Conv2d(3, 8, 3, padding=2, padding_mode='reflect')(x)", "SC108", x=(1, 3, 2, 8)),
        bad("nn.Conv2d(3, 8, 3)(x)", "SC206", x=(2, 1, 3, 8, 8)),
    ],
)
def conv(
    ctx: Any,
    input: TensorValue,
    *,
    in_channels: Any,
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
    check_groups(ctx, in_channels, out_channels, groups)
    return conv_core(
        ctx,
        input,
        spatial_rank(ctx.op),
        in_channels,
        out_channels,
        kernel_size,
        stride,
        padding,
        dilation,
        groups,
        padding_mode,
    )


@shape_rule(
    "F.conv1d",
    "F.conv2d",
    "F.conv3d",
    "torch.conv1d",
    "torch.conv2d",
    "torch.conv3d",
    examples=[
        ok("F.conv2d(x, w, stride=2, padding=1)", (1, 8, 4, 4), x=(1, 3, 8, 8), w=(8, 3, 3, 3)),
        ok("F.conv1d(x, w, groups=2)", (2, 6, 8), x=(2, 4, 10), w=(6, 2, 3)),
        bad("F.conv2d(x, w)", "SC201", x=(1, 4, 8, 8), w=(8, 3, 3, 3)),
    ],
)
def conv_functional(
    ctx: Any,
    input: TensorValue,
    weight: TensorValue,
    bias: Any = None,
    stride: Any = 1,
    padding: Any = 0,
    dilation: Any = 1,
    groups: int = 1,
) -> TensorValue:
    n = spatial_rank(ctx.op)
    if weight.ndim != n + 2:
        ctx.report("SC206", f"{ctx.layer}: weight must be {n + 2}-D, got {weight.ndim}-D {weight}")
        return input.with_shape((sym.UNKNOWN,) * input.ndim)
    out_channels, per_group, *kernel = weight.shape
    ctx.check(
        sym.divisible(out_channels, groups),
        "SC202",
        f"{ctx.layer}: weight's out_channels ({out_channels}) must be divisible by groups "
        f"({groups})",
    )
    return conv_core(
        ctx,
        input,
        n,
        per_group * groups,
        out_channels,
        tuple(kernel),
        stride,
        padding,
        dilation,
        groups,
        fix_param=None,
    )


def conv_transpose_core(
    ctx: Any,
    x: TensorValue,
    n: int,
    in_channels: Any,
    out_channels: Any,
    kernel_size: Any,
    stride: Any,
    padding: Any,
    output_padding: Any,
    dilation: Any,
    fix_param: str | None,
) -> TensorValue:
    parts = split_input(ctx, x, n)
    if parts is None:
        return x.with_shape((sym.UNKNOWN,) * (n + 2))
    batch, channels, spatial = parts
    fix = Fix(fix_param, channels) if fix_param and isinstance(channels, int) else None
    ctx.expect_eq(channels, in_channels, "SC201", "input channels", fix=fix)
    out_shape = (*batch, out_channels)
    unknown = x.with_shape(out_shape + (sym.UNKNOWN,) * n)
    if isinstance(padding, str):
        ctx.report(
            "SC106",
            f"{ctx.layer}: padding must be integers for a transposed convolution, got {padding!r}",
        )
        return unknown
    kernel = tuple_arg(ctx, kernel_size, n, "kernel_size", minimum=1)
    stride_t = tuple_arg(ctx, stride, n, "stride", minimum=1)
    dilation_t = tuple_arg(ctx, dilation, n, "dilation", minimum=1)
    padding_t = tuple_arg(ctx, padding, n, "padding", minimum=0)
    out_pad = tuple_arg(ctx, output_padding, n, "output_padding", minimum=0)
    if None in (kernel, stride_t, dilation_t, padding_t, out_pad):
        return unknown
    sizes = []
    for i, size in enumerate(spatial):
        op, s, d = out_pad[i], stride_t[i], dilation_t[i]
        if ctx.decide(sym.lt(op, s)) is not True and ctx.decide(sym.lt(op, d)) is not True:
            ctx.report(
                "SC104",
                f"{ctx.layer}: output_padding ({op}) must be smaller than either "
                f"stride ({s}) or dilation ({d})",
            )
            sizes.append(sym.UNKNOWN)
            continue
        length = transposed_out(size, kernel[i], s, padding_t[i], d, op)
        # aten: "Output size is too small" below 1 (a 0 slips through some CPU backends for
        # batched inputs only, so shapecalc treats it as the error it usually is)
        if (
            ctx.check(
                sym.ge(length, 1),
                "SC102",
                f"{ctx.layer}: output size {length} at spatial dim {i} is too small "
                f"(input size {size})",
            )
            is False
        ):
            length = sym.UNKNOWN
        sizes.append(length)
    return x.with_shape(out_shape + tuple(sizes))


@shape_rule(
    "ConvTranspose1d",
    "ConvTranspose2d",
    "ConvTranspose3d",
    examples=[
        ok(
            "nn.ConvTranspose2d(16, 8, 3, stride=2, padding=1, output_padding=1)(x)",
            (1, 8, 14, 14),
            x=(1, 16, 7, 7),
        ),
        ok("nn.ConvTranspose2d(4, 8, 3, groups=2)(x)", (1, 8, 7, 7), x=(1, 4, 5, 5)),
        ok(
            "nn.ConvTranspose1d(4, 2, 3, stride=2, dilation=3, output_padding=2)(x)",
            (2, 11),
            x=(4, 2),
        ),
        bad(
            "nn.ConvTranspose2d(16, 8, 3, stride=2, output_padding=2)(x)", "SC104", x=(1, 16, 7, 7)
        ),
        bad("nn.ConvTranspose2d(8, 8, 3)(x)", "SC201", x=(1, 16, 7, 7)),
        bad("nn.ConvTranspose2d(3, 8, 3, padding=5)(x)", "SC102", x=(1, 3, 2, 2)),
    ],
)
def conv_transpose(
    ctx: Any,
    input: TensorValue,
    output_size: Any = None,
    *,
    in_channels: Any,
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
    if padding_mode != "zeros":
        ctx.report(
            "SC106",
            f'{ctx.layer}: only "zeros" padding mode is supported for '
            f"{ctx.op}, got {padding_mode!r}",
        )
    check_groups(ctx, in_channels, out_channels, groups)
    n = spatial_rank(ctx.op)
    if output_size is None:
        return conv_transpose_core(
            ctx,
            input,
            n,
            in_channels,
            out_channels,
            kernel_size,
            stride,
            padding,
            output_padding,
            dilation,
            "in_channels",
        )
    # forward(x, output_size=...) picks output_padding itself: the size must lie in
    # [minimum, minimum + stride - 1] (torch/nn/modules/conv.py, _ConvTransposeNd._output_padding)
    smallest = conv_transpose_core(
        ctx,
        input,
        n,
        in_channels,
        out_channels,
        kernel_size,
        stride,
        padding,
        0,
        dilation,
        "in_channels",
    )
    shape = list(smallest.shape)
    for i, (want, s) in enumerate(zip(tuple(output_size)[-n:], ntuple(stride, n))):
        low = shape[len(shape) - n + i]
        ctx.check(
            sym.ge(want, low),
            "SC102",
            f"{ctx.layer}: requested output size {want} at "
            f"spatial dim {i} is below the smallest possible, {low}",
        )
        ctx.check(
            sym.le(want, low + s - 1),
            "SC102",
            f"{ctx.layer}: requested output size "
            f"{want} at spatial dim {i} is above the largest possible, {low + s - 1}",
        )
        shape[len(shape) - n + i] = want
    return smallest.with_shape(tuple(shape))


@shape_rule(
    "F.conv_transpose1d",
    "F.conv_transpose2d",
    "F.conv_transpose3d",
    "torch.conv_transpose1d",
    "torch.conv_transpose2d",
    "torch.conv_transpose3d",
    examples=[
        ok(
            "F.conv_transpose2d(x, w, stride=2, groups=2)",
            (1, 6, 9, 9),
            x=(1, 4, 4, 4),
            w=(4, 3, 3, 3),
        ),
        bad("F.conv_transpose2d(x, w)", "SC201", x=(1, 5, 4, 4), w=(4, 3, 3, 3)),
    ],
)
def conv_transpose_functional(
    ctx: Any,
    input: TensorValue,
    weight: TensorValue,
    bias: Any = None,
    stride: Any = 1,
    padding: Any = 0,
    output_padding: Any = 0,
    groups: int = 1,
    dilation: Any = 1,
) -> TensorValue:
    n = spatial_rank(ctx.op)
    if weight.ndim != n + 2:
        ctx.report("SC206", f"{ctx.layer}: weight must be {n + 2}-D, got {weight.ndim}-D {weight}")
        return input.with_shape((sym.UNKNOWN,) * input.ndim)
    in_channels, per_group, *kernel = weight.shape
    return conv_transpose_core(
        ctx,
        input,
        n,
        in_channels,
        per_group * groups,
        tuple(kernel),
        stride,
        padding,
        output_padding,
        dilation,
        None,
    )
