"""Activations. Most are shape-preserving, one line each (torch.nn activation docs: Input (*),
Output (*), same shape). The others:

* PReLU: num_parameters must be 1 or the channel count, dim 1 (1 for a 1-D input), and a 0-d
  input takes only one parameter (aten prelu: "Mismatch of parameter numbers and input channel
  size", "Not allow zero-dim input tensor").
* GLU halves ``dim``, whose size must be even.
* Softmax, Softmin, LogSoftmax: ``dim`` must be in range; ``dim=None`` is the legacy implicit
  choice, 0 for 0-, 1- and 3-D inputs and 1 otherwise (torch.nn.functional._get_softmax_dim),
  always in range; a ``dtype`` argument sets the output's dtype. Softmax2d takes 3-D or 4-D.
"""

from __future__ import annotations

from typing import Any

from .. import symbolic as sym
from ..arith import numel
from ..diagnostics import Fix
from ..values import TensorValue
from . import bad, ok, passthrough, shape_rule
from .reduce import wrap_dim

passthrough(
    "ReLU(inplace=False)",
    "ReLU6(inplace=False)",
    "Sigmoid()",
    "Tanh()",
    "F.relu(input, inplace=False)",
    "torch.relu(input)",
    "Tensor.relu(self)",
    "F.sigmoid(input)",
    "torch.sigmoid(input)",
    "Tensor.sigmoid(self)",
    "torch.tanh(input)",
    "Tensor.tanh(self)",
    examples=[
        ok("nn.ReLU()(x)", (2, 3, 4), x=(2, 3, 4)),
        ok("F.relu(x)", (5,), x=(5,)),
        ok("x.sigmoid()", (1, 2), x=(1, 2)),
    ],
)

# every other shape-preserving torch.nn activation, its functional, torch and in-place forms
passthrough(
    "ELU(alpha=1.0, inplace=False)",
    "Hardshrink(lambd=0.5)",
    "Hardsigmoid(inplace=False)",
    "Hardtanh(min_val=-1.0, max_val=1.0, inplace=False, min_value=None, max_value=None)",
    "Hardswish(inplace=False)",
    "LeakyReLU(negative_slope=0.01, inplace=False)",
    "LogSigmoid()",
    "RReLU(lower=0.125, upper=0.3333333333333333, inplace=False)",
    "SELU(inplace=False)",
    "CELU(alpha=1.0, inplace=False)",
    "GELU(approximate='none')",
    "SiLU(inplace=False)",
    "Mish(inplace=False)",
    "Softplus(beta=1.0, threshold=20.0)",
    "Softshrink(lambd=0.5)",
    "Softsign()",
    "Tanhshrink()",
    "Threshold(threshold, value, inplace=False)",
    "F.elu(input, alpha=1.0, inplace=False)",
    "F.elu_(input, alpha=1.0)",
    "F.leaky_relu(input, negative_slope=0.01, inplace=False)",
    "F.leaky_relu_(input, negative_slope=0.01)",
    "F.gelu(input, approximate='none')",
    "F.silu(input, inplace=False)",
    "F.mish(input, inplace=False)",
    "F.hardswish(input, inplace=False)",
    "F.hardsigmoid(input, inplace=False)",
    "F.hardtanh(input, min_val=-1.0, max_val=1.0, inplace=False)",
    "F.hardtanh_(input, min_val=-1.0, max_val=1.0)",
    "F.relu6(input, inplace=False)",
    "F.relu_(input)",
    "F.selu(input, inplace=False)",
    "F.selu_(input)",
    "F.celu(input, alpha=1.0, inplace=False)",
    "F.celu_(input, alpha=1.0)",
    "F.rrelu(input, lower=0.125, upper=0.3333333333333333, training=False, inplace=False)",
    "F.rrelu_(input, lower=0.125, upper=0.3333333333333333, training=False)",
    "F.threshold(input, threshold, value, inplace=False)",
    "F.threshold_(input, threshold, value)",
    "F._threshold(input, threshold, value, inplace=False)",  # F.threshold's own __name__
    "F.softplus(input, beta=1.0, threshold=20.0)",
    "F.softshrink(input, lambd=0.5)",
    "F.hardshrink(input, lambd=0.5)",
    "F.logsigmoid(input)",
    "F.softsign(input)",
    "F.tanhshrink(input)",
    "F.tanh(input)",
    # F.logsigmoid is torch._C._nn.log_sigmoid, which fx names by its module
    "torch._C._nn.log_sigmoid(input)",
    "torch.relu_(input)",
    "torch.sigmoid_(input)",
    "torch.tanh_(input)",
    "torch.selu(input)",
    "torch.selu_(input)",
    "torch.celu(input, alpha=1.0)",
    "torch.celu_(input, alpha=1.0)",
    "torch.rrelu(input, lower=0.125, upper=0.3333333333333333, training=False, generator=None)",
    "torch.rrelu_(input, lower=0.125, upper=0.3333333333333333, training=False, generator=None)",
    "torch.threshold(input, threshold, value)",
    "torch.threshold_(input, threshold, value)",
    "torch.hardshrink(input, lambd=0.5)",
    "Tensor.relu_(self)",
    "Tensor.sigmoid_(self)",
    "Tensor.tanh_(self)",
    "Tensor.hardshrink(self, lambd=0.5)",
    examples=[
        ok("nn.GELU(approximate='tanh')(x)", (2, 3, 4), x=(2, 3, 4)),
        ok("nn.LeakyReLU(0.2, inplace=True)(x)", (2, 5), x=(2, 5)),
        ok("nn.Threshold(0.1, 20.0)(x)", (3,), x=(3,)),
        ok("F.hardtanh(x, -2.0, 2.0)", (2, 3), x=(2, 3)),
        ok("F.logsigmoid(x)", (4, 1), x=(4, 1)),
        ok("x.relu_()", (2, 2), x=(2, 2)),
        ok("torch.selu(x)", (), x=()),
    ],
)


