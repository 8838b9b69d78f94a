"""Helpers shared by the spatial rules (conv, pooling, resampling, padding): rank and argument
validation, sliding-window sizes."""

from __future__ import annotations

from typing import Any

from .. import symbolic as sym
from ..arith import ntuple, window_out, window_remainder, window_span
from ..values import TensorValue


def split_input(
    ctx: Any, x: TensorValue, n: int, what: str = ""
) -> tuple[tuple, Any, tuple] | None:
    """(batch dims, channels, spatial dims) of an N-d layer's input, batched or unbatched.

    PyTorch's N-d layers take (N, C, *spatial) or, unbatched, (C, *spatial); any other rank is
    SC206 and the layer's output is then unknown (None is returned).
    """
    if x.ndim == n + 2:
        return x.shape[:1], x.shape[1], x.shape[2:]
    if x.ndim == n + 1:
        return (), x.shape[0], x.shape[1:]
    dims = "(C, " + ", ".join(_spatial_names(n)) + ")"
    ctx.report(
        "SC206",
        f"{ctx.layer} expects a {n + 1}-D {dims} or {n + 2}-D (N, {dims[1:]} input{what}, "
        f"got {x.ndim}-D {x}",
    )
    return None


def is_int(value: Any) -> bool:
    """An integer argument: a Python int (bool included, as torch accepts it) or a size."""
    return isinstance(value, (int, sym.Expr)) or value is sym.UNKNOWN


def output_entry(ctx: Any, value: Any, i: int, what: str = "output_size") -> Any:
    """One requested output size: an integer >= 0 (negative: SC109). PyTorch returns an empty
    tensor for 0 without complaint, so 0 is a warning (SC111)."""
    if not is_int(value):
        ctx.report("SC109", f"{ctx.layer}: {what} must be integers, got {value!r}")
        return sym.UNKNOWN
    if (
        ctx.check(
            sym.ge(value, 0),
            "SC109",
            f"{ctx.layer}: {what} {value} at spatial dim {i} is negative",
        )
        is False
    ):
        return sym.UNKNOWN
    if ctx.decide(sym.eq(value, 0)) is True:
        ctx.report("SC111", f"{ctx.layer}: {what} 0 at spatial dim {i} gives an empty output")
    return value


def _spatial_names(n: int) -> list[str]:
    return {1: ["L"], 2: ["H", "W"], 3: ["D", "H", "W"]}.get(n, [f"S{i}" for i in range(n)])


def tuple_arg(ctx: Any, value: Any, n: int, name: str, *, minimum: int) -> tuple | None:
    """An int or n-tuple argument as an n-tuple, each entry >= minimum, else SC106."""
    values = ntuple(value, n)
    if len(values) != n:
        ctx.report("SC106", f"{ctx.layer}: {name} must have {n} entries, got {value!r}")
        return None
    for v in values:
        if v is sym.UNKNOWN:  # an opaque size (after an earlier error) stays silent
            continue
        if not isinstance(v, (int, sym.Expr)) or isinstance(v, bool):
            ctx.report("SC106", f"{ctx.layer}: {name} must be integers, got {value!r}")
            return None
        if (
            ctx.check(
                sym.ge(v, minimum),
                "SC106",
                f"{ctx.layer}: {name} must be >= {minimum}, got {value!r}",
            )
            is False
        ):
            return None
    return values


def windows(
    ctx: Any,
    spatial: tuple,
    kernel: tuple,
    stride: tuple,
    padding: tuple,
    dilation: tuple,
    *,
    ceil_mode: bool = False,
    pad_right: tuple | None = None,
) -> list:
    """Output sizes of a window over each spatial dim, with SC101 where the kernel does not
    fit and SC110 (info) where a stride drops border pixels. pad_right, when given, is the
    right padding (asymmetric 'same' padding); otherwise padding is symmetric. ceil_mode
    (pooling) rounds the output up and only needs one output position."""
    out = []
    for i, (size, k, s, p, d) in enumerate(zip(spatial, kernel, stride, padding, dilation)):
        total_pad = p + (pad_right[i] if pad_right else p)
        span = window_span(k, d)
        if ceil_mode:
            out.append(_ceil_window(ctx, i, size, k, s, p, d))
            continue
        fits = ctx.check(
            sym.ge(size + total_pad, span),
            "SC101",
            f"{ctx.layer}: kernel spans {span} but the padded input is "
            f"{size + total_pad} at spatial dim {i} (input size {size})",
        )
        if fits is False:
            out.append(sym.UNKNOWN)
            continue
        if pad_right is not None:
            out.append(window_out(size + total_pad - 2 * p, k, s, p, d, False))
            continue
        out.append(window_out(size, k, s, p, d))
        if s != 1:
            # the last `remainder` positions of the padded input are never read; the right
            # padding's p of them are not input (Conv1d(1, 1, 3, 2, 1) reads all of 32)
            dropped = window_remainder(size, k, s, p, d) - p
            if ctx.decide(sym.gt(dropped, 0)) is True:
                ctx.report(
                    "SC110",
                    f"{ctx.layer}: stride {s} leaves the last {dropped} input position(s) of "
                    f"spatial dim {i} (size {size}) unused",
                )
    return out


def _ceil_window(ctx: Any, i: int, size: Any, k: Any, s: Any, p: Any, d: Any) -> Any:
    """A ceil_mode pooling window: PyTorch only requires at least one output position
    (aten pooling_output_shape, then "Output size is too small"), so with ceil_mode a kernel
    may overhang the padded input: MaxPool1d(2, 2, ceil_mode=True) on length 1 gives 1."""
    exact = ctx.decide(sym.eq(window_remainder(size, k, s, p, d), 0)) is True
    # when the stride divides the span, ceil and floor agree: keep the simpler floor formula
    # (a global pool's kernel = stride = size then gives exactly 1)
    length = window_out(size, k, s, p, d, not exact)
    fits = ctx.check(
        sym.ge(length, 1),
        "SC101",
        f"{ctx.layer}: no output position at spatial dim {i}: kernel spans "
        f"{window_span(k, d)} over an input of size {size} with padding {p} (output {length})",
    )
    return sym.UNKNOWN if fits is False else length
