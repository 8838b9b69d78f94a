"""Sizes and attributes: x.size(), x.shape and the other tensor attributes, x.dim(), x.numel(),
len(x), torch.Size, and the conversions that keep the shape (x.to(...), x.float(), x.detach()).

Also the argument readers the other rule modules share: ``size_args`` (torch's "``*size`` or
one sequence" convention), ``dim_arg`` (a dim index checked against a rank) and ``dtype_name``
(a dtype however it arrives: a torch.dtype from the torch frontend, ``"torch.float16"`` from an
expression, ``"float16"`` from ``x.dtype``).
"""

from __future__ import annotations

from typing import Any

from .. import symbolic as sym
from ..arith import normalize_dim, numel
from ..symbolic import Dim
from ..values import OPAQUE, TensorValue
from . import bad, ok, shape_rule, short_name

# element sizes in bytes (torch.dtype.itemsize)
ITEMSIZE = {
    "bool": 1,
    "uint8": 1,
    "int8": 1,
    "int16": 2,
    "int32": 4,
    "int64": 8,
    "uint16": 2,
    "uint32": 4,
    "uint64": 8,
    "float16": 2,
    "bfloat16": 2,
    "float32": 4,
    "float64": 8,
    "complex32": 4,
    "complex64": 8,
    "complex128": 16,
    "float8_e4m3fn": 1,
    "float8_e5m2": 1,
}
_ALIASES = {
    "float": "float32",
    "double": "float64",
    "half": "float16",
    "long": "int64",
    "int": "int32",
    "short": "int16",
    "cfloat": "complex64",
    "cdouble": "complex128",
    "chalf": "complex32",
}
# legacy tensor type names, as x.type() prints them (torch.FloatTensor)
TENSOR_TYPES = {
    "float32": "FloatTensor",
    "float64": "DoubleTensor",
    "float16": "HalfTensor",
    "bfloat16": "BFloat16Tensor",
    "uint8": "ByteTensor",
    "int8": "CharTensor",
    "int16": "ShortTensor",
    "int32": "IntTensor",
    "int64": "LongTensor",
    "bool": "BoolTensor",
    "complex64": "ComplexFloatTensor",
    "complex128": "ComplexDoubleTensor",
}
_TYPE_DTYPES = {v: k for k, v in TENSOR_TYPES.items()}
_PY_TYPES = {float: "float64", int: "int64", bool: "bool", complex: "complex128"}
_RANK_FORMATS = {"channels_last": 4, "channels_last_3d": 5}


# ------------------------------------------------------------------------ argument readers


def dtype_name(value: Any) -> str | None:
    """``"float16"`` for torch.float16 / ``"torch.float16"`` / ``"torch.half"`` / ``"float16"``
    (Python's float, int, bool and complex types too, as torch reads them); None otherwise."""
    if isinstance(value, type):
        return _PY_TYPES.get(value)
    if isinstance(value, str):
        text = value
    elif type(value).__name__ == "dtype":  # a torch.dtype; rules never import torch
        text = str(value)
    else:
        return None
    name = text.removeprefix("torch.")
    name = _ALIASES.get(name, name)
    return name if name in ITEMSIZE else None


def tensor_type_dtype(value: Any) -> str | None:
    """The dtype named by a legacy tensor type (``torch.LongTensor``, ``"torch.LongTensor"``)."""
    text = value.__name__ if isinstance(value, type) else value
    if not isinstance(text, str):
        return None
    return _TYPE_DTYPES.get(text.removeprefix("torch."))


def is_floating(dtype: str) -> bool:
    return dtype.startswith(("float", "bfloat"))


def is_complex(dtype: str) -> bool:
    return dtype.startswith("complex")


def _differentiable(dtype: str) -> bool:
    return is_floating(dtype) or is_complex(dtype)


def is_integral(dtype: str, include_bool: bool = True) -> bool:
    return dtype.startswith(("int", "uint")) or (include_bool and dtype == "bool")


