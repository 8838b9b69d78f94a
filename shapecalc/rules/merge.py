"""Joining and splitting tensors: cat/concat/concatenate, stack, hstack/vstack/dstack/
column_stack, chunk, split, tensor_split, unbind, broadcast_tensors.

Semantics follow ATen (aten/src/ATen/native/TensorShape.cpp): cat needs equal ranks and
equal sizes outside the cat dim, and skips 1-D tensors of shape (0,) (the legacy empty
tensor); stack needs equal shapes; chunk uses pieces of ceil(size/chunks), so it may return
fewer pieces than asked; split's sizes must add up to the dim. A split whose number of
pieces depends on a symbolic size cannot be modelled: it reports SC905 and is opaque.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from .. import symbolic as sym
from ..symbolic import UNKNOWN, Dim
from ..values import OPAQUE, TensorValue, format_shape
from . import bad, ok, shape_rule
from .elementwise import broadcast_shapes, result_dtype, simplest, tensor_inputs
from .reduce import wrap_dim


def _tensor_list(ctx: Any, tensors: Any) -> list[TensorValue] | None:
    """The tensors of a cat/stack argument (a list or tuple of tensors)."""
    if not isinstance(tensors, (tuple, list)) or not all(
        isinstance(t, TensorValue) for t in tensors
    ):
        return None
    if not tensors:
        ctx.report("SC306", f"{ctx.layer} needs at least one tensor")
        return None
    return list(tensors)


def _match(
    ctx: Any, x: Dim, y: Dim, code: str, message: Callable[[], str], quiet: bool
) -> tuple[Dim, bool]:
    """(the size, failed) for two sizes that must be equal: a mismatch is reported unless
    ``quiet`` and gives an opaque size; an undecided pair is a constraint."""
    if x is UNKNOWN or y is UNKNOWN:
        return (y if x is UNKNOWN else x), False
    if isinstance(x, int) and isinstance(y, int):
        equal: bool | None = x == y
    else:
        equal = ctx.decide(sym.eq(x, y))
    if equal is False:
        if not quiet:
            ctx.report(code, message())
        return UNKNOWN, True
    if equal is None and not quiet:
        ctx.check(sym.eq(x, y), code, message())
    return simplest(x, y), False


def _match_shapes(
    ctx: Any, shape: list[Dim], other: tuple[Dim, ...], skip: int | None, code: str, message: Any
) -> None:
    """Match ``other`` into ``shape`` dim by dim (except ``skip``), reporting once."""
    failed = False
    for j, size in enumerate(other):
        if j == skip:
            continue
        shape[j], bad_dim = _match(
            ctx, shape[j], size, code, lambda j=j, a=shape[j], b=size: message(j, a, b), failed
        )
        failed = failed or bad_dim


def _skipped(t: TensorValue) -> bool:
    """ATen's cat_should_skip_tensor: a 1-D tensor with no elements, shape (0,)."""
    return t.ndim == 1 and isinstance(t.shape[0], int) and t.shape[0] == 0


def cat_core(ctx: Any, tensors: list[TensorValue], dim: Any) -> TensorValue:
    """torch.cat over a non-empty list of tensors."""
    dtype = result_dtype(tensors)
    const = all(t.const for t in tensors)
    for i, t in enumerate(tensors):
        if t.ndim == 0:
            ctx.report("SC302", f"{ctx.layer}: tensor {i} is 0-dimensional and cannot be joined")
            return TensorValue((UNKNOWN,), dtype, const)
    kept = [(i, t) for i, t in enumerate(tensors) if not _skipped(t)]
    if not kept:
        return TensorValue((0,), dtype, const)
    ref = kept[0][1]
    d = wrap_dim(ctx, dim, ref.ndim)
    if d is None:
        return TensorValue((UNKNOWN,) * ref.ndim, dtype, const)
    same_rank = []
    for i, t in kept:
        if t.ndim != ref.ndim:
            ctx.report(
                "SC302",
                f"{ctx.layer}: tensors must have the same number of dimensions: tensor "
                f"{kept[0][0]} is {format_shape(ref.shape)}, tensor {i} is {format_shape(t.shape)}",
            )
        else:
            same_rank.append((i, t))
    shape: list[Dim] = list(ref.shape)
    shapes = ", ".join(format_shape(t.shape) for _, t in kept)
    for i, t in same_rank[1:]:

        def message(j: int, want: Dim, got: Dim, i: int = i) -> str:
            return (
                f"{ctx.layer} needs equal sizes outside dimension {d}: tensor {i} has {got} at "
                f"dimension {j}, not {want} ({shapes})"
            )

        _match_shapes(ctx, shape, t.shape, d, "SC302", message)
    total: Dim = 0
    for _, t in same_rank:
        total = total + t.shape[d]
    shape[d] = total if len(same_rank) == len(kept) else UNKNOWN
    return TensorValue(tuple(shape), dtype, const)


