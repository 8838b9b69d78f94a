"""Tensor creation: torch.zeros/ones/empty/rand/randn/randint/full, the *_like forms,
torch.arange/linspace/logspace/eye/randperm/meshgrid, torch.tensor on literal data and
Tensor.new_*.

Sizes follow torch's "``*size`` or one sequence" convention (x.shape included); the default
dtype is float32, integer factories (randint, randperm, arange over ints) give int64, and
torch.full / torch.tensor infer the dtype from their data as torch does.
"""

from __future__ import annotations

import math
from typing import Any

from .. import symbolic as sym
from ..arith import numel
from ..symbolic import UNKNOWN, Dim
from ..values import OPAQUE, TensorValue
from . import bad, ok, shape_rule, short_name
from .sizes import (
    ITEMSIZE,
    check_memory_format,
    check_sizes_nonnegative,
    dtype_name,
    is_complex,
    is_floating,
    is_integral,
    is_size,
    size_args,
)

# the value range of each integer dtype (randint and randperm check their bounds against it)
_INT_RANGE = {
    "bool": (0, 1),
    "uint8": (0, 255),
    "int8": (-128, 127),
    "int16": (-(2**15), 2**15 - 1),
    "int32": (-(2**31), 2**31 - 1),
    "int64": (-(2**63), 2**63 - 1),
}


def _dtype(ctx: Any, dtype: Any, default: str) -> str:
    if dtype is None:
        return default
    name = dtype_name(dtype)
    if name is None:
        ctx.report("SC405", f"{ctx.layer}: dtype {dtype!r} is not a torch dtype")
        return default
    return name


def _scalar_dtype(value: Any) -> str:
    """The dtype torch gives a tensor filled with a Python scalar (torch.full, torch.tensor)."""
    if isinstance(value, TensorValue):
        value_kind = value.dtype
        if value_kind == "bool":
            return "bool"
        if is_integral(value_kind):
            return "int64"
        return "complex64" if is_complex(value_kind) else "float32"
    if isinstance(value, bool):
        return "bool"
    if isinstance(value, complex):
        return "complex64"
    if isinstance(value, float):
        return "float32"
    return "int64"


def _int_scalar(ctx: Any, value: Any, what: str) -> Dim | None:
    """An int argument (n, steps, high); symbolic sizes allowed; bools and floats are not."""
    if isinstance(value, bool) or not is_size(value):
        ctx.report("SC405", f"{ctx.layer}: {what} must be an integer, got {value!r}")
        return None
    return value


def _require_floating(ctx: Any, dtype: str, shape: tuple) -> None:
    """rand / randn (and their _like forms) fill with floats: integer dtypes are rejected
    ('"check_uniform_bounds" not implemented for 'Long''). rand checks its bounds even for an
    empty tensor; randn never runs its kernel on one."""
    if "randn" in ctx.op and ctx.decide(sym.eq(numel(shape), 0)):
        return
    if not (is_floating(dtype) or is_complex(dtype)):
        ctx.report("SC207", f"{ctx.layer} needs a floating-point dtype, got {dtype}")


def _check_int_range(ctx: Any, dtype: str, low: Dim, high_minus_one: Dim) -> None:
    """The values [low, high - 1] must fit the integer dtype ('to - 1 is out of bounds')."""
    if dtype not in _INT_RANGE:
        return
    lo, hi = _INT_RANGE[dtype]
    ctx.check(sym.ge(low, lo), "SC405", f"{ctx.layer}: {low} is out of bounds for {dtype}")
    ctx.check(
        sym.le(high_minus_one, hi),
        "SC405",
        f"{ctx.layer}: {high_minus_one} is out of bounds for {dtype}",
    )


def sized_tensor(ctx: Any, args: tuple, dtype: str) -> TensorValue | Any:
    """A new tensor of the given sizes (``*size`` or one sequence), each >= 0."""
    if not args:
        ctx.report("SC405", f"{ctx.layer} needs a size")
        return OPAQUE
    shape = size_args(ctx, args, "size")
    if shape is None:
        return OPAQUE
    if len(args) == 1 and isinstance(args[0], bool):  # torch.zeros(True): a bool is no size
        ctx.report("SC405", f"{ctx.layer}: size must be integers, got {args[0]!r}")
        return OPAQUE
    check_sizes_nonnegative(ctx, shape)
    return TensorValue(shape, dtype)