def is_size(value: Any) -> bool:
    """An int, a symbolic size, or an opaque one (Python bools count as ints, as in torch)."""
    return isinstance(value, int) or sym.is_symbolic(value) or value is sym.UNKNOWN


def size_args(ctx: Any, args: tuple, what: str = "size") -> tuple[Dim, ...] | None:
    """Sizes given as ``f(2, 3)``, ``f((2, 3))``, ``f([2, 3])`` or ``f(x.shape)``.

    None, after reporting SC405, when an entry is not an integer (torch raises TypeError).
    A 0-d integer tensor counts as an (unknown) integer, as torch reads it through __index__.
    """
    items = tuple(args[0]) if len(args) == 1 and isinstance(args[0], (tuple, list)) else args
    out: list[Dim] = []
    for item in items:
        if isinstance(item, TensorValue) and item.ndim == 0 and is_integral(item.dtype):
            out.append(sym.UNKNOWN)
        elif is_size(item):
            out.append(int(item) if isinstance(item, bool) else item)
        else:
            ctx.report("SC405", f"{ctx.layer}: {what} must be integers, got {_show(args)}")
            return None
    return tuple(out)


def check_sizes_nonnegative(ctx: Any, sizes: tuple[Dim, ...], what: str = "size") -> bool:
    """Every size >= 0 (torch: 'Trying to create tensor with negative dimension')."""
    good = True
    for i, d in enumerate(sizes):
        if (
            ctx.check(sym.ge(d, 0), "SC405", f"{ctx.layer}: {what} {d} at position {i} is negative")
            is False
        ):
            good = False
    return good


def int_arg(ctx: Any, value: Any, what: str) -> int | None:
    """A Python int argument (a dim, a repeat count); SC905 for a symbolic one, SC405 for a
    value of another type (torch raises TypeError: 'must be int, not float')."""
    if sym.is_symbolic(value) or value is sym.UNKNOWN:
        ctx.concrete(value, what)
        return None
    if isinstance(value, bool) or not isinstance(value, int):
        ctx.report("SC405", f"{ctx.layer}: {what} must be an integer, got {value!r}")
        return None
    return value


def dim_arg(ctx: Any, dim: Any, ndim: int, *, scalar: bool = True, what: str = "dim") -> int | None:
    """dim made non-negative for a tensor of rank ndim; SC404 when out of range.

    With ``scalar`` a 0-d tensor accepts 0 and -1 (ATen maybe_wrap_dim's wrap_scalar); ops
    such as size(dim), select and roll use it without, and reject every dim of a 0-d tensor.
    """
    d = int_arg(ctx, dim, what)
    if d is None:
        return None
    norm = normalize_dim(d, ndim) if (scalar or ndim > 0) else None
    if norm is None:
        lo, hi = -max(ndim, 1), max(ndim, 1) - 1
        rng = f"expected in [{lo}, {hi}]" if ndim or scalar else "the tensor has no dimensions"
        ctx.report(
            "SC404", f"{ctx.layer}: {what}={dim} is out of range for a {ndim}-D input ({rng})"
        )
    return norm


def check_memory_format(ctx: Any, x: TensorValue, memory_format: Any) -> None:
    """channels_last needs a 4-D tensor, channels_last_3d a 5-D one (c10 MemoryFormat)."""
    if memory_format is None:
        return
    name = str(memory_format).removeprefix("torch.")
    need = _RANK_FORMATS.get(name)
    if need is not None and x.ndim != need:
        ctx.report(
            "SC206",
            f"{ctx.layer}: memory_format={name} needs a {need}-D tensor, got {x.ndim}-D {x}",
        )


def _show(args: tuple) -> str:
    return ", ".join(str(a) for a in args) if args else "nothing"


