"""Normalisation layers: BatchNorm*d, SyncBatchNorm, InstanceNorm*d, GroupNorm, LayerNorm,
RMSNorm, LocalResponseNorm, CrossMapLRN2d and their functional forms, F.normalize.

All keep the input's shape. What they check follows torch/nn/modules/batchnorm.py,
instancenorm.py, normalization.py and torch/nn/functional.py (torch 2.13):

* BatchNorm compares num_features with dim 1 only through its weight and running statistics,
  so with affine=False and track_running_stats=False any channel count passes.
* Training-mode batch statistics need more than one value per channel ("Expected more than 1
  value per channel when training"); eval mode uses the running statistics. The mode is not
  part of the graph, so this is the warning SC208, reported only when the sizes decide it.
  Without running statistics (track_running_stats=False) eval mode uses batch statistics as
  well, so there it is the error SC209.
* InstanceNorm with affine=False and no running statistics accepts any channel count (PyTorch
  only warns); it always computes statistics over the spatial dims, which must hold more than
  one element (SC209).
"""

from __future__ import annotations

from typing import Any

from .. import symbolic as sym
from ..arith import numel, spatial_rank
from ..diagnostics import Fix
from ..values import TensorValue, format_shape
from . import bad, ok, shape_rule
from .reduce import wrap_dim

# ------------------------------------------------------------------------------ batch norm


def _rank_error(ctx: Any, x: TensorValue, ranks: tuple[int, ...]) -> bool:
    """SC206 unless x has one of ``ranks`` (PyTorch: "expected 2D or 3D input (got 4D input)")."""
    if x.ndim in ranks:
        return False
    want = " or ".join(f"{r}-D" for r in ranks)
    ctx.report("SC206", f"{ctx.layer} expects a {want} input, got {x.ndim}-D {x}")
    return True


def _min_rank(ctx: Any, x: TensorValue, rank: int) -> bool:
    """SC206 unless x has at least ``rank`` dims."""
    if x.ndim >= rank:
        return False
    ctx.report("SC206", f"{ctx.layer} expects an input of at least {rank} dims, got {x}")
    return True


def _expect_size(ctx: Any, got: Any, want: Any, param: str, code: str = "SC203") -> None:
    """The input's channel dim ``got`` must equal the constructor's ``param`` (``want``); the
    fix sets ``param`` to the input's size when that is concrete."""
    fix = Fix(param, got, f"{param}={got}") if isinstance(got, int) else None
    ctx.expect_eq(got, want, code, f"channels ({param})", fix=fix)


def _single_value(
    ctx: Any, count: Any, warning: bool, what: str = "value per channel", shape: Any = None
) -> None:
    """SC208 (training-mode only: a warning) or SC209 (always: an error) when ``count`` is
    decidedly 1. Undecided sizes add nothing: a symbolic batch is no reason for a finding."""
    if ctx.decide(sym.eq(count, 1)) is True:
        mode = "in training mode " if warning else ""
        ctx.report(
            "SC208" if warning else "SC209",
            f"{ctx.layer} needs more than 1 {what} {mode}to compute statistics, "
            f"got input {format_shape(shape)}",
        )


def _per_channel(ctx: Any, channels: Any, one_dim: bool, **values: Any) -> None:
    """Each weight, bias or running statistic given must hold one entry per channel (SC203),
    and with ``one_dim`` be 1-D."""
    for what, value in values.items():
        if not isinstance(value, TensorValue):
            continue
        if one_dim and value.ndim != 1:
            ctx.report("SC203", f"{ctx.layer}: {what} must be 1-D, got {value}")
            continue
        ctx.check(
            sym.eq(numel(value.shape), channels),
            "SC203",
            f"{ctx.layer}: {what} {value} must hold one entry per channel ({channels})",
        )


def _running_stats_given(ctx: Any, running_mean: Any, running_var: Any, when: str) -> None:
    """SC214: the functional forms need both running statistics unless they use batch ones."""
    if running_mean is None or running_var is None:
        ctx.report("SC214", f"{ctx.layer}: running_mean and running_var must be given {when}")


