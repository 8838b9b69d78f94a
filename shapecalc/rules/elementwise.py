"""Elementwise ops: arithmetic, comparisons, logical and bitwise ops, where/clamp/lerp/addcmul,
masked_fill, and unary math, with PyTorch's broadcasting and type promotion.

Broadcasting follows the "Broadcasting semantics" note of the PyTorch docs (NumPy's rule):
shapes are aligned from the right, missing dims count as 1, and each pair of sizes must be
equal or contain a 1. Python numbers and 0-d tensors broadcast with anything. An in-place op
(``x.add_(y)``, ``x += y``) may not change the shape of ``x``: torch raises "output with shape
[3] doesn't match the broadcast shape [2, 3]".

A symbolic size is not assumed to be a broadcast 1 (as torch.export specialises sizes 0 and
1): a pair of sizes that may or may not be equal becomes the constraint that they are equal.
Only a pair that can never be equal falls back on a 1: ``H - 1`` beside ``H`` works only if
``H - 1 == 1``, which becomes the constraint.

The result dtype follows c10's ResultTypeState (aten/src/ATen/native/TypeProperties.cpp):
dimensioned tensors win over 0-d tensors, which win over Python numbers, unless the lower
priority operand is of a higher category (bool < integer < floating < complex).
"""

from __future__ import annotations

import functools
import inspect
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from .. import symbolic as sym
from ..arith import align_right
from ..symbolic import UNKNOWN, Dim
from ..values import OPAQUE, TensorValue, format_shape
from . import bad, ok, shape_rule

DEFAULT_FLOAT = "float32"  # torch.get_default_dtype()

# ------------------------------------------------------------------------------------ dtypes

_INTS = {  # width, signed
    "uint8": (8, False),
    "int8": (8, True),
    "int16": (16, True),
    "int32": (32, True),
    "int64": (64, True),
}
_FLOATS = ("float16", "bfloat16", "float32", "float64")
_COMPLEX = ("complex32", "complex64", "complex128")


def category(dtype: str) -> int:
    """0 bool, 1 integer, 2 floating, 3 complex (an unfamiliar dtype counts as floating)."""
    if dtype == "bool":
        return 0
    if dtype in _INTS or dtype.startswith(("int", "uint")):
        return 1
    if dtype in _COMPLEX:
        return 3
    return 2


def promote_types(a: str, b: str) -> str:
    """torch.promote_types for the common dtypes."""
    if a == b:
        return a
    ca, cb = category(a), category(b)
    if ca != cb:
        low, high = (a, b) if ca < cb else (b, a)
        if category(high) == 3 and category(low) == 2:
            return _complex_for(low, high)
        return high
    if ca == 1:
        if a in _INTS and b in _INTS:
            (wa, sa), (wb, sb) = _INTS[a], _INTS[b]
            if sa != sb and max(wa, wb) == 8:  # uint8 with int8
                return "int16"
            if sa != sb:  # the signed one is wider here
                return a if sa else b
            return a if wa >= wb else b
        return a
    if ca == 2:
        if {a, b} == {"float16", "bfloat16"}:
            return "float32"
        order = {d: i for i, d in enumerate(_FLOATS)}
        return a if order.get(a, 2) >= order.get(b, 2) else b
    return a if _COMPLEX.index(a) >= _COMPLEX.index(b) else b


def _complex_for(real: str, complex_: str) -> str:
    """The complex type that holds both a floating and a complex dtype."""
    if real == "float64":
        return "complex128"
    if real in ("float32", "bfloat16") and complex_ == "complex32":
        return "complex64"
    return complex_


def _to_complex(dtype: str) -> str:
    return {"float64": "complex128", "float16": "complex32"}.get(dtype, "complex64")


def scalar_dtype(value: Any) -> str | None:
    """The dtype a Python number takes part in type promotion with (a 'wrapped number')."""
    if isinstance(value, bool):
        return "bool"
    if isinstance(value, int) or isinstance(value, sym.Expr) or value is UNKNOWN:
        return "int64"
    if isinstance(value, float):
        return DEFAULT_FLOAT
    if isinstance(value, complex):
        return "complex64"
    return None


def _combine_categories(higher: str | None, lower: str | None) -> str | None:
    """c10's combine_categories: the higher-priority result, unless lower is of a higher
    category."""
    if higher is None:
        return lower
    if lower is None:
        return higher
    if category(higher) == 3:
        return higher
    if category(lower) == 3:
        return _to_complex(higher) if category(higher) == 2 else lower
    if category(higher) == 2:
        return higher
    if higher == "bool" or category(lower) == 2:
        return promote_types(higher, lower)
    return higher


def result_dtype(operands: Sequence[Any]) -> str:
    """torch.result_type over tensors and Python numbers."""
    dim = zero = wrapped = None
    for v in operands:
        if isinstance(v, TensorValue):
            if v.ndim > 0:
                dim = v.dtype if dim is None else promote_types(dim, v.dtype)
            else:
                zero = v.dtype if zero is None else promote_types(zero, v.dtype)
        else:
            d = scalar_dtype(v)
            if d is not None:
                wrapped = d if wrapped is None else promote_types(wrapped, d)
    out = _combine_categories(dim, _combine_categories(zero, wrapped))
    return out or DEFAULT_FLOAT


def can_cast(src: str, dst: str) -> bool:
    """torch.can_cast: never to a lower category (float to int, int to bool)."""
    return category(src) <= category(dst)


def tensor_inputs(count: int = 1) -> Callable[[Callable], Callable]:
    """Rule decorator: the rule's first ``count`` arguments must be tensors (torch raises
    TypeError for a number there, as in ``torch.sum(2)``): SC306 and an opaque result."""

    def wrap(fn: Callable) -> Callable:
        names = list(inspect.signature(fn).parameters)[1 : count + 1]

        @functools.wraps(fn)
        def rule(ctx: Any, *args: Any, **kwargs: Any) -> Any:
            values = list(args[:count]) + [kwargs.get(n) for n in names[len(args) :]]
            for name, value in zip(names, values):
                if not isinstance(value, TensorValue):
                    ctx.report("SC306", f"{ctx.layer} needs a tensor as {name}, got {value!r}")
                    return OPAQUE
            return fn(ctx, *args, **kwargs)

        return rule

    return wrap


