"""Sliding blocks: nn.Unfold / F.unfold (im2col) and nn.Fold / F.fold (col2im).

torch.nn.Unfold docs: (N, C, H, W) -> (N, C * prod(kernel_size), L), L the number of block
positions, prod over the two spatial dims of floor((size + 2 padding - dilation (kernel - 1)
- 1) / stride) + 1; unbatched (C, H, W) -> (C * prod(kernel_size), L). nn.Fold is its inverse:
(N, C * prod(kernel_size), L) -> (N, C, *output_size), where L must be the block count of
output_size. Only 2 spatial dims are supported, and every argument is an int or a pair (a
1-tuple is an error: "It is expected kernel_size equals to 2").
"""

from __future__ import annotations

from typing import Any

from .. import symbolic as sym
from ..arith import numel, window_out, window_span
from ..values import OPAQUE, TensorValue
from . import bad, ok, shape_rule
from ._window import tuple_arg, windows
from .sizes import dim_arg, int_arg


def _pair(ctx: Any, value: Any, name: str, minimum: int) -> tuple | None:
    if isinstance(value, (tuple, list)) and len(value) != 2:
        ctx.report("SC106", f"{ctx.layer}: {name} must be an int or a pair, got {value!r}")
        return None
    return tuple_arg(ctx, value, 2, name, minimum=minimum)


def _args(ctx: Any, kernel_size: Any, dilation: Any, padding: Any, stride: Any) -> tuple | None:
    args = (
        _pair(ctx, kernel_size, "kernel_size", 1),
        _pair(ctx, dilation, "dilation", 1),
        _pair(ctx, padding, "padding", 0),
        _pair(ctx, stride, "stride", 1),
    )
    return None if any(a is None for a in args) else args


@shape_rule(
    "F.unfold",
    examples=[
        ok("F.unfold(x, 3, padding=1)", (1, 27, 16), x=(1, 3, 4, 4)),
        bad("F.unfold(x, 3)", "SC206", x=(3, 4)),
    ],
)
def unfold_functional(
    ctx: Any,
    input: TensorValue,
    kernel_size: Any,
    dilation: Any = 1,
    padding: Any = 0,
    stride: Any = 1,
) -> TensorValue:
    if input.ndim not in (3, 4):
        ctx.report(
            "SC206", f"{ctx.layer} expects a 3-D (C, H, W) or 4-D (N, C, H, W) input, got {input}"
        )
        return input.with_shape((sym.UNKNOWN,) * 3)
    batch, channels, spatial = input.shape[:-3], input.shape[-3], input.shape[-2:]
    args = _args(ctx, kernel_size, dilation, padding, stride)
    if args is None:
        return input.with_shape((*batch, sym.UNKNOWN, sym.UNKNOWN))
    kernel, dil, pad, st = args
    blocks = windows(ctx, spatial, kernel, st, pad, dil)
    count = sym.UNKNOWN if sym.UNKNOWN in blocks else numel(blocks)
    return input.with_shape((*batch, channels * numel(kernel), count))


@shape_rule(
    "Unfold",
    examples=[
        ok("nn.Unfold(kernel_size=(2, 3))(x)", (2, 30, 4), x=(2, 5, 3, 4)),
        ok("nn.Unfold(2)(x)", (12, 12), x=(3, 4, 5)),
        ok("nn.Unfold(5, padding=1, stride=2)(x)", (1, 75, 2), x=(1, 3, 4, 5)),
        bad("nn.Unfold(5)(x)", "SC101", x=(1, 3, 4, 5)),
        bad("nn.Unfold(2)(x)", "SC206", x=(1, 3, 4, 5, 5)),
        bad("nn.Unfold((2,))(x)", "SC106", x=(1, 3, 4, 5)),
    ],
)
def unfold(
    ctx: Any,
    input: TensorValue,
    *,
    kernel_size: Any,
    dilation: Any = 1,
    padding: Any = 0,
    stride: Any = 1,
) -> TensorValue:
    return unfold_functional(ctx, input, kernel_size, dilation, padding, stride)


