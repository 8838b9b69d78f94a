"""Resampling: Upsample / F.interpolate in every mode, PixelShuffle / PixelUnshuffle and
ChannelShuffle, module and functional forms.

Semantics follow torch/nn/functional.py interpolate (argument checks, mode dispatch by rank)
and aten UpSample.h (an output size from a scale factor is the double product L * scale
truncated to an integer; every output size must be positive, except in 'area' mode, which is
adaptive_avg_pool and accepts 0), measured against torch 2.13.
"""

from __future__ import annotations

import math
from typing import Any

from .. import symbolic as sym
from ..arith import scaled_size
from ..values import TensorValue
from . import bad, ok, shape_rule
from ._window import is_int, output_entry

# the input ranks each mode accepts: (N, C, L), (N, C, H, W), (N, C, D, H, W)
MODE_RANKS = {
    "nearest": (3, 4, 5),
    "nearest-exact": (3, 4, 5),
    "area": (3, 4, 5),
    "linear": (3,),
    "bilinear": (4,),
    "bicubic": (4,),
    "trilinear": (5,),
    "lanczos": (4,),
}
NO_ALIGN_CORNERS = ("nearest", "area", "nearest-exact")
ANTIALIAS_MODES = ("bilinear", "bicubic", "lanczos")


def is_number(value: Any) -> bool:
    return isinstance(value, (int, float)) and math.isfinite(value)


def requested_sizes(
    ctx: Any, x: TensorValue, size: Any, scale_factor: Any, recompute_scale_factor: Any
) -> list | None:
    """The output sizes F.interpolate asks for (before the mode's own checks), or None after
    reporting SC107: exactly one of size and scale_factor, one entry per spatial dim."""
    dim = max(x.ndim - 2, 0)
    if (size is None) == (scale_factor is None):
        ctx.report("SC107", f"{ctx.layer} needs exactly one of size and scale_factor")
        return None
    given = size if size is not None else scale_factor
    name = "size" if size is not None else "scale_factor"
    values = list(given) if isinstance(given, (tuple, list)) else [given]
    if isinstance(given, (tuple, list)):
        if len(given) != x.ndim - 2:
            ctx.report(
                "SC107", f"{ctx.layer}: {name} {given!r} needs one entry per spatial dim of {x}"
            )
            return None
        entries = list(given)
    else:
        entries = [given] * dim
    if size is not None:
        if recompute_scale_factor:
            ctx.report(
                "SC107", f"{ctx.layer}: recompute_scale_factor is not meaningful with a size"
            )
        if not all(is_int(v) for v in values):
            ctx.report("SC107", f"{ctx.layer}: size must be integers, got {size!r}")
            return None
        return entries
    if not all(is_number(f) for f in values):
        ctx.report(
            "SC107", f"{ctx.layer}: scale_factor must be finite numbers, got {scale_factor!r}"
        )
        return None
    wanted = [scaled_size(length, f) for length, f in zip(x.shape[2:], entries)]
    for length, f, got in zip(x.shape[2:], entries, wanted):
        if got is sym.UNKNOWN and length is not sym.UNKNOWN:
            ctx.report(
                "SC905",
                f"{ctx.layer} needs a concrete size: {length} * {f} is rounded in floating "
                "point, which no exact formula in the size follows",
            )
    return wanted


