"""Embeddings and index encodings: nn.Embedding, nn.EmbeddingBag, F.embedding,
F.embedding_bag, F.one_hot.

torch.nn.Embedding docs: Input (*) of IntTensor or LongTensor, Output (*, H) with H the
embedding_dim. EmbeddingBag: a 2-D input is a batch of fixed-length bags, (B, N) -> (B, H); a
1-D input needs 1-D offsets marking where each bag starts, (offsets.size(0), H), one fewer with
include_last_offset. Whether an index is in range depends on the data, not on shapes.
"""

from __future__ import annotations

from typing import Any

from .. import symbolic as sym
from ..values import TensorValue
from . import bad, ok, shape_rule

INDEX_DTYPES = ("int64", "int32")


def _indices(ctx: Any, value: Any, what: str = "input") -> None:
    """Indices must be int64 or int32 ("Expected tensor for argument #1 'indices' to have one
    of the following scalar types: Long, Int")."""
    if isinstance(value, TensorValue) and value.dtype not in INDEX_DTYPES:
        ctx.report(
            "SC207",
            f"{ctx.layer}: {what} must hold integer indices (int64 or int32), got {value.dtype}",
        )


def _bad_weight(ctx: Any, weight: TensorValue) -> bool:
    """SC206 unless the functional form's weight is a 2-D (num_embeddings, embedding_dim)."""
    if weight.ndim == 2:
        return False
    ctx.report("SC206", f"{ctx.layer}: weight must be 2-D, got {weight}")
    return True


def _weight_dtype(dtype: Any) -> str:
    return str(dtype).removeprefix("torch.") if dtype is not None else "float32"


@shape_rule(
    "Embedding",
    examples=[
        ok("nn.Embedding(10, 3)(x)", (2, 4, 3), x=(2, 4), dtypes={"x": "int64"}),
        ok("nn.Embedding(1000, 64)(x)", (64,), x=(), dtypes={"x": "int32"}),
        ok("nn.Embedding(5, 8, padding_idx=0)(x)", (7, 8), x=(7,), dtypes={"x": "int64"}),
        bad("nn.Embedding(1000, 64)(x)", "SC207", x=(2, 16)),
        bad("nn.Embedding(10, 3)(x)", "SC207", x=(2, 4), dtypes={"x": "int16"}),
    ],
)
def embedding(
    ctx: Any,
    input: TensorValue,
    *,
    num_embeddings: Any,
    embedding_dim: Any,
    padding_idx: Any = None,
    max_norm: Any = None,
    norm_type: float = 2.0,
    scale_grad_by_freq: bool = False,
    sparse: bool = False,
    _weight: Any = None,
    _freeze: bool = False,
    device: Any = None,
    dtype: Any = None,
) -> TensorValue:
    _indices(ctx, input)
    return TensorValue((*input.shape, embedding_dim), _weight_dtype(dtype))


@shape_rule(
    "F.embedding",
    examples=[
        ok("F.embedding(x, w)", (2, 4, 3), x=(2, 4), w=(10, 3), dtypes={"x": "int64"}),
        bad("F.embedding(x, w)", "SC206", x=(2, 4), w=(10,), dtypes={"x": "int64"}),
        bad("F.embedding(x, w)", "SC207", x=(2, 4), w=(10, 3)),
    ],
)
def embedding_functional(
    ctx: Any,
    input: TensorValue,
    weight: TensorValue,
    padding_idx: Any = None,
    max_norm: Any = None,
    norm_type: float = 2.0,
    scale_grad_by_freq: bool = False,
    sparse: bool = False,
) -> TensorValue:
    if _bad_weight(ctx, weight):
        return TensorValue((*input.shape, sym.UNKNOWN), weight.dtype)
    _indices(ctx, input)
    return TensorValue((*input.shape, weight.shape[1]), weight.dtype)


@shape_rule(
    "torch.embedding",
    examples=[
        ok("torch.embedding(w, x)", (2, 4, 3), x=(2, 4), w=(10, 3), dtypes={"x": "int64"}),
        bad("torch.embedding(w, x)", "SC207", x=(2, 4), w=(10, 3)),
    ],
)
def embedding_aten(
    ctx: Any,
    weight: TensorValue,
    indices: TensorValue,
    padding_idx: Any = -1,
    scale_grad_by_freq: bool = False,
    sparse: bool = False,
) -> TensorValue:
    """torch.embedding: the aten op behind F.embedding, weight first."""
    return embedding_functional(ctx, indices, weight)


