"""Linear layers: nn.Linear and F.linear (torch.nn.Linear docs: (*, H_in) -> (*, H_out)),
nn.Bilinear and F.bilinear ((*, H_in1), (*, H_in2) -> (*, H_out), the same batch dims on both
inputs, no broadcasting: aten bilinear), nn.Identity (any constructor arguments, ignored)."""

from __future__ import annotations

from typing import Any

from .. import symbolic as sym
from ..diagnostics import Fix
from ..values import TensorValue
from . import bad, ok, passthrough, shape_rule


def linear_core(
    ctx: Any, x: TensorValue, in_features: Any, out_features: Any, fix_param: str | None
) -> TensorValue:
    if x.ndim == 0:
        ctx.report("SC206", f"{ctx.layer} needs an input with at least 1 dimension, got a scalar")
        return x.with_shape((out_features,))
    got = x.shape[-1]
    # no in_features fix where the last dim is not a feature dim: on an image-shaped map (a
    # flatten or permute is missing) or a singleton a keepdim left, the edit would make the
    # Linear run silently on the wrong axis
    plausible = x.ndim <= 3 and (got != 1 or x.ndim <= 2)
    fix = (
        Fix(fix_param, got, f"{fix_param}={got}")
        if fix_param and isinstance(got, int) and plausible
        else None
    )
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


passthrough(
    "Identity(*args, **kwargs)",
    examples=[
        ok("nn.Identity()(x)", (2, 3), x=(2, 3)),
        ok("nn.Identity(54, unused_argument1=0.1)(x)", (4,), x=(4,)),
    ],
)


def bilinear_core(
    ctx: Any,
    x1: TensorValue,
    x2: TensorValue,
    in1: Any,
    in2: Any,
    out: Any,
    fix: bool,
) -> TensorValue:
    if x1.ndim == 0 or x2.ndim == 0:
        ctx.report("SC206", f"{ctx.layer} needs inputs with at least 1 dimension, got {x1}, {x2}")
        return TensorValue((sym.UNKNOWN,), x1.dtype)
    if x1.ndim != x2.ndim:  # "bilinear(): input dimensions do not match: got 3 and 2"
        ctx.report(
            "SC403",
            f"{ctx.layer}: its inputs must have the same number of dims, got {x1} and {x2}",
        )
        return x1.with_shape((*x1.shape[:-1], out))
    for i, (a, b) in enumerate(zip(x1.shape[:-1], x2.shape[:-1])):
        ctx.check(
            sym.eq(a, b),
            "SC403",
            f"{ctx.layer}: the inputs' batch dims must match, got {a} and {b} at dim {i}",
        )
    for value, want, name in ((x1, in1, "in1_features"), (x2, in2, "in2_features")):
        got = value.shape[-1]
        f = Fix(name, got, f"{name}={got}") if fix and isinstance(got, int) else None
        ctx.check(
            sym.eq(got, want),
            "SC403",
            f"{ctx.layer} expects {want} features ({name}) in {value}, got {got}",
            fix=f,
        )
    return x1.with_shape((*x1.shape[:-1], out))


@shape_rule(
    "Bilinear",
    examples=[
        ok("nn.Bilinear(20, 30, 40)(x1, x2)", (128, 40), x1=(128, 20), x2=(128, 30)),
        ok("nn.Bilinear(3, 4, 5)(x1, x2)", (6, 2, 5), x1=(6, 2, 3), x2=(6, 2, 4)),
        ok("nn.Bilinear(3, 4, 5)(x1, x2)", (5,), x1=(3,), x2=(4,)),
        bad("nn.Bilinear(20, 30, 40)(x1, x2)", "SC403", x1=(8, 20), x2=(8, 20)),
        bad("nn.Bilinear(3, 4, 5)(x1, x2)", "SC403", x1=(1, 3), x2=(3, 4)),
        bad("nn.Bilinear(3, 4, 5)(x1, x2)", "SC403", x1=(2, 2, 3), x2=(4, 4)),
    ],
)
def bilinear(
    ctx: Any,
    input1: TensorValue,
    input2: TensorValue,
    *,
    in1_features: Any,
    in2_features: Any,
    out_features: Any,
    bias: bool = True,
    device: Any = None,
    dtype: Any = None,
) -> TensorValue:
    return bilinear_core(ctx, input1, input2, in1_features, in2_features, out_features, True)


@shape_rule(
    "F.bilinear",
    "torch.bilinear",
    examples=[
        ok("F.bilinear(x1, x2, w)", (2, 5), x1=(2, 3), x2=(2, 4), w=(5, 3, 4)),
        ok("F.bilinear(x1, x2, w, b)", (2, 5), x1=(2, 3), x2=(2, 4), w=(5, 3, 4), b=(5,)),
        bad("F.bilinear(x1, x2, w)", "SC403", x1=(2, 3), x2=(2, 3), w=(5, 3, 4)),
        bad("F.bilinear(x1, x2, w, b)", "SC403", x1=(2, 3), x2=(2, 4), w=(5, 3, 4), b=(4,)),
    ],
)
def bilinear_functional(
    ctx: Any, input1: TensorValue, input2: TensorValue, weight: TensorValue, bias: Any = None
) -> TensorValue:
    if weight.ndim != 3:
        ctx.report("SC206", f"{ctx.layer}: weight must be 3-D (out, in1, in2), got {weight}")
        return input1.with_shape((*input1.shape[:-1], sym.UNKNOWN))
    out, in1, in2 = weight.shape
    if isinstance(bias, TensorValue):  # "bias size does not match weight size"
        ok_bias = bias.ndim == 1 and ctx.decide(sym.eq(bias.shape[0], out)) is not False
        if not ok_bias:
            ctx.report("SC403", f"{ctx.layer}: bias {bias} must be 1-D of size {out}")
    return bilinear_core(ctx, input1, input2, in1, in2, out, False)