# ------------------------------------------------------------------------------ broadcasting


def is_one(ctx: Any, d: Dim) -> bool:
    if isinstance(d, int):
        return d == 1
    return d is not UNKNOWN and ctx.decide(sym.eq(d, 1)) is True


def simplest(*sizes: Dim) -> Dim:
    """Of sizes known (or required) to be equal, the one to show: a concrete size, else the
    shortest formula (the skip connection's ``H`` rather than ``2*((H - 1)//2) + 2``)."""
    return min(sizes, key=lambda s: (not isinstance(s, int), len(str(s))))


def broadcast_dim(ctx: Any, x: Dim, y: Dim, code: str, message: Callable[[], str]) -> Dim:
    """The broadcast of two sizes: equal, or one of them 1. A mismatch reports ``code`` and
    gives an opaque size. Symbolic sizes that may or may not be equal record the constraint
    that they are; sizes that are never equal work only if one of them is 1, which is then
    the constraint (or an error when neither can be 1)."""
    return _broadcast_dim(ctx, x, y, code, message, quiet=False)[0]


def _broadcast_dim(
    ctx: Any, x: Dim, y: Dim, code: str, message: Callable[[], str], quiet: bool
) -> tuple[Dim, bool]:
    """(size, failed); ``quiet`` records nothing (an earlier dim already failed)."""
    if isinstance(x, int) and isinstance(y, int):
        if x == y or y == 1:
            return x, False
        if x == 1:
            return y, False
        if not quiet:
            ctx.report(code, message())
        return UNKNOWN, True
    if x is UNKNOWN or y is UNKNOWN:
        other = y if x is UNKNOWN else x
        return (UNKNOWN if other is UNKNOWN or other == 1 else other), False
    if is_one(ctx, x):
        return y, False
    if is_one(ctx, y):
        return x, False
    equal = ctx.decide(sym.eq(x, y))
    if equal is None and not quiet:
        ctx.check(sym.eq(x, y), code, message())
    if equal is not False:
        return simplest(x, y), False
    x_may_be_one = ctx.decide(sym.eq(x, 1)) is None
    y_may_be_one = ctx.decide(sym.eq(y, 1)) is None
    if x_may_be_one and y_may_be_one:
        return UNKNOWN, False  # valid only if one of them is 1: no single constraint says so
    if x_may_be_one or y_may_be_one:
        one, other = (x, y) if x_may_be_one else (y, x)
        if not quiet:
            ctx.check(sym.eq(one, 1), code, message())
        return other, False
    if not quiet:
        ctx.report(code, message())
    return UNKNOWN, True


def broadcast_two(
    ctx: Any, a: Sequence[Dim], b: Sequence[Dim], code: str = "SC301", what: str = ""
) -> tuple[Dim, ...]:
    """Broadcast two shapes. The first mismatch is reported, naming the dimension (of the
    result) and both sizes; further mismatched dims of the same pair only become opaque."""
    out: list[Dim] = []
    failed = False
    for i, (x, y) in enumerate(align_right(a, b)):

        def message(i: int = i, x: Dim = x, y: Dim = y) -> str:
            return (
                f"{ctx.layer} cannot broadcast {what}{format_shape(tuple(a))} with "
                f"{format_shape(tuple(b))}: dimension {i} is {x} vs {y}"
            )

        size, bad_dim = _broadcast_dim(ctx, x, y, code, message, quiet=failed)
        failed = failed or bad_dim
        out.append(size)
    return tuple(out)


def broadcast_shapes(
    ctx: Any, shapes: Sequence[Sequence[Dim]], code: str = "SC301"
) -> tuple[Dim, ...]:
    """Broadcast any number of shapes, left to right (torch.broadcast_shapes)."""
    if not shapes:
        return ()
    out = tuple(shapes[0])
    for shape in shapes[1:]:
        out = broadcast_two(ctx, out, shape, code)
    return out


def _warn_constant_growth(ctx: Any, tensors: Sequence[TensorValue], out: tuple[Dim, ...]) -> None:
    """SC305: a constant operand (parameter, buffer, literal) makes the result larger than the
    activations it is applied to, e.g. RGB statistics (3, 1, 1) on a grey (B, 1, H, W) image.

    Per-channel statistics broadcast a dim that other dims follow (channels before H, W).
    Growing the last dim is how an outer product is written on purpose (a timestep embedding
    ``t[:, None] * freqs``, Fourier features ``x.unsqueeze(-1) * scales``), so it does not
    warn."""
    acts = [t for t in tensors if not t.const]
    consts = [t for t in tensors if t.const and t.ndim > 0]
    if not acts or not consts:
        return
    rank = max(t.ndim for t in acts)
    grew = len(out) > rank or any(_grows(ctx, acts, out, i) for i in range(2, len(out) + 1))
    if grew:
        act = max(acts, key=lambda t: t.ndim)
        const = max(consts, key=lambda t: t.ndim)
        ctx.report(
            "SC305",
            f"{ctx.layer}: the constant {format_shape(const.shape)} broadcasts the activation "
            f"{format_shape(act.shape)} to {format_shape(out)}",
        )


def _grows(ctx: Any, acts: Sequence[TensorValue], out: tuple[Dim, ...], i: int) -> bool:
    """The result's i-th dim from the right is larger than 1 where every activation has 1."""
    size = out[-i]
    if size is UNKNOWN or ctx.decide(sym.eq(size, 1)) is not False:
        return False
    return all(t.ndim < i or is_one(ctx, t.shape[-i]) for t in acts)


def check_inplace(ctx: Any, target: TensorValue, out: tuple[Dim, ...], dtype: str | None) -> None:
    """An in-place op writes into ``target``: the broadcast shape must be its own shape
    (TensorIterator: "output with shape [3] doesn't match the broadcast shape [2, 3]"), and
    the result type must be castable to its dtype."""
    message = (
        f"{ctx.layer} cannot write the broadcast shape {format_shape(out)} in place into "
        f"{format_shape(target.shape)}"
    )
    if len(out) > target.ndim:
        ctx.report("SC301", message)
    else:
        for size, own in zip(out, target.shape):
            if size is UNKNOWN or own is UNKNOWN:
                continue
            if isinstance(size, int) and isinstance(own, int):
                if size != own:
                    ctx.report("SC301", message)
                continue
            ctx.check(sym.eq(size, own), "SC301", message)
    if dtype is not None and not can_cast(dtype, target.dtype):
        ctx.report(
            "SC207",
            f"{ctx.layer}: the result type {dtype} can't be cast to the in-place "
            f"output's type {target.dtype}",
        )