def _sequence_size(ctx: Any, size: Any) -> TensorValue | Any:
    """Factories whose size must be one sequence (torch.full, randint, new_full)."""
    if not isinstance(size, (tuple, list)):
        ctx.report("SC405", f"{ctx.layer}: size must be a tuple of ints, got {size!r}")
        return OPAQUE
    return sized_tensor(ctx, (tuple(size),), "float32")


# ---------------------------------------------------------------------------- factories


@shape_rule(
    "torch.zeros",
    "torch.ones",
    "torch.empty",
    "torch.rand",
    "torch.randn",
    examples=[
        ok("torch.zeros(2, 3)", (2, 3)),
        ok("torch.ones((2, 3))", (2, 3)),
        ok("torch.empty([0, 3])", (0, 3)),
        ok("torch.rand(x.shape)", (2, 3, 4), x=(2, 3, 4)),
        ok("torch.randn(x.size(0), 5)", (2, 5), x=(2, 3)),
        ok("torch.zeros(())", ()),
        ok("torch.zeros(size=(2, 3))", (2, 3)),
        ok("torch.ones(2, dtype=torch.int64).dtype"),
        ok("torch.rand(2, dtype=torch.float16).dtype"),
        bad("torch.zeros(-1)", "SC405"),
        bad("torch.ones(2.0)", "SC405"),
        bad("torch.zeros()", "SC405"),
        bad("torch.rand(2, dtype=torch.int64)", "SC207"),
        bad("torch.randn(2, dtype=torch.bool)", "SC207"),
    ],
)
def factory(ctx: Any, *size: Any, dtype: Any = None, **kwargs: Any) -> Any:
    if "size" in kwargs:
        if size:
            ctx.report("SC405", f"{ctx.layer}: size given twice")
            return OPAQUE
        size = (kwargs["size"],)
    out = sized_tensor(ctx, size, _dtype(ctx, dtype, "float32"))
    if short_name(ctx.op) in ("rand", "randn") and out is not OPAQUE:
        _require_floating(ctx, out.dtype, out.shape)
    return out


@shape_rule(
    "torch.full",
    examples=[
        ok("torch.full((2, 3), 1.5)", (2, 3)),
        ok("torch.full([2], 7).dtype"),
        ok("torch.full((2,), True).dtype"),
        ok("torch.full((), 2.0).dtype"),
        ok("torch.full(x.shape, x.size(1)).dtype", x=(2, 3)),
        ok("torch.full((2,), 1.5, dtype=torch.int64).dtype"),
        bad("torch.full(2, 1.0)", "SC405"),
        bad("torch.full((2, -3), 1.0)", "SC405"),
    ],
)
def full(ctx: Any, size: Any, fill_value: Any, *, dtype: Any = None, **kwargs: Any) -> Any:
    out = _sequence_size(ctx, size)
    if out is OPAQUE:
        return out
    return TensorValue(out.shape, _dtype(ctx, dtype, _scalar_dtype(fill_value)))


@shape_rule(
    "torch.zeros_like",
    "torch.ones_like",
    "torch.empty_like",
    "torch.rand_like",
    "torch.randn_like",
    examples=[
        ok("torch.zeros_like(x)", (2, 3), x=(2, 3)),
        ok("torch.ones_like(x).dtype", x=(2, 3), dtypes={"x": "int64"}),
        ok("torch.empty_like(x, dtype=torch.float16).dtype", x=(2, 3)),
        ok("torch.rand_like(x, dtype=torch.float32)", (2, 3), x=(2, 3), dtypes={"x": "int64"}),
        bad("torch.randn_like(x)", "SC207", x=(2, 3), dtypes={"x": "int64"}),
        bad("torch.zeros_like(x, memory_format=torch.channels_last)", "SC206", x=(2, 3)),
    ],
)
def like(
    ctx: Any, input: TensorValue, *, dtype: Any = None, memory_format: Any = None, **kwargs: Any
) -> TensorValue:
    check_memory_format(ctx, input, memory_format)
    dt = _dtype(ctx, dtype, input.dtype)
    if short_name(ctx.op) in ("rand_like", "randn_like"):
        _require_floating(ctx, dt, input.shape)
    return TensorValue(input.shape, dt)


