"""Python arithmetic on sizes: ``c * h * w``, ``x.size(1) // 2``, ``(B,) + x.shape[1:]``.

torch.fx records Python operators as ``operator.add`` ... nodes whatever their operands are, so
the rules here dispatch on the values: an operand that is a tensor makes the op elementwise
tensor arithmetic, which ``rules/elementwise.py`` owns (``elementwise_binary(ctx, op, a, b)``,
imported when first needed); otherwise the op is Python arithmetic on ints, floats and
symbolic sizes, or concatenation / repetition of size tuples, computed exactly as Python
would. A symbolic size meeting a float has no exact form here: SC905 and an opaque size.
"""

from __future__ import annotations

import math
import operator
from typing import Any

from .. import symbolic as sym
from ..arith import numel
from ..symbolic import UNKNOWN
from ..values import TensorValue
from . import bad, ok, shape_rule, short_name

_PYTHON = {
    "add": operator.add,
    "sub": operator.sub,
    "mul": operator.mul,
    "truediv": operator.truediv,
    "floordiv": operator.floordiv,
    "mod": operator.mod,
    "pow": operator.pow,
}
_SYMBOLS = {
    "add": "+",
    "sub": "-",
    "mul": "*",
    "truediv": "/",
    "floordiv": "//",
    "mod": "%",
    "pow": "**",
}


def _is_symbolic(value: Any) -> bool:
    return sym.is_symbolic(value) or value is UNKNOWN


def _is_number(value: Any) -> bool:
    return isinstance(value, (int, float)) or _is_symbolic(value)


def _type_error(ctx: Any, op: str, a: Any, b: Any) -> Any:
    ctx.report(
        "SC405",
        f"{ctx.layer}: unsupported operand types for {_SYMBOLS[op]}: "
        f"{type(a).__name__} and {type(b).__name__}",
    )
    return UNKNOWN


def _elementwise(ctx: Any, op: str, a: Any, b: Any) -> Any:
    from .elementwise import elementwise_binary  # owned by the elementwise rules

    return elementwise_binary(ctx, op, a, b)


@shape_rule(
    "operator.add",
    "operator.sub",
    "operator.mul",
    "operator.truediv",
    "operator.floordiv",
    "operator.mod",
    "operator.pow",
    examples=[
        ok("x.size(1) * x.size(2) * x.size(3)", x=(2, 3, 4, 5)),
        ok("x.view(x.size(0), x.size(1) * x.size(2))", (2, 12), x=(2, 3, 4)),
        ok("x.size(1) // 2 + 1", x=(2, 7)),
        ok("x.size(1) - 10", x=(2, 7)),
        ok("x.size(1) % 4", x=(2, 7)),
        ok("x.size(1) ** 2", x=(2, 7)),
        ok("x.size(1) / 2", x=(2, 7)),
        ok("x.size(1) / 7", x=(2, 7)),
        ok("x.size(0) * 0.5", x=(3,)),
        ok("(x.size(0),) + x.shape[1:]", x=(2, 3, 4)),
        ok("x.shape * 2", x=(2, 3)),
        ok("2 * [x.size(0)]", x=(2, 3)),
        bad("x.size(1) // (x.size(0) - 2)", "SC405", x=(2, 7)),
        bad("x.size(1) / 0", "SC405", x=(2, 7)),
        bad("x.shape + 1", "SC405", x=(2, 7)),
        bad("x.shape + [1]", "SC405", x=(2, 7)),
        bad("x.shape - x.shape", "SC405", x=(2, 7)),
    ],
)
def binary(ctx: Any, a: Any, b: Any) -> Any:
    return arith(ctx, short_name(ctx.op), a, b)


def arith(ctx: Any, op: str, a: Any, b: Any) -> Any:
    """``a <op> b`` for op in add, sub, mul, truediv, floordiv, mod, pow, on any values."""
    if isinstance(a, TensorValue) or isinstance(b, TensorValue):
        return _elementwise(ctx, op, a, b)
    if a is UNKNOWN or b is UNKNOWN:  # an opaque value yields an opaque value, silently
        return UNKNOWN
    if isinstance(a, (tuple, list)) or isinstance(b, (tuple, list)):
        return _sequence_op(ctx, op, a, b)
    if not (_is_number(a) and _is_number(b)):
        return _type_error(ctx, op, a, b)
    if _is_symbolic(a) or _is_symbolic(b):
        return symbolic_arith(ctx, op, a, b)
    try:
        return _PYTHON[op](a, b)
    except ZeroDivisionError:
        ctx.report("SC405", f"{ctx.layer}: division by zero ({a} {_SYMBOLS[op]} {b})")
    except (OverflowError, ValueError) as exc:
        ctx.report("SC405", f"{ctx.layer}: {a} {_SYMBOLS[op]} {b} fails: {exc}")
    return UNKNOWN