def elementwise(
    ctx: Any,
    operands: Sequence[Any],
    dtype: str,
    *,
    inplace: TensorValue | None = None,
    cast_from: str | None = None,
) -> TensorValue:
    """The output of an elementwise op over tensors and numbers: the broadcast shape, or the
    shape of ``inplace`` for an in-place op (``cast_from`` is then the computed dtype)."""
    tensors = [v for v in operands if isinstance(v, TensorValue)]
    before = len(ctx.reported)
    out = broadcast_shapes(ctx, [t.shape for t in tensors])
    if inplace is not None:  # growing in place is an error of its own, not SC305
        if len(ctx.reported) > before:  # the broadcast failed already: one finding is enough
            out = inplace.shape
        check_inplace(ctx, inplace, out, cast_from)
        return inplace
    _warn_constant_growth(ctx, tensors, out)
    return TensorValue(out, dtype, bool(tensors) and all(t.const for t in tensors))


# ---------------------------------------------------------------------------- binary ops


@dataclass(frozen=True)
class Binary:
    """How a binary op types its result: 'promote' (the common dtype), 'float' (true
    division and friends: integers become the default float), 'float_only' (the same, but
    torch has no integer kernel), 'float64' (float_power), 'bool' (comparisons)."""

    result: str = "promote"
    integral: bool = False  # bitwise ops and shifts need integer or bool operands
    no_bool: bool = False  # torch rejects bool operands (subtraction)
    no_bool_pair: bool = False  # torch has no kernel when the common dtype is bool


_PROMOTE = Binary()
_FLOAT = Binary("float")
_BOOL = Binary("bool")
_BITWISE = Binary(integral=True)

# the op names used by the operator module and by elementwise_binary's callers
BINARY: dict[str, Binary] = {
    "add": _PROMOTE,
    "sub": Binary(no_bool=True),
    "mul": _PROMOTE,
    "truediv": _FLOAT,
    "div": _FLOAT,
    "floordiv": Binary(no_bool_pair=True),
    "mod": Binary(no_bool_pair=True),
    "fmod": Binary(no_bool_pair=True),
    "pow": Binary(no_bool_pair=True),
    "float_power": Binary("float64"),
    "maximum": _PROMOTE,
    "minimum": _PROMOTE,
    "fmax": _PROMOTE,
    "fmin": _PROMOTE,
    "atan2": _FLOAT,
    "hypot": Binary("float_only"),
    "logaddexp": Binary("float_only"),
    "logaddexp2": Binary("float_only"),
    "copysign": _FLOAT,
    "xlogy": _FLOAT,
    "nextafter": Binary("float_only"),
    "eq": _BOOL,
    "ne": _BOOL,
    "lt": _BOOL,
    "le": _BOOL,
    "gt": _BOOL,
    "ge": _BOOL,
    "logical_and": _BOOL,
    "logical_or": _BOOL,
    "logical_xor": _BOOL,
    "and": _BITWISE,
    "or": _BITWISE,
    "xor": _BITWISE,
    "lshift": Binary(integral=True, no_bool_pair=True),
    "rshift": Binary(integral=True, no_bool_pair=True),
}

# torch / Tensor method names -> the op names above
_ALIASES = {
    "subtract": "sub",
    "rsub": "sub",
    "multiply": "mul",
    "divide": "div",
    "true_divide": "truediv",
    "floor_divide": "floordiv",
    "remainder": "mod",
    "greater": "gt",
    "greater_equal": "ge",
    "less": "lt",
    "less_equal": "le",
    "not_equal": "ne",
    "bitwise_and": "and",
    "bitwise_or": "or",
    "bitwise_xor": "xor",
    "bitwise_left_shift": "lshift",
    "bitwise_right_shift": "rshift",
    "radd": "add",
    "rmul": "mul",
    "rtruediv": "truediv",
    "rdiv": "truediv",
    "rfloordiv": "floordiv",
    "rmod": "mod",
    "rpow": "pow",
    "rand": "and",
    "ror": "or",
    "rxor": "xor",
    "rlshift": "lshift",
    "rrshift": "rshift",
}


def _op_name(name: str) -> tuple[str, bool]:
    """A registered name or operator name -> (op, in_place): ``Tensor.add_`` -> ("add",
    True), ``Tensor.__iadd__`` -> ("add", True), ``operator.and_`` -> ("and", False)."""
    base = name.rsplit(".", 1)[-1]
    inplace = False
    if base.startswith("__") and base.endswith("__"):
        base = base[2:-2]
        if base[0] == "i" and base[1:] in BINARY | _ALIASES:
            base, inplace = base[1:], True
    elif base.endswith("_") and base.rstrip("_") not in ("and", "or", "xor"):
        base, inplace = base[:-1], True
    base = base.rstrip("_")
    if base not in BINARY and base[0] == "i" and base[1:] in BINARY | _ALIASES:
        base, inplace = base[1:], True  # operator.iadd
    return _ALIASES.get(base, base), inplace


def _dtype_errors(ctx: Any, op: str, kind: Binary, operands: Sequence[Any], common: str) -> bool:
    dtypes = [v.dtype if isinstance(v, TensorValue) else scalar_dtype(v) for v in operands]
    if kind.no_bool and "bool" in dtypes:
        ctx.report(
            "SC207",
            f"{ctx.layer}: subtraction with a bool tensor is not supported; use ~ or "
            "logical_not() to invert a mask",
        )
        return True
    if kind.integral and category(common) > 1:
        ctx.report("SC207", f"{ctx.layer}: {op} needs integer or bool tensors, got {common}")
        return True
    if kind.no_bool_pair and common == "bool":
        ctx.report("SC207", f"{ctx.layer}: {op} is not implemented for bool tensors")
        return True
    if kind.result == "float_only" and category(common) < 2:
        ctx.report("SC207", f"{ctx.layer}: {op} needs floating point tensors, got {common}")
        return True
    return False