@shape_rule(
    "torch.full_like",
    examples=[
        ok("torch.full_like(x, 1.5).dtype", x=(2, 3), dtypes={"x": "int64"}),
        ok("torch.full_like(x, 2)", (2, 3), x=(2, 3)),
        bad("torch.full_like(x, 2, memory_format=torch.channels_last)", "SC206", x=(2, 3)),
    ],
)
def full_like(
    ctx: Any,
    input: TensorValue,
    fill_value: Any,
    *,
    dtype: Any = None,
    memory_format: Any = None,
    **kwargs: Any,
) -> TensorValue:
    check_memory_format(ctx, input, memory_format)
    return TensorValue(input.shape, _dtype(ctx, dtype, input.dtype))


def _take(kwargs: dict, name: str, pos: list, default: Any) -> Any:
    """An argument by keyword, else the last positional one left (randint's optional low)."""
    if name in kwargs:
        return kwargs.pop(name)
    return pos.pop() if pos else default


def _low_high(ctx: Any, low: Any, high: Any, dtype: str) -> None:
    """randint draws from [low, high): low < high, both within the dtype's range."""
    good_low = _int_scalar(ctx, low, "low")
    good_high = _int_scalar(ctx, high, "high")
    if good_low is None or good_high is None:
        return
    if (
        ctx.check(
            sym.lt(low, high),
            "SC405",
            f"{ctx.layer} expects low to be less than high, got low={low} >= high={high}",
        )
        is not False
    ):
        _check_int_range(ctx, dtype, low, high - 1)


@shape_rule(
    "torch.randint",
    examples=[
        ok("torch.randint(5, (2, 3))", (2, 3)),
        ok("torch.randint(1, 5, x.shape)", (2, 3), x=(2, 3)),
        ok("torch.randint(low=1, high=5, size=(2,))", (2,)),
        ok("torch.randint(5, (2,)).dtype"),
        ok("torch.randint(2, (2,), dtype=torch.bool).dtype"),
        bad("torch.randint(5, 5, (2,))", "SC405"),
        bad("torch.randint(5, 2)", "SC405"),
        bad("torch.randint(2.5, (2,))", "SC405"),
        bad("torch.randint(5, (2,), dtype=torch.bool)", "SC405"),
    ],
)
def randint(ctx: Any, *args: Any, dtype: Any = None, **kwargs: Any) -> Any:
    """randint(high, size) or randint(low, high, size), also by keyword; size is a sequence."""
    pos = list(args)
    size = _take(kwargs, "size", pos, None)
    high = _take(kwargs, "high", pos, None)
    low = _take(kwargs, "low", pos, 0)
    if pos or high is None or size is None:
        ctx.report("SC405", f"{ctx.layer}: expects (high, size) or (low, high, size)")
        return OPAQUE
    dt = _dtype(ctx, dtype, "int64")
    out = _sequence_size(ctx, size)
    _low_high(ctx, low, high, dt)
    return out if out is OPAQUE else TensorValue(out.shape, dt)


@shape_rule(
    "torch.randint_like",
    examples=[
        ok("torch.randint_like(x, 5)", (2, 3), x=(2, 3)),
        ok("torch.randint_like(x, 1, 5).dtype", x=(2, 3), dtypes={"x": "int64"}),
        ok("torch.randint_like(x, high=5)", (2, 3), x=(2, 3)),
        bad("torch.randint_like(x, 5, 5)", "SC405", x=(2, 3)),
    ],
)
def randint_like(ctx: Any, input: TensorValue, *args: Any, dtype: Any = None, **kwargs: Any) -> Any:
    pos = list(args)
    high = _take(kwargs, "high", pos, None)
    low = _take(kwargs, "low", pos, 0)
    if pos or high is None:
        ctx.report("SC405", f"{ctx.layer}: expects (input, high) or (input, low, high)")
        return input
    dt = _dtype(ctx, dtype, input.dtype)
    _low_high(ctx, low, high, dt)
    return TensorValue(input.shape, dt)


# ------------------------------------------------------------------------------ ranges


def _arange_args(args: tuple, kwargs: dict) -> tuple[Any, Any, Any] | None:
    """arange(end), arange(start, end), arange(start, end, step), with keyword forms."""
    start, end, step = kwargs.get("start", 0), kwargs.get("end"), kwargs.get("step", 1)
    if len(args) == 1:
        if end is None:
            end = args[0]
        else:
            start = args[0]
    elif len(args) == 2:
        start, end = args
    elif len(args) == 3:
        start, end, step = args
    elif args:
        return None
    return None if end is None else (start, end, step)