def _batch_norm_module(
    ctx: Any, x: TensorValue, ranks: tuple[int, ...], num_features: Any, affine: bool, running: bool
) -> TensorValue:
    if _rank_error(ctx, x, ranks):
        return x
    if affine or running:  # weight or running statistics exist and are sized num_features
        _expect_size(ctx, x.shape[1], num_features, "num_features")
    # Without running statistics, eval mode uses batch statistics too (batchnorm.py:
    # bn_training = running_mean is None), so one value per channel fails in every mode.
    _single_value(ctx, numel(x.shape[:1] + x.shape[2:]), running, shape=x.shape)
    return x


_BATCH_NORM_RANKS = {1: (2, 3), 2: (4,), 3: (5,)}


@shape_rule(
    "BatchNorm1d",
    "BatchNorm2d",
    "BatchNorm3d",
    examples=[
        ok("nn.BatchNorm1d(16)(x)", (100, 16, 784), x=(100, 16, 784)),
        ok("nn.BatchNorm2d(16)(x)", (4, 16, 28, 28), x=(4, 16, 28, 28)),
        ok("nn.BatchNorm1d(8)(x)", (2, 8), x=(2, 8)),
        ok("nn.BatchNorm3d(3)(x)", (2, 3, 2, 2, 2), x=(2, 3, 2, 2, 2)),
        ok(
            "nn.BatchNorm2d(4, affine=False, track_running_stats=False)(x)",
            (2, 3, 4, 4),
            x=(2, 3, 4, 4),
        ),
        bad("nn.BatchNorm1d(16)(x)", "SC203", x=(100, 32, 784)),
        bad("nn.BatchNorm2d(64)(x)", "SC203", x=(2, 32, 8, 8)),
        bad("nn.BatchNorm1d(16)(x)", "SC206", x=(2, 16, 4, 4)),
        bad("nn.BatchNorm2d(3)(x)", "SC206", x=(3, 4, 4)),
        bad("nn.BatchNorm1d(8).eval()(x)", "SC208", x=(1, 8)),
        bad("nn.BatchNorm2d(8).eval()(x)", "SC208", x=(1, 8, 1, 1)),
        bad("nn.BatchNorm1d(8, track_running_stats=False).eval()(x)", "SC209", x=(1, 8)),
    ],
)
def batch_norm(
    ctx: Any,
    input: TensorValue,
    *,
    num_features: Any,
    eps: float = 1e-5,
    momentum: Any = 0.1,
    affine: bool = True,
    track_running_stats: bool = True,
    device: Any = None,
    dtype: Any = None,
    bias: bool = True,
) -> TensorValue:
    ranks = _BATCH_NORM_RANKS[spatial_rank(ctx.op)]
    return _batch_norm_module(ctx, input, ranks, num_features, affine, track_running_stats)


@shape_rule(
    "SyncBatchNorm",
    examples=[
        ok("nn.SyncBatchNorm(4).eval()(x)", (2, 4, 3, 3, 3), x=(2, 4, 3, 3, 3)),
        ok("nn.SyncBatchNorm(4).eval()(x)", (2, 4), x=(2, 4)),
        bad("nn.SyncBatchNorm(4).eval()(x)", "SC203", x=(2, 3, 5)),
        bad("nn.SyncBatchNorm(4).eval()(x)", "SC206", x=(4,)),
    ],
)
def sync_batch_norm(
    ctx: Any,
    input: TensorValue,
    *,
    num_features: Any,
    eps: float = 1e-5,
    momentum: Any = 0.1,
    affine: bool = True,
    track_running_stats: bool = True,
    process_group: Any = None,
    device: Any = None,
    dtype: Any = None,
    bias: bool = True,
) -> TensorValue:
    # SyncBatchNorm._check_input_dim: "expected at least 2D input"
    ranks = tuple(range(2, max(input.ndim, 2) + 1))
    return _batch_norm_module(ctx, input, ranks, num_features, affine, track_running_stats)