def binary_dtype(op: str, operands: Sequence[Any], rounding_mode: Any = None) -> str:
    kind = BINARY[op]
    common = result_dtype(operands)
    if kind.result == "bool":
        return "bool"
    if kind.result == "float64":
        return "complex128" if category(common) == 3 else "float64"
    if kind.result in ("float", "float_only") and rounding_mode is None and category(common) < 2:
        return DEFAULT_FLOAT
    return common


def elementwise_binary(ctx: Any, op: str, a: Any, b: Any, *, rounding_mode: Any = None) -> Any:
    """``a <op> b`` where a or b is a TensorValue; op is an operator name without prefix
    ("add", "sub", "mul", "truediv", "floordiv", "mod", "pow", "and_", "lt", "iadd", ...).
    An op name with the in-place prefix ``i`` writes into ``a`` when ``a`` is a tensor."""
    if op in ("matmul", "imatmul"):
        from .matmul import matmul_core  # a tensor @ tensor reached through an operator hook

        return matmul_core(ctx, a, b)
    name, inplace = _op_name(op)
    kind = BINARY[name]
    operands = (a, b)
    common = result_dtype(operands)
    if name in ("div", "truediv") and rounding_mode is not None:
        kind = Binary(no_bool_pair=True)  # div_floor / div_trunc have no bool kernel
    _dtype_errors(ctx, name, kind, operands, common)
    dtype = binary_dtype(name, operands, rounding_mode)
    target = a if inplace and isinstance(a, TensorValue) else None
    if target is not None and kind.result == "bool":
        dtype = target.dtype  # x.lt_(y) keeps x's dtype
    if target is not None and name == "float_power" and target.dtype != dtype:
        ctx.report("SC207", f"{ctx.layer}: float_power_ needs a {dtype} tensor, got {target.dtype}")
    return elementwise(ctx, operands, dtype, inplace=target, cast_from=dtype)


_TORCH_BINARY = (
    "add sub subtract mul multiply div divide true_divide floor_divide remainder fmod pow "
    "float_power maximum minimum fmax fmin atan2 hypot copysign logaddexp logaddexp2 xlogy "
    "nextafter eq ne lt le gt ge greater greater_equal less less_equal not_equal logical_and "
    "logical_or logical_xor bitwise_and bitwise_or bitwise_xor bitwise_left_shift "
    "bitwise_right_shift"
).split()
_NO_INPLACE = ("maximum", "minimum", "fmax", "fmin", "logaddexp", "logaddexp2")
# torch.f(...) forms whose operands must all be tensors, or whose first operand must be
# (torch.maximum(x, 2) and torch.eq(2, x) raise TypeError; the dunders accept numbers)
_TENSORS_ONLY = {"maximum", "minimum", "fmax", "fmin", "atan2", "hypot", "logaddexp"}
_TENSORS_ONLY |= {"logaddexp2", "nextafter", "logical_and", "logical_or", "logical_xor"}
_TENSOR_FIRST = {"fmod", "copysign", "eq", "ne", "lt", "le", "gt", "ge", "greater", "less"}
_TENSOR_FIRST |= {"greater_equal", "less_equal", "not_equal"}
_DUNDERS = "add sub mul truediv div floordiv mod pow and or xor lshift rshift".split()
_COMPARISONS = ("eq", "ne", "lt", "le", "gt", "ge")
# operator-module names that fx emits for sizes as well as tensors (the arithmetic ones,
# operator.add and friends, are registered with the Python-number rules)
_OPERATORS = ("and_", "or_", "xor", "lshift", "rshift") + _COMPARISONS


def _binary_names() -> list[str]:
    names = [f"torch.{n}" for n in _TORCH_BINARY + ["rsub"]]
    names += [f"Tensor.{n}" for n in _TORCH_BINARY]
    names += [f"Tensor.{n}_" for n in _TORCH_BINARY if n not in _NO_INPLACE]
    for n in _DUNDERS:
        names += [f"Tensor.__{n}__", f"Tensor.__r{n}__", f"Tensor.__i{n}__"]
    names += [f"Tensor.__{n}__" for n in _COMPARISONS]
    names += [f"operator.{n}" for n in _OPERATORS]
    return names


@shape_rule(
    *_binary_names(),
    examples=[
        ok("torch.add(x, y)", (2, 256, 8, 8), x=(2, 256, 8, 8), y=(2, 256, 1, 1)),
        ok("x.mul(y)", (4, 2, 3), x=(2, 1), y=(4, 1, 3)),
        ok("torch.sub(x, 2.5)", (3,), x=(3,)),
        ok("torch.pow(2, x)", (2, 3), x=(2, 3)),
        ok("x.__radd__(1)", (5, 1), x=(5, 1)),
        ok("x.div(y, rounding_mode='floor')", (2, 4), x=(2, 4), y=()),
        ok("torch.lt(x, y)", (3, 4), x=(3, 1), y=(4,)),
        ok("x.add_(y)", (2, 3), x=(2, 3), y=(3,)),
        ok("x.__iadd__(y)", (2, 3), x=(2, 3), y=(1, 3)),
        ok("torch.bitwise_and(x, y)", (4,), x=(4,), y=(1,), dtypes={"x": "int64", "y": "bool"}),
        ok("torch.add(x, y)", (), x=(), y=()),
        ok("torch.maximum(x, y)", (0, 3), x=(0, 1), y=(3,)),
        # the seed's ResBlk without its 1x1 shortcut: 256 channels beside 64
        bad("torch.add(x, y)", "SC301", x=(2, 256, 8, 8), y=(2, 64, 8, 8)),
        bad("x.__add__(y)", "SC301", x=(2, 256, 8, 8), y=(2, 64, 8, 8)),
        # a strided main branch beside an identity shortcut
        bad(
            "torch.add(nn.Conv2d(64, 64, 3, stride=2, padding=1)(x), x)",
            "SC301",
            x=(2, 64, 8, 8),
        ),
        bad("x.mul(y)", "SC301", x=(2, 3), y=(3, 2)),
        bad("x.add_(y)", "SC301", x=(3,), y=(2, 3)),
        bad("x.__isub__(y)", "SC301", x=(1, 3), y=(2, 3)),
        bad("torch.lt(x, y)", "SC301", x=(0,), y=(2,)),
        bad("x.add_(y)", "SC207", x=(3,), y=(3,), dtypes={"x": "int64"}),
        bad("torch.sub(x, y)", "SC207", x=(3,), y=(3,), dtypes={"y": "bool"}),
        bad("torch.bitwise_or(x, y)", "SC207", x=(3,), y=(3,)),
        bad("x.div(2, rounding_mode='round')", "SC306", x=(3,)),
    ],
)
def binary(
    ctx: Any,
    input: Any,
    other: Any,
    *,
    alpha: Any = 1,
    rounding_mode: Any = None,
    out: Any = None,
) -> Any:
    """torch.add(input, other, *, alpha=1), torch.div(..., rounding_mode=None), and their
    method, in-place, dunder and operator forms. Reflected dunders (``__rsub__``) swap the
    operands. The operator forms also compare and combine plain sizes (fx emits
    ``operator.lt`` for ``x.size(1) < 64``)."""
    op, inplace = _op_name(ctx.op)
    if not isinstance(input, TensorValue) and not isinstance(other, TensorValue):
        return python_binary(ctx, op, input, other)
    if rounding_mode not in (None, "trunc", "floor"):
        ctx.report(
            "SC306",
            f"{ctx.layer}: rounding_mode must be None, 'trunc' or 'floor', got {rounding_mode!r}",
        )
    _check_operand_kinds(ctx, input, other)
    if ctx.op.startswith("Tensor.__r"):
        input, other = other, input
    prefix = "i" if inplace else ""
    return elementwise_binary(ctx, prefix + op, input, other, rounding_mode=rounding_mode)