@shape_rule(
    "torch.cat",
    "torch.concat",
    "torch.concatenate",
    examples=[
        ok("torch.cat([x, y], dim=1)", (4, 23, 8, 8), x=(4, 3, 8, 8), y=(4, 20, 8, 8)),
        ok("torch.cat((x, y, x))", (5, 2), x=(1, 2), y=(3, 2)),
        ok("torch.concat([x, y], -1)", (2, 7), x=(2, 3), y=(2, 4)),
        ok("torch.concatenate([x, y], axis=1)", (2, 7), x=(2, 3), y=(2, 4)),
        ok("torch.cat([e, x], 1)", (2, 3), e=(0,), x=(2, 3)),
        ok("torch.cat([e, e], 5)", (0,), e=(0,)),
        bad("torch.cat([x, y], dim=1)", "SC302", x=(1, 2, 4, 4), y=(1, 2, 5, 4)),
        bad("torch.cat([x, y])", "SC302", x=(2, 3), y=(2,)),
        bad("torch.cat([x, y])", "SC302", x=(3,), y=()),
        bad("torch.cat([x, y], 2)", "SC404", x=(2, 3), y=(2, 3)),
        bad("torch.cat([])", "SC306"),
    ],
)
def cat(ctx: Any, tensors: Any, dim: Any = 0, *, axis: Any = None, out: Any = None) -> Any:
    """torch.cat(tensors, dim=0); torch.concatenate names it axis."""
    found = _tensor_list(ctx, tensors)
    if found is None:
        return OPAQUE
    return cat_core(ctx, found, dim if axis is None else axis)


@shape_rule(
    "torch.stack",
    examples=[
        ok("torch.stack([x, y])", (2, 2, 3), x=(2, 3), y=(2, 3)),
        ok("torch.stack((x, x, x), dim=-1)", (2, 3, 3), x=(2, 3)),
        ok("torch.stack([x, x])", (2,), x=()),
        bad("torch.stack([x, y])", "SC303", x=(2, 3), y=(2, 4)),
        bad("torch.stack([x, y], 1)", "SC303", x=(2, 3), y=(3,)),
        bad("torch.stack([x, x], 3)", "SC404", x=(2, 3)),
        bad("torch.stack([])", "SC306"),
    ],
)
def stack(ctx: Any, tensors: Any, dim: Any = 0, *, out: Any = None) -> Any:
    """torch.stack: every shape equal; the new dim may be anywhere in [-(n+1), n]."""
    found = _tensor_list(ctx, tensors)
    if found is None:
        return OPAQUE
    ref = found[0]
    dtype = result_dtype(found)
    const = all(t.const for t in found)
    d = wrap_dim(ctx, dim, ref.ndim + 1)
    shape: list[Dim] = list(ref.shape)
    for i, t in enumerate(found[1:], start=1):

        def message(*_: Any, i: int = i, t: TensorValue = t) -> str:
            return (
                f"{ctx.layer} needs equal shapes: tensor 0 is {format_shape(ref.shape)}, "
                f"tensor {i} is {format_shape(t.shape)}"
            )

        if t.ndim != ref.ndim:
            ctx.report("SC303", message())
            shape = [UNKNOWN] * ref.ndim
            continue
        _match_shapes(ctx, shape, t.shape, None, "SC303", message)
    if d is None:
        return TensorValue((UNKNOWN,) * (ref.ndim + 1), dtype, const)
    shape.insert(d, len(found))
    return TensorValue(tuple(shape), dtype, const)