@shape_rule(
    "F.batch_norm",
    examples=[
        ok("F.batch_norm(x, m, v)", (2, 3, 4), x=(2, 3, 4), m=(3,), v=(3,)),
        ok("F.batch_norm(x, None, None, training=True)", (2, 3), x=(2, 3)),
        ok("F.batch_norm(x, m, v, w, b)", (2, 3), x=(2, 3), m=(3,), v=(3,), w=(3,), b=(3,)),
        bad("F.batch_norm(x, m, v)", "SC203", x=(2, 3, 4), m=(4,), v=(4,)),
        bad("F.batch_norm(x, m, v, w)", "SC203", x=(2, 3), m=(3,), v=(3,), w=(4,)),
        bad("F.batch_norm(x, None, None)", "SC214", x=(2, 3)),
    ],
)
def batch_norm_functional(
    ctx: Any,
    input: TensorValue,
    running_mean: Any,
    running_var: Any,
    weight: Any = None,
    bias: Any = None,
    training: bool = False,
    momentum: Any = 0.1,
    eps: float = 1e-5,
    *rest: Any,
) -> TensorValue:
    if training is True and input.ndim >= 2:  # F.batch_norm's _verify_batch_size
        _single_value(ctx, numel(input.shape[:1] + input.shape[2:]), True, shape=input.shape)
    return _batch_norm_args(ctx, input, running_mean, running_var, weight, bias, training)


def _batch_norm_args(
    ctx: Any,
    input: TensorValue,
    running_mean: Any,
    running_var: Any,
    weight: Any,
    bias: Any,
    training: Any,
) -> TensorValue:
    if _min_rank(ctx, input, 2):
        return input
    if not training:
        _running_stats_given(ctx, running_mean, running_var, "in evaluation mode (training=False)")
    channels = input.shape[1]
    _per_channel(ctx, channels, True, running_mean=running_mean, running_var=running_var)
    _per_channel(ctx, channels, False, weight=weight, bias=bias)
    return input


@shape_rule(
    "torch.batch_norm",
    examples=[
        ok(
            "torch.batch_norm(x, None, None, m, v, False, 0.1, 1e-5, False)",
            (2, 3, 4),
            x=(2, 3, 4),
            m=(3,),
            v=(3,),
        ),
        ok("torch.batch_norm(x, None, None, None, None, True, 0.1, 1e-5, False)", (1, 3), x=(1, 3)),
        bad(
            "torch.batch_norm(x, w, None, m, v, False, 0.1, 1e-5, False)",
            "SC203",
            x=(2, 3),
            w=(4,),
            m=(3,),
            v=(3,),
        ),
    ],
)
def batch_norm_aten(
    ctx: Any,
    input: TensorValue,
    weight: Any,
    bias: Any,
    running_mean: Any,
    running_var: Any,
    training: bool,
    momentum: Any,
    eps: float,
    cudnn_enabled: bool = False,
) -> TensorValue:
    """torch.batch_norm: the aten op behind F.batch_norm, with weight and bias first. The
    one-value-per-channel check lives in F.batch_norm, not here."""
    return _batch_norm_args(ctx, input, running_mean, running_var, weight, bias, training)


# --------------------------------------------------------------------------- instance norm


@shape_rule(
    "InstanceNorm1d",
    "InstanceNorm2d",
    "InstanceNorm3d",
    examples=[
        ok("nn.InstanceNorm2d(3)(x)", (2, 3, 4, 4), x=(2, 3, 4, 4)),
        ok("nn.InstanceNorm1d(3)(x)", (3, 5), x=(3, 5)),
        ok("nn.InstanceNorm1d(4)(x)", (2, 3, 5), x=(2, 3, 5)),
        ok("nn.InstanceNorm2d(3, affine=True)(x)", (3, 2, 2), x=(3, 2, 2)),
        bad("nn.InstanceNorm1d(4, affine=True)(x)", "SC203", x=(2, 3, 5)),
        bad("nn.InstanceNorm1d(4, track_running_stats=True)(x)", "SC203", x=(2, 3, 5)),
        bad("nn.InstanceNorm1d(3)(x)", "SC206", x=(2, 3, 5, 5)),
        bad("nn.InstanceNorm2d(3)(x)", "SC209", x=(2, 3, 1, 1)),
        bad("nn.InstanceNorm1d(3, track_running_stats=True).eval()(x)", "SC208", x=(2, 3, 1)),
    ],
)
def instance_norm(
    ctx: Any,
    input: TensorValue,
    *,
    num_features: Any,
    eps: float = 1e-5,
    momentum: Any = 0.1,
    affine: bool = False,
    track_running_stats: bool = False,
    device: Any = None,
    dtype: Any = None,
    bias: bool = True,
) -> TensorValue:
    n = spatial_rank(ctx.op)
    if _rank_error(ctx, input, (n + 1, n + 2)):
        return input
    feature = input.ndim - (n + 1)  # unbatched inputs have their channels first
    if affine or track_running_stats:
        # affine: ValueError in forward; running stats: F.instance_norm's size check
        _expect_size(ctx, input.shape[feature], num_features, "num_features")
    # F.instance_norm uses the input's statistics when training or without running stats
    spatial = numel(input.shape[feature + 1 :])
    _single_value(ctx, spatial, track_running_stats, "spatial element", input.shape)
    return input