def interpolate_core(
    ctx: Any,
    x: TensorValue,
    size: Any,
    scale_factor: Any,
    mode: str,
    align_corners: Any,
    recompute_scale_factor: Any = None,
    antialias: bool = False,
) -> TensorValue:
    """The shape rule of F.interpolate: (N, C, *sizes)."""
    lead = x.shape[: min(x.ndim, 2)]
    unknown = x.with_shape(lead + (sym.UNKNOWN,) * max(x.ndim - 2, 0))
    if mode in NO_ALIGN_CORNERS and align_corners is not None:
        ctx.report(
            "SC107",
            f"{ctx.layer}: align_corners can only be set with the interpolating modes "
            f"(linear, bilinear, bicubic, trilinear), not {mode!r}",
        )
    wanted = requested_sizes(ctx, x, size, scale_factor, recompute_scale_factor)
    if antialias and not (mode in ANTIALIAS_MODES and x.ndim == 4):
        ctx.report(
            "SC107",
            f"{ctx.layer}: antialias needs mode bilinear, bicubic or lanczos on a 4-D input",
        )
    if mode not in MODE_RANKS:
        ctx.report("SC107", f"{ctx.layer}: unknown mode {mode!r}")
        return unknown
    if x.ndim not in MODE_RANKS[mode]:
        ranks = " or ".join(f"{r}-D" for r in MODE_RANKS[mode])
        ctx.report("SC107", f"{ctx.layer}: mode {mode!r} needs a {ranks} input, got {x.ndim}-D {x}")
        return unknown
    if mode == "lanczos" and (align_corners or not antialias):
        ctx.report("SC107", f"{ctx.layer}: mode 'lanczos' needs antialias=True, no align_corners")
    if wanted is None:
        return unknown
    sizes = []
    for i, length in enumerate(wanted):
        if mode == "area":  # adaptive_avg_pool: 0 is an empty output, negative an error
            sizes.append(output_entry(ctx, length, i, "output size"))
            continue
        # aten upsample: "Input and output sizes should be greater than 0"
        positive = ctx.check(
            sym.ge(length, 1),
            "SC109",
            f"{ctx.layer}: output size {length} at spatial dim {i} is not positive",
        )
        sizes.append(sym.UNKNOWN if positive is False else length)
    return x.with_shape(lead + tuple(sizes))


@shape_rule(
    "F.interpolate",
    examples=[
        ok("F.interpolate(x, scale_factor=2)", (1, 2, 10, 12), x=(1, 2, 5, 6)),
        ok("F.interpolate(x, scale_factor=2.5, mode='bilinear')", (1, 2, 12, 15), x=(1, 2, 5, 6)),
        ok(
            "F.interpolate(x, size=(3, 4), mode='bicubic', align_corners=True)",
            (1, 2, 3, 4),
            x=(1, 2, 5, 6),
        ),
        ok(
            "F.interpolate(x, scale_factor=(1, 0.5, 2), mode='trilinear')",
            (1, 1, 3, 2, 10),
            x=(1, 1, 3, 4, 5),
        ),
        ok("F.interpolate(x, size=7, mode='linear')", (2, 3, 7), x=(2, 3, 4)),
        ok("F.interpolate(x, scale_factor=0.1, mode='area')", (1, 2, 0, 0), x=(1, 2, 5, 6)),
        ok(
            "F.interpolate(x, size=3, mode='bilinear', antialias=True)",
            (1, 2, 3, 3),
            x=(1, 2, 5, 6),
        ),
        ok("F.interpolate(x, size=(4, 2), mode='nearest-exact')", (2, 2, 4, 2), x=(2, 2, 8, 8)),
        bad("F.interpolate(x, scale_factor=2, mode='bilinear')", "SC107", x=(1, 2, 5)),
        bad("F.interpolate(x, size=3, scale_factor=2)", "SC107", x=(1, 2, 5, 6)),
        bad("F.interpolate(x, size=(3,))", "SC107", x=(1, 2, 5, 6)),
        bad("F.interpolate(x, size=3, align_corners=True)", "SC107", x=(1, 2, 5, 6)),
        bad("F.interpolate(x, scale_factor=0.1)", "SC109", x=(1, 2, 5, 6)),
        bad("F.interpolate(x, size=(-1, 3), mode='area')", "SC109", x=(1, 2, 5, 6)),
        bad("F.interpolate(x, size=3, mode='nearest', antialias=True)", "SC107", x=(1, 2, 5, 6)),
    ],
)
def interpolate(
    ctx: Any,
    input: TensorValue,
    size: Any = None,
    scale_factor: Any = None,
    mode: str = "nearest",
    align_corners: Any = None,
    recompute_scale_factor: Any = None,
    antialias: bool = False,
) -> TensorValue:
    return interpolate_core(
        ctx, input, size, scale_factor, mode, align_corners, recompute_scale_factor, antialias
    )