def arange_length(ctx: Any, start: Any, end: Any, step: Any, dtype: str) -> Dim:
    """The length of torch.arange, as aten/src/ATen/native/RangeUtils.h computes it.

    The bounds are checked in double on the values as given. An int64 result truncates the
    values to integers and divides exactly, ceil((end - start) / step); every other dtype
    computes that ceil in double on the values as given.
    """
    if any(sym.is_symbolic(v) or v is UNKNOWN for v in (start, end, step)):
        return _symbolic_arange_length(ctx, start, end, step)
    fs, fe, ft = float(start), float(end), float(step)
    if not (ft > 0 or ft < 0):
        ctx.report("SC405", f"{ctx.layer}: step must be nonzero")
        return UNKNOWN
    if not (math.isfinite(fs) and math.isfinite(fe)):
        ctx.report("SC405", f"{ctx.layer}: unsupported range: {start} -> {end}")
        return UNKNOWN
    if not ((ft > 0 and fe >= fs) or (ft < 0 and fe <= fs)):
        ctx.report(
            "SC405",
            f"{ctx.layer}: upper bound and lower bound inconsistent with step sign "
            f"({start} -> {end} by {step})",
        )
        return UNKNOWN
    if dtype == "int64":
        s, e, t = int(start), int(end), int(step)  # Scalar.to<int64_t> truncates toward zero
        if t == 0:
            ctx.report("SC405", f"{ctx.layer}: step {step} is 0 as an int64")
            return UNKNOWN
        return (e - s + t - (1 if t > 0 else -1)) // t
    return math.ceil((fe - fs) / ft)


def _symbolic_arange_length(ctx: Any, start: Any, end: Any, step: Any) -> Dim:
    if any(isinstance(v, float) for v in (start, end, step)) or not isinstance(step, int):
        ctx.concrete((start, end, step), "range for arange with float or symbolic step")
        return UNKNOWN
    if step == 0:
        ctx.report("SC405", f"{ctx.layer}: step must be nonzero")
        return UNKNOWN
    if step > 0:
        ctx.check(sym.ge(end, start), "SC405", f"{ctx.layer}: end {end} is below start {start}")
        return sym.floordiv(end - start + step - 1, step)
    ctx.check(sym.le(end, start), "SC405", f"{ctx.layer}: end {end} is above start {start}")
    return sym.floordiv(start - end - step - 1, -step)


@shape_rule(
    "torch.arange",
    examples=[
        ok("torch.arange(5)", (5,)),
        ok("torch.arange(5).dtype"),
        ok("torch.arange(0, 5, 2)", (3,)),
        ok("torch.arange(0.0, 1.0, 0.1)", (10,)),
        ok("torch.arange(1, 4, 0.5).dtype"),
        ok("torch.arange(5, 0, -2)", (3,)),
        ok("torch.arange(0.5, 2.9, dtype=torch.int64)", (2,)),
        ok("torch.arange(x.size(1))", (7,), x=(2, 7)),
        ok("torch.arange(start=1, end=5)", (4,)),
        bad("torch.arange(5, 3)", "SC405"),
        bad("torch.arange(0, 5, 0)", "SC405"),
        bad("torch.arange(0, 1, 0.3, dtype=torch.int64)", "SC405"),
        bad("torch.arange(3, dtype=torch.bool)", "SC207"),
    ],
)
def arange(ctx: Any, *args: Any, dtype: Any = None, **kwargs: Any) -> Any:
    parsed = _arange_args(args, kwargs)
    if parsed is None:
        ctx.report("SC405", f"{ctx.layer}: expects (end), (start, end) or (start, end, step)")
        return OPAQUE
    numbers = [v for v in parsed if not isinstance(v, TensorValue)]
    if any(not (is_size(v) or isinstance(v, float)) for v in numbers):
        ctx.report("SC405", f"{ctx.layer}: start, end and step must be numbers, got {parsed}")
        return OPAQUE
    all_ints = all(not isinstance(v, (float, TensorValue)) for v in parsed)
    dt = _dtype(ctx, dtype, "int64" if all_ints else "float32")
    if dt == "bool":
        ctx.report("SC207", f"{ctx.layer} is not implemented for bool")
        return TensorValue((UNKNOWN,), dt)
    if len(numbers) < 3:  # a 0-d tensor bound: the length depends on its value
        return TensorValue((UNKNOWN,), dt)
    return TensorValue((arange_length(ctx, *parsed, dt),), dt)


