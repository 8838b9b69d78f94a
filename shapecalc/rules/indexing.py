"""Indexing: ``x[...]`` (operator.getitem) on tensors, on size tuples and on lists of tensors;
Tensor.select, index_select, gather and take_along_dim.

Tensor indexing follows torch's own two steps (torch/csrc/autograd/python_variable_indexing.cpp
and ATen/TensorIndexing.h, applySlicing; then at::index):

1. Walk the index left to right with a dim pointer: an int selects (the dim disappears, the
   pointer stays), a slice slices (pointer + 1), None inserts a dim of 1, Ellipsis skips
   ``ndim - specified`` dims, a Python bool inserts a dim of 1 indexed by a 1-element (True)
   or empty (False) index. An index tensor (or a list, turned into one) is recorded at the
   pointer; a boolean mask spans as many dims as it has. A 0-d integer tensor acts as an int.
2. The recorded index tensors broadcast together; a mask stands for its nonzero positions, a
   count shapecalc cannot know (an opaque dim). If the indexed dims are adjacent the broadcast
   shape replaces them in place, otherwise it goes first.

A list at the top is read as a tuple of indices when it holds a sequence, slice, tensor, None
or Ellipsis (NumPy's legacy heuristic, kept by torch: treatSequenceAsTuple).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from .. import symbolic as sym
from ..arith import align_right, numel
from ..symbolic import UNKNOWN, Dim
from ..values import OPAQUE, TensorValue, format_shape
from . import bad, ok, shape_rule
from .sizes import dim_arg, is_integral, is_size

_INDEX_DTYPES = ("int64", "int32")
_MASK_DTYPES = ("bool", "uint8")


@dataclass(frozen=True)
class _Tensor:
    """An index tensor as the walk records it."""

    shape: tuple[Dim, ...]
    dtype: str
    values: tuple[Dim, ...] = ()  # a literal list's integers, checked against the dim size
    count: Dim = UNKNOWN  # a mask's number of True entries, known for a literal list

    @property
    def mask(self) -> bool:
        return self.dtype in _MASK_DTYPES


@dataclass(frozen=True)
class _MaskPart:
    """Dim ``j`` of a boolean mask: it must match the dim it covers; it indexes with the
    mask's nonzero count."""

    mask: _Tensor
    j: int


# ----------------------------------------------------------------------- reading an index


def _as_items(index: Any) -> tuple:
    """The index as a tuple of items (torch's wrapTuple and treatSequenceAsTuple)."""
    if isinstance(index, tuple):
        return index
    if isinstance(index, list) and len(index) < 32:
        if any(
            isinstance(v, (TensorValue, tuple, list, slice)) or v is None or v is Ellipsis
            for v in index
        ):
            return tuple(index)
    return (index,)


def _literal_index(ctx: Any, data: list | tuple) -> _Tensor | None:
    """A nested list of ints or bools as an index tensor (indexing_tensor_from_data: bool
    when every entry is a bool, else int64)."""
    flat: list[Any] = []

    def shape_of(v: Any) -> tuple | None:
        if isinstance(v, (list, tuple)):
            if not v:
                return (0,)
            shapes = [shape_of(e) for e in v]
            if any(s is None or s != shapes[0] for s in shapes):
                return None
            return (len(v), *shapes[0])  # type: ignore[misc]
        flat.append(v)
        return ()

    shape = shape_of(data)
    if shape is None or not all(is_size(v) or isinstance(v, float) for v in flat):
        ctx.report(
            "SC410", f"{ctx.layer}: the list index {data!r} is not a rectangular list of ints"
        )
        return None
    if flat and all(isinstance(v, bool) for v in flat):
        return _Tensor(shape, "bool", count=sum(flat))
    values = tuple(int(v) if isinstance(v, (bool, float)) else v for v in flat)
    return _Tensor(shape, "int64", values)


def _slice_bound(ctx: Any, value: Any) -> tuple[bool, Any]:
    """(valid, bound): None, an int, a symbolic size, or a 0-d integer tensor (unknown)."""
    if value is None or is_size(value):
        return True, value
    if isinstance(value, TensorValue) and value.ndim == 0 and is_integral(value.dtype):
        return True, UNKNOWN
    ctx.report("SC410", f"{ctx.layer}: slice bounds must be integers or None, got {value!r}")
    return False, None