def _atleast(t: TensorValue, n: int) -> TensorValue:
    """torch.atleast_1d/2d/3d: (n,) -> (1, n) -> (1, n, 1); (m, n) -> (m, n, 1)."""
    shape = t.shape
    if n >= 1 and len(shape) == 0:
        shape = (1,)
    if n >= 2 and len(shape) == 1:
        shape = (1, *shape)
    if n >= 3 and len(shape) == 2:
        shape = (*shape, 1)
    return t.with_shape(shape)


@shape_rule(
    "torch.hstack",
    "torch.vstack",
    "torch.row_stack",
    "torch.dstack",
    "torch.column_stack",
    examples=[
        ok("torch.hstack([x, y])", (7,), x=(3,), y=(4,)),
        ok("torch.hstack([x, y])", (2, 7), x=(2, 3), y=(2, 4)),
        ok("torch.vstack([x, y])", (3, 3), x=(3,), y=(2, 3)),
        ok("torch.dstack([x, x])", (1, 3, 2), x=(3,)),
        ok("torch.column_stack([x, y])", (3, 3), x=(3,), y=(3, 2)),
        ok("torch.row_stack((x, x))", (2, 3), x=(3,)),
        bad("torch.hstack([x, y])", "SC302", x=(3,), y=(2, 4)),
        bad("torch.vstack([x, y])", "SC302", x=(3,), y=(2, 4)),
        bad("torch.dstack([x, y])", "SC302", x=(2, 3, 4), y=(2, 4, 1)),
        bad("torch.column_stack([x, y])", "SC302", x=(3,), y=(4, 2)),
    ],
)
def hstack(ctx: Any, tensors: Any, *, out: Any = None) -> Any:
    """hstack: atleast_1d, then cat along 0 for 1-D inputs, else 1; vstack/row_stack:
    atleast_2d, cat along 0; dstack: atleast_3d, cat along 2; column_stack: 0-d and 1-D
    inputs become columns (n, 1), then cat along 1 (torch/_refs/__init__.py)."""
    found = _tensor_list(ctx, tensors)
    if found is None:
        return OPAQUE
    name = ctx.op.rsplit(".", 1)[-1]
    if name == "hstack":
        found = [_atleast(t, 1) for t in found]
        return cat_core(ctx, found, 0 if found[0].ndim == 1 else 1)
    if name in ("vstack", "row_stack"):
        return cat_core(ctx, [_atleast(t, 2) for t in found], 0)
    if name == "dstack":
        return cat_core(ctx, [_atleast(t, 3) for t in found], 2)
    columns = [t.with_shape((t.shape[0] if t.ndim else 1, 1)) if t.ndim <= 1 else t for t in found]
    return cat_core(ctx, columns, 1)


# ------------------------------------------------------------------------------- splitting


def _split_dim(ctx: Any, x: TensorValue, dim: Any) -> int | None:
    if x.ndim == 0:
        ctx.report("SC206", f"{ctx.layer} needs at least a 1-dimensional tensor, got a 0-d one")
        return None
    return wrap_dim(ctx, dim, x.ndim)


def _pieces(x: TensorValue, d: int, sizes: Sequence[Dim]) -> tuple[TensorValue, ...]:
    return tuple(x.with_shape((*x.shape[:d], s, *x.shape[d + 1 :])) for s in sizes)