@shape_rule(
    "F.upsample",
    examples=[
        ok("F.upsample(x, scale_factor=2)", (1, 2, 10, 12), x=(1, 2, 5, 6)),
        bad("F.upsample(x, scale_factor=2, mode='trilinear')", "SC107", x=(1, 2, 5, 6)),
    ],
)
def upsample_functional(
    ctx: Any,
    input: TensorValue,
    size: Any = None,
    scale_factor: Any = None,
    mode: str = "nearest",
    align_corners: Any = None,
) -> TensorValue:
    return interpolate_core(ctx, input, size, scale_factor, mode, align_corners)


@shape_rule(
    "F.upsample_nearest",
    examples=[
        ok("F.upsample_nearest(x, size=(3, 7))", (1, 2, 3, 7), x=(1, 2, 5, 6)),
        bad("F.upsample_nearest(x)", "SC107", x=(1, 2, 5, 6)),
    ],
)
def upsample_nearest(
    ctx: Any, input: TensorValue, size: Any = None, scale_factor: Any = None
) -> TensorValue:
    return interpolate_core(ctx, input, size, scale_factor, "nearest", None)


@shape_rule(
    "F.upsample_bilinear",
    examples=[
        ok("F.upsample_bilinear(x, scale_factor=2)", (1, 2, 10, 12), x=(1, 2, 5, 6)),
        bad("F.upsample_bilinear(x, scale_factor=2)", "SC107", x=(1, 2, 5)),
    ],
)
def upsample_bilinear(
    ctx: Any, input: TensorValue, size: Any = None, scale_factor: Any = None
) -> TensorValue:
    return interpolate_core(ctx, input, size, scale_factor, "bilinear", True)


def module_scale(ctx: Any, scale_factor: Any) -> tuple[bool, Any]:
    """Upsample.__init__: a tuple factor becomes floats; any other factor float(f) if it is
    truthy, else None (so scale_factor=0 means no factor at all)."""
    if isinstance(scale_factor, tuple):
        return True, scale_factor
    if isinstance(scale_factor, list) or isinstance(scale_factor, str):
        ctx.report("SC107", f"{ctx.layer}: scale_factor must be a number or a tuple")
        return False, None
    return True, scale_factor if scale_factor else None


@shape_rule(
    "Upsample",
    examples=[
        ok("nn.Upsample(scale_factor=2)(x)", (1, 8, 14, 14), x=(1, 8, 7, 7)),
        ok(
            "nn.Upsample(size=(5, 9), mode='bilinear', align_corners=True)(x)",
            (1, 3, 5, 9),
            x=(1, 3, 4, 4),
        ),
        ok("nn.Upsample(scale_factor=1.5, mode='linear')(x)", (2, 3, 7), x=(2, 3, 5)),
        ok("nn.Upsample(scale_factor=(2, 1, 3))(x)", (1, 2, 6, 4, 15), x=(1, 2, 3, 4, 5)),
        bad("nn.Upsample(scale_factor=2, mode='bilinear')(x)", "SC107", x=(2, 3, 5)),
        bad("nn.Upsample(scale_factor=0)(x)", "SC107", x=(2, 3, 5, 5)),
        bad("nn.Upsample(scale_factor=(0, 2))(x)", "SC109", x=(2, 3, 5, 5)),
    ],
)
def upsample(
    ctx: Any,
    input: TensorValue,
    *,
    size: Any = None,
    scale_factor: Any = None,
    mode: str = "nearest",
    align_corners: Any = None,
    recompute_scale_factor: Any = None,
) -> TensorValue:
    good, scale_factor = module_scale(ctx, scale_factor)
    if not good:
        return interpolate_core(ctx, input, size, None, mode, align_corners)
    return interpolate_core(
        ctx, input, size, scale_factor, mode, align_corners, recompute_scale_factor
    )