def _check_operand_kinds(ctx: Any, input: Any, other: Any) -> None:
    """Named forms that take tensors only (a Python number there is a TypeError)."""
    if "__" in ctx.op or ctx.op.startswith("operator."):
        return
    name = ctx.op.rsplit(".", 1)[-1].rstrip("_")
    if name in _TENSORS_ONLY:
        for what, value in (("input", input), ("other", other)):
            if not isinstance(value, TensorValue):
                ctx.report("SC306", f"{ctx.layer} needs a tensor as {what}, got {value!r}")
    if ctx.op.startswith("torch.") and name in _TENSOR_FIRST | {"rsub"}:
        if not isinstance(input, TensorValue):
            ctx.report("SC306", f"{ctx.layer} needs a tensor as input, got {input!r}")


def python_binary(ctx: Any, op: str, a: Any, b: Any) -> Any:
    """An operator applied to sizes and Python values: exact where it can be decided."""
    if op in _COMPARISONS:
        return compare(ctx, op, a, b)
    if isinstance(a, int) and isinstance(b, int):
        return _PY_BINARY[op](a, b)
    if isinstance(a, (int, sym.Expr)) and isinstance(b, int) and not isinstance(b, bool):
        if op == "lshift" and b >= 0:
            return a * 2**b
        if op == "rshift" and b >= 0:
            return a // 2**b
    return UNKNOWN


_PY_BINARY: dict[str, Callable[[Any, Any], Any]] = {
    "and": lambda a, b: a & b,
    "or": lambda a, b: a | b,
    "xor": lambda a, b: a ^ b,
    "lshift": lambda a, b: a << b,
    "rshift": lambda a, b: a >> b,
}
_PY_COMPARE: dict[str, Callable[[Any, Any], Any]] = {
    "eq": lambda a, b: a == b,
    "ne": lambda a, b: a != b,
    "lt": lambda a, b: a < b,
    "le": lambda a, b: a <= b,
    "gt": lambda a, b: a > b,
    "ge": lambda a, b: a >= b,
}
_RELATIONS: dict[str, Callable[[Dim, Dim], sym.Rel]] = {
    "eq": sym.eq,
    "ne": sym.eq,
    "lt": sym.lt,
    "le": sym.le,
    "gt": sym.gt,
    "ge": sym.ge,
}


def _is_dim(value: Any) -> bool:
    return (isinstance(value, int) and not isinstance(value, bool)) or isinstance(value, sym.Expr)


def _symbolic_inside(value: Any) -> bool:
    if isinstance(value, (tuple, list)):
        return any(_symbolic_inside(v) for v in value)
    return isinstance(value, sym.Expr) or value is UNKNOWN


def compare(ctx: Any, op: str, a: Any, b: Any) -> Any:
    """A comparison of sizes (or tuples of sizes, as ``x.shape[2:] == (7, 7)``): True or
    False when it can be decided, else an opaque value. Nothing is recorded."""
    if isinstance(a, (tuple, list)) and isinstance(b, (tuple, list)) and op in ("eq", "ne"):
        if len(a) != len(b):
            return op == "ne"
        results = [compare(ctx, "eq", x, y) for x, y in zip(a, b)]
        if any(r is False for r in results):
            return op == "ne"
        if all(r is True for r in results):
            return op == "eq"
        return UNKNOWN
    if not _symbolic_inside(a) and not _symbolic_inside(b):
        try:
            return _PY_COMPARE[op](a, b)
        except TypeError:
            return UNKNOWN
    if not (_is_dim(a) and _is_dim(b)):
        return UNKNOWN
    decided = ctx.decide(_RELATIONS[op](a, b))
    if decided is None:
        return UNKNOWN
    return (not decided) if op == "ne" else decided


# ------------------------------------------------------------------------------- unary ops

_FLOAT_UNARY = (
    "exp exp2 expm1 log log2 log10 log1p sqrt rsqrt sin cos tan asin acos atan sinh cosh "
    "asinh acosh atanh arcsin arccos arctan arcsinh arccosh arctanh erf erfc erfinv lgamma "
    "digamma reciprocal sinc i0 deg2rad rad2deg"
).split()
_SAME_UNARY = "abs absolute neg negative positive sign sgn floor ceil trunc fix frac square".split()
_BOOL_UNARY = "isnan isinf isfinite isposinf isneginf isreal signbit logical_not".split()
_NO_BOOL_UNARY = ("abs", "absolute", "neg", "negative", "positive", "pos", "floor", "ceil")
_NO_BOOL_UNARY += ("trunc", "fix", "frac")
_NO_TENSOR_INPLACE = ("isnan", "isinf", "isfinite", "isposinf", "isneginf", "isreal", "signbit")
_NO_TENSOR_INPLACE += ("positive",)


