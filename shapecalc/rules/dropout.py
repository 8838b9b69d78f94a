"""Dropout layers: shape-preserving, with the rank rules of the channel-wise forms
(torch/nn/functional.py, torch 2.13):

* dropout1d raises unless the input is 2-D (C, L) or 3-D (N, C, L), in any mode;
* dropout2d warns on a 3-D input (taken as (N, C, L)) and on ranks other than 3 and 4
  (deprecated); dropout3d warns on ranks other than 4 and 5: SC212;
* feature dropout (Dropout2d/3d, FeatureAlphaDropout) raises on fewer than 2 dims (dropout3d
  first adds a batch dim to anything but 5-D, so there only 0-D fails) when it
  is active, in training with 0 < p < 1 ("Feature dropout requires at least 2 dimensions in
  the input"; aten returns early for p 0 or 1). A dropout layer only acts in training, so the
  modules are checked as training; the functional forms follow their ``training`` argument.
"""

from __future__ import annotations

from typing import Any

from ..values import TensorValue
from . import bad, ok, passthrough, shape_rule

passthrough(
    "Dropout(p=0.5, inplace=False)",
    "AlphaDropout(p=0.5, inplace=False)",
    "F.dropout(input, p=0.5, training=True, inplace=False)",
    "F.alpha_dropout(input, p=0.5, training=False, inplace=False)",
    "torch.dropout(input, p, train)",
    "torch.alpha_dropout(input, p, train)",
    examples=[
        ok("nn.Dropout(0.2)(x)", (2, 10), x=(2, 10)),
        ok("F.dropout(x, 0.1, training=True)", (3,), x=(3,)),
        ok("nn.AlphaDropout(0.1)(x)", (2, 3, 4), x=(2, 3, 4)),
    ],
)


def _active(training: Any, p: Any) -> bool:
    return training is not False and not (isinstance(p, (int, float)) and p in (0, 1))


def _feature_rank(ctx: Any, x: TensorValue, active: bool, least: int = 2) -> bool:
    if active and x.ndim < least:
        ctx.report(
            "SC206",
            f"{ctx.layer}: channel-wise dropout needs an input of at least 2 dims, got {x}",
        )
        return False
    return True


def _dropout1d(ctx: Any, x: TensorValue) -> TensorValue:
    if x.ndim not in (2, 3):
        ctx.report(
            "SC206", f"{ctx.layer} expects a 2-D (C, L) or 3-D (N, C, L) input, got {x.ndim}-D {x}"
        )
    return x


def _dropout_nd(ctx: Any, x: TensorValue, n: int, active: bool) -> TensorValue:
    # dropout3d adds a batch dim to anything but 5-D, so 1-D already passes feature dropout
    if not _feature_rank(ctx, x, active, 2 if n == 2 else 1):
        return x
    if n == 2 and x.ndim == 3:
        ctx.report(
            "SC212",
            f"{ctx.layer} takes the 3-D input {x} as (N, C, L) and drops whole 1-D channels; "
            "use Dropout1d for that, or give it (N, C, H, W)",
        )
    elif x.ndim not in (n + 1, n + 2):
        ctx.report(
            "SC212",
            f"{ctx.layer}: a {x.ndim}-D input is deprecated (PyTorch expects "
            f"{n + 1}-D or {n + 2}-D and will raise in a future release)",
        )
    return x


@shape_rule(
    "Dropout1d",
    examples=[
        ok("nn.Dropout1d(0.2)(x)", (2, 3, 8), x=(2, 3, 8)),
        ok("nn.Dropout1d()(x)", (3, 8), x=(3, 8)),
        bad("nn.Dropout1d()(x)", "SC206", x=(2, 3, 4, 4)),
        bad("nn.Dropout1d().eval()(x)", "SC206", x=(8,)),
    ],
)
def dropout1d(ctx: Any, input: TensorValue, *, p: float = 0.5, inplace: bool = False) -> Any:
    return _dropout1d(ctx, input)


@shape_rule(
    "F.dropout1d",
    examples=[
        ok("F.dropout1d(x, 0.5, training=False)", (2, 3, 8), x=(2, 3, 8)),
        bad("F.dropout1d(x, training=False)", "SC206", x=(2, 3, 4, 4)),
    ],
)
def dropout1d_functional(
    ctx: Any, input: TensorValue, p: float = 0.5, training: bool = True, inplace: bool = False
) -> Any:
    return _dropout1d(ctx, input)


@shape_rule(
    "Dropout2d",
    "Dropout3d",
    examples=[
        ok("nn.Dropout2d(0.2)(x)", (2, 3, 8, 8), x=(2, 3, 8, 8)),
        ok("nn.Dropout3d()(x)", (3, 2, 4, 4), x=(3, 2, 4, 4)),
        ok("nn.Dropout3d()(x)", (1, 3, 2, 4, 4), x=(1, 3, 2, 4, 4)),
        bad("nn.Dropout2d(0.2)(x)", "SC212", x=(8, 128)),
        bad("nn.Dropout2d()(x)", "SC212", x=(3, 8, 8)),
        bad("nn.Dropout3d()(x)", "SC212", x=(2, 3, 8)),
        bad("nn.Dropout2d()(x)", "SC206", x=(8,)),
        bad("nn.Dropout3d()(x)", "SC206", x=()),
    ],
)
def dropout_nd(ctx: Any, input: TensorValue, *, p: float = 0.5, inplace: bool = False) -> Any:
    return _dropout_nd(ctx, input, 2 if ctx.op.endswith("2d") else 3, _active(True, p))


@shape_rule(
    "F.dropout2d",
    "F.dropout3d",
    examples=[
        ok("F.dropout2d(x)", (2, 3, 8, 8), x=(2, 3, 8, 8)),
        bad("F.dropout3d(x, training=False)", "SC212", x=(4,)),
        bad("F.dropout2d(x, 0.5)", "SC206", x=(4,)),
    ],
)
def dropout_nd_functional(
    ctx: Any, input: TensorValue, p: float = 0.5, training: bool = True, inplace: bool = False
) -> Any:
    return _dropout_nd(ctx, input, 2 if ctx.op.endswith("2d") else 3, _active(training, p))


@shape_rule(
    "FeatureAlphaDropout",
    examples=[
        ok("nn.FeatureAlphaDropout(0.2)(x)", (2, 3), x=(2, 3)),
        bad("nn.FeatureAlphaDropout()(x)", "SC206", x=(3,)),
    ],
)
def feature_alpha_dropout(
    ctx: Any, input: TensorValue, *, p: float = 0.5, inplace: bool = False
) -> Any:
    _feature_rank(ctx, input, _active(True, p))
    return input


@shape_rule(
    "F.feature_alpha_dropout",
    "torch.feature_dropout",
    "torch.feature_alpha_dropout",
    examples=[
        ok("F.feature_alpha_dropout(x)", (3,), x=(3,)),
        ok("F.feature_alpha_dropout(x, 0.5, True)", (2, 3, 4), x=(2, 3, 4)),
        bad("F.feature_alpha_dropout(x, 0.5, True)", "SC206", x=(3,)),
    ],
)
def feature_alpha_dropout_functional(
    ctx: Any, input: TensorValue, p: float = 0.5, training: bool = False, inplace: bool = False
) -> Any:
    _feature_rank(ctx, input, _active(training, p))
    return input