def _read(ctx: Any, item: Any) -> tuple | None:
    """One index item as ("int", i) / ("slice", s) / ("none",) / ("ellipsis",) /
    ("bool", value or None) / ("tensor", _Tensor); None after reporting SC410."""
    if item is None:
        return ("none",)
    if item is Ellipsis:
        return ("ellipsis",)
    if isinstance(item, bool):
        return ("bool", item)
    if is_size(item):
        return ("int", item)
    if isinstance(item, slice):
        parts = [_slice_bound(ctx, p) for p in (item.start, item.stop, item.step)]
        if not all(good for good, _ in parts):
            return None
        return ("slice", tuple(p for _, p in parts))
    if isinstance(item, TensorValue):
        if item.ndim == 0 and is_integral(item.dtype):
            # a 0-d integer tensor is an int; a 0-d bool/uint8 one is a bool (value unknown)
            return ("bool", None) if item.dtype in _MASK_DTYPES else ("int", UNKNOWN)
        return ("tensor", _Tensor(tuple(item.shape), item.dtype))
    if isinstance(item, (list, tuple)):
        tensor = _literal_index(ctx, item)
        return None if tensor is None else ("tensor", tensor)
    ctx.report(
        "SC410",
        f"{ctx.layer}: only integers, slices, Ellipsis, None, bools, lists and integer or "
        f"bool tensors are valid indices, got {item!r}",
    )
    return None


def _specified(item: Any) -> int:
    """Dims an index item consumes (count_specified_dimensions): a mask tensor its rank, a
    list one (it is not a tensor yet), None, Ellipsis and bools none."""
    if isinstance(item, TensorValue):
        return item.ndim if item.dtype in _MASK_DTYPES else 1
    if item is None or item is Ellipsis or isinstance(item, bool):
        return 0
    return 1


# ------------------------------------------------------------------------- slice lengths


def _pick(ctx: Any, fn: str, a: Dim, b: Dim) -> Dim:
    """min / max of two sizes, decided under what is known when possible."""
    first_le = ctx.decide(sym.le(a, b))
    if first_le is not None:
        return (a if first_le else b) if fn == "min" else (b if first_le else a)
    return sym.minimum(a, b) if fn == "min" else sym.maximum(a, b)


def _clamp_bound(ctx: Any, value: Any, size: Dim, default: Dim, upper: bool = True) -> Dim | None:
    """A slice bound as Python and ATen's slice() clamp it into [0, size]: a negative one
    counts from the end. ``upper=False`` leaves a non-negative bound above size as it is (a
    start past the stop gives an empty slice either way, and the formula stays simpler)."""
    if value is None:
        return default
    if value is UNKNOWN or size is UNKNOWN:
        return UNKNOWN
    negative = ctx.decide(sym.lt(value, 0))
    if negative is None:
        return None
    if negative:
        return _pick(ctx, "max", value + size, 0)
    return _pick(ctx, "min", value, size) if upper else value


def slice_length(ctx: Any, size: Dim, start: Any, stop: Any, step: Any) -> Dim:
    """len(range(*slice(start, stop, step).indices(size))) for a positive step, which is what
    torch computes; symbolic sizes give min/max expressions unless decided."""
    if step is None:
        step = 1
    if not isinstance(step, int):
        ctx.concrete(step, "slice step")
        return UNKNOWN
    if step <= 0:
        ctx.report(
            "SC410",
            f"{ctx.layer}: slice step must be greater than zero, got {step} (use flip to reverse)",
        )
        return UNKNOWN
    if all(v is None or isinstance(v, int) for v in (start, stop)) and isinstance(size, int):
        return len(range(*slice(start, stop, step).indices(size)))
    begin = _clamp_bound(ctx, start, size, 0, upper=False)
    end = _clamp_bound(ctx, stop, size, size)
    if begin is None or end is None:
        ctx.concrete((start, stop), "slice bound of unknown sign")
        return UNKNOWN
    span = _pick(ctx, "max", end - begin, 0)
    return span if step == 1 else sym.floordiv(span + step - 1, step)


# ----------------------------------------------------------------------- broadcasting


