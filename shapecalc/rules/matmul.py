"""Matrix products: @ / matmul, mm, bmm, mv, dot, outer, addmm and friends, einsum, tensordot.

torch.matmul's rules (torch.matmul docs): 1-D @ 1-D is a dot product (0-d); 2-D @ 2-D a
matrix product; a 1-D left operand gets a 1 prepended (removed afterwards), a 1-D right
operand a 1 appended; with more dims the leading (batch) dims broadcast. The inner sizes must
be equal (no broadcasting there). mm/bmm/mv/dot take exactly 2-D/3-D/(2-D, 1-D)/1-D operands
and bmm's batch sizes must be equal. einsum follows torch.einsum: one subscript term per
operand, '...' for broadcast dims, size-1 dims broadcast, an implicit output lists the
labels used once in alphabetical order after the ellipsis dims.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from .. import symbolic as sym
from ..symbolic import UNKNOWN, Dim
from ..values import OPAQUE, TensorValue, format_shape
from . import bad, ok, shape_rule
from .elementwise import (
    broadcast_dim,
    broadcast_two,
    check_inplace,
    is_one,
    result_dtype,
    tensor_inputs,
)
from .reduce import wrap_dim


def _inner(ctx: Any, a: TensorValue, b: TensorValue, x: Dim, y: Dim) -> bool:
    """The contracted sizes of a product must be equal (SC304, naming both). False when
    they are not."""
    message = (
        f"{ctx.layer} cannot multiply {format_shape(a.shape)} by {format_shape(b.shape)}: "
        f"inner dimensions {x} vs {y}"
    )
    if isinstance(x, int) and isinstance(y, int):
        if x != y:
            ctx.report("SC304", message)
        return x == y
    return ctx.check(sym.eq(x, y), "SC304", message) is not False


def _columns(ctx: Any, ok: bool, left: Sequence[Dim], right: Sequence[Dim]) -> Dim:
    """The columns of a product whose inner sizes may not agree. After a mismatch the
    intended product is unknown, with one common exception: the right operand's transpose
    forgotten (``q @ k`` for ``q @ k.transpose(-2, -1)``: both end in the same size), whose
    intended columns are the right operand's rows. Anything else is opaque, so that the ops
    after it report nothing the first mismatch caused."""
    if ok:
        return right[-1]
    if ctx.decide(sym.eq(left[-1], right[-1])) is True:
        return right[-2]
    return UNKNOWN


def _rank(ctx: Any, t: TensorValue, ranks: Sequence[int], what: str) -> bool:
    if t.ndim in ranks:
        return True
    want = " or ".join(f"{r}-D" for r in ranks)
    ctx.report(
        "SC206", f"{ctx.layer} needs a {want} {what}, got {t.ndim}-D {format_shape(t.shape)}"
    )
    return False


def matmul_core(ctx: Any, a: Any, b: Any) -> Any:
    """torch.matmul(a, b) for tensors of any rank >= 1."""
    if not isinstance(a, TensorValue) or not isinstance(b, TensorValue):
        ctx.report("SC306", f"{ctx.layer} needs two tensors, got {a!r} and {b!r}")
        return OPAQUE
    dtype = result_dtype((a, b))
    const = a.const and b.const
    if a.ndim == 0 or b.ndim == 0:
        ctx.report(
            "SC206",
            f"{ctx.layer}: both arguments need at least 1 dimension, got {a.ndim}-D and {b.ndim}-D",
        )
        return TensorValue((UNKNOWN,) * max(a.ndim, b.ndim, 1), dtype, const)
    left = a.shape if a.ndim > 1 else (1, *a.shape)
    right = b.shape if b.ndim > 1 else (*b.shape, 1)
    ok = _inner(ctx, a, b, left[-1], right[-2])
    batch = broadcast_two(ctx, left[:-2], right[:-2], "SC304", "the batch dims of ")
    shape = list(batch)
    if a.ndim > 1:
        shape.append(left[-2])
    if b.ndim > 1:
        shape.append(_columns(ctx, ok, left, right))
    return TensorValue(tuple(shape), dtype, const)


@shape_rule(
    "operator.matmul",
    "torch.matmul",
    "Tensor.matmul",
    "Tensor.__matmul__",
    "Tensor.__rmatmul__",
    examples=[
        ok("x @ y", (2, 5), x=(2, 3), y=(3, 5)),
        ok("x @ y", (), x=(3,), y=(3,)),
        ok("torch.matmul(x, y)", (2,), x=(2, 3), y=(3,)),
        ok("x.matmul(y)", (4,), x=(3,), y=(3, 4)),
        ok("x @ y", (5, 4, 2, 6), x=(5, 1, 2, 3), y=(4, 3, 6)),
        ok("x @ y", (5, 2), x=(5, 2, 3), y=(3,)),
        ok("x @ y", (5, 4), x=(3,), y=(5, 3, 4)),
        ok("y.__rmatmul__(x)", (2, 5), x=(2, 3), y=(3, 5)),
        bad("x @ y", "SC304", x=(2, 3), y=(4, 5)),
        bad("x @ y", "SC304", x=(3,), y=(4,)),
        bad("torch.matmul(x, y)", "SC304", x=(5, 2, 2, 3), y=(4, 3, 6)),
        bad("x @ y", "SC206", x=(), y=(3,)),
    ],
)
def matmul(ctx: Any, input: Any, other: Any, *, out: Any = None) -> Any:
    if ctx.op == "Tensor.__rmatmul__":
        input, other = other, input
    return matmul_core(ctx, input, other)


def _mm(ctx: Any, a: TensorValue, b: TensorValue) -> tuple[Dim, Dim] | None:
    if not (_rank(ctx, a, (2,), "first matrix") and _rank(ctx, b, (2,), "second matrix")):
        return None
    ok = _inner(ctx, a, b, a.shape[1], b.shape[0])
    return a.shape[0], _columns(ctx, ok, a.shape, b.shape)


@shape_rule(
    "torch.mm",
    "Tensor.mm",
    examples=[
        ok("torch.mm(x, y)", (2, 4), x=(2, 3), y=(3, 4)),
        bad("torch.mm(x, y)", "SC304", x=(2, 3), y=(4, 4)),
        bad("x.mm(y)", "SC206", x=(3,), y=(3, 4)),
    ],
)
@tensor_inputs(2)
def mm(ctx: Any, input: TensorValue, mat2: TensorValue, *, out: Any = None) -> TensorValue:
    shape = _mm(ctx, input, mat2)
    dtype = result_dtype((input, mat2))
    return TensorValue(shape if shape else (UNKNOWN, UNKNOWN), dtype, input.const and mat2.const)


def _bmm(ctx: Any, a: TensorValue, b: TensorValue) -> tuple[Dim, Dim, Dim] | None:
    """bmm: (b, n, m) @ (b, m, p) -> (b, n, p), batch sizes equal (no broadcasting)."""
    if not (_rank(ctx, a, (3,), "first batch") and _rank(ctx, b, (3,), "second batch")):
        return None
    batch = a.shape[0]
    message = (
        f"{ctx.layer} needs equal batch sizes: {format_shape(a.shape)} and {format_shape(b.shape)}"
    )
    if isinstance(batch, int) and isinstance(b.shape[0], int):
        if batch != b.shape[0]:
            ctx.report("SC304", message)
    else:
        ctx.check(sym.eq(batch, b.shape[0]), "SC304", message)
    ok = _inner(ctx, a, b, a.shape[2], b.shape[1])
    return batch, a.shape[1], _columns(ctx, ok, a.shape, b.shape)


@shape_rule(
    "torch.bmm",
    "Tensor.bmm",
    examples=[
        ok("torch.bmm(x, y)", (2, 2, 4), x=(2, 2, 3), y=(2, 3, 4)),
        bad("torch.bmm(x, y)", "SC304", x=(2, 2, 3), y=(1, 3, 4)),
        bad("x.bmm(y)", "SC304", x=(2, 2, 3), y=(2, 4, 4)),
        bad("torch.bmm(x, y)", "SC206", x=(2, 3), y=(2, 3, 4)),
    ],
)
@tensor_inputs(2)
def bmm(ctx: Any, input: TensorValue, mat2: TensorValue, *, out: Any = None) -> TensorValue:
    shape = _bmm(ctx, input, mat2)
    dtype = result_dtype((input, mat2))
    return TensorValue(shape if shape else (UNKNOWN,) * 3, dtype, input.const and mat2.const)


@shape_rule(
    "torch.mv",
    "Tensor.mv",
    examples=[
        ok("torch.mv(x, v)", (2,), x=(2, 3), v=(3,)),
        bad("x.mv(v)", "SC304", x=(2, 3), v=(4,)),
        bad("torch.mv(x, v)", "SC206", x=(2, 3), v=(1, 3)),
    ],
)
@tensor_inputs(2)
def mv(ctx: Any, input: TensorValue, vec: TensorValue, *, out: Any = None) -> TensorValue:
    dtype = result_dtype((input, vec))
    if not (_rank(ctx, input, (2,), "matrix") and _rank(ctx, vec, (1,), "vector")):
        return TensorValue((UNKNOWN,), dtype)
    _inner(ctx, input, vec, input.shape[1], vec.shape[0])
    return TensorValue((input.shape[0],), dtype, input.const and vec.const)


@shape_rule(
    "torch.dot",
    "torch.vdot",
    "torch.inner",
    "Tensor.dot",
    "Tensor.vdot",
    "Tensor.inner",
    examples=[
        ok("torch.dot(x, y)", (), x=(3,), y=(3,)),
        ok("x.vdot(y)", (), x=(3,), y=(3,)),
        ok("torch.inner(x, y)", (2, 4), x=(2, 3), y=(4, 3)),
        ok("torch.inner(x, y)", (2, 3), x=(2, 3), y=()),
        bad("torch.dot(x, y)", "SC304", x=(3,), y=(4,)),
        bad("x.dot(y)", "SC206", x=(1, 3), y=(3,)),
        bad("torch.inner(x, y)", "SC304", x=(2, 3), y=(3, 2)),
    ],
)
@tensor_inputs(2)
def dot(ctx: Any, input: TensorValue, other: TensorValue, *, out: Any = None) -> TensorValue:
    """dot/vdot: two 1-D tensors of one size -> 0-d. inner: contracts the last dims
    (a 0-d operand multiplies elementwise)."""
    dtype = result_dtype((input, other))
    const = input.const and other.const
    if ctx.op.endswith("inner"):
        if input.ndim == 0 or other.ndim == 0:
            shape = other.shape if input.ndim == 0 else input.shape
            return TensorValue(shape, dtype, const)
        _inner(ctx, input, other, input.shape[-1], other.shape[-1])
        return TensorValue(input.shape[:-1] + other.shape[:-1], dtype, const)
    if _rank(ctx, input, (1,), "first vector") and _rank(ctx, other, (1,), "second vector"):
        _inner(ctx, input, other, input.shape[0], other.shape[0])
    return TensorValue((), dtype, const)


@shape_rule(
    "torch.outer",
    "torch.ger",
    "Tensor.outer",
    "Tensor.ger",
    examples=[
        ok("torch.outer(x, y)", (3, 4), x=(3,), y=(4,)),
        bad("x.outer(y)", "SC206", x=(3,), y=(4, 1)),
    ],
)
@tensor_inputs(2)
def outer(ctx: Any, input: TensorValue, vec2: TensorValue, *, out: Any = None) -> TensorValue:
    dtype = result_dtype((input, vec2))
    if not (_rank(ctx, input, (1,), "first vector") and _rank(ctx, vec2, (1,), "second vector")):
        return TensorValue((UNKNOWN, UNKNOWN), dtype)
    return TensorValue((input.shape[0], vec2.shape[0]), dtype, input.const and vec2.const)


def _add_term(
    ctx: Any, input: TensorValue, product: tuple[Dim, ...], mats: Sequence[TensorValue]
) -> TensorValue:
    """addmm-style ops add ``input``, which must expand to the product's shape (ATen
    expand_size: each of its dims equal to the product's or 1, no extra dims); the in-place
    form needs exactly that shape."""
    dtype = result_dtype((input, *mats))
    if ctx.op.endswith("_"):
        if input.ndim != len(product):
            ctx.report(
                "SC301",
                f"{ctx.layer}: an in-place product of shape {format_shape(product)} cannot be "
                f"written into {format_shape(input.shape)}",
            )
            return input
        check_inplace(ctx, input, product, dtype)
        return input
    message = (
        f"{ctx.layer}: the added tensor {format_shape(input.shape)} does not expand to the "
        f"product's shape {format_shape(product)}"
    )
    if input.ndim > len(product):
        ctx.report("SC301", message)
    else:
        for size, want in zip(reversed(input.shape), reversed(product)):
            if size is UNKNOWN or want is UNKNOWN or is_one(ctx, size):
                continue
            if isinstance(size, int) and isinstance(want, int):
                if size != want:
                    ctx.report("SC301", message)
                continue
            ctx.check(sym.eq(size, want), "SC301", message)
    return TensorValue(product, dtype, input.const and all(m.const for m in mats))


@shape_rule(
    "torch.addmm",
    "Tensor.addmm",
    "Tensor.addmm_",
    examples=[
        ok("torch.addmm(b, x, y)", (2, 4), b=(4,), x=(2, 3), y=(3, 4)),
        ok("b.addmm(x, y, beta=0.5)", (2, 4), b=(2, 1), x=(2, 3), y=(3, 4)),
        ok("b.addmm_(x, y)", (2, 4), b=(2, 4), x=(2, 3), y=(3, 4)),
        bad("torch.addmm(b, x, y)", "SC301", b=(5,), x=(2, 3), y=(3, 4)),
        bad("torch.addmm(b, x, y)", "SC301", b=(3, 2, 4), x=(2, 3), y=(3, 4)),
        bad("b.addmm_(x, y)", "SC301", b=(4,), x=(2, 3), y=(3, 4)),
        bad("torch.addmm(b, x, y)", "SC304", b=(4,), x=(2, 3), y=(2, 4)),
    ],
)
@tensor_inputs(3)
def addmm(
    ctx: Any,
    input: TensorValue,
    mat1: TensorValue,
    mat2: TensorValue,
    *,
    beta: Any = 1,
    alpha: Any = 1,
    out: Any = None,
) -> TensorValue:
    shape = _mm(ctx, mat1, mat2)
    return _add_term(ctx, input, shape or (UNKNOWN, UNKNOWN), (mat1, mat2))


@shape_rule(
    "torch.baddbmm",
    "torch.addbmm",
    "Tensor.baddbmm",
    "Tensor.addbmm",
    "Tensor.baddbmm_",
    "Tensor.addbmm_",
    examples=[
        ok("torch.baddbmm(b, x, y)", (2, 2, 4), b=(4,), x=(2, 2, 3), y=(2, 3, 4)),
        ok("torch.addbmm(b, x, y)", (2, 4), b=(4,), x=(2, 2, 3), y=(2, 3, 4)),
        bad("torch.baddbmm(b, x, y)", "SC301", b=(3, 2, 4), x=(2, 2, 3), y=(2, 3, 4)),
        bad("b.addbmm(x, y)", "SC304", b=(4,), x=(2, 2, 3), y=(3, 3, 4)),
    ],
)
@tensor_inputs(3)
def baddbmm(
    ctx: Any,
    input: TensorValue,
    batch1: TensorValue,
    batch2: TensorValue,
    *,
    beta: Any = 1,
    alpha: Any = 1,
    out: Any = None,
) -> TensorValue:
    """baddbmm adds input to the batched product (b, n, p); addbmm to its sum over the
    batch (n, p)."""
    shape = _bmm(ctx, batch1, batch2) or (UNKNOWN,) * 3
    if "addbmm" in ctx.op and "baddbmm" not in ctx.op:
        shape = shape[1:]
    return _add_term(ctx, input, shape, (batch1, batch2))


@shape_rule(
    "torch.addmv",
    "Tensor.addmv",
    "Tensor.addmv_",
    examples=[
        ok("torch.addmv(b, x, v)", (2,), b=(2,), x=(2, 3), v=(3,)),
        ok("torch.addmv(b, x, v)", (2,), b=(), x=(2, 3), v=(3,)),
        bad("torch.addmv(b, x, v)", "SC301", b=(3,), x=(2, 3), v=(3,)),
    ],
)
@tensor_inputs(3)
def addmv(
    ctx: Any,
    input: TensorValue,
    mat: TensorValue,
    vec: TensorValue,
    *,
    beta: Any = 1,
    alpha: Any = 1,
    out: Any = None,
) -> TensorValue:
    shape: tuple[Dim, ...] = (UNKNOWN,)
    if _rank(ctx, mat, (2,), "matrix") and _rank(ctx, vec, (1,), "vector"):
        _inner(ctx, mat, vec, mat.shape[1], vec.shape[0])
        shape = (mat.shape[0],)
    return _add_term(ctx, input, shape, (mat, vec))


@shape_rule(
    "torch.addr",
    "Tensor.addr",
    "Tensor.addr_",
    examples=[
        ok("torch.addr(b, x, y)", (2, 3), b=(1,), x=(2,), y=(3,)),
        bad("torch.addr(b, x, y)", "SC301", b=(2,), x=(2,), y=(3,)),
    ],
)
@tensor_inputs(3)
def addr(
    ctx: Any,
    input: TensorValue,
    vec1: TensorValue,
    vec2: TensorValue,
    *,
    beta: Any = 1,
    alpha: Any = 1,
    out: Any = None,
) -> TensorValue:
    shape: tuple[Dim, ...] = (UNKNOWN, UNKNOWN)
    if _rank(ctx, vec1, (1,), "first vector") and _rank(ctx, vec2, (1,), "second vector"):
        shape = (vec1.shape[0], vec2.shape[0])
    return _add_term(ctx, input, shape, (vec1, vec2))


# ---------------------------------------------------------------------------------- einsum

_ELLIPSIS = "..."


class EinsumError(ValueError):
    """A malformed equation (torch raises RuntimeError with the same reason)."""


def parse_einsum(equation: str, n_operands: int) -> tuple[list[list[str]], list[str] | None]:
    """The subscripts of each operand (letters, and '...' as one item) and of the output
    (None when implicit). Spaces are ignored, as torch does."""
    text = equation.replace(" ", "")
    lhs, arrow, rhs = text.partition("->")
    terms = [_subscripts(t) for t in lhs.split(",")]
    if len(terms) > n_operands:
        raise EinsumError("fewer operands were provided than specified in the equation")
    if len(terms) < n_operands:
        raise EinsumError("more operands were provided than specified in the equation")
    if not arrow:
        return terms, None
    output = _subscripts(rhs)
    used = {s for t in terms for s in t}
    for s in output:
        if s != _ELLIPSIS and s not in used:
            raise EinsumError(f"output subscript {s} does not appear in any input")
    seen = [s for s in output if s != _ELLIPSIS]
    for s in seen:
        if seen.count(s) > 1:
            raise EinsumError(f"output subscript {s} appears more than once in the output")
    if output.count(_ELLIPSIS) > 1:
        raise EinsumError("the output has more than one ellipsis")
    return terms, output


def _subscripts(term: str) -> list[str]:
    out: list[str] = []
    i = 0
    while i < len(term):
        if term.startswith(_ELLIPSIS, i):
            if _ELLIPSIS in out:
                raise EinsumError("a term has more than one ellipsis")
            out.append(_ELLIPSIS)
            i += 3
            continue
        ch = term[i]
        if not (ch.isascii() and ch.isalpha()):
            raise EinsumError(f"invalid subscript {ch!r}: subscripts must be in [a-zA-Z]")
        out.append(ch)
        i += 1
    return out


def _sublist_equation(args: Sequence[Any]) -> tuple[str, list[Any]]:
    """einsum(op1, [0, 1], op2, [1, 2], [0, 2]): the sublist format as an equation."""
    operands = list(args[0::2])
    sublists = list(args[1::2])
    output = None
    if len(operands) > len(sublists):
        output = operands.pop()  # the trailing output sublist sits at an operand position

    def letters(sub: Sequence[Any]) -> str:
        out = ""
        for s in sub:
            out += (
                _ELLIPSIS
                if s is Ellipsis
                else "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"[s]
            )
        return out

    eq = ",".join(letters(s) for s in sublists)
    if output is not None:
        eq += "->" + letters(output)
    return eq, operands


def _diagonal(ctx: Any, label: str, k: int, first: Dim, size: Dim) -> None:
    message = (
        f"{ctx.layer}: subscript {label} is repeated in operand {k} with sizes {first} and {size}"
    )
    if isinstance(first, int) and isinstance(size, int):
        if first != size:
            ctx.report("SC304", message)
        return
    ctx.check(sym.eq(first, size), "SC304", message)


def einsum_shape(
    ctx: Any, terms: list[list[str]], output: list[str] | None, ops: Sequence[TensorValue]
) -> tuple[Dim, ...] | None:
    sizes: dict[str, Dim] = {}
    ellipsis: tuple[Dim, ...] = ()
    for k, (term, t) in enumerate(zip(terms, ops)):
        labels = [s for s in term if s != _ELLIPSIS]
        if _ELLIPSIS in term:
            covered = t.ndim - len(labels)
            if covered < 0:
                ctx.report(
                    "SC206",
                    f"{ctx.layer}: operand {k} has {t.ndim} dimensions, fewer than the "
                    f"{len(labels)} subscripts of {''.join(term)!r}",
                )
                return None
        elif t.ndim != len(labels):
            ctx.report(
                "SC206",
                f"{ctx.layer}: operand {k} has {t.ndim} dimensions but {''.join(term)!r} names "
                f"{len(labels)}",
            )
            return None
        dims = list(t.shape)
        own: dict[str, Dim] = {}
        for s in term:
            if s == _ELLIPSIS:
                covered = t.ndim - len(labels)
                span = tuple(dims[:covered])
                dims = dims[covered:]
                ellipsis = broadcast_two(ctx, ellipsis, span, "SC304", "the '...' dims of ")
                continue
            size = dims.pop(0)
            if s in own:  # a repeated subscript takes a diagonal: sizes must be equal
                _diagonal(ctx, s, k, own[s], size)
                continue
            own[s] = size
        for s, size in own.items():
            if s not in sizes:
                sizes[s] = size
                continue

            def message(s: str = s, k: int = k, size: Dim = size) -> str:
                return (
                    f"{ctx.layer}: subscript {s} has size {size} in operand {k}, which does "
                    f"not broadcast with {sizes[s]}"
                )

            sizes[s] = broadcast_dim(ctx, sizes[s], size, "SC304", message)
    if output is None:
        used = [s for term in terms for s in term if s != _ELLIPSIS]
        output = [_ELLIPSIS] + sorted(s for s in set(used) if used.count(s) == 1)
    shape: list[Dim] = []
    for s in output:
        if s == _ELLIPSIS:
            shape.extend(ellipsis)
        else:
            shape.append(sizes[s])
    return tuple(shape)


@shape_rule(
    "torch.einsum",
    examples=[
        ok("torch.einsum('ij,jk->ik', x, y)", (2, 4), x=(2, 3), y=(3, 4)),
        ok("torch.einsum('ij,jk', [x, y])", (2, 4), x=(2, 3), y=(3, 4)),
        ok("torch.einsum('bhqd,bhkd->bhqk', q, k)", (2, 4, 5, 6), q=(2, 4, 5, 8), k=(2, 4, 6, 8)),
        ok("torch.einsum('...ij,...jk', x, y)", (5, 4, 2, 6), x=(5, 1, 2, 3), y=(4, 3, 6)),
        ok("torch.einsum('ii', x)", (), x=(3, 3)),
        ok("torch.einsum('i,i->i', x, y)", (3,), x=(1,), y=(3,)),
        ok("torch.einsum('bA', x)", (3, 2), x=(2, 3)),
        ok("torch.einsum('i j , j k -> i k', x, y)", (2, 4), x=(2, 3), y=(3, 4)),
        bad("torch.einsum('ij,jk->ik', x, y)", "SC304", x=(2, 3), y=(4, 4)),
        bad("torch.einsum('ii->i', x)", "SC304", x=(3, 4)),
        bad("torch.einsum('ij', x)", "SC206", x=(2, 3, 4)),
        bad("torch.einsum('ij,jk->ik', x)", "SC306", x=(2, 3)),
        bad("torch.einsum('ij->ik', x)", "SC306", x=(2, 3)),
        bad("torch.einsum('b...,b...->b', x, y)", "SC304", x=(2, 3), y=(2, 4)),
    ],
)
def einsum(ctx: Any, *args: Any) -> Any:
    """torch.einsum(equation, *operands); operands may also come as one list, or in the
    sublist format einsum(op1, [0, 1], op2, [1, 2], [0, 2])."""
    if not args:
        ctx.report("SC306", f"{ctx.layer} needs an equation")
        return OPAQUE
    if isinstance(args[0], str):
        equation, operands = args[0], list(args[1:])
        if len(operands) == 1 and isinstance(operands[0], (tuple, list)):
            operands = list(operands[0])
    else:
        equation, operands = _sublist_equation(args)
    if not all(isinstance(t, TensorValue) for t in operands):
        return OPAQUE
    try:
        terms, output = parse_einsum(equation, len(operands))
    except (EinsumError, IndexError, TypeError) as exc:
        ctx.report("SC306", f"{ctx.layer}: {exc} in {equation!r}")
        return OPAQUE
    shape = einsum_shape(ctx, terms, output, operands)
    dtype = result_dtype(operands)
    if shape is None:
        return OPAQUE
    return TensorValue(shape, dtype, all(t.const for t in operands))


# ------------------------------------------------------------------------------- tensordot


def _tensordot_dims(ctx: Any, a: TensorValue, b: TensorValue, dims: Any) -> Any:
    """dims as an int n (the last n of a with the first n of b) or a pair of dim lists."""
    if isinstance(dims, int):
        if dims < 0 or dims > a.ndim or dims > b.ndim:
            ctx.report(
                "SC306",
                f"{ctx.layer}: dims={dims} must be between 0 and the ranks {a.ndim} and {b.ndim}",
            )
            return None
        return list(range(a.ndim - dims, a.ndim)), list(range(dims))
    if isinstance(dims, (tuple, list)) and len(dims) == 2:
        if not all(isinstance(d, (tuple, list)) for d in dims):
            ctx.report("SC306", f"{ctx.layer}: dims must be two lists of dims, got {dims!r}")
            return None
        da, db = (list(d) for d in dims)
        if len(da) != len(db):
            ctx.report("SC306", f"{ctx.layer}: both dim lists need the same length, got {dims}")
            return None
        wrapped = []
        for t, ds in ((a, da), (b, db)):
            if t.ndim == 0 and ds:
                ctx.report("SC404", f"{ctx.layer}: dims {ds} given for a 0-d tensor")
                return None
            w = [wrap_dim(ctx, d, t.ndim) for d in ds]
            if None in w:
                return None
            if len(set(w)) != len(w):
                ctx.report("SC405", f"{ctx.layer}: a dim appears more than once in {ds}")
                return None
            wrapped.append(w)
        return wrapped[0], wrapped[1]
    ctx.report("SC306", f"{ctx.layer}: dims must be an int or two lists of dims, got {dims!r}")
    return None


@shape_rule(
    "torch.tensordot",
    examples=[
        ok("torch.tensordot(x, y)", (2, 5), x=(2, 3, 4), y=(3, 4, 5)),
        ok("torch.tensordot(x, y, 1)", (2, 3, 5), x=(2, 3, 4), y=(4, 5)),
        ok("torch.tensordot(x, y, dims=([1, 2], [1, 0]))", (2,), x=(2, 3, 4), y=(4, 3)),
        ok("torch.tensordot(x, y, 0)", (2, 3, 3, 4), x=(2, 3), y=(3, 4)),
        ok("torch.tensordot(x, y, dims=([1], [0]))", (2, 4), x=(2, 1), y=(3, 4)),
        bad("torch.tensordot(x, y, 1)", "SC304", x=(2, 3, 4), y=(3, 5)),
        bad("torch.tensordot(x, y, 3)", "SC306", x=(2, 3), y=(3, 4)),
    ],
)
@tensor_inputs(2)
def tensordot(
    ctx: Any, a: TensorValue, b: TensorValue, dims: Any = 2, out: Any = None
) -> TensorValue:
    """torch.tensordot: contracted dims must match (a size 1 broadcasts, as in ATen)."""
    dtype = result_dtype((a, b))
    pair = _tensordot_dims(ctx, a, b, dims)
    if pair is None:
        return TensorValue((UNKNOWN,), dtype)
    da, db = pair
    for i, j in zip(da, db):

        def message(i: int = i, j: int = j) -> str:
            return (
                f"{ctx.layer}: contracted dimensions differ: {a.shape[i]} at dim {i} of "
                f"{format_shape(a.shape)} vs {b.shape[j]} at dim {j} of {format_shape(b.shape)}"
            )

        broadcast_dim(ctx, a.shape[i], b.shape[j], "SC304", message)
    shape = [s for i, s in enumerate(a.shape) if i not in da]
    shape += [s for j, s in enumerate(b.shape) if j not in db]
    return TensorValue(tuple(shape), dtype, a.const and b.const)