@shape_rule(
    "F.instance_norm",
    examples=[
        ok("F.instance_norm(x)", (2, 3, 4), x=(2, 3, 4)),
        ok("F.instance_norm(x, m, v, w)", (2, 3, 4), x=(2, 3, 4), m=(3,), v=(3,), w=(3,)),
        bad("F.instance_norm(x, weight=w)", "SC203", x=(2, 3, 4), w=(4,)),
        bad("F.instance_norm(x)", "SC209", x=(2, 3, 1)),
        bad("F.instance_norm(x)", "SC209", x=(2, 3)),
    ],
)
def instance_norm_functional(
    ctx: Any,
    input: TensorValue,
    running_mean: Any = None,
    running_var: Any = None,
    weight: Any = None,
    bias: Any = None,
    use_input_stats: bool = True,
    momentum: Any = 0.1,
    eps: float = 1e-5,
) -> TensorValue:
    if use_input_stats:  # _verify_spatial_size: the product of dims 2.. must exceed 1
        _single_value(ctx, numel(input.shape[2:]), False, "spatial element", input.shape)
    return _instance_norm_args(ctx, input, running_mean, running_var, weight, bias, use_input_stats)


def _instance_norm_args(
    ctx: Any,
    input: TensorValue,
    running_mean: Any,
    running_var: Any,
    weight: Any,
    bias: Any,
    use_input_stats: bool,
) -> TensorValue:
    if not use_input_stats:
        _running_stats_given(ctx, running_mean, running_var, "when use_input_stats is False")
    if input.ndim < 2:
        if not use_input_stats:
            _min_rank(ctx, input, 2)
        return input
    _per_channel(
        ctx,
        input.shape[1],
        False,
        running_mean=running_mean,
        running_var=running_var,
        weight=weight,
        bias=bias,
    )
    return input


@shape_rule(
    "torch.instance_norm",
    examples=[
        ok(
            "torch.instance_norm(x, None, None, None, None, True, 0.1, 1e-5, False)",
            (2, 3, 4),
            x=(2, 3, 4),
        ),
        ok(
            "torch.instance_norm(x, None, None, None, None, True, 0.1, 1e-5, False)",
            (2, 3, 1),
            x=(2, 3, 1),
        ),
        bad(
            "torch.instance_norm(x, w, None, None, None, True, 0.1, 1e-5, False)",
            "SC203",
            x=(2, 3, 4),
            w=(4,),
        ),
    ],
)
def instance_norm_aten(
    ctx: Any,
    input: TensorValue,
    weight: Any,
    bias: Any,
    running_mean: Any,
    running_var: Any,
    use_input_stats: bool,
    momentum: Any,
    eps: float,
    cudnn_enabled: bool = False,
) -> TensorValue:
    """torch.instance_norm: the aten op behind F.instance_norm, with weight and bias first.
    The one-spatial-element check lives in F.instance_norm, not here."""
    return _instance_norm_args(ctx, input, running_mean, running_var, weight, bias, use_input_stats)


# ------------------------------------------------------------------------------ group norm