def _transpose_last(ctx: Any, x: TensorValue, attr: str) -> TensorValue:
    if x.ndim == 0:  # torch returns a 0-d tensor as is
        return x
    if x.ndim < 2:
        ctx.report(
            "SC206",
            f"{ctx.layer}: x.{attr} needs a matrix or a batch of matrices, got {x.ndim}-D {x}",
        )
        return x
    return x.with_shape((*x.shape[:-2], x.shape[-1], x.shape[-2]))


def _conj_transpose(ctx: Any, x: TensorValue) -> TensorValue:
    if x.ndim not in (0, 2):  # tensor.H: matrices only (a 0-d tensor is returned as is)
        ctx.report("SC206", f"{ctx.layer}: x.H needs a 2-D tensor, got {x.ndim}-D {x}")
        return x
    return x.with_shape(x.shape[::-1])


# ------------------------------------------------------------------------------ the rules


@shape_rule(
    "Tensor.size",
    examples=[
        ok("torch.zeros(x.size())", (2, 3, 5), x=(2, 3, 5)),
        ok("x.view(x.size(0), -1)", (2, 15), x=(2, 3, 5)),
        ok("torch.zeros(x.size(dim=-1))", (5,), x=(2, 3, 5)),
        ok("x.size(1)", x=(2, 3, 5)),
        bad("x.size(3)", "SC404", x=(2, 3, 5)),
        bad("x.size(0)", "SC404", x=()),
    ],
)
def size(ctx: Any, self: TensorValue, dim: Any = None) -> Any:
    if dim is None:
        return tuple(self.shape)
    d = dim_arg(ctx, dim, self.ndim, scalar=False)
    return sym.UNKNOWN if d is None else self.shape[d]


@shape_rule(
    "Tensor.dim",
    "Tensor.ndimension",
    "Tensor.numel",
    "Tensor.nelement",
    "torch.numel",
    examples=[
        ok("x.dim()", x=(2, 3, 5)),
        ok("x.ndimension()", x=()),
        ok("x.numel()", x=(2, 3, 5)),
        ok("x.shape.numel()", x=(2, 3, 5)),
        ok("torch.numel(x)", x=(4, 0)),
        ok("torch.zeros(x.nelement())", (6,), x=(2, 3)),
        bad("torch.numel(x.shape)", "SC405", x=(2, 3)),
    ],
)
def count(ctx: Any, input: Any) -> Any:
    """dim() and numel(); torch.Size has numel() too (x.shape.numel())."""
    name = short_name(ctx.op)
    if isinstance(input, (tuple, list)) and ctx.op == "Tensor.numel":
        return numel(input)
    if not isinstance(input, TensorValue):
        ctx.report("SC405", f"{ctx.layer}: {name}() needs a tensor, got {input!r}")
        return sym.UNKNOWN
    if name in ("dim", "ndimension"):
        return input.ndim
    return numel(input.shape)


_ATTRIBUTES = {
    "shape": lambda ctx, x: tuple(x.shape),
    "ndim": lambda ctx, x: x.ndim,
    "dtype": lambda ctx, x: x.dtype,
    "device": lambda ctx, x: "cpu",
    "is_cuda": lambda ctx, x: False,
    "requires_grad": lambda ctx, x: False,
    "itemsize": lambda ctx, x: ITEMSIZE.get(x.dtype, sym.UNKNOWN),
    "data": lambda ctx, x: x,
    # x.T reverses every dim (deprecated for ndim != 2 but still allowed)
    "T": lambda ctx, x: x.with_shape(x.shape[::-1]),
    "mT": lambda ctx, x: _transpose_last(ctx, x, "mT"),
    "mH": lambda ctx, x: _transpose_last(ctx, x, "mH"),
    "H": _conj_transpose,
}