def _unary_names(ops: Sequence[str], inplace: bool = True) -> list[str]:
    names = [f"torch.{n}" for n in ops] + [f"Tensor.{n}" for n in ops]
    if inplace:
        names += [f"Tensor.{n}_" for n in ops if n not in _NO_TENSOR_INPLACE]
    return names


def _not_a_tensor(ctx: Any, input: Any) -> bool:
    """torch.exp(2.0) is a TypeError: the torch./Tensor. unary forms take tensors only."""
    if isinstance(input, TensorValue):
        return False
    ctx.report("SC306", f"{ctx.layer} needs a tensor, got {input!r}")
    return True


def _unary_dtype(ctx: Any, input: TensorValue, dtype: str) -> TensorValue:
    """The result of a unary op computed in ``dtype``; an in-place form keeps input's dtype
    and needs the result to be castable to it."""
    if ctx.op.startswith("Tensor.") and ctx.op.endswith("_") and not ctx.op.endswith("__"):
        if not can_cast(dtype, input.dtype):
            ctx.report(
                "SC207",
                f"{ctx.layer}: the result type {dtype} can't be cast to the in-place output's "
                f"type {input.dtype}",
            )
        return input
    return TensorValue(input.shape, dtype, input.const)


@shape_rule(
    *_unary_names(_FLOAT_UNARY),
    examples=[
        ok("torch.exp(x)", (2, 3), x=(2, 3)),
        ok("x.sqrt()", (4,), x=(4,), dtypes={"x": "int64"}),
        ok("x.log_()", (), x=()),
        bad("x.exp_()", "SC207", x=(3,), dtypes={"x": "int64"}),
        bad("torch.exp(2.0)", "SC306"),
    ],
)
def unary_float(ctx: Any, input: TensorValue, *, out: Any = None) -> Any:
    """Floating-point math (exp, log, sqrt, trigonometry, erf, ...): same shape; integer and
    bool inputs give the default float dtype (torch's unary float ops)."""
    if _not_a_tensor(ctx, input):
        return OPAQUE
    return _unary_dtype(ctx, input, input.dtype if category(input.dtype) >= 2 else DEFAULT_FLOAT)


@shape_rule(
    *_unary_names(_SAME_UNARY),
    "Tensor.__neg__",
    "Tensor.__pos__",
    "Tensor.__abs__",
    "Tensor.__invert__",
    "operator.invert",
    "operator.pos",
    "operator.abs",
    examples=[
        ok("torch.abs(x)", (2, 3), x=(2, 3)),
        ok("x.floor_()", (5,), x=(5,)),
        ok("x.__neg__()", (1, 2), x=(1, 2)),
        ok("x.__invert__()", (3,), x=(3,), dtypes={"x": "bool"}),
        ok("torch.square(x)", (3,), x=(3,), dtypes={"x": "bool"}),
        bad("torch.neg(x)", "SC207", x=(3,), dtypes={"x": "bool"}),
        bad("x.__invert__()", "SC207", x=(3,)),
        bad("x.frac()", "SC207", x=(3,), dtypes={"x": "int64"}),
    ],
)
def unary_same(ctx: Any, input: Any, *, out: Any = None) -> Any:
    """abs, neg, sign, floor, ceil, trunc, frac, square, ~x: same shape and dtype (square
    promotes bool to int64). The operator forms also apply to sizes."""
    return elementwise_unary(ctx, ctx.op, input)


def elementwise_unary(ctx: Any, op: str, a: Any) -> Any:
    """``-a``, ``+a``, ``abs(a)``, ``~a`` and the dtype-keeping unary ops by name (an
    operator name such as "neg" or a registered name such as "Tensor.abs_"); a size or a
    Python number gives its value."""
    name = op.rsplit(".", 1)[-1].strip("_")
    if not isinstance(a, TensorValue):
        return python_unary(ctx, name, a)
    if name in _NO_BOOL_UNARY and a.dtype == "bool":
        ctx.report("SC207", f"{ctx.layer}: {name} is not supported on a bool tensor")
    if name == "invert" and category(a.dtype) > 1:
        ctx.report("SC207", f"{ctx.layer}: ~ needs an integer or bool tensor, got {a.dtype}")
    if name == "frac" and category(a.dtype) < 2:
        ctx.report("SC207", f"{ctx.layer}: frac needs a floating point tensor, got {a.dtype}")
    if name == "square" and a.dtype == "bool":
        return _unary_dtype(ctx, a, "int64")
    return _unary_dtype(ctx, a, a.dtype)


_PY_UNARY: dict[str, Callable[[Any], Any]] = {
    "invert": lambda v: ~v,
    "pos": lambda v: +v,
    "neg": lambda v: -v,
    "abs": abs,
}


def python_unary(ctx: Any, name: str, value: Any) -> Any:
    """~n, +n, -n, abs(n) on a size or a Python number."""
    if isinstance(value, (int, float)) and name in _PY_UNARY:
        return _PY_UNARY[name](value)
    if not isinstance(value, sym.Expr):
        return UNKNOWN
    if name == "pos":
        return value
    if name == "neg":
        return -value
    if name == "invert":
        return -value - 1
    if name != "abs":
        return UNKNOWN
    sign = ctx.decide(sym.ge(value, 0))
    if sign is None:
        return UNKNOWN
    return value if sign else -value


@shape_rule(
    *_unary_names(_BOOL_UNARY),
    examples=[
        ok("torch.isnan(x)", (2, 3), x=(2, 3)),
        ok("x.logical_not_()", (4,), x=(4,)),
        ok("torch.signbit(x)", (), x=()),
        bad("torch.isnan(2.0)", "SC306"),
    ],
)
def unary_bool(ctx: Any, input: TensorValue, *, out: Any = None) -> Any:
    """isnan, isinf, isfinite, signbit, logical_not: same shape, bool (in place: same dtype)."""
    if _not_a_tensor(ctx, input):
        return OPAQUE
    return _unary_dtype(ctx, input, "bool")


@shape_rule(
    "torch.bitwise_not",
    "Tensor.bitwise_not",
    "Tensor.bitwise_not_",
    examples=[
        ok("torch.bitwise_not(x)", (2, 3), x=(2, 3), dtypes={"x": "int64"}),
        bad("x.bitwise_not()", "SC207", x=(3,)),
    ],
)
def bitwise_not(ctx: Any, input: TensorValue, *, out: Any = None) -> Any:
    if _not_a_tensor(ctx, input):
        return OPAQUE
    if category(input.dtype) > 1:
        ctx.report(
            "SC207", f"{ctx.layer}: bitwise_not needs an integer or bool tensor, got {input.dtype}"
        )
    return input