def _group_norm_core(ctx: Any, x: TensorValue, num_groups: Any, affine_channels: Any) -> None:
    if _min_rank(ctx, x, 2):
        return
    channels = x.shape[1]
    if affine_channels is not None:
        _expect_size(ctx, channels, affine_channels, "num_channels", "SC204")
    if not isinstance(num_groups, int) or num_groups <= 0:
        if ctx.concrete(num_groups, "num_groups") is not None:
            ctx.report("SC204", f"{ctx.layer}: num_groups must be positive, got {num_groups!r}")
        return
    divides = ctx.check(
        sym.divisible(channels, num_groups),
        "SC204",
        f"{ctx.layer}: the input's {channels} channels must be divisible by num_groups "
        f"({num_groups})",
    )
    if divides is not False:
        # F.group_norm's _verify_batch_size on [N * C // G, G, *spatial], in every mode
        per_group = x.shape[0] * channels // num_groups * numel(x.shape[2:])
        _single_value(ctx, per_group, False, "value per group", x.shape)


@shape_rule(
    "GroupNorm",
    examples=[
        ok("nn.GroupNorm(2, 4)(x)", (2, 4, 3), x=(2, 4, 3)),
        ok("nn.GroupNorm(3, 6)(x)", (1, 6, 2, 2), x=(1, 6, 2, 2)),
        ok("nn.GroupNorm(2, 4, affine=False)(x)", (2, 6, 3), x=(2, 6, 3)),
        bad("nn.GroupNorm(32, 48)(x)", "SC204", x=(2, 48, 4, 4)),
        bad("nn.GroupNorm(2, 4)(x)", "SC204", x=(2, 6, 3)),
        bad("nn.GroupNorm(2, 4)(x)", "SC206", x=(4,)),
        bad("nn.GroupNorm(4, 4)(x)", "SC209", x=(1, 4)),
    ],
)
def group_norm(
    ctx: Any,
    input: TensorValue,
    *,
    num_groups: Any,
    num_channels: Any,
    eps: float = 1e-5,
    affine: bool = True,
    device: Any = None,
    dtype: Any = None,
    bias: bool = True,
) -> TensorValue:
    # __init__: "num_channels must be divisible by num_groups"
    if isinstance(num_groups, int) and num_groups > 0:
        ctx.check(
            sym.divisible(num_channels, num_groups),
            "SC204",
            f"{ctx.layer}: num_channels ({num_channels}) must be divisible by num_groups "
            f"({num_groups})",
            fix=None,
        )
    _group_norm_core(ctx, input, num_groups, num_channels if affine else None)
    return input


@shape_rule(
    "F.group_norm",
    "torch.group_norm",
    examples=[
        ok("F.group_norm(x, 3)", (2, 6, 3), x=(2, 6, 3)),
        ok("F.group_norm(x, 2, w, b)", (2, 4), x=(2, 4), w=(4,), b=(4,)),
        bad("F.group_norm(x, 4)", "SC204", x=(2, 6, 3)),
        bad("F.group_norm(x, 3, w)", "SC203", x=(2, 6, 3), w=(5,)),
    ],
)
def group_norm_functional(
    ctx: Any,
    input: TensorValue,
    num_groups: Any,
    weight: Any = None,
    bias: Any = None,
    eps: float = 1e-5,
    *rest: Any,
) -> TensorValue:
    _group_norm_core(ctx, input, num_groups, None)
    if input.ndim >= 2:
        _per_channel(ctx, input.shape[1], True, weight=weight, bias=bias)
    return input


# ----------------------------------------------------------------------- layer and RMS norm


def _normalized(ctx: Any, normalized_shape: Any, functional: bool) -> tuple | None:
    if isinstance(normalized_shape, (list, tuple)):
        shape = tuple(normalized_shape)
    elif functional and not isinstance(normalized_shape, (list, tuple)):
        # torch.layer_norm takes a list of ints ("must be tuple of ints, not int")
        ctx.report(
            "SC205", f"{ctx.layer}: normalized_shape must be a tuple, got {normalized_shape!r}"
        )
        return None
    else:
        shape = (normalized_shape,)
    if not shape:
        ctx.report("SC205", f"{ctx.layer}: normalized_shape must hold at least one dimension")
        return None
    return shape


