"""Sampling grids: F.affine_grid and F.grid_sample (spatial transformer networks).

torch/nn/functional.py affine_grid: size is a 4-D (N, C, H, W) or 5-D (N, C, D, H, W) size,
every entry positive; theta is a floating batch of (N, 2, 3) or (N, 3, 4) affine matrices;
the grid is (N, H, W, 2) or (N, D, H, W, 3). grid_sample: input (N, C, H_in, W_in) or
(N, C, D_in, H_in, W_in) with non-empty spatial dims, grid of the same rank (N, H, W, 2) or
(N, D, H, W, 3); the output is (N, C, *grid's spatial sizes); bicubic needs 4-D; input and
grid share their dtype. Measured against torch 2.13.
"""

from __future__ import annotations

from typing import Any

from .. import symbolic as sym
from ..values import OPAQUE, TensorValue
from . import bad, ok, shape_rule
from .sizes import size_args

GRID_MODES = ("bilinear", "nearest", "bicubic")


@shape_rule(
    "F.affine_grid",
    examples=[
        ok(
            "F.affine_grid(t, x.size(), align_corners=False)",
            (4, 28, 30, 2),
            t=(4, 2, 3),
            x=(4, 1, 28, 30),
        ),
        ok("F.affine_grid(t, (2, 1, 5, 6, 7), align_corners=False)", (2, 5, 6, 7, 3), t=(2, 3, 4)),
        bad("F.affine_grid(t, (5, 1, 28, 30), align_corners=False)", "SC306", t=(4, 2, 3)),
        bad("F.affine_grid(t, (4, 1, 28, 30), align_corners=False)", "SC306", t=(4, 3, 4)),
        bad("F.affine_grid(t, (4, 1, 0, 30), align_corners=False)", "SC405", t=(4, 2, 3)),
        bad("F.affine_grid(t, (4, 1, 28), align_corners=False)", "SC206", t=(4, 2, 3)),
    ],
)
def affine_grid(ctx: Any, theta: TensorValue, size: Any, align_corners: Any = None) -> Any:
    sizes = size_args(ctx, (size,), "size")
    if sizes is None:
        return OPAQUE
    if len(sizes) not in (4, 5):
        ctx.report(
            "SC206",
            f"{ctx.layer} only supports 4-D and 5-D sizes (2-D and 3-D affine transforms), "
            f"got {len(sizes)}-D size {tuple(sizes)}",
        )
        return OPAQUE
    if not theta.is_floating:
        ctx.report("SC207", f"{ctx.layer} needs a floating-point theta, got {theta.dtype}")
    spatial = len(sizes) - 2
    for d in sizes:
        ctx.check(sym.gt(d, 0), "SC405", f"{ctx.layer} needs positive sizes, got {tuple(sizes)}")
    want = (sizes[0], spatial, spatial + 1)
    message = (
        f"{ctx.layer} expects a batch of {spatial}-D affine matrices of shape {want} for a "
        f"{len(sizes)}-D size, got theta {theta}"
    )
    if theta.ndim != 3:
        ctx.report("SC306", message)
    else:
        for got, w in zip(theta.shape, want):
            if ctx.check(sym.eq(got, w), "SC306", message) is False:
                break
    return TensorValue((sizes[0], *sizes[2:], spatial), theta.dtype)


@shape_rule(
    "F.grid_sample",
    examples=[
        ok(
            "F.grid_sample(x, g, align_corners=False)",
            (4, 3, 5, 6),
            x=(4, 3, 10, 12),
            g=(4, 5, 6, 2),
        ),
        ok(
            "F.grid_sample(x, g, align_corners=False)",
            (4, 3, 5, 6, 7),
            x=(4, 3, 2, 10, 12),
            g=(4, 5, 6, 7, 3),
        ),
        ok(
            "F.grid_sample(x, g, align_corners=False)",
            (4, 0, 5, 6),
            x=(4, 0, 5, 12),
            g=(4, 5, 6, 2),
        ),
        bad("F.grid_sample(x, g, align_corners=False)", "SC306", x=(4, 3, 10, 12), g=(3, 5, 6, 2)),
        bad("F.grid_sample(x, g, align_corners=False)", "SC306", x=(4, 3, 10, 12), g=(4, 5, 6, 3)),
        bad(
            "F.grid_sample(x, g, align_corners=False)", "SC206", x=(4, 3, 10, 12), g=(4, 5, 6, 7, 2)
        ),
        bad(
            "F.grid_sample(x, g, mode='bicubic', align_corners=False)",
            "SC107",
            x=(4, 3, 2, 10, 12),
            g=(4, 5, 6, 7, 3),
        ),
        bad("F.grid_sample(x, g, mode='foo')", "SC107", x=(4, 3, 10, 12), g=(4, 5, 6, 2)),
        bad("F.grid_sample(x, g, align_corners=False)", "SC306", x=(4, 3, 0, 12), g=(4, 5, 6, 2)),
    ],
)
def grid_sample(
    ctx: Any,
    input: TensorValue,
    grid: TensorValue,
    mode: Any = "bilinear",
    padding_mode: Any = "zeros",
    align_corners: Any = None,
) -> Any:
    if mode not in GRID_MODES:
        ctx.report(
            "SC107",
            f"{ctx.layer}: mode must be 'bilinear', 'nearest' or 'bicubic', got {mode!r}",
        )
    if input.ndim not in (4, 5) or grid.ndim != input.ndim:
        ctx.report(
            "SC206",
            f"{ctx.layer} expects a 4-D or 5-D input and a grid of the same rank, got input "
            f"{input} and grid {grid}",
        )
        return OPAQUE
    spatial = input.ndim - 2
    if mode == "bicubic" and spatial != 2:
        ctx.report("SC107", f"{ctx.layer}: bicubic interpolation only supports 4-D input")
    if input.dtype != grid.dtype:
        ctx.report(
            "SC207",
            f"{ctx.layer}: input and grid must share a dtype, got {input.dtype} and {grid.dtype}",
        )
    ctx.expect_eq(grid.shape[0], input.shape[0], "SC306", "batch size (the input's) of the grid")
    ctx.expect_eq(grid.shape[-1], spatial, "SC306", "size of the grid's last dim")
    for i, d in enumerate(input.shape[2:]):
        ctx.check(
            sym.gt(d, 0),
            "SC306",
            f"{ctx.layer} expects non-empty spatial dims, but input {input} is empty in "
            f"spatial dim {i}",
        )
    return input.with_shape((input.shape[0], input.shape[1], *grid.shape[1:-1]))
