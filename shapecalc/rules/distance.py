"""Distances between tensors: nn.CosineSimilarity / F.cosine_similarity, nn.PairwiseDistance
/ F.pairwise_distance, F.pdist.

cosine_similarity broadcasts its two inputs and reduces ``dim`` of the broadcast shape.
pairwise_distance (aten) broadcasts x1 - x2 and takes the norm over the last dim of the
higher-ranked input, keeping it as 1 with keepdim (a 0-d result stays 0-d). pdist takes a 2-D
(N, M) input and gives the N (N - 1) / 2 distances between its rows.
"""

from __future__ import annotations

from typing import Any

from .. import symbolic as sym
from ..values import TensorValue
from . import bad, ok, shape_rule
from .elementwise import broadcast_two, result_dtype
from .reduce import wrap_dim


def _broadcast(ctx: Any, x1: TensorValue, x2: TensorValue) -> TensorValue:
    shape = broadcast_two(ctx, x1.shape, x2.shape)
    return TensorValue(tuple(shape), result_dtype([x1, x2]))


@shape_rule(
    "CosineSimilarity",
    examples=[
        ok("nn.CosineSimilarity()(x1, x2)", (100,), x1=(100, 128), x2=(100, 128)),
        ok("nn.CosineSimilarity(dim=1)(x1, x2)", (2, 4), x1=(2, 3, 4), x2=(3, 4)),
        bad("nn.CosineSimilarity()(x1, x2)", "SC301", x1=(2, 3, 4), x2=(2, 2, 4)),
        bad("nn.CosineSimilarity(dim=3)(x1, x2)", "SC404", x1=(2, 3, 4), x2=(2, 3, 4)),
    ],
)
def cosine_similarity(
    ctx: Any, x1: TensorValue, x2: TensorValue, *, dim: int = 1, eps: float = 1e-8
) -> TensorValue:
    return cosine_similarity_functional(ctx, x1, x2, dim)


@shape_rule(
    "F.cosine_similarity",
    "torch.cosine_similarity",
    examples=[
        ok("F.cosine_similarity(x1, x2, dim=-1)", (2, 3), x1=(2, 3, 4), x2=(4,)),
        ok("F.cosine_similarity(x1, x2, dim=0)", (), x1=(3,), x2=(3,)),
        bad("F.cosine_similarity(x1, x2)", "SC404", x1=(3,), x2=(3,)),
    ],
)
def cosine_similarity_functional(
    ctx: Any, x1: TensorValue, x2: TensorValue, dim: int = 1, eps: float = 1e-8
) -> TensorValue:
    both = _broadcast(ctx, x1, x2)
    d = wrap_dim(ctx, dim, both.ndim)
    if d is None:
        return both.with_shape((sym.UNKNOWN,) * max(both.ndim - 1, 0))
    return both.with_shape(tuple(s for i, s in enumerate(both.shape) if i != d))


@shape_rule(
    "PairwiseDistance",
    examples=[
        ok("nn.PairwiseDistance()(x1, x2)", (100,), x1=(100, 128), x2=(100, 128)),
        ok("nn.PairwiseDistance(keepdim=True)(x1, x2)", (2, 1), x1=(3,), x2=(2, 3)),
        ok("nn.PairwiseDistance()(x1, x2)", (), x1=(3,), x2=(3,)),
        bad("nn.PairwiseDistance()(x1, x2)", "SC301", x1=(2, 3), x2=(2, 4)),
    ],
)
def pairwise_distance(
    ctx: Any,
    x1: TensorValue,
    x2: TensorValue,
    *,
    p: float = 2.0,
    eps: float = 1e-6,
    keepdim: bool = False,
) -> TensorValue:
    return pairwise_distance_functional(ctx, x1, x2, keepdim=keepdim)


@shape_rule(
    "F.pairwise_distance",
    "torch.pairwise_distance",
    examples=[
        ok("F.pairwise_distance(x1, x2, keepdim=True)", (2, 3, 1), x1=(2, 3, 4), x2=(3, 4)),
        bad("F.pairwise_distance(x1, x2)", "SC301", x1=(2, 3), x2=(4, 3)),
    ],
)
def pairwise_distance_functional(
    ctx: Any,
    x1: TensorValue,
    x2: TensorValue,
    p: float = 2.0,
    eps: float = 1e-6,
    keepdim: bool = False,
) -> TensorValue:
    diff = _broadcast(ctx, x1, x2)
    if diff.ndim == 0:
        return diff
    # the norm runs over dim max(x1.dim(), x2.dim()) - 1, the broadcast's last
    last = diff.ndim - 1
    shape = diff.shape[:last] + ((1,) if keepdim else ())
    return diff.with_shape(shape)


@shape_rule(
    "F.pdist",
    "torch.pdist",
    examples=[
        ok("F.pdist(x)", (6,), x=(4, 3)),
        ok("torch.pdist(x, p=1.0)", (0,), x=(1, 3)),
        bad("F.pdist(x)", "SC206", x=(2, 4, 3)),
    ],
)
def pdist(ctx: Any, input: TensorValue, p: float = 2.0) -> TensorValue:
    if input.ndim != 2:  # "pdist only supports 2D tensors, got: 3D"
        ctx.report("SC206", f"{ctx.layer} expects a 2-D (N, M) input, got {input}")
        return input.with_shape((sym.UNKNOWN,))
    n = input.shape[0]
    return input.with_shape((n * (n - 1) // 2,))