def _check_trailing(ctx: Any, x: TensorValue, shape: tuple, fix_param: str | None) -> None:
    """The input must end with normalized_shape ("expected input with shape [*, 4]")."""
    if x.ndim < len(shape):
        ctx.report(
            "SC205",
            f"{ctx.layer}: normalized_shape {shape} needs an input ending in those dims, got {x}",
        )
        return
    tail = x.shape[x.ndim - len(shape) :]
    fix = None
    if fix_param and all(isinstance(d, int) for d in tail):
        value = tail[0] if len(tail) == 1 else tuple(tail)
        fix = Fix(fix_param, value, f"{fix_param}={value}")
    message = f"{ctx.layer} expects an input ending in {format_shape(shape)}, got {x}"
    _same_dims(ctx, tail, shape, message, fix)


def _same_dims(ctx: Any, got: Any, want: tuple, message: str, fix: Any = None) -> None:
    """SC205 at the first dim of ``got`` decidedly unlike ``want``'s."""
    for g, w in zip(got, want):
        if ctx.check(sym.eq(g, w), "SC205", message, fix=fix) is False:
            return


def _affine_shape(ctx: Any, value: Any, shape: tuple, what: str) -> None:
    """F.layer_norm / F.rms_norm: "Expected weight to be of same shape as normalized_shape"."""
    if not isinstance(value, TensorValue):
        return
    message = f"{ctx.layer}: {what} {value} must have shape {format_shape(shape)}"
    if value.ndim != len(shape):
        ctx.report("SC205", message)
        return
    _same_dims(ctx, value.shape, shape, message)


def _layer_norm_module(ctx: Any, x: TensorValue, normalized_shape: Any) -> TensorValue:
    """nn.LayerNorm / nn.RMSNorm: the input must end in normalized_shape."""
    shape = _normalized(ctx, normalized_shape, functional=False)
    if shape is not None:
        _check_trailing(ctx, x, shape, "normalized_shape")
    return x


def _layer_norm_args(ctx: Any, x: TensorValue, normalized_shape: Any, **affine: Any) -> TensorValue:
    """F.layer_norm / F.rms_norm: the input must end in normalized_shape, and the weight
    (and bias) given must have exactly that shape."""
    shape = _normalized(ctx, normalized_shape, functional=True)
    if shape is not None:
        _check_trailing(ctx, x, shape, None)
        for what, value in affine.items():
            _affine_shape(ctx, value, shape, what)
    return x


@shape_rule(
    "LayerNorm",
    examples=[
        ok("nn.LayerNorm(768)(x)", (2, 197, 768), x=(2, 197, 768)),
        ok("nn.LayerNorm((3, 4))(x)", (2, 3, 4), x=(2, 3, 4)),
        ok("nn.LayerNorm(4, elementwise_affine=False)(x)", (4,), x=(4,)),
        bad("nn.LayerNorm(512)(x)", "SC205", x=(2, 10, 768)),
        bad("nn.LayerNorm((2, 3, 4))(x)", "SC205", x=(3, 4)),
    ],
)
def layer_norm(
    ctx: Any,
    input: TensorValue,
    *,
    normalized_shape: Any,
    eps: float = 1e-5,
    elementwise_affine: bool = True,
    bias: bool = True,
    device: Any = None,
    dtype: Any = None,
) -> TensorValue:
    return _layer_norm_module(ctx, input, normalized_shape)


@shape_rule(
    "RMSNorm",
    examples=[
        ok("nn.RMSNorm(4)(x)", (2, 4), x=(2, 4)),
        ok("nn.RMSNorm([3, 4], elementwise_affine=False)(x)", (5, 3, 4), x=(5, 3, 4)),
        bad("nn.RMSNorm(4)(x)", "SC205", x=(2, 5)),
    ],
)
def rms_norm(
    ctx: Any,
    input: TensorValue,
    *,
    normalized_shape: Any,
    eps: Any = None,
    elementwise_affine: bool = True,
    device: Any = None,
    dtype: Any = None,
) -> TensorValue:
    return _layer_norm_module(ctx, input, normalized_shape)