@shape_rule(
    "torch.linspace",
    "torch.logspace",
    examples=[
        ok("torch.linspace(0, 1, 5)", (5,)),
        ok("torch.linspace(0, 1, 5).dtype"),
        ok("torch.logspace(0, 1, steps=x.size(0), base=2)", (3,), x=(3, 2)),
        ok("torch.linspace(0, 1, 0)", (0,)),
        bad("torch.linspace(0, 1, -1)", "SC405"),
        bad("torch.linspace(0, 1, 2.0)", "SC405"),
        bad("torch.logspace(0, 1, 5, dtype=torch.bool)", "SC207"),
    ],
)
def linspace(
    ctx: Any, start: Any, end: Any, steps: Any, base: Any = 10.0, *, dtype: Any = None, **kw: Any
) -> Any:
    dt = _dtype(ctx, dtype, "float32")
    n = _int_scalar(ctx, steps, "steps")
    if n is None:
        return TensorValue((UNKNOWN,), dt)
    ctx.check(sym.ge(n, 0), "SC405", f"{ctx.layer}: number of steps {n} must be non-negative")
    if dt == "bool" and ctx.decide(sym.ge(n, 2)):  # 0 or 1 steps never reach the kernel
        ctx.report("SC207", f"{ctx.layer} is not implemented for bool")
    return TensorValue((n,), dt)


@shape_rule(
    "torch.eye",
    examples=[
        ok("torch.eye(3)", (3, 3)),
        ok("torch.eye(3, 4)", (3, 4)),
        ok("torch.eye(x.size(1), dtype=torch.int64).dtype", x=(2, 5)),
        bad("torch.eye(-1)", "SC405"),
        bad("torch.eye(3, -1)", "SC405"),
        bad("torch.eye(2.0)", "SC405"),
    ],
)
def eye(ctx: Any, n: Any, m: Any = None, *, dtype: Any = None, **kwargs: Any) -> Any:
    dt = _dtype(ctx, dtype, "float32")
    rows = _int_scalar(ctx, n, "n")
    cols = rows if m is None else _int_scalar(ctx, m, "m")
    if rows is None or cols is None:
        return TensorValue((UNKNOWN, UNKNOWN), dt)
    check_sizes_nonnegative(ctx, (rows, cols))
    return TensorValue((rows, cols), dt)


@shape_rule(
    "torch.randperm",
    examples=[
        ok("torch.randperm(5)", (5,)),
        ok("torch.randperm(x.size(0)).dtype", x=(4,)),
        ok("torch.randperm(0)", (0,)),
        bad("torch.randperm(-1)", "SC405"),
        bad("torch.randperm(300, dtype=torch.uint8)", "SC405"),
        bad("torch.randperm(3, dtype=torch.bool)", "SC207"),
    ],
)
def randperm(ctx: Any, n: Any, *, dtype: Any = None, **kwargs: Any) -> Any:
    dt = _dtype(ctx, dtype, "int64")
    if dt == "bool":
        ctx.report("SC207", f"{ctx.layer} is not implemented for bool")
    count = _int_scalar(ctx, n, "n")
    if count is None:
        return TensorValue((UNKNOWN,), dt)
    if check_sizes_nonnegative(ctx, (count,)) and dt != "bool":
        _check_int_range(ctx, dt, 0, count - 1)
    return TensorValue((count,), dt)