# ---------------------------------------------------------------------------------- PReLU


def _prelu(ctx: Any, x: TensorValue, count: Any, fix_param: str | None) -> TensorValue:
    if ctx.decide(sym.eq(count, 1)) is True:
        return x
    if x.ndim == 0:
        ctx.report(
            "SC210", f"{ctx.layer}: a 0-d input takes a single parameter, got {count} parameters"
        )
        return x
    channels = x.shape[1] if x.ndim >= 2 else 1
    fix = None
    if fix_param and isinstance(channels, int):
        fix = Fix(fix_param, channels, f"{fix_param}={channels}")
    ctx.check(
        sym.eq(count, channels),
        "SC210",
        f"{ctx.layer} has {count} parameters: that must be 1 or the input's channel count "
        f"{channels} (input {x})",
        fix=fix,
    )
    return x


@shape_rule(
    "PReLU",
    examples=[
        ok("nn.PReLU()(x)", (2, 3, 4), x=(2, 3, 4)),
        ok("nn.PReLU(4)(x)", (2, 4, 3, 3), x=(2, 4, 3, 3)),
        ok("nn.PReLU()(x)", (), x=()),
        bad("nn.PReLU(64)(x)", "SC210", x=(2, 32, 8, 8)),
        bad("nn.PReLU(4)(x)", "SC210", x=(4,)),
        bad("nn.PReLU(4)(x)", "SC210", x=()),
    ],
)
def prelu(
    ctx: Any,
    input: TensorValue,
    *,
    num_parameters: Any = 1,
    init: float = 0.25,
    device: Any = None,
    dtype: Any = None,
) -> TensorValue:
    return _prelu(ctx, input, num_parameters, "num_parameters")


@shape_rule(
    "F.prelu",
    "torch.prelu",
    "Tensor.prelu",
    examples=[
        ok("F.prelu(x, w)", (2, 4, 3), x=(2, 4, 3), w=(4,)),
        ok("F.prelu(x, w)", (2, 4, 3), x=(2, 4, 3), w=()),
        bad("F.prelu(x, w)", "SC210", x=(2, 3, 3), w=(4,)),
        bad("F.prelu(x, w)", "SC210", x=(2, 4, 3), w=(1, 4)),
    ],
)
def prelu_functional(ctx: Any, input: TensorValue, weight: TensorValue) -> TensorValue:
    if weight.ndim > 1:  # "Expected `weight` to be a scalar or 1D tensor"
        ctx.report("SC210", f"{ctx.layer}: weight must be a scalar or 1-D, got {weight}")
        return input
    return _prelu(ctx, input, numel(weight.shape), None)


# ------------------------------------------------------------------------------------ GLU


def _glu(ctx: Any, x: TensorValue, dim: Any) -> TensorValue:
    if x.ndim == 0:
        ctx.report("SC206", f"{ctx.layer} does not take a 0-d input: it halves a dimension")
        return x
    d = wrap_dim(ctx, dim, x.ndim)
    if d is None:
        return x.with_shape((sym.UNKNOWN,) * x.ndim)
    size = x.shape[d]
    even = ctx.check(
        sym.divisible(size, 2),
        "SC211",
        f"{ctx.layer} halves dimension {d}, whose size {size} is odd (input {x})",
    )
    shape = list(x.shape)
    shape[d] = sym.UNKNOWN if even is False else size // 2
    return x.with_shape(shape)