def _sequence_op(ctx: Any, op: str, a: Any, b: Any) -> Any:
    """tuple + tuple concatenates (torch.Size is a tuple); tuple * int repeats."""
    if op == "add" and isinstance(a, (tuple, list)) and type(a) is type(b):
        return a + b
    if op == "mul":
        seq, count = (a, b) if isinstance(a, (tuple, list)) else (b, a)
        if not isinstance(count, int):
            if _is_symbolic(count):
                ctx.concrete(count, "repeat count for a sequence")
                return UNKNOWN
            return _type_error(ctx, op, a, b)
        if isinstance(seq, (tuple, list)) and not isinstance(count, (tuple, list)):
            return seq * count
    return _type_error(ctx, op, a, b)


def symbolic_arith(ctx: Any, op: str, a: Any, b: Any) -> Any:
    """Python arithmetic where a symbolic size takes part; ints stay exact expressions."""
    if a is UNKNOWN or b is UNKNOWN:
        return UNKNOWN
    if isinstance(a, float) or isinstance(b, float):
        ctx.concrete((a, b), f"size for {_SYMBOLS[op]} with a float")
        return UNKNOWN
    a, b = int(a) if isinstance(a, bool) else a, int(b) if isinstance(b, bool) else b
    if op in ("add", "sub", "mul"):
        return _PYTHON[op](a, b)
    if op in ("floordiv", "mod", "truediv"):
        if ctx.decide(sym.eq(b, 0)) is True:
            ctx.report("SC405", f"{ctx.layer}: division by zero ({a} {_SYMBOLS[op]} {b})")
            return UNKNOWN
        if op == "truediv":  # exact quotients only; anything else is a float
            quotient = sym.exact_div(a, b)
            if quotient is None:
                ctx.concrete((a, b), "size for a true division that may not be exact")
                return UNKNOWN
            return quotient
        return sym.floordiv(a, b) if op == "floordiv" else sym.mod(a, b)
    # pow: a symbolic base to a non-negative int power stays exact
    if isinstance(b, int) and b >= 0:
        return a**b
    ctx.concrete((a, b), "size for ** with a symbolic or negative exponent")
    return UNKNOWN


@shape_rule(
    "operator.neg",
    examples=[
        ok("-x.size(0)", x=(3,)),
        ok("x.size(1) + -x.size(0)", x=(3, 5)),
        bad("-x.shape", "SC405", x=(3,)),
    ],
)
def neg(ctx: Any, a: Any) -> Any:
    if isinstance(a, TensorValue):
        if a.dtype == "bool":  # torch: use ~ or logical_not() on a mask
            ctx.report("SC207", f"{ctx.layer}: the - operator is not supported on a bool tensor")
        return a
    if _is_number(a):
        return -a
    ctx.report("SC405", f"{ctx.layer}: bad operand type for unary -: {type(a).__name__}")
    return UNKNOWN


def _to_number(ctx: Any, value: Any, kind: type) -> Any:
    """int(value) / float(value) as Python computes it; tensors must hold one element."""
    if isinstance(value, TensorValue):
        ctx.check(
            sym.eq(numel(value.shape), 1),
            "SC405",
            f"{ctx.layer}: only one-element tensors can be converted to Python scalars, "
            f"got {value}",
        )
        return UNKNOWN
    if _is_symbolic(value):
        if kind is int:
            return value
        ctx.concrete(value, "size for float()")
        return UNKNOWN
    if not isinstance(value, (int, float)):
        ctx.report("SC405", f"{ctx.layer}: {kind.__name__}() of {value!r}")
        return UNKNOWN
    try:
        return kind(value)
    except (OverflowError, ValueError) as exc:
        ctx.report("SC405", f"{ctx.layer}: {kind.__name__}({value}) fails: {exc}")
        return UNKNOWN


