"""Reshaping and rearranging: flatten / unflatten, view / reshape (with -1), permute, transpose,
movedim, squeeze / unsqueeze, expand / repeat / tile, flip / roll, narrow, atleast_Nd, ravel.

Semantics follow ATen: InferSize.h (infer_size: one -1, element counts), TensorShape.cpp
(permute, movedim, squeeze, expand, repeat, narrow, unflatten) and torch/functional.py (tile,
atleast_*). Dims are wrapped as maybe_wrap_dim does: a 0-d tensor accepts dim 0 and -1.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import Any

from .. import symbolic as sym
from ..arith import normalize_dim, numel
from ..symbolic import UNKNOWN, Dim
from ..values import OPAQUE, TensorValue, format_shape
from . import bad, ok, shape_rule
from .sizes import (
    ITEMSIZE,
    check_memory_format,
    check_sizes_nonnegative,
    dim_arg,
    dtype_name,
    int_arg,
    is_integral,
    is_size,
    size_args,
)

# ------------------------------------------------------------------------------- flatten


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


@shape_rule(
    "Tensor.ravel",
    "torch.ravel",
    examples=[
        ok("x.ravel()", (24,), x=(2, 3, 4)),
        ok("torch.ravel(x)", (1,), x=()),
        bad("x.ravel().view(5, -1)", "SC402", x=(2, 3, 4)),
    ],
)
def ravel(ctx: Any, input: TensorValue) -> TensorValue:
    return input.with_shape((numel(input.shape),))


# ------------------------------------------------------------------------ view / reshape


def infer_size(
    ctx: Any, shape: Sequence[Dim], total: Dim, code: str = "SC402", what: str = "an input"
) -> tuple[Dim, ...]:
    """ATen infer_size: at most one -1 and every other size >= 0 (else SC405), and the sizes
    must hold exactly ``total`` elements (else ``code``); -1 becomes total / (product of the
    others), which must be exact and, as torch refuses an ambiguous -1, the others' product
    must not be 0.

    Returns the shape (with UNKNOWN where it cannot be known after an error).
    """
    shown = format_shape(tuple(shape))
    infer: int | None = None
    known: Dim = 1
    for i, d in enumerate(shape):
        if isinstance(d, int) and d == -1:
            if infer is not None:
                ctx.report("SC405", f"{ctx.layer}: only one dimension can be inferred, got {shown}")
                return tuple(UNKNOWN if s == -1 else s for s in shape)  # type: ignore[misc]
            infer = i
            continue
        if isinstance(d, int) and d < 0:
            ctx.report("SC405", f"{ctx.layer}: invalid size {d} at index {i} of shape {shown}")
            return tuple(UNKNOWN if isinstance(s, int) and s < 0 else s for s in shape)
        if sym.is_symbolic(d):
            ctx.check(sym.ge(d, 0), "SC405", f"{ctx.layer}: size {d} at index {i} is negative")
        known = known * d
    out = list(shape)
    mismatch = f"{ctx.layer}: shape {shown} is invalid for {what} of {total} elements"
    if infer is None:
        ctx.check(sym.eq(known, total), code, mismatch)
        return tuple(out)
    if ctx.check(sym.gt(known, 0), code, mismatch + " (the -1 cannot be inferred)") is False:
        out[infer] = UNKNOWN
        return tuple(out)
    out[infer] = _inferred(ctx, total, known, code, mismatch)
    return tuple(out)


def _inferred(ctx: Any, total: Dim, known: Dim, code: str, mismatch: str) -> Dim:
    """total / known for a -1: exact as polynomials, or (after dividing out the symbolic part
    of known, B in 4*B) a floor division that records the divisibility the model needs."""
    quotient = sym.exact_div(total, known)
    if quotient is not None:
        return quotient
    numerator, divisor = total, known
    if sym.is_symbolic(known):
        factor = math.gcd(*known.terms.values())  # type: ignore[union-attr]
        part = sym.exact_div(total, sym.exact_div(known, factor))
        if part is not None:
            numerator, divisor = part, factor
    if ctx.check(sym.divisible(numerator, divisor), code, mismatch) is False:
        return UNKNOWN
    return sym.floordiv(numerator, divisor)


def view_core(ctx: Any, x: TensorValue, args: tuple) -> TensorValue | Any:
    if not args:
        ctx.report("SC405", f"{ctx.layer} needs a shape")
        return OPAQUE
    shape = size_args(ctx, args, "shape")
    if shape is None:
        return OPAQUE
    before = len(ctx.reported)
    out = infer_size(ctx, shape, numel(x.shape))
    if any(d.code == "SC402" for d in ctx.reported[before:]):
        out = _kept_after_mismatch(x.shape, out)
    return x.with_shape(out)


def _kept_after_mismatch(old: Sequence[Dim], new: Sequence[Dim]) -> tuple[Dim, ...]:
    """After an element-count mismatch, which of the requested sizes are still believable:
    the leading and trailing ones carried over from the input (the batch in
    ``x.view(x.size(0), 64)``); the others are what the fix will change, so they become
    opaque and the error is not repeated by every later view of the same tensor."""
    lead = 0
    while lead < min(len(old), len(new)) and _same(old[lead], new[lead]):
        lead += 1
    trail = 0
    while trail < min(len(old), len(new)) - lead and _same(old[-1 - trail], new[-1 - trail]):
        trail += 1
    return tuple(d if i < lead or i >= len(new) - trail else UNKNOWN for i, d in enumerate(new))


def _same(a: Dim, b: Dim) -> bool:
    if a is UNKNOWN or b is UNKNOWN:
        return False
    if isinstance(a, int) and isinstance(b, int):
        return a == b
    return sym.decide(sym.eq(a, b)) is True


def view_dtype(ctx: Any, x: TensorValue, dtype: str) -> TensorValue:
    """x.view(dtype): the last dim scales by the ratio of element sizes (ATen view_dtype)."""
    old, new = ITEMSIZE.get(x.dtype), ITEMSIZE[dtype]
    out = TensorValue(x.shape, dtype, x.const)
    if old is None:
        return out.with_shape(x.shape[:-1] + (UNKNOWN,)) if x.ndim else out
    if old == new:
        return out
    if x.ndim == 0:
        ctx.report("SC402", f"{ctx.layer}: a 0-d tensor cannot be viewed as {dtype}")
        return out
    last = x.shape[-1]
    if new < old:
        return out.with_shape((*x.shape[:-1], last * (old // new)))
    ratio = new // old
    message = (
        f"{ctx.layer}: the last dim ({last}) must be divisible by {ratio} to view {x.dtype} "
        f"as {dtype}"
    )
    good = ctx.check(sym.divisible(last, ratio), "SC402", message)
    if x.ndim > 1:  # the other strides hold max(last, 1) and must be divisible too
        good = ctx.check(sym.gt(last, 0), "SC402", message) if good is not False else good
    return out.with_shape((*x.shape[:-1], last // ratio if good is not False else UNKNOWN))


@shape_rule(
    "Tensor.view",
    "Tensor.reshape",
    examples=[
        ok("x.view(x.size(0), -1)", (2, 864), x=(2, 6, 12, 12)),
        ok("x.view(-1)", (24,), x=(2, 3, 4)),
        ok("x.reshape((4, 6))", (4, 6), x=(2, 3, 4)),
        ok("x.view([-1, 2, 2])", (6, 2, 2), x=(2, 3, 4)),
        ok("x.view(x.shape)", (2, 3, 4), x=(2, 3, 4)),
        ok("x.view(())", (), x=(1, 1)),
        ok("x.view(0, 5)", (0, 5), x=(3, 0)),
        ok("x.view(torch.float16)", (2, 8), x=(2, 4)),
        ok("x.view(torch.float64)", (2, 2), x=(2, 4)),
        bad("x.view(x.size(0), 16 * 5 * 5)", "SC402", x=(2, 16, 6, 6)),
        bad("x.view(-1, 5)", "SC402", x=(2, 3, 4)),
        bad("x.reshape(-1, -1)", "SC405", x=(2, 3, 4)),
        bad("x.view(-1, 0)", "SC402", x=(0, 3)),
        bad("x.view(2, -2)", "SC405", x=(2, 3, 4)),
        bad("x.view(2.0, -1)", "SC405", x=(2, 3, 4)),
        bad("x.view(torch.float64)", "SC402", x=(2, 3)),
    ],
)
def view(ctx: Any, self: TensorValue, *shape: Any) -> Any:
    """view(*shape) / view(shape) / view(dtype); reshape has the same shape semantics.

    view also needs strides compatible with the new shape (it raises on, e.g., a permuted
    tensor); shapecalc does not track strides, so that one check is left to verify.
    """
    if ctx.op == "Tensor.view" and len(shape) == 1 and dtype_name(shape[0]) is not None:
        return view_dtype(ctx, self, dtype_name(shape[0]))  # type: ignore[arg-type]
    return view_core(ctx, self, shape)


@shape_rule(
    "torch.reshape",
    examples=[
        ok("torch.reshape(x, (x.size(0), -1))", (2, 12), x=(2, 3, 4)),
        ok("torch.reshape(x, [-1])", (1,), x=()),
        bad("torch.reshape(x, (5, -1))", "SC402", x=(2, 3, 4)),
    ],
)
def reshape_function(ctx: Any, input: TensorValue, shape: Any) -> Any:
    if not isinstance(shape, (tuple, list)):
        ctx.report("SC405", f"{ctx.layer}: shape must be a tuple of ints, got {shape!r}")
        return OPAQUE
    return view_core(ctx, input, (tuple(shape),))


@shape_rule(
    "Tensor.view_as",
    "Tensor.reshape_as",
    examples=[
        ok("x.view_as(y)", (6, 4), x=(2, 3, 4), y=(6, 4)),
        ok("x.reshape_as(y)", (24,), x=(2, 3, 4), y=(24,)),
        bad("x.view_as(y)", "SC402", x=(2, 3, 4), y=(5, 5)),
    ],
)
def view_as(ctx: Any, self: TensorValue, other: TensorValue) -> TensorValue:
    return self.with_shape(infer_size(ctx, other.shape, numel(self.shape)))


# ------------------------------------------------------------------------------ unflatten


def unflatten_core(ctx: Any, x: TensorValue, dim: Any, sizes: Any) -> TensorValue | Any:
    """Dim ``dim`` becomes ``sizes`` (one -1 allowed); they must multiply to its size."""
    if not isinstance(sizes, (tuple, list)):
        ctx.report("SC405", f"{ctx.layer}: sizes must be a tuple of ints, got {sizes!r}")
        return OPAQUE
    shape = size_args(ctx, (tuple(sizes),), "sizes")
    if shape is None:
        return OPAQUE
    d = dim_arg(ctx, dim, x.ndim, scalar=False)
    if not shape:
        ctx.report("SC405", f"{ctx.layer}: sizes must be non-empty")
        return OPAQUE
    if d is None:
        return x.with_shape((UNKNOWN,) * (max(x.ndim, 1) - 1 + len(shape)))
    middle = infer_size(ctx, shape, x.shape[d], code="SC405", what=f"dim {d}")
    return x.with_shape((*x.shape[:d], *middle, *x.shape[d + 1 :]))


@shape_rule(
    "Unflatten",
    examples=[
        ok("nn.Unflatten(1, (16, 5, 5))(x)", (2, 16, 5, 5), x=(2, 400)),
        ok("nn.Unflatten(-1, [2, -1])(x)", (3, 2, 2), x=(3, 4)),
        bad("nn.Unflatten(1, (2, 3))(x)", "SC405", x=(3, 4)),
        bad("nn.Unflatten(1, 4)(x)", "SC405", x=(3, 4)),
        bad("nn.Unflatten(2, (2, 2))(x)", "SC404", x=(3, 4)),
    ],
)
def unflatten_module(ctx: Any, input: TensorValue, *, dim: Any, unflattened_size: Any) -> Any:
    return unflatten_core(ctx, input, dim, unflattened_size)


@shape_rule(
    "Tensor.unflatten",
    "torch.unflatten",
    examples=[
        ok("x.unflatten(1, (2, -1))", (3, 2, 2), x=(3, 4)),
        ok("torch.unflatten(x, 0, (3, 1))", (3, 1, 4), x=(3, 4)),
        bad("x.unflatten(1, (3, -1))", "SC405", x=(3, 4)),
        bad("x.unflatten(1, (-1, -1))", "SC405", x=(3, 4)),
        bad("x.unflatten(1, ())", "SC405", x=(3, 4)),
        bad("x.unflatten(0, (0, -1))", "SC405", x=(0, 3)),
        bad("x.unflatten(0, (1,))", "SC404", x=()),
    ],
)
def unflatten(ctx: Any, input: TensorValue, dim: Any, sizes: Any) -> Any:
    return unflatten_core(ctx, input, dim, sizes)


# -------------------------------------------------------------------- permute / transpose


def _dims_args(args: tuple) -> tuple:
    """permute(0, 2, 1) or permute((0, 2, 1)): the varargs-or-one-sequence convention."""
    if len(args) == 1 and isinstance(args[0], (tuple, list)):
        return tuple(args[0])
    return args


def _dim_list(ctx: Any, dims: Sequence[Any], ndim: int, what: str = "dim") -> list[int] | None:
    """Each dim wrapped (SC404 when out of range), none repeated (SC405)."""
    out: list[int] = []
    for d in dims:
        norm = dim_arg(ctx, d, ndim, what=what)
        if norm is None:
            return None
        out.append(norm)
    if len(set(out)) != len(out):
        ctx.report("SC405", f"{ctx.layer}: {what}s {tuple(dims)} name a dim more than once")
        return None
    return out


def permute_core(ctx: Any, x: TensorValue, dims: tuple) -> TensorValue:
    unknown = x.with_shape((UNKNOWN,) * len(dims))
    if len(dims) != x.ndim:
        ctx.report(
            "SC405",
            f"{ctx.layer}: {len(dims)} dims {dims} given to permute a {x.ndim}-D input {x}",
        )
        return unknown
    order = _dim_list(ctx, dims, x.ndim)
    if order is None:
        return unknown
    return x.with_shape(tuple(x.shape[i] for i in order))


@shape_rule(
    "Tensor.permute",
    examples=[
        ok("x.permute(0, 2, 3, 1)", (2, 4, 5, 3), x=(2, 3, 4, 5)),
        ok("x.permute((2, 0, 1))", (4, 2, 3), x=(2, 3, 4)),
        ok("x.permute(-1, 0)", (3, 2), x=(2, 3)),
        ok("x.permute(())", (), x=()),
        bad("x.permute(0, 2, 2, 1)", "SC405", x=(2, 3, 4, 5)),
        bad("x.permute(0, 1)", "SC405", x=(2, 3, 4)),
        bad("x.permute(0, 2)", "SC404", x=(2, 3)),
    ],
)
def permute(ctx: Any, self: TensorValue, *dims: Any) -> TensorValue:
    return permute_core(ctx, self, _dims_args(dims))


@shape_rule(
    "torch.permute",
    examples=[
        ok("torch.permute(x, (1, 0))", (3, 2), x=(2, 3)),
        bad("torch.permute(x, (1, 1))", "SC405", x=(2, 3)),
    ],
)
def permute_function(ctx: Any, input: TensorValue, dims: Any) -> TensorValue:
    if not isinstance(dims, (tuple, list)):
        ctx.report("SC405", f"{ctx.layer}: dims must be a tuple of ints, got {dims!r}")
        return input.with_shape((UNKNOWN,) * input.ndim)
    return permute_core(ctx, input, tuple(dims))


def transpose_core(ctx: Any, x: TensorValue, dim0: Any, dim1: Any) -> TensorValue:
    a = dim_arg(ctx, dim0, x.ndim, what="dim0")
    b = dim_arg(ctx, dim1, x.ndim, what="dim1")
    if a is None or b is None:
        return x.with_shape((UNKNOWN,) * x.ndim)
    if x.ndim == 0:
        return x
    shape = list(x.shape)
    shape[a], shape[b] = shape[b], shape[a]
    return x.with_shape(shape)


@shape_rule(
    "Tensor.transpose",
    "torch.transpose",
    "Tensor.swapdims",
    "torch.swapdims",
    examples=[
        ok("x.transpose(1, 2)", (2, 4, 3), x=(2, 3, 4)),
        ok("torch.transpose(x, -1, 0)", (4, 3, 2), x=(2, 3, 4)),
        ok("x.swapdims(0, 1)", (3, 2), x=(2, 3)),
        ok("x.transpose(0, -1)", (), x=()),
        bad("x.transpose(0, 2)", "SC404", x=(2, 3)),
        bad("torch.swapdims(x, 0, 1)", "SC404", x=()),
    ],
)
def transpose(ctx: Any, input: TensorValue, dim0: Any, dim1: Any) -> TensorValue:
    return transpose_core(ctx, input, dim0, dim1)


@shape_rule(
    "Tensor.swapaxes",
    "torch.swapaxes",
    examples=[
        ok("x.swapaxes(0, 2)", (4, 3, 2), x=(2, 3, 4)),
        bad("torch.swapaxes(x, 0, 3)", "SC404", x=(2, 3, 4)),
    ],
)
def swapaxes(ctx: Any, input: TensorValue, axis0: Any, axis1: Any) -> TensorValue:
    return transpose_core(ctx, input, axis0, axis1)


@shape_rule(
    "Tensor.t",
    "torch.t",
    examples=[
        ok("x.t()", (3, 2), x=(2, 3)),
        ok("torch.t(x)", (5,), x=(5,)),
        bad("x.t()", "SC206", x=(2, 3, 4)),
    ],
)
def t(ctx: Any, input: TensorValue) -> TensorValue:
    if input.ndim > 2:
        ctx.report("SC206", f"{ctx.layer}: t() expects at most 2 dims, got {input.ndim}-D {input}")
        return input.with_shape((UNKNOWN,) * input.ndim)
    return input.with_shape(input.shape[::-1])


@shape_rule(
    "Tensor.movedim",
    "torch.movedim",
    "Tensor.moveaxis",
    "torch.moveaxis",
    examples=[
        ok("x.movedim(1, -1)", (2, 4, 5, 3), x=(2, 3, 4, 5)),
        ok("torch.movedim(x, (0, 1), (2, 0))", (3, 4, 2), x=(2, 3, 4)),
        ok("torch.moveaxis(x, -1, 0)", (4, 2, 3), x=(2, 3, 4)),
        bad("x.movedim((0, 1), (2,))", "SC405", x=(2, 3, 4)),
        bad("x.movedim((0, 0), (1, 2))", "SC405", x=(2, 3, 4)),
        bad("x.movedim(0, 3)", "SC404", x=(2, 3, 4)),
    ],
)
def movedim(ctx: Any, input: TensorValue, source: Any, destination: Any) -> TensorValue:
    """ATen movedim: the source dims land at the destination positions; the other dims keep
    their order in the positions left over."""
    src = tuple(source) if isinstance(source, (tuple, list)) else (source,)
    dst = tuple(destination) if isinstance(destination, (tuple, list)) else (destination,)
    unknown = input.with_shape((UNKNOWN,) * input.ndim)
    if len(src) != len(dst):
        ctx.report(
            "SC405",
            f"{ctx.layer}: source {src} and destination {dst} must name as many dims",
        )
        return unknown
    s = _dim_list(ctx, src, input.ndim, "source dim")
    d = _dim_list(ctx, dst, input.ndim, "destination dim")
    if s is None or d is None:
        return unknown
    if input.ndim == 0:
        return input
    order: list[int | None] = [None] * input.ndim
    for a, b in zip(s, d):
        order[b] = a
    rest = iter(i for i in range(input.ndim) if i not in s)
    final = [next(rest) if o is None else o for o in order]
    return input.with_shape(tuple(input.shape[i] for i in final))


# ----------------------------------------------------------------- squeeze / unsqueeze


def _squeeze_dims(ctx: Any, x: TensorValue, dim: Any) -> list[int] | None:
    if dim is None:
        return list(range(x.ndim))
    dims = tuple(dim) if isinstance(dim, (tuple, list)) else (dim,)
    out = []
    for d in dims:
        norm = dim_arg(ctx, d, x.ndim)
        if norm is None:
            return None
        if norm in out:
            ctx.report("SC405", f"{ctx.layer}: dim {norm} appears more than once in {dims}")
            return None
        out.append(norm)
    return out


@shape_rule(
    "Tensor.squeeze",
    "torch.squeeze",
    examples=[
        ok("x.squeeze()", (3,), x=(1, 3, 1)),
        ok("x.squeeze(0)", (3, 1), x=(1, 3, 1)),
        ok("torch.squeeze(x, 1)", (1, 3, 1), x=(1, 3, 1)),
        ok("x.squeeze((0, 2))", (3,), x=(1, 3, 1)),
        ok("x.squeeze(-1)", (), x=()),
        bad("x.squeeze(3)", "SC404", x=(1, 3, 1)),
        bad("x.squeeze((0, 0))", "SC405", x=(1, 3, 1)),
    ],
)
def squeeze(ctx: Any, input: TensorValue, dim: Any = None) -> Any:
    """Drops the selected dims of size 1 (squeezing a dim of another size is a no-op). When a
    symbolic size may or may not be 1, the rank itself depends on the input size: SC905 and an
    opaque result."""
    dims = _squeeze_dims(ctx, input, dim)
    if dims is None:
        return OPAQUE
    keep = []
    for i, d in enumerate(input.shape):
        if i not in dims:
            keep.append(d)
            continue
        one = ctx.decide(sym.eq(d, 1))
        if one is None:
            ctx.report(
                "SC905",
                f"{ctx.layer}: squeeze drops dim {i} only when its size {d} is 1, so the rank "
                f"after it depends on the input size; use squeeze(dim) on a dim of size 1 "
                f"or flatten",
            )
            return OPAQUE
        if not one:
            keep.append(d)
    return input.with_shape(keep)


@shape_rule(
    "Tensor.unsqueeze",
    "torch.unsqueeze",
    examples=[
        ok("x.unsqueeze(1)", (2, 1, 3), x=(2, 3)),
        ok("torch.unsqueeze(x, -1)", (2, 3, 1), x=(2, 3)),
        ok("x.unsqueeze(0)", (1,), x=()),
        bad("x.unsqueeze(3)", "SC404", x=(2, 3)),
        bad("x.unsqueeze(-4)", "SC404", x=(2, 3)),
    ],
)
def unsqueeze(ctx: Any, input: TensorValue, dim: Any) -> TensorValue:
    d = dim_arg(ctx, dim, input.ndim + 1)
    if d is None:
        return input.with_shape((UNKNOWN,) * (input.ndim + 1))
    return input.with_shape((*input.shape[:d], 1, *input.shape[d:]))


@shape_rule(
    "Tensor.contiguous",
    examples=[
        ok("x.transpose(0, 1).contiguous()", (3, 2), x=(2, 3)),
        ok("x.contiguous(memory_format=torch.channels_last)", (1, 2, 3, 4), x=(1, 2, 3, 4)),
        bad("x.contiguous(memory_format=torch.channels_last)", "SC206", x=(2, 3)),
    ],
)
def contiguous(ctx: Any, self: TensorValue, memory_format: Any = None) -> TensorValue:
    check_memory_format(ctx, self, memory_format)
    return self


# ---------------------------------------------------------------- expand / repeat / tile


def expand_core(ctx: Any, x: TensorValue, sizes: tuple[Dim, ...]) -> TensorValue:
    """ATen expand: at least ndim sizes; new leading dims take the size given (>= 0, no -1);
    -1 keeps a dim; an existing dim can only grow from 1 (or keep its size)."""
    unknown = x.with_shape(tuple(UNKNOWN if isinstance(d, int) and d < 0 else d for d in sizes))
    if len(sizes) < x.ndim:
        ctx.report(
            "SC405",
            f"{ctx.layer}: {len(sizes)} sizes given to expand a {x.ndim}-D input {x}",
        )
        return unknown
    lead = len(sizes) - x.ndim
    out: list[Dim] = []
    for i, d in enumerate(sizes):
        old = x.shape[i - lead] if i >= lead else None
        if isinstance(d, int) and d < 0 and not (d == -1 and old is not None):
            where = "a new leading dim" if old is None else "a dim"
            ctx.report("SC405", f"{ctx.layer}: size {d} is not allowed for {where} (index {i})")
            return unknown
        if old is None:
            check_sizes_nonnegative(ctx, (d,))
            out.append(d)
        elif isinstance(d, int) and d == -1:
            out.append(old)
        else:
            # valid when old == 1 or old == d, and the result is d in both cases
            ctx.check(
                sym.eq(sym.mul(old - 1, old - d), 0),
                "SC405",
                f"{ctx.layer}: cannot expand dim {i} of size {old} to {d} "
                f"(only a dim of size 1 can grow)",
            )
            out.append(d)
    return x.with_shape(out)


@shape_rule(
    "Tensor.expand",
    examples=[
        ok("x.expand(2, 3, 4)", (2, 3, 4), x=(3, 1)),
        ok("x.expand(-1, 5)", (3, 5), x=(3, 1)),
        ok("x.expand((4, -1, 0))", (4, 3, 0), x=(3, 1)),
        bad("x.expand(4, 4)", "SC405", x=(3, 4)),
        bad("x.expand(-1, 3, 4)", "SC405", x=(3, 4)),
        bad("x.expand(4)", "SC405", x=(3, 4)),
    ],
)
def expand(ctx: Any, self: TensorValue, *sizes: Any) -> Any:
    shape = size_args(ctx, sizes, "sizes")
    return OPAQUE if shape is None else expand_core(ctx, self, shape)


@shape_rule(
    "torch.broadcast_to",
    "Tensor.broadcast_to",
    examples=[
        ok("torch.broadcast_to(x, (2, 3, 4))", (2, 3, 4), x=(3, 4)),
        ok("x.broadcast_to((-1, 4))", (3, 4), x=(3, 1)),
        bad("torch.broadcast_to(x, (1, 4))", "SC405", x=(3, 4)),
    ],
)
def broadcast_to(ctx: Any, input: TensorValue, size: Any) -> Any:
    if not isinstance(size, (tuple, list)):
        ctx.report("SC405", f"{ctx.layer}: size must be a tuple of ints, got {size!r}")
        return OPAQUE
    shape = size_args(ctx, (tuple(size),), "size")
    return OPAQUE if shape is None else expand_core(ctx, input, shape)


@shape_rule(
    "Tensor.expand_as",
    examples=[
        ok("x.expand_as(y)", (2, 3, 4), x=(3, 1), y=(2, 3, 4)),
        bad("x.expand_as(y)", "SC405", x=(3, 4), y=(5, 6, 7)),
    ],
)
def expand_as(ctx: Any, self: TensorValue, other: TensorValue) -> TensorValue:
    return expand_core(ctx, self, other.shape)


def repeat_core(ctx: Any, x: TensorValue, repeats: tuple[Dim, ...]) -> TensorValue:
    """ATen repeat: len(repeats) >= ndim; the shape, padded with leading 1s, times repeats."""
    if len(repeats) < x.ndim:
        ctx.report(
            "SC405",
            f"{ctx.layer}: {len(repeats)} repeat counts for a {x.ndim}-D input {x} "
            f"(need at least {x.ndim})",
        )
        return x.with_shape((UNKNOWN,) * x.ndim)
    padded = (1,) * (len(repeats) - x.ndim) + tuple(x.shape)
    out = tuple(s * r for s, r in zip(padded, repeats))
    # torch checks the product, not the count: an empty dim may be "repeated" -2 times
    if not check_sizes_nonnegative(ctx, out, "repeated size"):
        return x.with_shape((UNKNOWN,) * len(repeats))
    return x.with_shape(out)


@shape_rule(
    "Tensor.repeat",
    examples=[
        ok("x.repeat(2, 2)", (6, 8), x=(3, 4)),
        ok("x.repeat((2, 1, 3))", (2, 3, 12), x=(3, 4)),
        ok("x.repeat(0, 1)", (0, 4), x=(3, 4)),
        bad("x.repeat(2)", "SC405", x=(3, 4)),
        bad("x.repeat(-1, 1)", "SC405", x=(3, 4)),
    ],
)
def repeat(ctx: Any, self: TensorValue, *repeats: Any) -> Any:
    if not repeats:
        ctx.report("SC405", f"{ctx.layer} needs repeat counts")
        return OPAQUE
    counts = size_args(ctx, repeats, "repeat counts")
    return OPAQUE if counts is None else repeat_core(ctx, self, counts)


@shape_rule(
    "torch.repeat_interleave",
    "Tensor.repeat_interleave",
    examples=[
        ok("x.repeat_interleave(2, dim=1)", (2, 6, 4), x=(2, 3, 4)),
        ok("x.repeat_interleave(2)", (48,), x=(2, 3, 4)),
        ok("torch.repeat_interleave(x, 3, dim=-1)", (2, 3, 12), x=(2, 3, 4)),
        ok("x.repeat_interleave(0, dim=1)", (2, 0, 4), x=(2, 3, 4)),
        ok(
            "x.repeat_interleave(x.new_ones(3).long() * 2, dim=1, output_size=6)",
            (2, 6, 4),
            x=(2, 3, 4),
        ),
        bad("x.repeat_interleave(-1, dim=1)", "SC405", x=(2, 3, 4)),
        bad("x.repeat_interleave(2, dim=3)", "SC404", x=(2, 3, 4)),
        bad("x.repeat_interleave(x.new_ones(2).long(), dim=1)", "SC306", x=(2, 3, 4)),
        bad("x.repeat_interleave(2, dim=1, output_size=7)", "SC306", x=(2, 3, 4)),
    ],
)
def repeat_interleave(
    ctx: Any, input: TensorValue, repeats: Any = None, dim: Any = None, *, output_size: Any = None
) -> Any:
    """Each element repeated along dim (the flattened input when dim is None). A tensor of
    repeats (one count, or one per element along dim) makes the size its sum, known only
    through output_size; torch.repeat_interleave(counts) alone gives (sum of counts,)."""
    if repeats is None:  # torch.repeat_interleave(repeats): the indices, data-dependent
        return input.with_shape((UNKNOWN if output_size is None else output_size,))
    if dim is None:
        x, d = input.with_shape((numel(input.shape),)), 0
    else:
        d = dim_arg(ctx, dim, input.ndim, scalar=False)
        if d is None:
            return OPAQUE
        x = input
    size = x.shape[d]
    out: Any = UNKNOWN
    if isinstance(repeats, TensorValue):
        if repeats.ndim > 1:
            ctx.report("SC306", f"{ctx.layer}: repeats must be a 0-D or 1-D tensor, got {repeats}")
        elif not is_integral(repeats.dtype, include_bool=False):
            ctx.report("SC207", f"{ctx.layer}: repeats must be integers, got {repeats.dtype}")
        elif repeats.ndim == 1 and repeats.shape[0] != 1:
            ctx.expect_eq(repeats.shape[0], size, "SC306", "repeat counts (one per element)")
    else:
        count = int_arg(ctx, repeats, "repeats")
        if count is None:
            return OPAQUE
        if count < 0:
            ctx.report("SC405", f"{ctx.layer}: repeats must be non-negative, got {count}")
            return OPAQUE
        out = size * count
    if output_size is not None:
        if out is not UNKNOWN:
            ctx.expect_eq(output_size, out, "SC306", "output_size")
        out = output_size
    return x.with_shape(x.shape[:d] + (out,) + x.shape[d + 1 :])


def tile_core(ctx: Any, x: TensorValue, dims: Any) -> Any:
    """torch.tile: fewer dims than the input are padded with leading 1s, then repeat."""
    counts = size_args(ctx, dims if isinstance(dims, tuple) else (dims,), "dims")
    if counts is None:
        return OPAQUE
    return repeat_core(ctx, x, (1,) * (x.ndim - len(counts)) + counts)


@shape_rule(
    "torch.tile",
    examples=[
        ok("torch.tile(x, (2,))", (3, 8), x=(3, 4)),
        ok("torch.tile(x, (2, 1, 3))", (2, 3, 12), x=(3, 4)),
        bad("torch.tile(x, (-1,))", "SC405", x=(3, 4)),
    ],
)
def tile_function(ctx: Any, input: TensorValue, dims: Any) -> Any:
    if not isinstance(dims, (tuple, list)):
        ctx.report("SC405", f"{ctx.layer}: dims must be a tuple of ints, got {dims!r}")
        return OPAQUE
    return tile_core(ctx, input, (tuple(dims),))


@shape_rule(
    "Tensor.tile",
    examples=[
        ok("x.tile(2)", (3, 8), x=(3, 4)),
        ok("x.tile((2, 2))", (6, 8), x=(3, 4)),
        bad("x.tile(2.5)", "SC405", x=(3, 4)),
    ],
)
def tile(ctx: Any, self: TensorValue, *dims: Any) -> Any:
    return tile_core(ctx, self, dims)


# ------------------------------------------------------------------ flip / roll / narrow


def flip_core(ctx: Any, x: TensorValue, dims: tuple) -> TensorValue:
    _dim_list(ctx, dims, x.ndim)
    return x


@shape_rule(
    "Tensor.flip",
    examples=[
        ok("x.flip(0)", (3, 4), x=(3, 4)),
        ok("x.flip(0, 1)", (3, 4), x=(3, 4)),
        ok("x.flip((-1,))", (3, 4), x=(3, 4)),
        bad("x.flip(0, 0)", "SC405", x=(3, 4)),
        bad("x.flip(2)", "SC404", x=(3, 4)),
    ],
)
def flip(ctx: Any, self: TensorValue, *dims: Any) -> Any:
    if not dims:
        ctx.report("SC405", f"{ctx.layer} needs dims")
        return self
    return flip_core(ctx, self, _dims_args(dims))


@shape_rule(
    "torch.flip",
    examples=[
        ok("torch.flip(x, (0,))", (3, 4), x=(3, 4)),
        ok("torch.flip(x, ())", (3, 4), x=(3, 4)),
        bad("torch.flip(x, 0)", "SC405", x=(3, 4)),
        bad("torch.flip(x, (0, 2))", "SC404", x=(3, 4)),
    ],
)
def flip_function(ctx: Any, input: TensorValue, dims: Any) -> Any:
    if not isinstance(dims, (tuple, list)):
        ctx.report("SC405", f"{ctx.layer}: dims must be a tuple of ints, got {dims!r}")
        return input
    return flip_core(ctx, input, tuple(dims))


@shape_rule(
    "torch.roll",
    "Tensor.roll",
    examples=[
        ok("torch.roll(x, 1)", (3, 4), x=(3, 4)),
        ok("torch.roll(x, (1, 2), (0, 1))", (3, 4), x=(3, 4)),
        ok("x.roll(-1, 1)", (3, 4), x=(3, 4)),
        bad("torch.roll(x, (1, 2), 0)", "SC405", x=(3, 4)),
        bad("torch.roll(x, (1, 2))", "SC405", x=(3, 4)),
        bad("torch.roll(x, 1, 2)", "SC404", x=(3, 4)),
        bad("torch.roll(x, 1, 0)", "SC404", x=()),
    ],
)
def roll(ctx: Any, input: TensorValue, shifts: Any, dims: Any = None) -> TensorValue:
    """ATen roll: as many shifts as dims (one shift without dims, on the flattened tensor);
    dims are wrapped without the 0-d allowance, and not checked at all on an empty tensor."""
    shift_list = tuple(shifts) if isinstance(shifts, (tuple, list)) else (shifts,)
    dim_list = () if dims is None else tuple(dims) if isinstance(dims, (tuple, list)) else (dims,)
    if not shift_list:
        ctx.report("SC405", f"{ctx.layer}: shifts are required")
        return input
    if len(shift_list) != max(len(dim_list), 1) or (dims is not None and not dim_list):
        ctx.report(
            "SC405",
            f"{ctx.layer}: {len(shift_list)} shifts and {len(dim_list)} dims must align",
        )
        return input
    if ctx.decide(sym.eq(numel(input.shape), 0)) is not True:  # an empty tensor returns early
        for d in dim_list:
            dim_arg(ctx, d, input.ndim, scalar=False)
    return input


@shape_rule(
    "Tensor.narrow",
    "torch.narrow",
    examples=[
        ok("x.narrow(0, 1, 2)", (2, 4), x=(3, 4)),
        ok("torch.narrow(x, -1, -3, 3)", (3, 3), x=(3, 4)),
        ok("x.narrow(0, 3, 0)", (0, 4), x=(3, 4)),
        bad("x.narrow(0, 2, 2)", "SC406", x=(3, 4)),
        bad("x.narrow(0, -4, 1)", "SC406", x=(3, 4)),
        bad("x.narrow(0, 1, -1)", "SC405", x=(3, 4)),
        bad("x.narrow(2, 0, 1)", "SC404", x=(3, 4)),
        bad("x.narrow(0, 0, 1)", "SC404", x=()),
    ],
)
def narrow(ctx: Any, input: TensorValue, dim: Any, start: Any, length: Any) -> TensorValue:
    """ATen narrow: start in [-size, size] (negative counts from the end), length >= 0,
    start + length <= size. A 0-d tensor cannot be narrowed. A tensor start is unchecked."""
    d = dim_arg(ctx, dim, input.ndim, scalar=False)
    if d is None:
        return input.with_shape((UNKNOWN,) * input.ndim)
    size = input.shape[d]
    out = list(input.shape)
    out[d] = length
    for name, value in (("start", start), ("length", length)):
        if not (is_size(value) or isinstance(value, TensorValue)):
            ctx.report("SC405", f"{ctx.layer}: {name} must be an integer, got {value!r}")
            return input.with_shape((UNKNOWN,) * input.ndim)
    if isinstance(length, TensorValue) or not check_sizes_nonnegative(ctx, (length,), "length"):
        out[d] = UNKNOWN
        return input.with_shape(out)
    if isinstance(start, TensorValue):
        return input.with_shape(out)
    in_range = f"{ctx.layer}: start {start} is out of range for dim {d} of size {size}"
    ctx.check(sym.ge(start, -size), "SC406", in_range)
    ctx.check(sym.le(start, size), "SC406", in_range)
    begin = start + size if ctx.decide(sym.lt(start, 0)) is True else start
    ctx.check(
        sym.le(begin + length, size),
        "SC406",
        f"{ctx.layer}: start ({start}) + length ({length}) exceeds dimension size ({size})",
    )
    return input.with_shape(out)


# ------------------------------------------------------------------------- atleast_Nd


def _atleast(x: TensorValue, n: int) -> TensorValue:
    """torch.atleast_1d/2d/3d: 0-d -> (1,)*n; 1-d (k,) -> (1, k) / (1, k, 1); 2-d -> (m, k, 1)."""
    if x.ndim >= n:
        return x
    if x.ndim == 0:
        return x.with_shape((1,) * n)
    if x.ndim == 1:
        return x.with_shape(((1,) + x.shape + (1,))[:n])
    return x.with_shape(x.shape + (1,))


@shape_rule(
    "torch.atleast_1d",
    "torch.atleast_2d",
    "torch.atleast_3d",
    examples=[
        ok("torch.atleast_1d(x)", (1,), x=()),
        ok("torch.atleast_2d(x)", (1, 3), x=(3,)),
        ok("torch.atleast_3d(x)", (1, 3, 1), x=(3,)),
        ok("torch.atleast_3d(x)", (3, 4, 1), x=(3, 4)),
        ok("torch.atleast_2d(x, y)", [(3, 4), (1, 1)], x=(3, 4), y=()),
        ok("torch.atleast_3d([x, y])", [(3, 4, 1), (1, 1, 1)], x=(3, 4), y=()),
        bad("torch.atleast_2d(x).view(5)", "SC402", x=(3,)),
    ],
)
def atleast(ctx: Any, *tensors: Any) -> Any:
    n = int(ctx.op[-2])
    if len(tensors) == 1 and isinstance(tensors[0], TensorValue):
        return _atleast(tensors[0], n)
    items = tensors[0] if len(tensors) == 1 and isinstance(tensors[0], (tuple, list)) else tensors
    return tuple(_atleast(t, n) if isinstance(t, TensorValue) else t for t in items)