@shape_rule(
    "GLU",
    examples=[
        ok("nn.GLU()(x)", (2, 2), x=(2, 4)),
        ok("nn.GLU(dim=1)(x)", (2, 3, 5), x=(2, 6, 5)),
        bad("nn.GLU()(x)", "SC211", x=(8, 5)),
        bad("nn.GLU(3)(x)", "SC404", x=(2, 4)),
        bad("nn.GLU()(x)", "SC206", x=()),
    ],
)
def glu(ctx: Any, input: TensorValue, *, dim: int = -1) -> TensorValue:
    return _glu(ctx, input, dim)


@shape_rule(
    "F.glu",
    examples=[
        ok("F.glu(x, 0)", (1, 3), x=(2, 3)),
        bad("F.glu(x)", "SC211", x=(2, 3)),
    ],
)
def glu_functional(ctx: Any, input: TensorValue, dim: int = -1) -> TensorValue:
    return _glu(ctx, input, dim)


# -------------------------------------------------------------------------------- softmax


def _softmax(ctx: Any, x: TensorValue, dim: Any, dtype: Any = None) -> TensorValue:
    if dim is None:  # the legacy implicit dim is always in range
        pass
    elif wrap_dim(ctx, dim, x.ndim) is None:
        return TensorValue((sym.UNKNOWN,) * x.ndim, x.dtype, x.const)
    if dtype is not None:
        return TensorValue(x.shape, str(dtype).removeprefix("torch."), x.const)
    return x


@shape_rule(
    "Softmax",
    "Softmin",
    "LogSoftmax",
    examples=[
        ok("nn.Softmax(dim=1)(x)", (2, 10), x=(2, 10)),
        ok("nn.LogSoftmax(-1)(x)", (2, 3, 4), x=(2, 3, 4)),
        ok("nn.Softmin()(x)", (2, 3, 4, 5), x=(2, 3, 4, 5)),
        ok("nn.Softmax(0)(x)", (), x=()),
        bad("nn.Softmax(dim=2)(x)", "SC404", x=(2, 10)),
    ],
)
def softmax(ctx: Any, input: TensorValue, *, dim: Any = None) -> TensorValue:
    return _softmax(ctx, input, dim)


@shape_rule(
    "F.softmax",
    "F.softmin",
    "F.log_softmax",
    examples=[
        ok("F.softmax(x, dim=-1)", (2, 10), x=(2, 10)),
        ok("F.log_softmax(x, 1, dtype=torch.float64)", (2, 3), x=(2, 3)),
        ok("F.softmin(x)", (3,), x=(3,)),
        bad("F.softmax(x, 2)", "SC404", x=(2, 3)),
    ],
)
def softmax_functional(
    ctx: Any, input: TensorValue, dim: Any = None, _stacklevel: int = 3, dtype: Any = None
) -> TensorValue:
    return _softmax(ctx, input, dim, dtype)


@shape_rule(
    "F.gumbel_softmax",
    examples=[
        ok("F.gumbel_softmax(x, tau=0.5, hard=True)", (2, 5), x=(2, 5)),
        bad("F.gumbel_softmax(x, dim=2)", "SC404", x=(2, 5)),
    ],
)
def gumbel_softmax(
    ctx: Any, logits: TensorValue, tau: float = 1, hard: bool = False, eps: float = 1e-10, dim=-1
) -> TensorValue:
    return _softmax(ctx, logits, dim)


@shape_rule(
    "torch.softmax",
    "torch.log_softmax",
    "Tensor.softmax",
    "Tensor.log_softmax",
    examples=[
        ok("torch.softmax(x, 1)", (2, 3), x=(2, 3)),
        ok("x.log_softmax(-1)", (2, 3), x=(2, 3)),
        ok("x.softmax(dim=0, dtype=torch.float64)", (4,), x=(4,)),
        bad("x.softmax(-3)", "SC404", x=(2, 3)),
    ],
)
def softmax_call(ctx: Any, input: TensorValue, dim: Any, dtype: Any = None) -> TensorValue:
    return _softmax(ctx, input, dim, dtype)


@shape_rule(
    "Softmax2d",
    examples=[
        ok("nn.Softmax2d()(x)", (2, 3, 4, 4), x=(2, 3, 4, 4)),
        ok("nn.Softmax2d()(x)", (3, 4, 4), x=(3, 4, 4)),
        bad("nn.Softmax2d()(x)", "SC206", x=(2, 3)),
    ],
)
def softmax2d(ctx: Any, input: TensorValue) -> TensorValue:
    # "Softmax2d: expected input to be 3D or 4D"; softmax over dim -3, the channels
    if input.ndim not in (3, 4):
        ctx.report("SC206", f"{ctx.layer} expects a 3-D or 4-D input, got {input.ndim}-D {input}")
    return input