def broadcast_pair(ctx: Any, a: Dim, b: Dim, code: str, what: str) -> Dim:
    """The broadcast of two sizes; an opaque size (a mask's count) is taken to fit."""
    if a is UNKNOWN or b is UNKNOWN:
        other = b if a is UNKNOWN else a
        return other if ctx.decide(sym.eq(other, 1)) is False else UNKNOWN
    if ctx.decide(sym.eq(a, b)):
        return a
    a_one, b_one = ctx.decide(sym.eq(a, 1)), ctx.decide(sym.eq(b, 1))
    if a_one:
        return b
    if b_one:
        return a
    message = f"{ctx.layer}: {what} of sizes {a} and {b} do not broadcast"
    if a_one is False and b_one is False:
        ctx.check(sym.eq(a, b), code, message)
        return a
    # one of them may be 1: valid iff a == 1, b == 1 or a == b
    ctx.check(sym.eq(sym.mul(sym.mul(a - 1, b - 1), a - b), 0), code, message)
    if a_one is False:
        return a
    if b_one is False:
        return b
    return UNKNOWN


def broadcast_shapes(ctx: Any, shapes: list[tuple[Dim, ...]], code: str, what: str) -> tuple:
    out: tuple[Dim, ...] = ()
    for shape in shapes:
        out = tuple(broadcast_pair(ctx, a, b, code, what) for a, b in align_right(out, shape))
    return out


# ---------------------------------------------------------------------- tensor indexing


def _select(ctx: Any, shape: list, dim: int, index: Any) -> bool:
    if dim >= len(shape):
        ctx.report("SC404", f"{ctx.layer}: an integer index reaches past the last dim")
        return False
    size = shape[dim]
    if index is not UNKNOWN:
        message = f"{ctx.layer}: index {index} is out of bounds for a dim of size {size}"
        ctx.check(sym.ge(index, -size), "SC406", message)
        ctx.check(sym.lt(index, size), "SC406", message)
    del shape[dim]
    return True


def tensor_index(ctx: Any, x: TensorValue, index: Any) -> Any:
    items = _as_items(index)
    specified = sum(_specified(item) for item in items)
    if specified > x.ndim:
        ctx.report("SC404", f"{ctx.layer}: too many indices ({specified}) for a {x.ndim}-D input")
        return OPAQUE
    shape = list(x.shape)
    dim = 0
    slots: dict[int, Any] = {}
    for item in items:
        read = _read(ctx, item)
        if read is None:
            return OPAQUE
        kind = read[0]
        if kind == "int":
            if not _select(ctx, shape, dim, read[1]):
                return OPAQUE
        elif kind == "slice":
            if dim >= len(shape):
                # torch skips a full slice (:) without looking at the dim, which only a
                # second Ellipsis can push past the last one (x[..., ..., :])
                if shape and _is_full(read[1]):
                    dim += 1
                    continue
                ctx.report("SC404", f"{ctx.layer}: a slice reaches past the last dim")
                return OPAQUE
            before = shape[dim]
            shape[dim] = slice_length(ctx, before, *read[1])
            if ctx.decide(sym.eq(shape[dim], 0)) and ctx.decide(sym.eq(before, 0)) is False:
                ctx.report(
                    "SC111",
                    f"{ctx.layer}: slice {_show_slice(item)} of a dim of size {before} is empty",
                )
            dim += 1
        elif kind == "ellipsis":
            dim += x.ndim - specified
        elif kind in ("none", "bool"):
            if dim > len(shape):
                ctx.report("SC404", f"{ctx.layer}: None or a bool reaches past the last dim")
                return OPAQUE
            shape.insert(dim, 1)
            if kind == "bool":  # indexes the new dim with arange(1) (True) or an empty index
                count = UNKNOWN if read[1] is None else int(read[1])
                slots[dim] = _Tensor((count,), "int64")
            dim += 1
        else:
            tensor: _Tensor = read[1]
            if tensor.mask:
                for j in range(len(tensor.shape)):
                    slots[dim + j] = _MaskPart(tensor, j)
                dim += len(tensor.shape)
            else:
                slots[dim] = tensor
                dim += 1
    if not slots:
        return x.with_shape(shape)
    return _advanced(ctx, x, shape, slots)


def _is_full(bounds: tuple) -> bool:
    start, stop, step = bounds
    return start in (None, 0) and stop is None and step in (None, 1)


def _show_slice(item: Any) -> str:
    parts = ["" if p is None else str(p) for p in (item.start, item.stop)]
    text = ":".join(parts)
    return text + (f":{item.step}" if item.step is not None else "")