@shape_rule(
    "torch.round",
    "Tensor.round",
    "Tensor.round_",
    examples=[
        ok("torch.round(x)", (2, 3), x=(2, 3)),
        ok("x.round(decimals=2)", (3,), x=(3,)),
        bad("torch.round(x, decimals=1)", "SC207", x=(3,), dtypes={"x": "int64"}),
    ],
)
def round_(ctx: Any, input: TensorValue, *, decimals: int = 0, out: Any = None) -> Any:
    """torch.round: same shape and dtype; not for bool, decimals only for floating point."""
    if _not_a_tensor(ctx, input):
        return OPAQUE
    if input.dtype == "bool":
        ctx.report("SC207", f"{ctx.layer}: round is not supported on a bool tensor")
    if decimals != 0 and category(input.dtype) < 2:
        ctx.report(
            "SC207",
            f"{ctx.layer}: round with decimals needs a floating point tensor, got {input.dtype}",
        )
    return input


@shape_rule(
    "torch.nan_to_num",
    "Tensor.nan_to_num",
    "Tensor.nan_to_num_",
    examples=[
        ok("torch.nan_to_num(x, nan=0.0, posinf=1.0)", (2, 3), x=(2, 3)),
        ok("x.nan_to_num_()", (3,), x=(3,), dtypes={"x": "int64"}),
        bad("torch.nan_to_num(1.0)", "SC306"),
    ],
)
def nan_to_num(
    ctx: Any,
    input: TensorValue,
    nan: Any = 0.0,
    posinf: Any = None,
    neginf: Any = None,
    *,
    out: Any = None,
) -> Any:
    if _not_a_tensor(ctx, input):
        return OPAQUE
    return input


# ------------------------------------------------------------------ multi-operand ops


@shape_rule(
    "torch.where",
    "Tensor.where",
    examples=[
        ok("torch.where(c, x, y)", (2, 3), c=(3,), x=(2, 1), y=(1,), dtypes={"c": "bool"}),
        ok("torch.where(c, x, 0.0)", (4, 5), c=(4, 1), x=(5,), dtypes={"c": "bool"}),
        ok("torch.where(c, 1.0, 2.0)", (2,), c=(2,), dtypes={"c": "bool"}),
        ok("x.where(c, y)", (2, 2), c=(2, 1), x=(2,), y=(), dtypes={"c": "bool"}),
        bad("torch.where(c, x, y)", "SC301", c=(3,), x=(2, 3), y=(4, 1), dtypes={"c": "bool"}),
        bad("torch.where(c, x, y)", "SC207", c=(3,), x=(3,), y=(3,)),
    ],
)
def where(
    ctx: Any, condition: Any, input: Any = None, other: Any = None, *, out: Any = None
) -> Any:
    """torch.where(condition, input, other): a 3-way broadcast; the dtype is input's and
    other's common type. torch.where(condition) is nonzero(as_tuple=True): one 1-D index
    tensor per dimension, of a data-dependent length. Tensor.where(self, condition, other)
    is torch.where(condition, self, other)."""
    if ctx.op == "Tensor.where":
        condition, input = input, condition
    if input is None and other is None:
        if not isinstance(condition, TensorValue):
            return OPAQUE
        return tuple(TensorValue((UNKNOWN,), "int64") for _ in range(max(condition.ndim, 1)))
    if isinstance(condition, TensorValue) and condition.dtype not in ("bool", "uint8"):
        ctx.report(
            "SC207",
            f"{ctx.layer}: the condition must be a bool tensor, got {condition.dtype}",
        )
    return elementwise(ctx, (condition, input, other), result_dtype((input, other)))


def require_tensors(ctx: Any, **operands: Any) -> None:
    """Arguments that torch only takes as tensors (a number there is a TypeError)."""
    for name, value in operands.items():
        if not isinstance(value, TensorValue):
            ctx.report("SC306", f"{ctx.layer} needs a tensor as {name}, got {value!r}")


def _clamp_dtype(ctx: Any, operands: Sequence[Any]) -> str:
    """The common dtype. For bool, only one tensor bound works (it runs as maximum or
    minimum); a number bound or both tensor bounds hit kernels that have no bool version."""
    dtype = result_dtype(operands)
    bounds = operands[1:]
    tensors = [b for b in bounds if isinstance(b, TensorValue)]
    if dtype == "bool" and (len(tensors) != len(bounds) or len(tensors) == 2):
        ctx.report("SC207", f"{ctx.layer} is not implemented for these bool operands")
    return dtype


def _bound_missing(ctx: Any, min: Any, max: Any) -> None:
    if min is None and max is None:
        ctx.report("SC306", f"{ctx.layer}: at least one of min and max must be given")


@shape_rule(
    "torch.clamp",
    "torch.clip",
    "Tensor.clamp",
    "Tensor.clip",
    "Tensor.clamp_",
    "Tensor.clip_",
    examples=[
        ok("torch.clamp(x, min=0.0, max=1.0)", (2, 3), x=(2, 3)),
        ok("torch.clamp(x, min=y)", (2, 3), x=(3,), y=(2, 3)),
        ok("x.clip(y, z)", (4, 2, 3), x=(3,), y=(2, 1), z=(4, 1, 1)),
        ok("x.clamp_(max=y)", (2, 3), x=(2, 3), y=(3,)),
        bad("torch.clamp(x)", "SC306", x=(3,)),
        bad("torch.clamp(x, min=y)", "SC301", x=(3,), y=(2,)),
        bad("x.clamp_(y)", "SC301", x=(3,), y=(2, 3)),
    ],
)
@tensor_inputs(1)
def clamp(
    ctx: Any, input: TensorValue, min: Any = None, max: Any = None, *, out: Any = None
) -> TensorValue:
    """torch.clamp: min and max may be numbers or tensors; all broadcast together."""
    _bound_missing(ctx, min, max)
    operands = [v for v in (input, min, max) if v is not None]
    dtype = _clamp_dtype(ctx, operands)
    inplace = input if ctx.op.endswith("_") else None
    return elementwise(ctx, operands, dtype, inplace=inplace, cast_from=dtype)