@shape_rule(
    "F.layer_norm",
    "torch.layer_norm",
    examples=[
        ok("F.layer_norm(x, (4,))", (2, 4), x=(2, 4)),
        ok("F.layer_norm(x, [3, 4], w, b)", (2, 3, 4), x=(2, 3, 4), w=(3, 4), b=(3, 4)),
        bad("F.layer_norm(x, (4,))", "SC205", x=(2, 5)),
        bad("F.layer_norm(x, (4,), w)", "SC205", x=(2, 4), w=(5,)),
        bad("F.layer_norm(x, 4)", "SC205", x=(2, 4)),
    ],
)
def layer_norm_functional(
    ctx: Any,
    input: TensorValue,
    normalized_shape: Any,
    weight: Any = None,
    bias: Any = None,
    eps: float = 1e-5,
    *rest: Any,
) -> TensorValue:
    return _layer_norm_args(ctx, input, normalized_shape, weight=weight, bias=bias)


@shape_rule(
    "F.rms_norm",
    "torch.rms_norm",
    examples=[
        ok("F.rms_norm(x, [4])", (2, 4), x=(2, 4)),
        ok("F.rms_norm(x, (3, 4), w)", (2, 3, 4), x=(2, 3, 4), w=(3, 4)),
        bad("F.rms_norm(x, (4,), w)", "SC205", x=(2, 4), w=(5,)),
        bad("F.rms_norm(x, (4,))", "SC205", x=(2, 3)),
    ],
)
def rms_norm_functional(
    ctx: Any, input: TensorValue, normalized_shape: Any, weight: Any = None, eps: Any = None
) -> TensorValue:
    return _layer_norm_args(ctx, input, normalized_shape, weight=weight)


# ---------------------------------------------------------------- local response, normalize


@shape_rule(
    "LocalResponseNorm",
    "CrossMapLRN2d",
    examples=[
        ok("nn.LocalResponseNorm(2)(x)", (2, 4, 3), x=(2, 4, 3)),
        ok("nn.LocalResponseNorm(5)(x)", (1, 96, 5, 5), x=(1, 96, 5, 5)),
        ok("nn.LocalResponseNorm(3)(x)", (2, 4, 2, 2, 2, 2), x=(2, 4, 2, 2, 2, 2)),
        ok("nn.CrossMapLRN2d(3)(x)", (2, 4, 3, 3), x=(2, 4, 3, 3)),
        bad("nn.LocalResponseNorm(2)(x)", "SC206", x=(2, 4)),
        bad("nn.CrossMapLRN2d(3)(x)", "SC206", x=(4, 3, 3)),
    ],
)
def local_response_norm(
    ctx: Any,
    input: TensorValue,
    *,
    size: int,
    alpha: float = 1e-4,
    beta: float = 0.75,
    k: float = 1.0,
) -> TensorValue:
    if ctx.op == "CrossMapLRN2d":
        _rank_error(ctx, input, (4,))  # "CrossMapLRN2d: Expected input to be 4D"
        return input
    return local_response_norm_functional(ctx, input, size)


@shape_rule(
    "F.local_response_norm",
    examples=[
        ok("F.local_response_norm(x, 3)", (2, 4, 5), x=(2, 4, 5)),
        bad("F.local_response_norm(x, 3)", "SC206", x=(4, 5)),
    ],
)
def local_response_norm_functional(
    ctx: Any,
    input: TensorValue,
    size: int,
    alpha: float = 1e-4,
    beta: float = 0.75,
    k: float = 1.0,
) -> TensorValue:
    _min_rank(ctx, input, 3)  # "Expected 3D or higher dimensionality input"
    return input


@shape_rule(
    "F.normalize",
    examples=[
        ok("F.normalize(x)", (2, 4), x=(2, 4)),
        ok("F.normalize(x, dim=-1)", (4,), x=(4,)),
        ok("F.normalize(x, p=1.0, dim=0)", (2, 4), x=(2, 4)),
        bad("F.normalize(x)", "SC404", x=(4,)),
        bad("F.normalize(x, dim=3)", "SC404", x=(2, 4)),
    ],
)
def normalize(
    ctx: Any, input: TensorValue, p: float = 2.0, dim: Any = 1, eps: float = 1e-12, out: Any = None
) -> TensorValue:
    wrap_dim(ctx, dim, input.ndim)  # the norm reduces dim (keepdim) before dividing
    return input
