"""Pure shape arithmetic, the same for ints and symbolic Dims. No validation here: rules check
their arguments first (through RuleContext) and then compute with these formulas."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from fractions import Fraction
from functools import reduce

from .symbolic import UNKNOWN, Dim, Expr, floordiv, minimum, mul


def window_out(
    size: Dim,
    kernel: Dim,
    stride: Dim = 1,
    padding: Dim = 0,
    dilation: Dim = 1,
    ceil_mode: bool = False,
) -> Dim:
    """Output length of a sliding window (Conv*, *Pool*), as PyTorch computes it.

    floor((L + 2P - D(K-1) - 1)/S) + 1 (torch.nn.Conv2d docs, "Shape" section). With ceil_mode
    PyTorch rounds up, then drops the last window if it would start in the right padding
    (aten/src/ATen/native/Pool.h, pooling_output_shape). Because pooling padding is at most
    half the effective kernel, that rule equals one floor: (L + min(a, b))//S with
    a = 2P - D(K-1) + 2S - 2 and b = P + S - 1.
    """
    if not ceil_mode:
        return floordiv(size + 2 * padding - dilation * (kernel - 1) - 1, stride) + 1
    if isinstance(size, int):
        out = -(-(size + 2 * padding - dilation * (kernel - 1) - 1) // stride) + 1
        if (out - 1) * stride >= size + padding:
            out -= 1
        return out
    a = 2 * padding - dilation * (kernel - 1) + 2 * stride - 2
    b = padding + stride - 1
    return floordiv(size + minimum(a, b), stride)


def window_span(kernel: Dim, dilation: Dim = 1) -> Dim:
    """The extent of a dilated kernel: D(K-1) + 1."""
    return dilation * (kernel - 1) + 1


def window_remainder(size: Dim, kernel: Dim, stride: Dim, padding: Dim, dilation: Dim) -> Dim:
    """Input positions past the last window (dropped border pixels) when ceil_mode is off."""
    span = size + 2 * padding - window_span(kernel, dilation)
    return span - floordiv(span, stride) * stride


def transposed_out(
    size: Dim,
    kernel: Dim,
    stride: Dim = 1,
    padding: Dim = 0,
    dilation: Dim = 1,
    output_padding: Dim = 0,
) -> Dim:
    """(L - 1)S - 2P + D(K - 1) + output_padding + 1 (torch.nn.ConvTranspose2d docs)."""
    return (size - 1) * stride - 2 * padding + dilation * (kernel - 1) + output_padding + 1


def same_padding(kernel: int, dilation: int = 1) -> tuple[int, int]:
    """(left, right) padding of padding='same' for stride 1; PyTorch puts the odd pixel on the
    right (torch/nn/modules/conv.py, _ConvNd.__init__)."""
    total = dilation * (kernel - 1)
    left = total // 2
    return left, total - left


def scaled_size(size: Dim, scale: float) -> Dim:
    """int(size * scale) as PyTorch computes an interpolation or fractional-pooling size: the
    product in double precision, truncated toward zero (aten UpSample.h compute_output_size
    casts the double to int64; F.interpolate and F.fractional_max_pool2d call int()).

    A symbolic size gets the floor formula of exact_scale(scale), exact for every size the
    float product can round; without one (a factor such as 0.7, for which 90 * 0.7 rounds to
    62.99999999999999) the result is opaque. The caller rejects a non-finite scale first.
    """
    if isinstance(size, int):
        return int(float(size) * float(scale))
    if not isinstance(size, Expr):
        return UNKNOWN
    if scale < 0:  # trunc(-x) == -floor(x) for x >= 0
        positive = scaled_size(size, -scale)
        return UNKNOWN if positive is UNKNOWN else -positive
    frac = exact_scale(scale)
    if frac is None:
        return UNKNOWN if scale else 0
    return floordiv(mul(size, frac.numerator), frac.denominator)


def exact_scale(scale: float) -> Fraction | None:
    """The rational p/q with floor(fl(L * scale)) == floor(L * p / q) for every integer size
    1 <= L < 2**51 / p (fl: the double-precision product), or None when there is none.

    A short binary fraction (2.0, 0.5, 1.5, 0.375) is exact: the product is never rounded.
    Otherwise p/q is the simplest fraction near the float (0.1 -> 1/10, 2/3 -> 2/3) and
    delta = q*scale - p measures how far the float is from it. When L*p/q is not an integer,
    the product is at least 1/q from the next integer, far more than its rounding error
    below 2**51/p. When L*p/q is the integer n and delta < 0, the float product lies
    L*|delta| below n and rounds up to n exactly when |delta| * 2**54 <= p (the rounding
    step just below n is at least n * 2**-53; a tie rounds to n, which is even there).
    """
    value = Fraction(scale)
    if value <= 0:
        return None
    if value.numerator < 1 << 20 and value.denominator <= 1 << 20:
        return value
    frac = value.limit_denominator(1 << 20)
    p, q = frac.numerator, frac.denominator
    delta = q * value - p
    if delta >= 0 and delta * 2**52 <= p:
        return frac
    if delta < 0 and -delta * 2**54 <= p:
        return frac
    return None


def numel(shape: Iterable[Dim]) -> Dim:
    return reduce(mul, shape, 1)


def ntuple(value: object, n: int) -> tuple:
    """An int (or 1-tuple) repeated n times; a tuple of length n as is (torch's _ntuple)."""
    if isinstance(value, (tuple, list)):
        if len(value) == 1 and n != 1:
            return tuple(value) * n
        return tuple(value)
    return (value,) * n


def spatial_rank(op: str) -> int:
    """The spatial rank from an op name: Conv2d -> 2, F.max_pool3d -> 3, Conv1d -> 1."""
    for ch in reversed(op.rstrip("d").rstrip("D")):
        if ch.isdigit():
            return int(ch)
    raise ValueError(f"no spatial rank in op name {op!r}")


def normalize_dim(dim: int, ndim: int) -> int | None:
    """A dim index in range [-ndim, ndim) made non-negative; None when out of range.

    PyTorch treats a 0-d tensor as having one dim for this purpose (maybe_wrap_dim).
    """
    n = max(ndim, 1)
    if -n <= dim < n:
        return dim % n
    return None


def align_right(a: Sequence[Dim], b: Sequence[Dim]) -> list[tuple[Dim, Dim]]:
    """Pairs of dims aligned from the right, missing ones as 1 (NumPy broadcasting)."""
    n = max(len(a), len(b))
    pa = [1] * (n - len(a)) + list(a)
    pb = [1] * (n - len(b)) + list(b)
    return list(zip(pa, pb))