@shape_rule(
    "builtins.getattr",
    examples=[
        ok("x.shape", x=(2, 3, 5)),
        ok("x.shape[2:]", x=(2, 3, 5)),
        ok("x.ndim", x=(2, 3)),
        ok("x.dtype", x=(2, 3), dtypes={"x": "int64"}),
        ok("x.device", x=(2, 3)),
        ok("x.is_cuda", x=(2, 3)),
        ok("x.T", (5, 3, 2), x=(2, 3, 5)),
        ok("x.mT", (2, 5, 3), x=(2, 3, 5)),
        ok("x.H", (3, 2), x=(2, 3)),
        ok("getattr(x, 'shape')", x=(4,)),
        ok("x.max(dim=1).values", (2, 5), x=(2, 3, 5)),
        ok("torch.sort(x, dim=-1).indices", (2, 3), x=(2, 3)),
        bad("x.mT", "SC206", x=(3,)),
        bad("x.H", "SC206", x=(2, 3, 4)),
    ],
)
def attribute(ctx: Any, obj: Any, name: str, *default: Any) -> Any:
    if isinstance(obj, TensorValue) and name in _ATTRIBUTES:
        return _ATTRIBUTES[name](ctx, obj)
    if isinstance(obj, tuple) and name in getattr(obj, "_fields", ()):
        return getattr(obj, name)  # torch.return_types: x.max(dim=1).values, .indices
    what = "a tensor" if isinstance(obj, TensorValue) else type(obj).__name__
    ctx.report(
        "SC901", f"no shape rule for attribute {name!r} of {what}; shapes after it are opaque"
    )
    return OPAQUE


@shape_rule(
    "builtins.len",
    examples=[
        ok("len(x)", x=(4, 3)),
        ok("len(x.shape)", x=(4, 3, 2)),
        ok("torch.zeros(len(x), 2)", (4, 2), x=(4, 3)),
        bad("len(x)", "SC404", x=()),
        bad("len(x.size(0))", "SC405", x=(4,)),
    ],
)
def length(ctx: Any, obj: Any) -> Any:
    if isinstance(obj, TensorValue):
        if obj.ndim == 0:
            ctx.report("SC404", f"{ctx.layer}: len() of a 0-d tensor")
            return sym.UNKNOWN
        return obj.shape[0]
    if isinstance(obj, (tuple, list, str)):
        return len(obj)
    if obj is sym.UNKNOWN:
        return sym.UNKNOWN
    ctx.report("SC405", f"{ctx.layer}: len() of {obj!r}, which has no length")
    return sym.UNKNOWN


@shape_rule(
    "torch.Size",
    examples=[
        ok("torch.zeros(torch.Size([2, 3]))", (2, 3)),
        ok("x.view(torch.Size((x.size(0), -1)))", (2, 12), x=(2, 3, 4)),
        bad("torch.Size([2.0])", "SC405"),
    ],
)
def torch_size(ctx: Any, sizes: Any = ()) -> Any:
    if not isinstance(sizes, (tuple, list)):
        ctx.report("SC405", f"{ctx.layer}: torch.Size takes a sequence of ints, got {sizes!r}")
        return OPAQUE
    out = size_args(ctx, (tuple(sizes),), "torch.Size entries")
    return OPAQUE if out is None else out


_CONVERSIONS = {
    "float": "float32",
    "double": "float64",
    "half": "float16",
    "bfloat16": "bfloat16",
    "long": "int64",
    "int": "int32",
    "short": "int16",
    "char": "int8",
    "byte": "uint8",
    "bool": "bool",
    "cfloat": "complex64",
    "cdouble": "complex128",
}