def _advanced(ctx: Any, x: TensorValue, shape: list, slots: dict[int, Any]) -> Any:
    """at::index on the sliced shape with index tensors at the given dims."""
    positions = sorted(slots)
    if positions[-1] >= len(shape):
        ctx.report("SC404", f"{ctx.layer}: too many indices for a {len(shape)}-D tensor")
        return OPAQUE
    shapes: list[tuple[Dim, ...]] = []
    for pos in positions:
        slot = slots[pos]
        if isinstance(slot, _MaskPart):
            got = slot.mask.shape[slot.j]
            ctx.check(
                sym.eq(got, shape[pos]),
                "SC410",
                f"{ctx.layer}: the shape of the mask {format_shape(slot.mask.shape)} does not "
                f"match the size {shape[pos]} of the dim it indexes (mask dim {slot.j})",
            )
            if slot.j == 0:
                shapes.append((slot.mask.count,))  # it indexes with its nonzero positions
            continue
        if slot.dtype not in _INDEX_DTYPES:
            ctx.report(
                "SC207",
                f"{ctx.layer}: tensors used as indices must be long, int, uint8 or bool, "
                f"got {slot.dtype}",
            )
            return OPAQUE
        shapes.append(slot.shape)
    result = broadcast_shapes(ctx, shapes, "SC410", "index tensors")
    if positions == list(range(positions[0], positions[-1] + 1)):
        out = shape[: positions[0]] + list(result) + shape[positions[-1] + 1 :]
    else:
        out = list(result) + [d for i, d in enumerate(shape) if i not in slots]
    if ctx.decide(sym.gt(numel(out), 0)):  # the kernel checks the values it reads, if any
        for pos in positions:
            _check_values(ctx, slots[pos], shape[pos])
    return x.with_shape(out)


def _check_values(ctx: Any, slot: Any, size: Dim) -> None:
    for v in getattr(slot, "values", ()):
        message = f"{ctx.layer}: index {v} is out of bounds for a dim of size {size}"
        ctx.check(sym.ge(v, -size), "SC406", message)
        ctx.check(sym.lt(v, size), "SC406", message)


# ------------------------------------------------------------ indexing other Python values


def _sequence_index(ctx: Any, seq: tuple | list | str, index: Any) -> Any:
    """Python indexing of a size tuple (x.shape[2:]) or a list of tensors (chunks[0])."""
    if isinstance(index, slice):
        parts = (index.start, index.stop, index.step)
        if any(sym.is_symbolic(p) or p is UNKNOWN for p in parts):
            ctx.concrete(parts, "slice of a sequence")
            return OPAQUE
        if not all(p is None or isinstance(p, int) for p in parts):
            ctx.report("SC410", f"{ctx.layer}: slice bounds must be integers, got {index!r}")
            return OPAQUE
        if index.step == 0:
            ctx.report("SC410", f"{ctx.layer}: slice step cannot be zero")
            return OPAQUE
        return seq[index]
    if isinstance(index, TensorValue) and index.ndim == 0 and is_integral(index.dtype):
        return OPAQUE  # an index known only at run time
    if sym.is_symbolic(index) or index is UNKNOWN:
        ctx.concrete(index, "index into a sequence")
        return OPAQUE
    if not isinstance(index, int):
        ctx.report("SC410", f"{ctx.layer}: sequence indices must be integers, got {index!r}")
        return OPAQUE
    if not -len(seq) <= index < len(seq):
        ctx.report(
            "SC406", f"{ctx.layer}: index {index} is out of range for a sequence of {len(seq)}"
        )
        return OPAQUE
    return seq[index]