@shape_rule(
    "UpsamplingNearest2d",
    examples=[
        ok("nn.UpsamplingNearest2d(scale_factor=2)(x)", (1, 2, 10, 12), x=(1, 2, 5, 6)),
        ok("nn.UpsamplingNearest2d(size=3)(x)", (1, 2, 3), x=(1, 2, 5)),
        bad("nn.UpsamplingNearest2d(size=(3, 4))(x)", "SC107", x=(1, 2, 5)),
    ],
)
def upsampling_nearest2d(
    ctx: Any, input: TensorValue, *, size: Any = None, scale_factor: Any = None
) -> TensorValue:
    good, scale_factor = module_scale(ctx, scale_factor)
    return interpolate_core(ctx, input, size, scale_factor if good else None, "nearest", None)


@shape_rule(
    "UpsamplingBilinear2d",
    examples=[
        ok("nn.UpsamplingBilinear2d(scale_factor=2)(x)", (1, 2, 10, 12), x=(1, 2, 5, 6)),
        bad("nn.UpsamplingBilinear2d(scale_factor=2)(x)", "SC107", x=(1, 2, 3, 4, 5)),
    ],
)
def upsampling_bilinear2d(
    ctx: Any, input: TensorValue, *, size: Any = None, scale_factor: Any = None
) -> TensorValue:
    good, scale_factor = module_scale(ctx, scale_factor)
    return interpolate_core(ctx, input, size, scale_factor if good else None, "bilinear", True)


# ------------------------------------------------------------------------- pixel shuffles


def shuffle_factor(ctx: Any, x: TensorValue, factor: Any, what: str) -> bool:
    """aten pixel_shuffle / pixel_unshuffle: an input of rank >= 3, a positive int factor."""
    if x.ndim < 3:
        ctx.report("SC206", f"{ctx.layer} needs an input with at least 3 dimensions, got {x}")
        return False
    if not isinstance(factor, int) or factor <= 0:
        ctx.report("SC105", f"{ctx.layer}: {what} must be a positive int, got {factor!r}")
        return False
    return True


def pixel_shuffle_core(ctx: Any, x: TensorValue, r: Any) -> TensorValue:
    """(*, C*r*r, H, W) -> (*, C, H*r, W*r)."""
    if not shuffle_factor(ctx, x, r, "upscale_factor"):
        return x.with_shape((sym.UNKNOWN,) * x.ndim)
    *batch, c, h, w = x.shape
    fits = ctx.check(
        sym.divisible(c, r * r),
        "SC105",
        f"{ctx.layer}: channels ({c}) must be divisible by upscale_factor**2 ({r * r})",
    )
    # after the error the channel count is what the fix decides: opaque, so that the next
    # layer is not blamed for the rounded-down count
    out_c = sym.UNKNOWN if fits is False else c // (r * r)
    return x.with_shape((*batch, out_c, h * r, w * r))