@shape_rule(
    "builtins.int",
    "builtins.float",
    examples=[
        ok("int(x.size(1) / 2)", x=(2, 7)),
        ok("int(x.size(1) * 0.5)", x=(2, 7)),
        ok("float(x.size(0))", x=(2, 7)),
        ok("x.view(int(x.size(0)), -1)", (2, 7), x=(2, 7)),
        bad("int(x)", "SC405", x=(2, 7)),
        bad("float(x.shape)", "SC405", x=(2, 7)),
    ],
)
def to_number(ctx: Any, x: Any = 0) -> Any:
    return _to_number(ctx, x, int if ctx.op == "builtins.int" else float)


@shape_rule(
    "math.floor",
    "math.ceil",
    "math.sqrt",
    examples=[
        ok("math.floor(x.size(1) / 2)", x=(2, 7)),
        ok("math.ceil(x.size(1) / 2)", x=(2, 7)),
        ok("math.floor(x.size(1))", x=(2, 7)),
        ok("math.sqrt(x.size(1))", x=(2, 9)),
        ok("torch.zeros(math.ceil(x.size(1) / 2))", (4,), x=(2, 7)),
        bad("math.sqrt(x.size(1) - 10)", "SC405", x=(2, 9)),
        bad("math.floor(x.shape)", "SC405", x=(2, 9)),
    ],
)
def rounding(ctx: Any, x: Any) -> Any:
    fn = short_name(ctx.op)
    if _is_symbolic(x):
        if fn in ("floor", "ceil"):  # a size is already an integer
            return x
        ctx.concrete(x, "size for math.sqrt")
        return UNKNOWN
    if isinstance(x, bool) or not isinstance(x, (int, float)):
        ctx.report("SC405", f"{ctx.layer}: math.{fn}() of {x!r}")
        return UNKNOWN
    try:
        return getattr(math, fn)(x)
    except (OverflowError, ValueError) as exc:
        ctx.report("SC405", f"{ctx.layer}: math.{fn}({x}) fails: {exc}")
        return UNKNOWN


@shape_rule(
    "math.prod",
    examples=[
        ok("math.prod(x.shape)", x=(2, 3, 4)),
        ok("math.prod(x.shape[1:], start=2)", x=(2, 3, 4)),
        ok("x.view(-1, math.prod(x.shape[1:]))", (2, 12), x=(2, 3, 4)),
        bad("math.prod(x.size(0))", "SC405", x=(2, 3, 4)),
    ],
)
def prod(ctx: Any, iterable: Any, *, start: Any = 1) -> Any:
    """math.prod: start times every item, multiplied left to right as Python does."""
    if iterable is UNKNOWN:
        return UNKNOWN
    if not isinstance(iterable, (tuple, list)):
        ctx.report("SC405", f"{ctx.layer}: math.prod() needs an iterable, got {iterable!r}")
        return UNKNOWN
    result = start
    for item in iterable:
        result = arith(ctx, "mul", result, item)
    return result


@shape_rule(
    "builtins.max",
    "builtins.min",
    examples=[
        ok("max(x.size(1), x.size(2))", x=(2, 3, 5)),
        ok("min(x.size(1), x.size(2), 4)", x=(2, 3, 5)),
        ok("max(x.shape[1:])", x=(2, 3, 5)),
        ok("x.view(-1, max(x.size(1), x.size(2)))", (6, 5), x=(2, 3, 5)),
        bad("max(x.size(1), x)", "SC405", x=(2, 3, 5)),
    ],
)
def extreme(ctx: Any, *args: Any) -> Any:
    """Python's max() / min() of sizes (``max(h, w)``): of its arguments, or of the items of
    its one iterable argument (a size tuple); symbolic sizes give a symbolic max / min."""
    fn = short_name(ctx.op)
    items = args[0] if len(args) == 1 and isinstance(args[0], (tuple, list)) else args
    if not items or any(
        not (_is_number(v) or _is_symbolic(v)) or isinstance(v, bool) for v in items
    ):
        ctx.report("SC405", f"{ctx.layer}: {fn}() of sizes only, got {args!r}")
        return UNKNOWN
    if any(_is_symbolic(v) for v in items):
        return sym.maximum(*items) if fn == "max" else sym.minimum(*items)
    return max(items) if fn == "max" else min(items)