@shape_rule(
    "operator.getitem",
    examples=[
        ok("x[:, 1:3]", (4, 2, 5), x=(4, 3, 5)),
        ok("x[0]", (3, 5), x=(4, 3, 5)),
        ok("x[-1, :, ::2]", (3, 3), x=(4, 3, 5)),
        ok("x[..., None]", (4, 3, 1), x=(4, 3)),
        ok("x[None, ..., 0]", (1, 4), x=(4, 3)),
        ok("x[True]", (1, 4, 3), x=(4, 3)),
        ok("x[[0, 2]]", (2, 3), x=(4, 3)),
        ok("x[[[0, 1], [1, 0]]]", (2,), x=(4, 3)),
        ok("x[i, :, i]", (2, 4), x=(3, 4, 5), i=(2,), dtypes={"i": "int64"}),
        ok("x[0, :, i]", (4, 2), x=(3, 4, 5), i=(2,), dtypes={"i": "int64"}),
        ok("x[:, i, i]", (3, 2), x=(3, 4, 5), i=(2,), dtypes={"i": "int64"}),
        ok("x[m].shape[1:]", x=(3, 4, 5), m=(3, 4), dtypes={"m": "bool"}),
        ok("x.shape[2:]", x=(2, 3, 5, 7)),
        ok("x.size()[-1]", x=(2, 3, 5, 7)),
        ok("torch.zeros(x.shape[1:])", (3, 5), x=(2, 3, 5)),
        bad("x[:, 4:]", "SC111", x=(2, 3)),
        bad("x[:, 3]", "SC406", x=(2, 3)),
        bad("x[[0, 5]]", "SC406", x=(4, 3)),
        bad("x[0, 0, 0]", "SC404", x=(2, 3)),
        bad("x[0]", "SC404", x=()),
        bad("x[:, ::0]", "SC410", x=(2, 3)),
        bad("x[m]", "SC410", x=(3, 4), m=(4,), dtypes={"m": "bool"}),
        bad("x[i, j]", "SC410", x=(3, 4), i=(2,), j=(3,), dtypes={"i": "int64", "j": "int64"}),
        bad("x[i]", "SC207", x=(3, 4), i=(2,)),
        bad("x.shape[4]", "SC406", x=(2, 3, 5, 7)),
    ],
)
def getitem(ctx: Any, a: Any, b: Any) -> Any:
    if isinstance(a, TensorValue):
        return tensor_index(ctx, a, b)
    if isinstance(a, (tuple, list, str)):
        return _sequence_index(ctx, a, b)
    if isinstance(a, dict) and b in a:
        return a[b]
    if a is UNKNOWN:  # an opaque value yields an opaque value, silently
        return UNKNOWN
    ctx.report("SC410", f"{ctx.layer}: {type(a).__name__} values cannot be indexed")
    return OPAQUE


# ------------------------------------------------------------ select / gather and kin


@shape_rule(
    "Tensor.select",
    "torch.select",
    examples=[
        ok("x.select(0, 1)", (4,), x=(3, 4)),
        ok("torch.select(x, 1, -1)", (3,), x=(3, 4)),
        bad("x.select(0, 3)", "SC406", x=(3, 4)),
        bad("x.select(2, 0)", "SC404", x=(3, 4)),
        bad("x.select(0, 0)", "SC404", x=()),
    ],
)
def select(ctx: Any, input: TensorValue, dim: Any, index: Any) -> Any:
    d = dim_arg(ctx, dim, input.ndim, scalar=False)
    if d is None:
        return input.with_shape((UNKNOWN,) * max(input.ndim - 1, 0))
    shape = list(input.shape)
    if not is_size(index):
        ctx.report("SC405", f"{ctx.layer}: index must be an integer, got {index!r}")
        return input.with_shape(shape[:d] + shape[d + 1 :])
    _select(ctx, shape, d, index)
    return input.with_shape(shape)


@shape_rule(
    "Tensor.index_select",
    "torch.index_select",
    examples=[
        ok("x.index_select(1, i)", (3, 2), x=(3, 4), i=(2,), dtypes={"i": "int64"}),
        ok("torch.index_select(x, 0, i)", (1, 4), x=(3, 4), i=(), dtypes={"i": "int32"}),
        bad("x.index_select(1, i)", "SC410", x=(3, 4), i=(2, 2), dtypes={"i": "int64"}),
        bad("x.index_select(1, i)", "SC207", x=(3, 4), i=(2,)),
        bad("x.index_select(2, i)", "SC404", x=(3, 4), i=(2,), dtypes={"i": "int64"}),
    ],
)
def index_select(ctx: Any, input: TensorValue, dim: Any, index: TensorValue) -> Any:
    """The dim takes the index's length (a 0-d index counts as 1); a 0-d input keeps its
    shape and takes a one-element index (ATen index_select)."""
    d = dim_arg(ctx, dim, input.ndim)
    if index.ndim > 1:
        ctx.report("SC410", f"{ctx.layer}: the index must be 0-d or 1-d, got {index.ndim}-D")
    if index.dtype not in _INDEX_DTYPES:
        ctx.report("SC207", f"{ctx.layer}: the index must be int32 or int64, got {index.dtype}")
    if d is None:
        return input.with_shape((UNKNOWN,) * input.ndim)
    count = numel(index.shape)
    if input.ndim == 0:
        ctx.check(
            sym.eq(count, 1),
            "SC410",
            f"{ctx.layer}: indexing a 0-d tensor takes one index, got {count}",
        )
        return input
    shape = list(input.shape)
    shape[d] = count if index.ndim <= 1 else UNKNOWN
    return input.with_shape(shape)


