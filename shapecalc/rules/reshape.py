"""Reshaping: flatten (module, function and method forms)."""

from __future__ import annotations

from typing import Any

from .. import symbolic as sym
from ..arith import normalize_dim, numel
from ..values import TensorValue
from . import bad, ok, shape_rule


def flatten_core(ctx: Any, x: TensorValue, start_dim: int, end_dim: int) -> TensorValue:
    """torch.flatten: dims start..end become one; a 0-d tensor becomes 1-d (ATen flatten)."""
    start = normalize_dim(start_dim, x.ndim)
    end = normalize_dim(end_dim, x.ndim)
    for name, given, norm in (("start_dim", start_dim, start), ("end_dim", end_dim, end)):
        if norm is None:
            ctx.report(
                "SC404", f"{ctx.layer}: {name}={given} is out of range for a {x.ndim}-D input {x}"
            )
            return x.with_shape((sym.UNKNOWN,))
    if start > end:
        ctx.report(
            "SC405",
            f"{ctx.layer}: start_dim ({start_dim}) comes after end_dim "
            f"({end_dim}) for a {x.ndim}-D input",
        )
        return x.with_shape((sym.UNKNOWN,))
    if x.ndim == 0:
        return x.with_shape((1,))
    shape = x.shape
    return x.with_shape((*shape[:start], numel(shape[start : end + 1]), *shape[end + 1 :]))


@shape_rule(
    "Flatten",
    examples=[
        ok("nn.Flatten()(x)", (2, 864), x=(2, 6, 12, 12)),
        ok("nn.Flatten(0, -1)(x)", (24,), x=(2, 3, 4)),
        bad("nn.Flatten()(x)", "SC404", x=(5,)),
    ],
)
def flatten_module(
    ctx: Any, input: TensorValue, *, start_dim: int = 1, end_dim: int = -1
) -> TensorValue:
    return flatten_core(ctx, input, start_dim, end_dim)


@shape_rule(
    "torch.flatten",
    "Tensor.flatten",
    examples=[
        ok("torch.flatten(x, 1)", (2, 12), x=(2, 3, 4)),
        ok("x.flatten(-2)", (2, 12), x=(2, 3, 4)),
        ok("torch.flatten(x)", (1,), x=()),
        bad("torch.flatten(x, 2, 1)", "SC405", x=(2, 3, 4)),
        bad("x.flatten(3)", "SC404", x=(2, 3, 4)),
    ],
)
def flatten(ctx: Any, input: TensorValue, start_dim: int = 0, end_dim: int = -1) -> TensorValue:
    return flatten_core(ctx, input, start_dim, end_dim)