@shape_rule(
    "torch.meshgrid",
    examples=[
        ok("torch.meshgrid(a, b, indexing='ij')", [(3, 4), (3, 4)], a=(3,), b=(4,)),
        ok("torch.meshgrid([a, b], indexing='xy')", [(4, 3), (4, 3)], a=(3,), b=(4,)),
        ok("torch.meshgrid(a, b, c, indexing='xy')", [(4, 3, 2)] * 3, a=(3,), b=(4,), c=(2,)),
        ok("torch.meshgrid(a, b)", [(1, 4), (1, 4)], a=(), b=(4,)),
        bad("torch.meshgrid(a, b)", "SC206", a=(3, 2), b=(4,)),
        bad("torch.meshgrid(a, b)", "SC207", a=(3,), b=(4,), dtypes={"b": "int64"}),
        bad("torch.meshgrid(a, b, indexing='foo')", "SC405", a=(3,), b=(4,)),
    ],
)
def meshgrid(ctx: Any, *tensors: Any, indexing: Any = None) -> Any:
    """Each 0-d or 1-d input spans one axis; 'xy' swaps the first two (torch.meshgrid)."""
    items = tensors[0] if len(tensors) == 1 and isinstance(tensors[0], (tuple, list)) else tensors
    if not items:
        ctx.report("SC405", f"{ctx.layer} expects a non-empty list of tensors")
        return ()
    if indexing not in (None, "ij", "xy"):
        ctx.report("SC405", f"{ctx.layer}: indexing must be 'xy' or 'ij', got {indexing!r}")
    for t in items:
        if t.ndim > 1:
            ctx.report("SC206", f"{ctx.layer} expects 0-d or 1-d tensors, got {t.ndim}-D {t}")
    if len({t.dtype for t in items}) > 1:
        ctx.report(
            "SC207", f"{ctx.layer} expects tensors of one dtype, got {[t.dtype for t in items]}"
        )
    shape = [numel(t.shape) if t.ndim <= 1 else UNKNOWN for t in items]
    if indexing == "xy" and len(shape) >= 2:
        shape[0], shape[1] = shape[1], shape[0]
    return tuple(t.with_shape(shape) for t in items)


# ------------------------------------------------------------------------ literal data

_KIND_ORDER = ("bool", "int", "float", "complex")


def _kind(dtype: str) -> str:
    if dtype == "bool":
        return "bool"
    if is_integral(dtype):
        return "int"
    return "complex" if is_complex(dtype) else "float"


def _leaf_dtype(ctx: Any, leaf: Any) -> str | None:
    """The dtype torch infers for one scalar of nested data (infer_scalar_type)."""
    if isinstance(leaf, TensorValue):
        return leaf.dtype
    if isinstance(leaf, bool):
        return "bool"
    if isinstance(leaf, complex):
        return "complex64"
    if isinstance(leaf, float):
        return "float32"
    if is_size(leaf):
        return "int64"
    ctx.report("SC405", f"{ctx.layer}: could not infer the dtype of {leaf!r}")
    return None


def _data_dtypes(ctx: Any, data: Any, out: list[str]) -> bool:
    """Every leaf's dtype, in order; an empty sequence counts as the default float."""
    if isinstance(data, (tuple, list)):
        if not data:
            out.append("float32")
        return all(_data_dtypes(ctx, item, out) for item in data)
    dtype = _leaf_dtype(ctx, data)
    if dtype is not None:
        out.append(dtype)
    return dtype is not None


def _promote(dtypes: list[str]) -> str:
    """torch.promote_types over the leaves (a Python int is int64, a float the default
    float32): the highest kind, the widest dtype in it; two different dtypes of one width
    (float16 and bfloat16, int8 and uint8) meet one size up."""
    kind = max((_kind(d) for d in dtypes), key=_KIND_ORDER.index)
    same = {d for d in dtypes if _kind(d) == kind}
    width = max(ITEMSIZE[d] for d in same)
    widest = sorted(d for d in same if ITEMSIZE[d] == width)
    if len(widest) == 1:
        return widest[0]
    return {"float": "float32", "int": "int16"}.get(kind, widest[0])


def _first_shape(data: Any) -> tuple:
    """torch.tensor's shape: the lengths along the first elements (compute_sizes)."""
    shape: list[Dim] = []
    while isinstance(data, (tuple, list)):
        shape.append(len(data))
        if not data:
            break
        data = data[0]
    return tuple(shape)


def _check_rectangular(ctx: Any, data: Any, shape: tuple, dim: int) -> bool:
    """Every sequence has the length of its dim and scalars sit only at the bottom
    (recursive_store: 'expected sequence of length 2 at dim 1 (got 1)')."""
    if dim == len(shape):
        if isinstance(data, (tuple, list)):
            ctx.report("SC405", f"{ctx.layer}: a sequence {data!r} where a number is expected")
            return False
        if isinstance(data, TensorValue):
            ctx.check(
                sym.eq(numel(data.shape), 1),
                "SC405",
                f"{ctx.layer}: only one-element tensors can be converted to scalars, got {data}",
            )
        return True
    if not isinstance(data, (tuple, list)) or len(data) != shape[dim]:
        ctx.report("SC405", f"{ctx.layer}: expected a sequence of length {shape[dim]} at dim {dim}")
        return False
    return all(_check_rectangular(ctx, item, shape, dim + 1) for item in data)