def _equal_pieces(ctx: Any, size: Dim, piece: Dim) -> list[Dim] | None:
    """split(piece) of a dim of ``size``: ceil(size/piece) pieces (at least one), the last one
    shorter (ATen's split); None when the count depends on a symbolic size."""
    if isinstance(size, int) and isinstance(piece, int):
        count = max(-(-size // piece), 1)
        return [piece] * (count - 1) + [size - piece * (count - 1)]
    if ctx.decide(sym.le(size, piece)) is True:
        return [size]
    count = sym.exact_div(size, piece)
    if isinstance(count, int) and count > 0:
        return [piece] * count
    return None


@shape_rule(
    "torch.chunk",
    "Tensor.chunk",
    examples=[
        ok("x.chunk(2, dim=1)", [(2, 3, 4)] * 2, x=(2, 6, 4)),
        ok("torch.chunk(x, 4)", [(2,), (2,), (1,)], x=(5,)),
        ok("x.chunk(3)", [(0,)] * 3, x=(0,)),
        ok("x.chunk(10, 1)", [(2, 1)] * 5, x=(2, 5)),
        bad("x.chunk(0)", "SC405", x=(5,)),
        bad("x.chunk(2)", "SC206", x=()),
        bad("x.chunk(2, 2)", "SC404", x=(2, 5)),
    ],
)
@tensor_inputs(1)
def chunk(ctx: Any, input: TensorValue, chunks: Any, dim: Any = 0) -> Any:
    """torch.chunk: pieces of ceil(size/chunks), so possibly fewer than chunks; a dim of size
    0 gives chunks empty pieces."""
    d = _split_dim(ctx, input, dim)
    if d is None:
        return OPAQUE
    if chunks is UNKNOWN or input.shape[d] is UNKNOWN:
        return OPAQUE  # opaque after an earlier finding: stay silent
    chunks = ctx.concrete(chunks, "number of chunks")
    if chunks is None:
        return OPAQUE
    if not isinstance(chunks, int) or chunks <= 0:
        ctx.report("SC405", f"{ctx.layer}: chunks must be a positive integer, got {chunks!r}")
        return OPAQUE
    size = input.shape[d]
    if isinstance(size, int) and size == 0:
        return _pieces(input, d, [0] * chunks)
    if chunks == 1:
        return (input,)
    piece = (size + chunks - 1) // chunks
    if isinstance(size, int):
        sizes = _equal_pieces(ctx, size, piece)
    else:  # chunks pieces exactly when the last one is not empty
        last = size - (chunks - 1) * piece
        sizes = [piece] * (chunks - 1) + [last] if ctx.decide(sym.ge(last, 1)) else None
    if sizes is None:
        ctx.concrete(size, f"size at dimension {d} to count chunk's pieces")
        return OPAQUE
    return _pieces(input, d, sizes)


def split_core(ctx: Any, x: TensorValue, split: Any, dim: Any) -> Any:
    d = _split_dim(ctx, x, dim)
    if d is None:
        return OPAQUE
    size = x.shape[d]
    if isinstance(split, (tuple, list)):
        return _split_sizes(ctx, x, d, list(split))
    if split is UNKNOWN or size is UNKNOWN:
        return OPAQUE  # opaque after an earlier finding: stay silent
    if isinstance(split, bool) or (isinstance(split, int) and split < 0):
        ctx.report("SC405", f"{ctx.layer}: split_size must not be negative, got {split!r}")
        return OPAQUE
    if isinstance(split, int) and split == 0:
        ctx.check(
            sym.eq(size, 0),
            "SC405",
            f"{ctx.layer}: split_size can only be 0 if the dimension is empty, got size {size}",
        )
        return _pieces(x, d, [size])
    if isinstance(size, int) and size == 0:
        return _pieces(x, d, [0])
    sizes = _equal_pieces(ctx, size, split)
    if sizes is None:
        ctx.concrete(size if sym.is_symbolic(size) else split, f"size to count {ctx.op}'s pieces")
        return OPAQUE
    return _pieces(x, d, sizes)


def _split_sizes(ctx: Any, x: TensorValue, d: int, sizes: list[Any]) -> Any:
    """split_with_sizes: non-negative sizes that add up to the dim."""
    if any(isinstance(s, int) and s < 0 for s in sizes):
        ctx.report("SC405", f"{ctx.layer}: split sizes must not be negative, got {sizes}")
        return OPAQUE
    total: Dim = 0
    for s in sizes:
        total = total + s
    ctx.check(
        sym.eq(total, x.shape[d]),
        "SC405",
        f"{ctx.layer}: split sizes {sizes} add up to {total}, not to the size {x.shape[d]} of "
        f"dimension {d}",
    )
    return _pieces(x, d, sizes)


@shape_rule(
    "torch.split",
    examples=[
        ok("torch.split(x, 2)", [(2,), (2,), (1,)], x=(5,)),
        ok("torch.split(x, [1, 4], dim=1)", [(2, 1), (2, 4)], x=(2, 5)),
        ok("torch.split(x, 7)", [(5,)], x=(5,)),
        ok("torch.split(x, 0)", [(0,)], x=(0,)),
        bad("torch.split(x, [2, 2])", "SC405", x=(5,)),
        bad("torch.split(x, 0)", "SC405", x=(5,)),
        bad("torch.split(x, 2, 1)", "SC404", x=(5,)),
    ],
)
@tensor_inputs(1)
def split(ctx: Any, tensor: TensorValue, split_size_or_sections: Any, dim: Any = 0) -> Any:
    """torch.split (torch/functional.py): an int size or a list of sizes."""
    return split_core(ctx, tensor, split_size_or_sections, dim)


@shape_rule(
    "Tensor.split",
    examples=[
        ok("x.split(2)", [(2,), (2,), (1,)], x=(5,)),
        ok("x.split((2, 3))", [(2,), (3,)], x=(5,)),
        ok("x.split([5, 0])", [(5,), (0,)], x=(5,)),
        bad("x.split([2, -1, 4])", "SC405", x=(5,)),
        bad("x.split(-1)", "SC405", x=(5,)),
    ],
)
@tensor_inputs(1)
def tensor_split_method(ctx: Any, self: TensorValue, split_size: Any, dim: Any = 0) -> Any:
    """Tensor.split(split_size, dim=0) (torch/_tensor.py): an int or a list of sizes."""
    return split_core(ctx, self, split_size, dim)


@shape_rule(
    "torch.split_with_sizes",
    "Tensor.split_with_sizes",
    examples=[
        ok("x.split_with_sizes([1, 2], 1)", [(2, 1), (2, 2)], x=(2, 3)),
        bad("x.split_with_sizes([1, 1])", "SC405", x=(3,)),
    ],
)
@tensor_inputs(1)
def split_with_sizes(ctx: Any, input: TensorValue, split_sizes: Any, dim: Any = 0) -> Any:
    d = _split_dim(ctx, input, dim)
    if d is None:
        return OPAQUE
    return _split_sizes(ctx, input, d, list(split_sizes))


def _slice_length(start: Dim, end: Dim | None, size: Dim) -> Dim:
    """len(range(size)[start:end]) for integer start/end (either may be negative)."""
    lo = _clamp_index(start, size)
    hi = size if end is None else _clamp_index(end, size)
    return sym.maximum(hi - lo, 0)


def _clamp_index(i: Any, size: Dim) -> Dim:
    if isinstance(i, int) and i < 0:
        return sym.maximum(size + i, 0)
    return sym.minimum(i, size)


@shape_rule(
    "torch.tensor_split",
    "Tensor.tensor_split",
    examples=[
        ok("torch.tensor_split(x, 3)", [(3,), (2,), (2,)], x=(7,)),
        ok("x.tensor_split([2, 5])", [(2,), (3,), (2,)], x=(7,)),
        ok("torch.tensor_split(x, [5, 2])", [(5,), (0,), (5,)], x=(7,)),
        ok("torch.tensor_split(x, (-2, 9))", [(5,), (2,), (0,)], x=(7,)),
        ok("torch.tensor_split(x, sections=3)", [(3,), (2,), (2,)], x=(7,)),
        ok("torch.tensor_split(x, 4, dim=1)", [(2, 1)] * 2 + [(2, 0)] * 2, x=(2, 2)),
        bad("torch.tensor_split(x, 0)", "SC405", x=(7,)),
        bad("torch.tensor_split(x, 2)", "SC206", x=()),
    ],
)
@tensor_inputs(1)
def tensor_split(
    ctx: Any,
    input: TensorValue,
    indices_or_sections: Any = None,
    dim: Any = 0,
    *,
    sections: Any = None,
    indices: Any = None,
) -> Any:
    """torch.tensor_split: n sections (the first size % n get one more element: piece i has
    (size + n - 1 - i) // n), or cut at indices like slicing."""
    d = _split_dim(ctx, input, dim)
    if d is None:
        return OPAQUE
    arg = next(a for a in (indices_or_sections, sections, indices, 1) if a is not None)
    size = input.shape[d]
    if isinstance(arg, TensorValue):
        if arg.ndim == 1 and isinstance(arg.shape[0], int):  # index values are data
            return _pieces(input, d, [UNKNOWN] * (arg.shape[0] + 1))
        ctx.concrete(UNKNOWN, "number of sections")
        return OPAQUE
    if isinstance(arg, (tuple, list)):
        cuts = [0, *arg]
        lengths = [_slice_length(a, b, size) for a, b in zip(cuts, [*arg, None])]
        return _pieces(input, d, lengths)
    n = ctx.concrete(arg, "number of sections")
    if n is None:
        return OPAQUE
    if not isinstance(n, int) or n <= 0:
        ctx.report("SC405", f"{ctx.layer}: the number of sections must be positive, got {n!r}")
        return OPAQUE
    return _pieces(input, d, [(size + n - 1 - i) // n for i in range(n)])


@shape_rule(
    "torch.unbind",
    "Tensor.unbind",
    examples=[
        ok("x.unbind()", [(3,), (3,)], x=(2, 3)),
        ok("torch.unbind(x, 1)", [(2,)] * 3, x=(2, 3)),
        bad("x.unbind()", "SC404", x=()),
        bad("x.unbind(2)", "SC404", x=(2, 3)),
    ],
)
@tensor_inputs(1)
def unbind(ctx: Any, input: TensorValue, dim: Any = 0) -> Any:
    """torch.unbind: one tensor per index of dim, without that dim."""
    if input.ndim == 0:
        ctx.report("SC404", f"{ctx.layer}: dim={dim} is out of range for a 0-d tensor")
        return OPAQUE
    d = wrap_dim(ctx, dim, input.ndim)
    if d is None:
        return OPAQUE
    if input.shape[d] is UNKNOWN:
        return OPAQUE
    count = ctx.concrete(input.shape[d], f"size at dimension {d} to unbind")
    if count is None:
        return OPAQUE
    piece = input.with_shape(input.shape[:d] + input.shape[d + 1 :])
    return (piece,) * count


@shape_rule(
    "torch.broadcast_tensors",
    examples=[
        ok("torch.broadcast_tensors(x, y)", [(2, 3), (2, 3)], x=(3,), y=(2, 1)),
        ok("torch.broadcast_tensors(x)", [(3,)], x=(3,)),
        bad("torch.broadcast_tensors(x, y)", "SC301", x=(3,), y=(2, 2)),
    ],
)
def broadcast_tensors(ctx: Any, *tensors: Any) -> Any:
    if not all(isinstance(t, TensorValue) for t in tensors):
        return OPAQUE
    shape = broadcast_shapes(ctx, [t.shape for t in tensors])
    return tuple(t.with_shape(shape) for t in tensors)


@shape_rule("torch.broadcast_shapes")
def broadcast_shapes_rule(ctx: Any, *shapes: Any) -> Any:
    """torch.broadcast_shapes(*shapes): shapes are ints or sequences of sizes; the result is
    a tuple of sizes."""
    as_tuples = [tuple(s) if isinstance(s, (tuple, list)) else (s,) for s in shapes]
    return broadcast_shapes(ctx, as_tuples)