@shape_rule(
    "torch.gather",
    "Tensor.gather",
    examples=[
        ok("torch.gather(x, 1, i)", (2, 9), x=(3, 4), i=(2, 9), dtypes={"i": "int64"}),
        ok("x.gather(0, i)", (3, 4), x=(3, 4), i=(3, 4), dtypes={"i": "int64"}),
        bad("torch.gather(x, 1, i)", "SC206", x=(3, 4), i=(2,), dtypes={"i": "int64"}),
        bad("torch.gather(x, 1, i)", "SC410", x=(3, 4), i=(4, 5), dtypes={"i": "int64"}),
        bad("torch.gather(x, 1, i)", "SC207", x=(3, 4), i=(2, 2)),
    ],
)
def gather(
    ctx: Any, input: TensorValue, dim: Any, index: TensorValue, *, sparse_grad: bool = False
) -> Any:
    """The output has the index's shape. Unless the index is empty (then nothing else is
    checked): an int32/int64 index, ranks equal (0-d counting as 1-d) and, apart from dim,
    the index nowhere larger than the input (ATen gather meta function, gather_shape_check)."""
    d = dim_arg(ctx, dim, input.ndim)
    out = TensorValue(index.shape, input.dtype, input.const)
    empty = ctx.decide(sym.eq(numel(index.shape), 0))
    if empty:
        return out
    if index.dtype not in _INDEX_DTYPES:
        ctx.report("SC207", f"{ctx.layer}: the index must be int32 or int64, got {index.dtype}")
    if max(index.ndim, 1) != max(input.ndim, 1):
        ctx.report(
            "SC206",
            f"{ctx.layer}: the index ({index.ndim}-D) must have as many dims as the input "
            f"({input.ndim}-D)",
        )
        return out
    if d is not None and empty is False:
        for i, (got, limit) in enumerate(zip(index.shape, input.shape)):
            if i != d:
                ctx.check(
                    sym.le(got, limit),
                    "SC410",
                    f"{ctx.layer}: the index {index} is larger than the input {input} at dim {i}",
                )
    return out


@shape_rule(
    "torch.take_along_dim",
    "Tensor.take_along_dim",
    examples=[
        ok("torch.take_along_dim(x, i)", (8,), x=(3, 4), i=(2, 4), dtypes={"i": "int64"}),
        ok("torch.take_along_dim(x, i, 1)", (3, 2), x=(3, 4), i=(1, 2), dtypes={"i": "int64"}),
        bad("torch.take_along_dim(x, i, 1)", "SC301", x=(3, 4), i=(2, 4), dtypes={"i": "int64"}),
        bad("torch.take_along_dim(x, i, 1)", "SC206", x=(3, 4), i=(4,), dtypes={"i": "int64"}),
        bad("torch.take_along_dim(x, i, 1)", "SC207", x=(3, 4), i=(3, 1), dtypes={"i": "int32"}),
    ],
)
def take_along_dim(ctx: Any, input: TensorValue, indices: TensorValue, dim: Any = None) -> Any:
    """Without dim both are flattened; with dim the two broadcast except at dim, which takes
    the indices' size (ATen _take_along_dim_helper)."""
    if dim is None:  # input.view(-1).gather(0, indices.view(-1))
        empty = ctx.decide(sym.eq(numel(indices.shape), 0))
        if not empty and indices.dtype not in _INDEX_DTYPES:
            ctx.report(
                "SC207", f"{ctx.layer}: the indices must be int32 or int64, got {indices.dtype}"
            )
        return TensorValue((numel(indices.shape),), input.dtype, input.const)
    if indices.dtype != "int64":
        ctx.report("SC207", f"{ctx.layer}: the indices must be int64, got {indices.dtype}")
    if input.ndim != indices.ndim:
        ctx.report(
            "SC206",
            f"{ctx.layer}: input ({input.ndim}-D) and indices ({indices.ndim}-D) must have "
            f"the same number of dims",
        )
        return input.with_shape((UNKNOWN,) * max(input.ndim, indices.ndim))
    d = dim_arg(ctx, dim, input.ndim, scalar=False)
    if d is None:
        return input.with_shape((UNKNOWN,) * input.ndim)
    sizes = list(input.shape)
    sizes[d] = indices.shape[d]
    out = list(broadcast_shapes(ctx, [tuple(sizes), indices.shape], "SC301", "input and indices"))
    out[d] = indices.shape[d]
    return input.with_shape(out)