def pixel_unshuffle_core(ctx: Any, x: TensorValue, r: Any) -> TensorValue:
    """(*, C, H*r, W*r) -> (*, C*r*r, H, W)."""
    if not shuffle_factor(ctx, x, r, "downscale_factor"):
        return x.with_shape((sym.UNKNOWN,) * x.ndim)
    *batch, c, h, w = x.shape
    out = []
    for what, size in (("height", h), ("width", w)):
        fits = ctx.check(
            sym.divisible(size, r),
            "SC105",
            f"{ctx.layer}: {what} ({size}) must be divisible by downscale_factor ({r})",
        )
        out.append(sym.UNKNOWN if fits is False else size // r)
    return x.with_shape((*batch, c * r * r, *out))


@shape_rule(
    "PixelShuffle",
    examples=[
        ok("nn.PixelShuffle(3)(x)", (1, 2, 6, 6), x=(1, 18, 2, 2)),
        ok("nn.PixelShuffle(2)(x)", (2, 6, 8), x=(8, 3, 4)),
        bad("nn.PixelShuffle(2)(x)", "SC105", x=(1, 6, 3, 4)),
        bad("nn.PixelShuffle(2)(x)", "SC206", x=(8, 3)),
    ],
)
def pixel_shuffle(ctx: Any, input: TensorValue, *, upscale_factor: int) -> TensorValue:
    return pixel_shuffle_core(ctx, input, upscale_factor)


@shape_rule(
    "F.pixel_shuffle",
    "torch.pixel_shuffle",
    examples=[
        ok("F.pixel_shuffle(x, 2)", (3, 2, 1, 2, 6, 8), x=(3, 2, 1, 8, 3, 4)),
        bad("torch.pixel_shuffle(x, 0)", "SC105", x=(1, 8, 3, 4)),
    ],
)
def pixel_shuffle_functional(ctx: Any, input: TensorValue, upscale_factor: Any) -> TensorValue:
    return pixel_shuffle_core(ctx, input, upscale_factor)


@shape_rule(
    "PixelUnshuffle",
    examples=[
        ok("nn.PixelUnshuffle(3)(x)", (1, 18, 2, 1), x=(1, 2, 6, 3)),
        bad("nn.PixelUnshuffle(2)(x)", "SC105", x=(1, 2, 5, 6)),
    ],
)
def pixel_unshuffle(ctx: Any, input: TensorValue, *, downscale_factor: int) -> TensorValue:
    return pixel_unshuffle_core(ctx, input, downscale_factor)


@shape_rule(
    "F.pixel_unshuffle",
    "torch.pixel_unshuffle",
    examples=[
        ok("F.pixel_unshuffle(x, 2)", (8, 2, 3), x=(2, 4, 6)),
        bad("torch.pixel_unshuffle(x, 2)", "SC105", x=(1, 2, 4, 5)),
        bad("F.pixel_unshuffle(x, 2)", "SC206", x=(4, 6)),
    ],
)
def pixel_unshuffle_functional(ctx: Any, input: TensorValue, downscale_factor: Any) -> TensorValue:
    return pixel_unshuffle_core(ctx, input, downscale_factor)


def channel_shuffle_core(ctx: Any, x: TensorValue, groups: Any) -> TensorValue:
    """aten channel_shuffle: rank > 2, groups positive and dividing dim 1; shape unchanged."""
    if x.ndim <= 2:
        ctx.report("SC206", f"{ctx.layer} needs an input with more than 2 dimensions, got {x}")
        return x
    if not isinstance(groups, int) or groups <= 0:
        ctx.report("SC202", f"{ctx.layer}: groups must be a positive integer, got {groups!r}")
        return x
    ctx.check(
        sym.divisible(x.shape[1], groups),
        "SC202",
        f"{ctx.layer}: channels ({x.shape[1]}) must be divisible by groups ({groups})",
    )
    return x


@shape_rule(
    "ChannelShuffle",
    examples=[
        ok("nn.ChannelShuffle(2)(x)", (1, 6, 3, 4), x=(1, 6, 3, 4)),
        bad("nn.ChannelShuffle(4)(x)", "SC202", x=(1, 6, 3, 4)),
    ],
)
def channel_shuffle(ctx: Any, input: TensorValue, *, groups: int) -> TensorValue:
    return channel_shuffle_core(ctx, input, groups)


@shape_rule(
    "F.channel_shuffle",
    "torch.channel_shuffle",
    "torch.native_channel_shuffle",
    examples=[
        ok("F.channel_shuffle(x, 3)", (1, 6, 3), x=(1, 6, 3)),
        bad("torch.channel_shuffle(x, 3)", "SC202", x=(6, 4, 4)),
        bad("F.channel_shuffle(x, 3)", "SC206", x=(1, 6)),
    ],
)
def channel_shuffle_functional(ctx: Any, input: TensorValue, groups: Any) -> TensorValue:
    return channel_shuffle_core(ctx, input, groups)