def _bag(
    ctx: Any,
    input: TensorValue,
    offsets: Any,
    per_sample_weights: Any,
    mode: str,
    include_last_offset: bool,
    dim: Any,
    dtype: str,
) -> TensorValue:
    """torch.nn.functional.embedding_bag's checks, in its order."""
    unknown = TensorValue((sym.UNKNOWN, dim), dtype)
    if isinstance(offsets, TensorValue) and offsets.dtype != input.dtype:
        # aten promotes indices and offsets to their common type, which must be int64/int32
        if not any(d in INDEX_DTYPES for d in (input.dtype, offsets.dtype)) or any(
            not d.startswith(("int", "uint", "bool")) for d in (input.dtype, offsets.dtype)
        ):
            ctx.report(
                "SC207",
                f"{ctx.layer}: input ({input.dtype}) and offsets ({offsets.dtype}) must be "
                "integer indices, int64 or int32 once promoted",
            )
    else:
        _indices(ctx, input)
        _indices(ctx, offsets, "offsets")
    if input.ndim == 2:
        if offsets is not None:
            ctx.report(
                "SC206",
                f"{ctx.layer}: a 2-D input is a batch of fixed-length bags, so offsets must be "
                "None",
            )
            return unknown
        bags = input.shape[0]
    elif input.ndim == 1:
        if not isinstance(offsets, TensorValue) or offsets.ndim != 1:
            ctx.report(
                "SC206", f"{ctx.layer}: a 1-D input needs 1-D offsets, got {offsets or None}"
            )
            return unknown
        bags = offsets.shape[0] - 1 if include_last_offset else offsets.shape[0]
    else:
        ctx.report("SC206", f"{ctx.layer} expects a 1-D or 2-D input, got {input.ndim}-D {input}")
        return unknown
    if isinstance(per_sample_weights, TensorValue):
        same = per_sample_weights.ndim == input.ndim and all(
            ctx.decide(sym.eq(a, b)) is not False
            for a, b in zip(per_sample_weights.shape, input.shape)
        )
        if not same:
            ctx.report(
                "SC206",
                f"{ctx.layer}: per_sample_weights {per_sample_weights} must have the input's "
                f"shape {input}",
            )
        elif mode != "sum":
            ctx.report(
                "SC206", f"{ctx.layer}: per_sample_weights needs mode='sum', got mode={mode!r}"
            )
    return TensorValue((bags, dim), dtype)


@shape_rule(
    "EmbeddingBag",
    examples=[
        ok("nn.EmbeddingBag(10, 3)(x)", (2, 3), x=(2, 4), dtypes={"x": "int64"}),
        ok(
            "nn.EmbeddingBag(10, 3)(x, torch.tensor([0, 2]))",
            (2, 3),
            x=(4,),
            dtypes={"x": "int64"},
        ),
        ok(
            "nn.EmbeddingBag(10, 3, include_last_offset=True)(x, torch.tensor([0, 2, 4]))",
            (2, 3),
            x=(4,),
            dtypes={"x": "int64"},
        ),
        ok(
            "nn.EmbeddingBag(10, 3, mode='sum')(x, per_sample_weights=w)",
            (2, 3),
            x=(2, 4),
            w=(2, 4),
            dtypes={"x": "int64"},
        ),
        bad("nn.EmbeddingBag(10, 3)(x)", "SC206", x=(4,), dtypes={"x": "int64"}),
        bad("nn.EmbeddingBag(10, 3)(x)", "SC206", x=(2, 4, 1), dtypes={"x": "int64"}),
        bad(
            "nn.EmbeddingBag(10, 3)(x, o)",
            "SC206",
            x=(2, 4),
            o=(2,),
            dtypes={"x": "int64", "o": "int64"},
        ),
        bad("nn.EmbeddingBag(10, 3)(x)", "SC207", x=(2, 4)),
    ],
)
def embedding_bag(
    ctx: Any,
    input: TensorValue,
    offsets: Any = None,
    per_sample_weights: Any = None,
    *,
    num_embeddings: Any,
    embedding_dim: Any,
    max_norm: Any = None,
    norm_type: float = 2.0,
    scale_grad_by_freq: bool = False,
    mode: str = "mean",
    sparse: bool = False,
    _weight: Any = None,
    include_last_offset: bool = False,
    padding_idx: Any = None,
    device: Any = None,
    dtype: Any = None,
) -> TensorValue:
    bag = (offsets, per_sample_weights, mode, include_last_offset)
    return _bag(ctx, input, *bag, embedding_dim, _weight_dtype(dtype))


@shape_rule(
    "F.embedding_bag",
    examples=[
        ok("F.embedding_bag(x, w)", (2, 3), x=(2, 4), w=(10, 3), dtypes={"x": "int64"}),
        bad("F.embedding_bag(x, w)", "SC206", x=(2, 4), w=(10,), dtypes={"x": "int64"}),
    ],
)
def embedding_bag_functional(
    ctx: Any,
    input: TensorValue,
    weight: TensorValue,
    offsets: Any = None,
    max_norm: Any = None,
    norm_type: float = 2,
    scale_grad_by_freq: bool = False,
    mode: str = "mean",
    sparse: bool = False,
    per_sample_weights: Any = None,
    include_last_offset: bool = False,
    padding_idx: Any = None,
) -> TensorValue:
    if _bad_weight(ctx, weight):
        return TensorValue((sym.UNKNOWN, sym.UNKNOWN), weight.dtype)
    bag = (offsets, per_sample_weights, mode, include_last_offset)
    return _bag(ctx, input, *bag, weight.shape[1], weight.dtype)


@shape_rule(
    "F.one_hot",
    examples=[
        ok("F.one_hot(x, 5)", (2, 4, 5), x=(2, 4), dtypes={"x": "int64"}),
        ok("F.one_hot(x, num_classes=3)", (3,), x=(), dtypes={"x": "int64"}),
        bad("F.one_hot(x, 5)", "SC207", x=(2, 4), dtypes={"x": "int32"}),
    ],
)
def one_hot(ctx: Any, tensor: TensorValue, num_classes: Any = -1) -> TensorValue:
    # "one_hot is only applicable to index tensor of type LongTensor"
    if tensor.dtype != "int64":
        ctx.report(
            "SC207", f"{ctx.layer}: the input must hold int64 class indices, got {tensor.dtype}"
        )
    if isinstance(num_classes, int) and num_classes == -1:
        # the class count is the input's largest value + 1: known only from the data
        ctx.report(
            "SC905",
            f"{ctx.layer} with num_classes=-1 takes its size from the data (max + 1); pass "
            "num_classes to check what follows",
        )
        num_classes = sym.UNKNOWN
    return TensorValue((*tensor.shape, num_classes), "int64")