def literal_tensor(ctx: Any, data: Any, dtype: Any, default: str | None) -> Any:
    """torch.tensor(data): a tensor keeps its shape; nested sequences give the lengths along
    their first elements, checked for the rest only when the tensor has elements to store."""
    if isinstance(data, TensorValue):
        return TensorValue(data.shape, _dtype(ctx, dtype, default or data.dtype), const=True)
    leaves: list[str] = []
    if not _data_dtypes(ctx, data, leaves):
        return OPAQUE
    shape = _first_shape(data)
    if ctx.decide(sym.eq(numel(shape), 0)) is not True and not _check_rectangular(
        ctx, data, shape, 0
    ):
        return OPAQUE
    inferred = default or (_promote(leaves) if leaves else "float32")
    return TensorValue(shape, _dtype(ctx, dtype, inferred), const=True)


@shape_rule(
    "torch.tensor",
    examples=[
        ok("torch.tensor([[1, 2], [3, 4]])", (2, 2)),
        ok("torch.tensor([1, 2.0]).dtype"),
        ok("torch.tensor([True, False]).dtype"),
        ok("torch.tensor([])", (0,)),
        ok("torch.tensor([[], []])", (2, 0)),
        ok("torch.tensor(3)", ()),
        ok("torch.tensor(x.shape)", (3,), x=(2, 3, 4)),
        ok("torch.tensor([x.size(0), 1]).dtype", x=(2, 3)),
        ok("torch.tensor(x)", (2, 3), x=(2, 3)),
        ok("torch.tensor([x, x])", (2,), x=(1, 1)),
        bad("torch.tensor([[1, 2], [3]])", "SC405"),
        bad("torch.tensor([x, x])", "SC405", x=(2, 3)),
    ],
)
def tensor(ctx: Any, data: Any, *, dtype: Any = None, **kwargs: Any) -> Any:
    return literal_tensor(ctx, data, dtype, None)


# ----------------------------------------------------------------------------- new_*


@shape_rule(
    "Tensor.new_zeros",
    "Tensor.new_ones",
    "Tensor.new_empty",
    examples=[
        ok("x.new_zeros(2, 3)", (2, 3), x=(4,)),
        ok("x.new_ones((2, 3)).dtype", x=(4,), dtypes={"x": "int64"}),
        ok("x.new_empty(x.shape)", (4, 5), x=(4, 5)),
        ok("x.new_zeros(2, dtype=torch.int64).dtype", x=(4,)),
        bad("x.new_zeros(-1)", "SC405", x=(4,)),
        bad("x.new_ones()", "SC405", x=(4,)),
    ],
)
def new_sized(ctx: Any, self: TensorValue, *size: Any, dtype: Any = None, **kwargs: Any) -> Any:
    if "size" in kwargs and not size:
        size = (kwargs["size"],)
    return sized_tensor(ctx, size, _dtype(ctx, dtype, self.dtype))


@shape_rule(
    "Tensor.new_full",
    examples=[
        ok("x.new_full((2,), 1.5).dtype", x=(4,), dtypes={"x": "int64"}),
        ok("x.new_full(x.shape, 0)", (4, 5), x=(4, 5)),
        bad("x.new_full(2, 1)", "SC405", x=(4,)),
    ],
)
def new_full(
    ctx: Any, self: TensorValue, size: Any, fill_value: Any, *, dtype: Any = None, **kwargs: Any
) -> Any:
    out = _sequence_size(ctx, size)
    if out is OPAQUE:
        return out
    return TensorValue(out.shape, _dtype(ctx, dtype, self.dtype))


@shape_rule(
    "Tensor.new_tensor",
    examples=[
        ok("x.new_tensor([1, 2]).dtype", x=(4,)),
        ok("x.new_tensor([[1, 2]])", (1, 2), x=(4,)),
        bad("x.new_tensor([[1, 2], [3]])", "SC405", x=(4,)),
    ],
)
def new_tensor(ctx: Any, self: TensorValue, data: Any, *, dtype: Any = None, **kwargs: Any) -> Any:
    return literal_tensor(ctx, data, dtype, self.dtype)
