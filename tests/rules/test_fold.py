"""Fold / Unfold against real torch: random kernels, dilations, paddings and strides, block
counts that are sometimes off by one, and the round trip Unfold -> Fold."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from shapecalc.arith import window_out

from ..difftest import assert_agree, assert_symbolic_sound


def pair(lo: int, hi: int):
    return st.one_of(
        st.integers(lo, hi),
        st.tuples(st.integers(lo, hi), st.integers(lo, hi)),
        st.tuples(st.integers(lo, hi)),  # a 1-tuple: torch rejects it
    )


@st.composite
def window_args(draw):
    kernel = draw(pair(1, 3)) if draw(st.integers(0, 9)) else 0
    return kernel, draw(pair(1, 2)), draw(pair(0, 2)), draw(pair(1, 3))


def _two(v):
    if isinstance(v, tuple):
        return v * 2 if len(v) == 1 else v
    return (v, v)


@st.composite
def unfold_case(draw):
    kernel, dilation, padding, stride = draw(window_args())
    rank = draw(st.sampled_from([3, 4, 4, 2, 5]))
    shape = tuple(draw(st.integers(1, 7)) for _ in range(rank))
    if draw(st.booleans()):
        source = f"nn.Unfold({kernel!r}, {dilation!r}, {padding!r}, {stride!r})(x)"
    else:
        source = f"F.unfold(x, {kernel!r}, {dilation!r}, {padding!r}, {stride!r})"
    return source, shape


@given(unfold_case())
def test_unfold_matches_torch(case):
    source, shape = case
    assert_agree(source, {"x": shape})


@given(unfold_case())
def test_unfold_symbolic_is_sound(case):
    source, shape = case
    if len(shape) >= 3:
        assert_symbolic_sound(source, {"x": shape}, {f"x:{len(shape) - 1}": ("W", shape[-1])})


@st.composite
def fold_case(draw):
    kernel, dilation, padding, stride = draw(window_args())
    size = draw(pair(1, 7))
    channels = draw(st.integers(1, 3))
    k, d, p, s, o = (_two(v) for v in (kernel, dilation, padding, stride, size))
    blocks = 1
    for i in range(2):
        blocks *= max(window_out(o[i], k[i], s[i], p[i], d[i]), 0) if k[i] > 0 else 1
    columns = channels * k[0] * k[1] + draw(st.sampled_from([0, 0, 0, 1]))
    length = max(blocks + draw(st.sampled_from([0, 0, 0, 1, -1])), 1)
    shape = draw(st.sampled_from([(2, columns, length), (columns, length), (columns,)]))
    if draw(st.booleans()):
        source = f"nn.Fold({size!r}, {kernel!r}, {dilation!r}, {padding!r}, {stride!r})(x)"
    else:
        source = f"F.fold(x, {size!r}, {kernel!r}, {dilation!r}, {padding!r}, {stride!r})"
    return source, shape


@given(fold_case())
def test_fold_matches_torch(case):
    source, shape = case
    assert_agree(source, {"x": shape})


@given(window_args(), st.integers(1, 3), st.integers(1, 7), st.integers(1, 7))
def test_unfold_then_fold_round_trips(args, channels, h, w):
    kernel, dilation, padding, stride = args
    a = f"{kernel!r}, {dilation!r}, {padding!r}, {stride!r}"
    assert_agree(f"F.fold(F.unfold(x, {a}), ({h}, {w}), {a})", {"x": (2, channels, h, w)})
