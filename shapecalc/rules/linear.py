"""Linear layers: nn.Linear and F.linear (torch.nn.Linear docs: (*, H_in) -> (*, H_out))."""

from __future__ import annotations

from typing import Any

from .. import symbolic as sym
from ..diagnostics import Fix
from ..values import TensorValue
from . import bad, ok, shape_rule


def linear_core(
    ctx: Any, x: TensorValue, in_features: Any, out_features: Any, fix_param: str | None
) -> TensorValue:
    if x.ndim == 0:
        ctx.report("SC206", f"{ctx.layer} needs an input with at least 1 dimension, got a scalar")
        return x.with_shape((out_features,))
    got = x.shape[-1]
    fix = Fix(fix_param, got, f"{fix_param}={got}") if fix_param and isinstance(got, int) else None
    ctx.expect_eq(got, in_features, "SC401", "input features", fix=fix)
    return x.with_shape((*x.shape[:-1], out_features))


@shape_rule(
    "Linear",
    examples=[
        ok("nn.Linear(864, 10)(x)", (2, 10), x=(2, 864)),
        ok("nn.Linear(4, 3)(x)", (2, 7, 3), x=(2, 7, 4)),
        ok("nn.Linear(4, 3)(x)", (3,), x=(4,)),
        bad("nn.Linear(400, 120)(x)", "SC401", x=(2, 864)),
    ],
)
def linear(
    ctx: Any,
    input: TensorValue,
    *,
    in_features: Any,
    out_features: Any,
    bias: bool = True,
    device: Any = None,
    dtype: Any = None,
) -> TensorValue:
    return linear_core(ctx, input, in_features, out_features, "in_features")


@shape_rule(
    "F.linear",
    examples=[
        ok("F.linear(x, w)", (2, 5), x=(2, 3), w=(5, 3)),
        bad("F.linear(x, w)", "SC401", x=(2, 4), w=(5, 3)),
    ],
)
def linear_functional(
    ctx: Any, input: TensorValue, weight: TensorValue, bias: Any = None
) -> TensorValue:
    if weight.ndim not in (1, 2):
        ctx.report("SC206", f"{ctx.layer}: weight must be 1-D or 2-D, got {weight}")
        return input.with_shape((sym.UNKNOWN,) * input.ndim)
    if weight.ndim == 1:  # a vector weight contracts the last dim away
        return linear_core(ctx, input, weight.shape[0], None, None).with_shape(input.shape[:-1])
    return linear_core(ctx, input, weight.shape[1], weight.shape[0], None)
