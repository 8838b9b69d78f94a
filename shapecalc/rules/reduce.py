"""Reductions (sum, mean, amax, std, norm, all, ...), max/min/median/mode with their indices,
argmax, cumulative ops, topk/kthvalue/sort, and the dim-argument helpers other families share.

Semantics follow the torch docs and ATen's reduction helpers (aten/src/ATen/native/
ReduceOpsUtils.h): a dim is wrapped into [-ndim, ndim) (a 0-d tensor counts as one dim), a
dim list may not name a dim twice, ``dim=None`` reduces every dim, ``keepdim`` keeps reduced
dims as 1. Ops that return values and indices return a (values, indices) pair.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, NamedTuple

from .. import symbolic as sym
from ..arith import normalize_dim
from ..symbolic import UNKNOWN, Dim
from ..values import OPAQUE, TensorValue, format_shape
from . import bad, ok, shape_rule
from .elementwise import DEFAULT_FLOAT, category, elementwise_binary, tensor_inputs


class ValuesIndices(NamedTuple):
    """torch.return_types.max and friends: fx indexes it (``[0]``) or reads ``.values``."""

    values: TensorValue
    indices: TensorValue


class MinMax(NamedTuple):
    """torch.return_types.aminmax."""

    min: TensorValue
    max: TensorValue


# ------------------------------------------------------------------------- dim arguments


def wrap_dim(ctx: Any, dim: Any, ndim: int, what: str = "dim") -> int | None:
    """dim made non-negative for a tensor of rank ndim; SC404 when out of range (ATen's
    maybe_wrap_dim: a 0-d tensor accepts 0 and -1)."""
    if not isinstance(dim, int) or isinstance(dim, bool):
        if ctx.concrete(dim, what) is None:
            return None
        ctx.report("SC405", f"{ctx.layer}: {what} must be an integer, got {dim!r}")
        return None
    wrapped = normalize_dim(dim, ndim)
    if wrapped is None:
        n = max(ndim, 1)
        ctx.report(
            "SC404",
            f"{ctx.layer}: {what}={dim} is out of range for a {ndim}-D tensor "
            f"(expected in [{-n}, {n - 1}])",
        )
    return wrapped


def wrap_dims(ctx: Any, dims: Any, ndim: int) -> list[int] | None:
    """A dim, a tuple/list of dims, or None (every dim) as sorted non-negative dims; a dim
    named twice is SC405 ("dim 0 appears multiple times in the list of dims")."""
    if dims is None:
        return list(range(ndim))
    if isinstance(dims, (tuple, list)):
        out: list[int] = []
        for d in dims:
            w = wrap_dim(ctx, d, ndim)
            if w is None:
                return None
            if w in out:
                ctx.report("SC405", f"{ctx.layer}: dim {w} appears more than once in dim={dims!r}")
                return None
            out.append(w)
        if not out:  # an empty list reduces every dim (ATen's legacy full reduction)
            return list(range(ndim))
        return sorted(out)
    w = wrap_dim(ctx, dims, ndim)
    return None if w is None else [w]


def reduced_shape(shape: tuple[Dim, ...], dims: Sequence[int], keepdim: bool) -> tuple:
    """The shape after reducing ``dims``: dropped, or kept as 1 with keepdim."""
    if not shape:
        return ()
    if keepdim:
        return tuple(1 if i in dims else d for i, d in enumerate(shape))
    return tuple(d for i, d in enumerate(shape) if i not in dims)


def _check_nonempty(ctx: Any, x: TensorValue, dims: Sequence[int]) -> None:
    """max/amax/argmax/median/mode/kthvalue cannot reduce a dim of size 0 (IndexError
    "Expected reduction dim 1 to have non-zero size")."""
    for d in dims:
        if d < x.ndim:
            size = x.shape[d]
            ctx.check(
                sym.ge(size, 1),
                "SC406",
                f"{ctx.layer} cannot reduce dimension {d} of {format_shape(x.shape)}: it is empty",
            )


def _unknown(x: TensorValue) -> TensorValue:
    return x.with_shape((UNKNOWN,) * x.ndim)


def _named_dtype(dtype: Any) -> str | None:
    """A dtype argument (``torch.float64`` as the frontends pass it, or its name)."""
    if dtype is None:
        return None
    name = str(dtype)
    return name.removeprefix("torch.")


def _reduce(
    ctx: Any, x: TensorValue, dim: Any, keepdim: bool, dtype: str, nonempty: bool = False
) -> Any:
    """The reduced tensor; after a bad dim argument its sizes are opaque, and so is its rank
    when a dim list was bad (how many dims it would have dropped is unknown)."""
    dims = wrap_dims(ctx, dim, x.ndim)
    if dims is None:
        single = not isinstance(dim, (tuple, list)) or len(dim) == 1
        if not keepdim and not single:
            return OPAQUE
        rank = x.ndim if keepdim else max(x.ndim - 1, 0)
        return TensorValue((UNKNOWN,) * rank, dtype, x.const)
    if nonempty:
        _check_nonempty(ctx, x, dims)
    return TensorValue(reduced_shape(x.shape, dims, keepdim), dtype, x.const)


# ----------------------------------------------------------------------------- reductions


def _float_only(ctx: Any, x: TensorValue, dtype: str | None) -> str:
    """mean/std/var/norm compute in floating point; an integer input without dtype= raises
    ("mean(): could not infer output dtype")."""
    if dtype is not None:
        return dtype
    if category(x.dtype) < 2:
        ctx.report("SC207", f"{ctx.layer} needs a floating point or complex input, got {x.dtype}")
        return DEFAULT_FLOAT
    return x.dtype


@shape_rule(
    "torch.sum",
    "torch.mean",
    "torch.nansum",
    "torch.nanmean",
    "Tensor.sum",
    "Tensor.mean",
    "Tensor.nansum",
    "Tensor.nanmean",
    examples=[
        ok("x.mean(dim=(2, 3), keepdim=True)", (2, 6, 1, 1), x=(2, 6, 12, 12)),
        ok("torch.sum(x, 1)", (2, 12), x=(2, 6, 12)),
        ok("x.sum()", (), x=(2, 3)),
        ok("x.mean([0, -1])", (3,), x=(2, 3, 4)),
        ok("x.nansum(dim=())", (), x=(2, 3)),
        ok("x.sum(0, True)", (), x=()),
        ok("x.sum(1)", (2,), x=(2, 3), dtypes={"x": "int64"}),
        bad("x.mean(2)", "SC404", x=(2, 3)),
        bad("x.sum((1, -2))", "SC405", x=(2, 3)),
        bad("x.mean()", "SC207", x=(2, 3), dtypes={"x": "int64"}),
    ],
)
@tensor_inputs(1)
def sum_mean(
    ctx: Any,
    input: TensorValue,
    dim: Any = None,
    keepdim: bool = False,
    *,
    dtype: Any = None,
    out: Any = None,
) -> Any:
    """torch.sum / mean: integer and bool sums are int64; means need a floating input."""
    name = ctx.op.rsplit(".", 1)[-1]
    want = _named_dtype(dtype)
    if name in ("mean", "nanmean"):
        result = _float_only(ctx, input, want)
    else:
        result = want or ("int64" if category(input.dtype) < 2 else input.dtype)
    return _reduce(ctx, input, dim, keepdim, result)


@shape_rule(
    "torch.prod",
    "Tensor.prod",
    examples=[
        ok("x.prod(1, keepdim=True)", (2, 1), x=(2, 3)),
        ok("torch.prod(x)", (), x=(2, 3)),
        bad("x.prod((0, 1))", "SC405", x=(2, 3)),
        bad("x.prod(-3)", "SC404", x=(2, 3)),
    ],
)
@tensor_inputs(1)
def prod(
    ctx: Any,
    input: TensorValue,
    dim: Any = None,
    keepdim: bool = False,
    *,
    dtype: Any = None,
    out: Any = None,
) -> Any:
    """torch.prod reduces one dim (an int) or everything; it takes no dim tuple."""
    result = _named_dtype(dtype) or ("int64" if category(input.dtype) < 2 else input.dtype)
    if isinstance(dim, (tuple, list)):
        ctx.report("SC405", f"{ctx.layer} takes a single dim, got {dim!r}")
        return TensorValue((UNKNOWN,) * (input.ndim if keepdim else 0), result)
    return _reduce(ctx, input, dim, keepdim, result)


@shape_rule(
    "torch.amax",
    "torch.amin",
    "Tensor.amax",
    "Tensor.amin",
    examples=[
        ok("x.amax(dim=(2, 3))", (2, 6), x=(2, 6, 4, 4)),
        ok("torch.amin(x)", (), x=(2, 3)),
        ok("x.amax(0)", (0,), x=(2, 0)),
        bad("x.amax(1)", "SC406", x=(2, 0)),
        bad("torch.amin(x, 3)", "SC404", x=(2, 3)),
    ],
)
@tensor_inputs(1)
def amax(
    ctx: Any, input: TensorValue, dim: Any = (), keepdim: bool = False, *, out: Any = None
) -> Any:
    """torch.amax / amin: dim=() (the default) reduces every dim; no empty reduced dim."""
    return _reduce(ctx, input, dim, keepdim, input.dtype, nonempty=True)


@shape_rule(
    "torch.all",
    "torch.any",
    "Tensor.all",
    "Tensor.any",
    examples=[
        ok("x.all()", (), x=(2, 3)),
        ok("torch.any(x, 1, keepdim=True)", (2, 1), x=(2, 3)),
        ok("x.all((0, 1))", (), x=(2, 3), dtypes={"x": "bool"}),
        bad("x.any(2)", "SC404", x=(2, 3)),
    ],
)
@tensor_inputs(1)
def all_any(
    ctx: Any, input: TensorValue, dim: Any = None, keepdim: bool = False, *, out: Any = None
) -> Any:
    """torch.all / any: bool (uint8 stays uint8); an empty dim list reduces nothing."""
    dtype = "uint8" if input.dtype == "uint8" else "bool"
    if isinstance(dim, (tuple, list)) and not dim:
        return TensorValue(input.shape, dtype, input.const)
    return _reduce(ctx, input, dim, keepdim, dtype)


@shape_rule(
    "torch.logsumexp",
    "Tensor.logsumexp",
    examples=[
        ok("x.logsumexp(1)", (2,), x=(2, 3)),
        ok("torch.logsumexp(x, (0, 1), keepdim=True)", (1, 1), x=(2, 3)),
        bad("x.logsumexp(2)", "SC404", x=(2, 3)),
        bad("torch.logsumexp(x, dim=())", "SC306", x=(2, 3)),
    ],
)
@tensor_inputs(1)
def logsumexp(
    ctx: Any, input: TensorValue, dim: Any, keepdim: bool = False, *, out: Any = None
) -> Any:
    """torch.logsumexp: dim is required. An empty dim reduces everything but only works
    with keepdim (or a 0-d or empty input): ATen's result is broadcast against a kept-dims
    shape ("output with shape [] doesn't match the broadcast shape [1, 1]")."""
    if isinstance(dim, (tuple, list)) and not dim:
        empty = any(isinstance(d, int) and d == 0 for d in input.shape)
        if not (keepdim or input.ndim == 0 or empty):
            ctx.report("SC306", f"{ctx.layer} needs at least one dim unless keepdim=True")
            return TensorValue((), input.dtype, input.const)
    dtype = input.dtype if category(input.dtype) >= 2 else DEFAULT_FLOAT
    return _reduce(ctx, input, dim, keepdim, dtype)


@shape_rule(
    "torch.count_nonzero",
    "Tensor.count_nonzero",
    examples=[
        ok("torch.count_nonzero(x)", (), x=(2, 3)),
        ok("x.count_nonzero((0, 1))", (), x=(2, 3)),
        ok("x.count_nonzero(1)", (2,), x=(2, 3)),
        bad("x.count_nonzero(dim=(0, 0))", "SC405", x=(2, 3)),
    ],
)
@tensor_inputs(1)
def count_nonzero(ctx: Any, input: TensorValue, dim: Any = None) -> Any:
    return _reduce(ctx, input, dim, False, "int64")


def _std_args(dim: Any, unbiased: Any, keepdim: Any) -> tuple[Any, bool]:
    """std(input, unbiased) puts a bool where dim goes: it then reduces every dim."""
    if isinstance(dim, bool):
        return None, bool(keepdim)
    return dim, bool(keepdim)


@shape_rule(
    "torch.std",
    "torch.var",
    "Tensor.std",
    "Tensor.var",
    examples=[
        ok("x.std(1)", (2,), x=(2, 3)),
        ok("x.var(1, True, True)", (2, 1), x=(2, 3)),
        ok("torch.std(x, dim=(0, 1), correction=0, keepdim=True)", (1, 1), x=(2, 3)),
        ok("x.std(False)", (), x=(2, 3)),
        bad("x.var(dim=2)", "SC404", x=(2, 3)),
        bad("x.std()", "SC207", x=(2, 3), dtypes={"x": "int64"}),
    ],
)
@tensor_inputs(1)
def std_var(
    ctx: Any,
    input: TensorValue,
    dim: Any = None,
    unbiased: Any = None,
    keepdim: bool = False,
    *,
    correction: Any = None,
    out: Any = None,
) -> Any:
    """torch.std / var, both overloads: (dim, *, correction, keepdim) and (dim, unbiased,
    keepdim)."""
    dim, keep = _std_args(dim, unbiased, keepdim)
    return _reduce(ctx, input, dim, keep, _float_only(ctx, input, None))


@shape_rule(
    "torch.std_mean",
    "torch.var_mean",
    examples=[
        ok("torch.std_mean(x, 1)", [(2,), (2,)], x=(2, 3)),
        ok("torch.var_mean(x, dim=(0, 1), keepdim=True)", [(1, 1), (1, 1)], x=(2, 3)),
        ok("torch.std_mean(x)", [(), ()], x=(2, 3)),
        bad("torch.var_mean(x, 3)", "SC404", x=(2, 3)),
    ],
)
@tensor_inputs(1)
def std_mean(
    ctx: Any,
    input: TensorValue,
    dim: Any = None,
    unbiased: Any = None,
    keepdim: bool = False,
    *,
    correction: Any = None,
) -> tuple[TensorValue, TensorValue]:
    """torch.std_mean / var_mean: a (std or var, mean) pair of the same shape."""
    dim, keep = _std_args(dim, unbiased, keepdim)
    result = _reduce(ctx, input, dim, keep, _float_only(ctx, input, None))
    return result, result


@shape_rule(
    "torch.norm",
    "Tensor.norm",
    examples=[
        ok("x.norm()", (), x=(2, 3, 4)),
        ok("x.norm(2, 1)", (2, 4), x=(2, 3, 4)),
        ok("torch.norm(x, dim=(1, 2), keepdim=True)", (2, 1, 1), x=(2, 3, 4)),
        ok("x.norm(p=1, dim=(0, 1, 2))", (), x=(2, 3, 4)),
        ok("x.norm(p='nuc', dim=(0, 1))", (4,), x=(2, 3, 4)),
        bad("x.norm(dim=(0, 1, 2))", "SC306", x=(2, 3, 4)),
        bad("x.norm(p='nuc')", "SC306", x=(2, 3, 4)),
        bad("x.norm(dim=3)", "SC404", x=(2, 3, 4)),
    ],
)
@tensor_inputs(1)
def norm(
    ctx: Any,
    input: TensorValue,
    p: Any = "fro",
    dim: Any = None,
    keepdim: bool = False,
    out: Any = None,
    dtype: Any = None,
) -> Any:
    """torch.norm (torch/functional.py): 'fro' over None, one or two dims and any number p
    are vector norms; 'nuc' (and 'fro' over more than two dims) are matrix norms over
    exactly two distinct dims."""
    result = _float_only(ctx, input, _named_dtype(dtype))
    dims = [dim] if isinstance(dim, int) else dim
    vector = not isinstance(p, str) or (p == "fro" and (dims is None or len(dims) <= 2))
    if not vector:
        if p not in ("fro", "nuc"):
            ctx.report("SC306", f"{ctx.layer}: p={p!r} is not a norm")
            return _unknown(input)
        chosen = list(range(input.ndim)) if dims is None else list(dims)
        if len(chosen) != 2:
            ctx.report(
                "SC306",
                f"{ctx.layer}: a matrix norm (p={p!r}) needs exactly two dims, got "
                f"{len(chosen)} for a {input.ndim}-D input",
            )
            return _unknown(input)
        dims = chosen
    # a negative or infinite order has no identity: no empty reduced dim (linalg.vector_norm)
    no_identity = not isinstance(p, str) and p is not None and (p < 0 or p == float("inf"))
    return _reduce(ctx, input, dims, keepdim, result, nonempty=no_identity)


# ------------------------------------------------------------- values with their indices


def _pair(values: Any) -> Any:
    if not isinstance(values, TensorValue):
        return OPAQUE
    return ValuesIndices(values, TensorValue(values.shape, "int64", values.const))


@shape_rule(
    "torch.max",
    "torch.min",
    "Tensor.max",
    "Tensor.min",
    examples=[
        ok("x.max()", (), x=(2, 3)),
        ok("torch.max(x, 1)", [(2,), (2,)], x=(2, 3)),
        ok("x.min(dim=0, keepdim=True)", [(1, 3), (1, 3)], x=(2, 3)),
        ok("torch.max(x, y)", (2, 3), x=(2, 3), y=(2, 1)),
        bad("x.max(2)", "SC404", x=(2, 3)),
        bad("x.max()", "SC406", x=(2, 0)),
        bad("torch.min(x, y)", "SC301", x=(2, 3), y=(2,)),
    ],
)
def max_min(
    ctx: Any,
    input: TensorValue,
    dim: Any = None,
    keepdim: bool = False,
    *,
    out: Any = None,
) -> Any:
    """torch.max(input) -> 0-d; torch.max(input, dim, keepdim) -> (values, indices);
    torch.max(input, other) is the elementwise maximum."""
    if not isinstance(input, TensorValue):
        ctx.report("SC306", f"{ctx.layer} needs a tensor as input, got {input!r}")
        return OPAQUE
    if isinstance(dim, TensorValue):
        name = "maximum" if ctx.op.endswith("max") else "minimum"
        return elementwise_binary(ctx, name, input, dim)
    if dim is None:
        _check_nonempty(ctx, input, range(input.ndim))
        return TensorValue((), input.dtype, input.const)
    return _pair(_reduce(ctx, input, [dim], keepdim, input.dtype, nonempty=True))


@shape_rule(
    "torch.argmax",
    "torch.argmin",
    "Tensor.argmax",
    "Tensor.argmin",
    examples=[
        ok("x.argmax()", (), x=(2, 3)),
        ok("x.argmax(keepdim=True)", (1, 1), x=(2, 3)),
        ok("torch.argmin(x, 1, True)", (2, 1), x=(2, 3)),
        bad("x.argmax(-3)", "SC404", x=(2, 3)),
        bad("x.argmin(1)", "SC406", x=(2, 0)),
    ],
)
@tensor_inputs(1)
def argmax(
    ctx: Any, input: TensorValue, dim: Any = None, keepdim: bool = False, *, out: Any = None
) -> Any:
    """torch.argmax: int64; dim=None flattens (keepdim then keeps every dim as 1)."""
    return _reduce(ctx, input, None if dim is None else [dim], keepdim, "int64", nonempty=True)


@shape_rule(
    "torch.median",
    "torch.nanmedian",
    "Tensor.median",
    "Tensor.nanmedian",
    examples=[
        ok("x.median()", (), x=(2, 3)),
        ok("x.median()", (), x=(2, 0)),
        ok("torch.median(x, 1, keepdim=True)", [(2, 1), (2, 1)], x=(2, 3)),
        ok("x.nanmedian(0)", [(3,)] * 2, x=(2, 3)),
        bad("x.median(1)", "SC406", x=(2, 0)),
        bad("x.median(2)", "SC404", x=(2, 3)),
    ],
)
@tensor_inputs(1)
def median(
    ctx: Any, input: TensorValue, dim: Any = None, keepdim: bool = False, *, out: Any = None
) -> Any:
    """torch.median(input) -> 0-d (nan when empty); with dim -> (values, indices)."""
    if dim is None:
        return TensorValue((), input.dtype, input.const)
    return _pair(_reduce(ctx, input, [dim], keepdim, input.dtype, nonempty=True))


@shape_rule(
    "torch.mode",
    "Tensor.mode",
    examples=[
        ok("x.mode()", [(2,), (2,)], x=(2, 3)),
        ok("torch.mode(x, 0, True)", [(1, 3), (1, 3)], x=(2, 3)),
        bad("x.mode(1)", "SC406", x=(2, 0)),
    ],
)
@tensor_inputs(1)
def mode(
    ctx: Any, input: TensorValue, dim: int = -1, keepdim: bool = False, *, out: Any = None
) -> ValuesIndices:
    return _pair(_reduce(ctx, input, [dim], keepdim, input.dtype, nonempty=True))


@shape_rule(
    "torch.kthvalue",
    "Tensor.kthvalue",
    examples=[
        ok("x.kthvalue(2)", [(2,), (2,)], x=(2, 3)),
        ok("torch.kthvalue(x, 2, 0, True)", [(1, 3), (1, 3)], x=(2, 3)),
        ok("x.kthvalue(1)", [(), ()], x=()),
        bad("x.kthvalue(4)", "SC406", x=(2, 3)),
        bad("x.kthvalue(0)", "SC406", x=(2, 3)),
    ],
)
@tensor_inputs(1)
def kthvalue(
    ctx: Any,
    input: TensorValue,
    k: Any,
    dim: int = -1,
    keepdim: bool = False,
    *,
    out: Any = None,
) -> ValuesIndices:
    """torch.kthvalue: 1 <= k <= the size of dim (a 0-d tensor has size 1)."""
    d = wrap_dim(ctx, dim, input.ndim)
    if d is not None:
        size = input.shape[d] if input.ndim else 1
        _check_k(ctx, k, size, low=1)
    return _pair(_reduce(ctx, input, [dim], keepdim, input.dtype))


def _check_k(ctx: Any, k: Any, size: Dim, low: int) -> None:
    ctx.check(
        sym.ge(k, low),
        "SC406",
        f"{ctx.layer}: k={k} must be at least {low}",
    )
    ctx.check(
        sym.le(k, size),
        "SC406",
        f"{ctx.layer}: k={k} is larger than the dimension's size {size}",
    )


@shape_rule(
    "torch.topk",
    "Tensor.topk",
    examples=[
        ok("x.topk(2)", [(2, 2), (2, 2)], x=(2, 3)),
        ok("torch.topk(x, 1, dim=0, largest=False)", [(1, 3), (1, 3)], x=(2, 3)),
        ok("x.topk(0)", [(2, 0), (2, 0)], x=(2, 3)),
        ok("x.topk(1)", [(), ()], x=()),
        bad("x.topk(4)", "SC406", x=(2, 3)),
        bad("x.topk(2, 2)", "SC404", x=(2, 3)),
    ],
)
@tensor_inputs(1)
def topk(
    ctx: Any,
    input: TensorValue,
    k: Any,
    dim: int = -1,
    largest: bool = True,
    sorted: bool = True,
    *,
    out: Any = None,
) -> ValuesIndices:
    """torch.topk: 0 <= k <= the size of dim, which becomes k."""
    d = wrap_dim(ctx, dim, input.ndim)
    if d is None:
        return _pair(_unknown(input))
    if input.ndim == 0:
        _check_k(ctx, k, 1, low=0)
        return _pair(input)
    _check_k(ctx, k, input.shape[d], low=0)
    shape = list(input.shape)
    shape[d] = k
    return _pair(input.with_shape(shape))


def _along(ctx: Any, input: TensorValue, dim: Any) -> bool:
    return wrap_dim(ctx, dim, input.ndim) is not None


@shape_rule(
    "torch.sort",
    "Tensor.sort",
    examples=[
        ok("x.sort()", [(2, 3), (2, 3)], x=(2, 3)),
        ok("torch.sort(x, 0, True)", [(2, 3), (2, 3)], x=(2, 3)),
        ok("x.sort(stable=True, dim=0)", [(2, 3), (2, 3)], x=(2, 3)),
        bad("x.sort(2)", "SC404", x=(2, 3)),
    ],
)
@tensor_inputs(1)
def sort(
    ctx: Any,
    input: TensorValue,
    dim: int = -1,
    descending: bool = False,
    stable: bool = False,
    *,
    out: Any = None,
) -> ValuesIndices:
    if not _along(ctx, input, dim):
        return _pair(_unknown(input))
    return _pair(input)


@shape_rule(
    "torch.argsort",
    "Tensor.argsort",
    examples=[
        ok("x.argsort(1)", (2, 3), x=(2, 3)),
        ok("torch.argsort(x, stable=True)", (2, 3), x=(2, 3)),
        bad("x.argsort(-3)", "SC404", x=(2, 3)),
    ],
)
@tensor_inputs(1)
def argsort(
    ctx: Any,
    input: TensorValue,
    dim: int = -1,
    descending: bool = False,
    stable: bool = False,
) -> TensorValue:
    if not _along(ctx, input, dim):
        return TensorValue((UNKNOWN,) * input.ndim, "int64")
    return TensorValue(input.shape, "int64", input.const)


@shape_rule(
    "torch.cumsum",
    "torch.cumprod",
    "torch.logcumsumexp",
    "Tensor.cumsum",
    "Tensor.cumprod",
    "Tensor.logcumsumexp",
    "Tensor.cumsum_",
    "Tensor.cumprod_",
    examples=[
        ok("x.cumsum(1)", (2, 3), x=(2, 3)),
        ok("torch.cumprod(x, dim=0)", (2, 3), x=(2, 3)),
        ok("x.cumsum(0)", (), x=()),
        bad("x.cumsum(2)", "SC404", x=(2, 3)),
    ],
)
@tensor_inputs(1)
def cumulative(
    ctx: Any, input: TensorValue, dim: Any, *, dtype: Any = None, out: Any = None
) -> TensorValue:
    """torch.cumsum / cumprod: same shape; integer inputs accumulate in int64."""
    if not _along(ctx, input, dim):
        return _unknown(input)
    if ctx.op.endswith("_"):
        return input
    name = ctx.op.rsplit(".", 1)[-1]
    result = _named_dtype(dtype)
    if result is None:
        if name == "logcumsumexp":
            result = input.dtype
        else:
            result = "int64" if category(input.dtype) < 2 else input.dtype
    return TensorValue(input.shape, result, input.const)


@shape_rule(
    "torch.cummax",
    "torch.cummin",
    "Tensor.cummax",
    "Tensor.cummin",
    examples=[
        ok("x.cummax(1)", [(2, 3), (2, 3)], x=(2, 3)),
        ok("torch.cummin(x, 0)", [(2, 0), (2, 0)], x=(2, 0)),
        bad("x.cummax(2)", "SC404", x=(2, 3)),
    ],
)
@tensor_inputs(1)
def cummax(ctx: Any, input: TensorValue, dim: Any, *, out: Any = None) -> ValuesIndices:
    """torch.cummax / cummin: values and indices of input's shape (an input with no elements
    returns before its dim is checked)."""
    if any(isinstance(d, int) and d == 0 for d in input.shape):
        return _pair(input)
    if not _along(ctx, input, dim):
        return _pair(_unknown(input))
    return _pair(input)


@shape_rule(
    "torch.aminmax",
    "Tensor.aminmax",
    examples=[
        ok("x.aminmax()", [(), ()], x=(2, 3)),
        ok("torch.aminmax(x, dim=1, keepdim=True)", [(2, 1), (2, 1)], x=(2, 3)),
        bad("x.aminmax(dim=1)", "SC406", x=(2, 0)),
    ],
)
@tensor_inputs(1)
def aminmax(
    ctx: Any, input: TensorValue, *, dim: Any = None, keepdim: bool = False, out: Any = None
) -> MinMax:
    """torch.aminmax: (min, max); dim=None reduces every dim."""
    result = _reduce(ctx, input, dim if dim is None else [dim], keepdim, input.dtype, nonempty=True)
    return MinMax(result, result)