@shape_rule(
    *(f"Tensor.{name}" for name in _CONVERSIONS),
    "Tensor.cpu",
    "Tensor.cuda",
    "Tensor.clone",
    "Tensor.detach",
    "Tensor.requires_grad_",
    examples=[
        ok("x.long().dtype", x=(2, 3)),
        ok("x.half()", (2, 3), x=(2, 3)),
        ok("x.float().dtype", x=(2,), dtypes={"x": "int64"}),
        ok("x.bool().dtype", x=(2,)),
        ok("x.cpu().detach().clone()", (2, 3), x=(2, 3)),
        ok("x.requires_grad_().shape", x=(2, 3)),
        ok("x.clone(memory_format=torch.channels_last)", (1, 2, 3, 4), x=(1, 2, 3, 4)),
        bad("x.float(memory_format=torch.channels_last)", "SC206", x=(2, 3)),
        bad("x.clone(memory_format=torch.channels_last)", "SC206", x=(2, 3, 4, 5, 6)),
        bad("x.long().requires_grad_()", "SC207", x=(2, 3)),
    ],
)
def convert(
    ctx: Any, self: TensorValue, *args: Any, memory_format: Any = None, **kwargs: Any
) -> Any:
    """Shape kept; the dtype methods set the dtype; device arguments do not matter. Only
    floating-point (and complex) tensors can require gradients."""
    check_memory_format(ctx, self, memory_format)
    wants_grad = args[0] if args else kwargs.get("requires_grad", True)
    if ctx.op == "Tensor.requires_grad_" and wants_grad and not _differentiable(self.dtype):
        ctx.report("SC207", f"{ctx.layer}: only floating-point tensors can require gradients")
    dtype = _CONVERSIONS.get(short_name(ctx.op))
    return TensorValue(self.shape, dtype or self.dtype, self.const)


@shape_rule(
    "Tensor.to",
    "Tensor.type_as",
    examples=[
        ok("x.to(torch.float16).dtype", x=(2, 3)),
        ok("x.to('cpu', torch.int32).dtype", x=(2, 3)),
        ok("x.to(dtype=torch.int8).dtype", x=(2, 3)),
        ok("x.to(y).dtype", x=(2, 3), y=(1,), dtypes={"y": "int64"}),
        ok("x.to(device='cpu')", (2, 3), x=(2, 3)),
        ok("x.type_as(y).dtype", x=(2, 3), y=(1,), dtypes={"y": "bool"}),
        bad("x.to(memory_format=torch.channels_last)", "SC206", x=(2, 3)),
        bad("x.type_as(x.size(0))", "SC405", x=(2, 3)),
    ],
)
def to(ctx: Any, self: TensorValue, *args: Any, **kwargs: Any) -> Any:
    """to(dtype), to(device, dtype), to(other), to(dtype=..., memory_format=...); type_as(other)."""
    if ctx.op == "Tensor.type_as" and not (len(args) == 1 and isinstance(args[0], TensorValue)):
        ctx.report("SC405", f"{ctx.layer}: type_as() takes a tensor, got {_show(args)}")
        return self
    dtype = self.dtype
    for arg in args:
        if isinstance(arg, TensorValue):
            dtype = arg.dtype
        elif dtype_name(arg) is not None:
            dtype = dtype_name(arg)  # type: ignore[assignment]
    if kwargs.get("dtype") is not None:
        dtype = dtype_name(kwargs["dtype"]) or dtype
    check_memory_format(ctx, self, kwargs.get("memory_format"))
    return TensorValue(self.shape, dtype, self.const)


@shape_rule(
    "Tensor.type",
    examples=[
        ok("x.type()", x=(2, 3)),
        ok("x.type()", x=(2, 3), dtypes={"x": "int32"}),
        ok("x.type(torch.int64).dtype", x=(2, 3)),
        ok("x.type('torch.LongTensor')", (2, 3), x=(2, 3)),
        ok("x.type(torch.DoubleTensor).dtype", x=(2, 3)),
        bad("x.type('foo')", "SC405", x=(2, 3)),
    ],
)
def type_(ctx: Any, self: TensorValue, dtype: Any = None, non_blocking: bool = False) -> Any:
    """x.type() is the legacy type name; x.type(dtype or type name) converts."""
    if dtype is None:
        name = TENSOR_TYPES.get(self.dtype)
        return f"torch.{name}" if name else sym.UNKNOWN
    new = dtype_name(dtype) or tensor_type_dtype(dtype)
    if new is None:
        ctx.report("SC405", f"{ctx.layer}: invalid type: {dtype!r}")
        return self
    return TensorValue(self.shape, new, self.const)