@shape_rule(
    "F.fold",
    examples=[
        ok("F.fold(x, (4, 4), 3, padding=1)", (1, 3, 4, 4), x=(1, 27, 16)),
        bad("F.fold(x, (4, 4), 3)", "SC213", x=(1, 27, 16)),
    ],
)
def fold_functional(
    ctx: Any,
    input: TensorValue,
    output_size: Any,
    kernel_size: Any,
    dilation: Any = 1,
    padding: Any = 0,
    stride: Any = 1,
) -> TensorValue:
    if input.ndim not in (2, 3):
        ctx.report(
            "SC206",
            f"{ctx.layer} expects a 2-D (C * prod(kernel_size), L) or 3-D "
            f"(N, C * prod(kernel_size), L) input, got {input}",
        )
        return input.with_shape((sym.UNKNOWN,) * 4)
    batch = input.shape[:-2]
    size = _pair(ctx, output_size, "output_size", 1)
    args = _args(ctx, kernel_size, dilation, padding, stride)
    if size is None or args is None:
        return input.with_shape((*batch, sym.UNKNOWN, sym.UNKNOWN, sym.UNKNOWN))
    kernel, dil, pad, st = args
    per_block = numel(kernel)
    columns, length = input.shape[-2], input.shape[-1]
    divides = ctx.check(
        sym.divisible(columns, per_block),
        "SC213",
        f"{ctx.layer}: dim {input.ndim - 2} of the input ({columns}) must be divisible by the "
        f"product of kernel_size ({per_block})",
    )
    channels = sym.UNKNOWN if divides is False else columns // per_block
    blocks = []
    for i in range(2):
        fits = ctx.check(
            sym.ge(size[i] + 2 * pad[i], window_span(kernel[i], dil[i])),
            "SC213",
            f"{ctx.layer}: kernel spans {window_span(kernel[i], dil[i])}, more than the padded "
            f"output size {size[i] + 2 * pad[i]} at spatial dim {i}: no sliding block fits",
        )
        if fits is False:
            return input.with_shape((*batch, channels, *size))
        blocks.append(window_out(size[i], kernel[i], st[i], pad[i], dil[i]))
    ctx.check(
        sym.eq(length, blocks[0] * blocks[1]),
        "SC213",
        f"{ctx.layer}: output_size {tuple(size)} holds {blocks[0]} x {blocks[1]} sliding "
        f"blocks, but the input's last dim is {length}",
    )
    return input.with_shape((*batch, channels, *size))


@shape_rule(
    "Fold",
    examples=[
        ok("nn.Fold((4, 5), (2, 2))(x)", (1, 3, 4, 5), x=(1, 12, 12)),
        ok("nn.Fold(4, 2)(x)", (3, 4, 4), x=(12, 9)),
        ok("nn.Fold((5, 5), 2, stride=2)(x)", (1, 1, 5, 5), x=(1, 4, 4)),
        bad("nn.Fold((4, 4), 2)(x)", "SC213", x=(1, 12, 10)),
        bad("nn.Fold((4, 4), 2)(x)", "SC213", x=(1, 10, 9)),
        bad("nn.Fold(2, 3)(x)", "SC213", x=(1, 9, 1)),
        bad("nn.Fold((4, 4), 2)(x)", "SC206", x=(1, 12, 9, 1)),
    ],
)
def fold(
    ctx: Any,
    input: TensorValue,
    *,
    output_size: Any,
    kernel_size: Any,
    dilation: Any = 1,
    padding: Any = 0,
    stride: Any = 1,
) -> TensorValue:
    return fold_functional(ctx, input, output_size, kernel_size, dilation, padding, stride)


@shape_rule(
    "Tensor.unfold",
    examples=[
        ok("x.unfold(2, 8, 8).unfold(3, 8, 8)", (2, 3, 4, 3, 8, 8), x=(2, 3, 32, 30)),
        ok("x.unfold(-1, 8, 5)", (2, 3, 32, 5, 8), x=(2, 3, 32, 30)),
        ok("x.unfold(2, 0, 1)", (2, 3, 33, 30, 0), x=(2, 3, 32, 30)),
        ok("x.unfold(0, 1, 1)", (1,), x=()),
        bad("x.unfold(2, 33, 1)", "SC101", x=(2, 3, 32, 30)),
        bad("x.unfold(2, 4, 0)", "SC106", x=(2, 3, 32, 30)),
        bad("x.unfold(4, 4, 1)", "SC404", x=(2, 3, 32, 30)),
    ],
)
def tensor_unfold(ctx: Any, self: TensorValue, dimension: Any, size: Any, step: Any) -> Any:
    """Tensor.unfold (a view of every window along one dim, patch extraction): dim d becomes
    (size_d - size) // step + 1 and a last dim of the window size is added; a 0-d tensor is
    one element (torch: 'maximum size for tensor at dimension d is N but size is k')."""
    d = dim_arg(ctx, dimension, self.ndim)
    size = int_arg(ctx, size, "window size")
    step = int_arg(ctx, step, "step")
    if d is None or size is None or step is None:
        return OPAQUE
    if step <= 0:
        ctx.report("SC106", f"{ctx.layer}: step is {step} but must be > 0")
        return OPAQUE
    if size < 0:
        ctx.report("SC106", f"{ctx.layer}: window size is {size} but must be >= 0")
        return OPAQUE
    shape = tuple(self.shape) if self.ndim else (1,)
    length = shape[d]
    ctx.check(
        sym.ge(length, size),
        "SC101",
        f"{ctx.layer}: maximum size for tensor at dimension {d} is {length} but size is {size}",
    )
    windows = (length - size) // step + 1
    if not self.ndim:
        return self.with_shape((size,))
    return self.with_shape(shape[:d] + (windows,) + shape[d + 1 :] + (size,))