@shape_rule(
    "torch.clamp_min",
    "torch.clamp_max",
    "Tensor.clamp_min",
    "Tensor.clamp_max",
    "Tensor.clamp_min_",
    "Tensor.clamp_max_",
    examples=[
        ok("torch.clamp_min(x, 0.5)", (2, 3), x=(2, 3)),
        ok("x.clamp_max(y)", (2, 3), x=(3,), y=(2, 1)),
        bad("x.clamp_min_(y)", "SC301", x=(3,), y=(2, 1)),
    ],
)
@tensor_inputs(1)
def clamp_bound(ctx: Any, input: TensorValue, bound: Any) -> TensorValue:
    dtype = _clamp_dtype(ctx, (input, bound))
    inplace = input if ctx.op.endswith("_") else None
    return elementwise(ctx, (input, bound), dtype, inplace=inplace, cast_from=dtype)


@shape_rule(
    "torch.lerp",
    "Tensor.lerp",
    "Tensor.lerp_",
    examples=[
        ok("torch.lerp(x, y, 0.5)", (2, 3), x=(3,), y=(2, 3)),
        ok("x.lerp(y, w)", (4, 2, 3), x=(2, 3), y=(3,), w=(4, 1, 1)),
        bad("torch.lerp(x, y, w)", "SC301", x=(3,), y=(3,), w=(2,)),
        bad("x.lerp_(y, 0.5)", "SC301", x=(3,), y=(2, 3)),
    ],
)
@tensor_inputs(1)
def lerp(ctx: Any, input: TensorValue, end: Any, weight: Any, *, out: Any = None) -> TensorValue:
    """torch.lerp(input, end, weight): input + weight * (end - input), all three broadcast;
    end must be a tensor, weight may be a number."""
    require_tensors(ctx, end=end)
    if category(input.dtype) < 2:
        ctx.report("SC207", f"{ctx.layer} needs a floating point input, got {input.dtype}")
    # ATen's lerp checks: end, and a weight tensor that is not 0-d, have input's dtype
    for what, t in (("end", end), ("weight", weight)):
        if isinstance(t, TensorValue) and t.dtype != input.dtype and (what == "end" or t.ndim):
            ctx.report("SC207", f"{ctx.layer}: {what} must be {input.dtype}, got {t.dtype}")
    dtype = result_dtype((input, end, weight))
    inplace = input if ctx.op.endswith("_") else None
    return elementwise(ctx, (input, end, weight), dtype, inplace=inplace, cast_from=dtype)


@shape_rule(
    "torch.addcmul",
    "torch.addcdiv",
    "Tensor.addcmul",
    "Tensor.addcdiv",
    "Tensor.addcmul_",
    "Tensor.addcdiv_",
    examples=[
        ok("torch.addcmul(x, y, z, value=0.5)", (5, 2, 3), x=(3,), y=(2, 3), z=(5, 1, 1)),
        ok("x.addcdiv_(y, z)", (2, 3), x=(2, 3), y=(3,), z=(2, 1)),
        bad("torch.addcmul(x, y, z)", "SC301", x=(3,), y=(4,), z=(3,)),
        bad(
            "torch.addcdiv(x, y, z)",
            "SC207",
            x=(3,),
            y=(3,),
            z=(3,),
            dtypes={"y": "int64", "z": "int64"},
        ),
    ],
)
@tensor_inputs(1)
def addc(
    ctx: Any,
    input: TensorValue,
    tensor1: TensorValue,
    tensor2: TensorValue,
    *,
    value: Any = 1,
    out: Any = None,
) -> TensorValue:
    """torch.addcmul / addcdiv: input + value * tensor1 (* or /) tensor2, all broadcast."""
    require_tensors(ctx, tensor1=tensor1, tensor2=tensor2)
    if "addcdiv" in ctx.op and all(
        isinstance(t, TensorValue) and category(t.dtype) < 2 for t in (tensor1, tensor2)
    ):
        ctx.report("SC207", f"{ctx.layer}: integer division with addcdiv is not supported")
    operands = (input, tensor1, tensor2)
    dtype = result_dtype(operands)
    if dtype == "bool":
        ctx.report("SC207", f"{ctx.layer} is not implemented for bool tensors")
    inplace = input if ctx.op.endswith("_") else None
    return elementwise(ctx, operands, dtype, inplace=inplace, cast_from=dtype)


@shape_rule(
    "torch.masked_fill",
    "Tensor.masked_fill",
    "Tensor.masked_fill_",
    examples=[
        ok("x.masked_fill(m, 0.0)", (2, 3), x=(2, 3), m=(3,), dtypes={"m": "bool"}),
        ok("x.masked_fill(m, v)", (4, 3), x=(3,), m=(4, 1), v=(), dtypes={"m": "bool"}),
        ok("x.masked_fill_(m, -1.0)", (2, 3), x=(2, 3), m=(2, 1), dtypes={"m": "bool"}),
        bad("x.masked_fill(m, 0.0)", "SC301", x=(2, 3), m=(2,), dtypes={"m": "bool"}),
        bad("x.masked_fill_(m, 0.0)", "SC301", x=(3,), m=(2, 3), dtypes={"m": "bool"}),
        bad("x.masked_fill(m, 0.0)", "SC207", x=(3,), m=(3,)),
        bad("x.masked_fill(m, v)", "SC206", x=(3,), m=(3,), v=(1,), dtypes={"m": "bool"}),
    ],
)
@tensor_inputs(2)
def masked_fill(ctx: Any, input: TensorValue, mask: TensorValue, value: Any) -> TensorValue:
    """Tensor.masked_fill: the bool mask broadcasts with self (out of place: both grow; in
    place: into self); a tensor value must be 0-d."""
    if isinstance(mask, TensorValue) and mask.dtype != "bool":
        ctx.report("SC207", f"{ctx.layer}: the mask must be a bool tensor, got {mask.dtype}")
    if isinstance(value, TensorValue) and value.ndim != 0:
        ctx.report(
            "SC206",
            f"{ctx.layer}: a tensor value must be 0-dimensional, got {format_shape(value.shape)}",
        )
    inplace = input if ctx.op.endswith("_") else None
    return elementwise(ctx, (input, mask), input.dtype, inplace=inplace)
