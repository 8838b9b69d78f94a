"""SC110 (a stride that never reads the last input positions) against real torch: the
positions a strided window never reads are exactly those whose gradient is zero. The right
padding is not input, so Conv1d(1, 1, 3, stride=2, padding=1) on 32 drops nothing."""

from __future__ import annotations

import torch
import torch.nn as nn
from hypothesis import given
from hypothesis import strategies as st

from ..difftest import run_shapecalc


def unread_tail(n: int, k: int, s: int, p: int, d: int) -> int:
    """How many trailing input positions a Conv1d never reads (their gradient is zero)."""
    conv = nn.Conv1d(1, 1, k, stride=s, padding=p, dilation=d, bias=False)
    with torch.no_grad():
        conv.weight.fill_(1.0)
    x = torch.ones(1, 1, n, requires_grad=True)
    conv(x).sum().backward()
    grad = x.grad[0, 0].tolist()
    tail = 0
    while tail < n and grad[n - 1 - tail] == 0:
        tail += 1
    return tail


def reports_sc110(n: int, k: int, s: int, p: int, d: int) -> bool:
    source = f"nn.Conv1d(1, 1, {k}, stride={s}, padding={p}, dilation={d})(x)"
    analysis = run_shapecalc(source, {"x": (1, 1, n)})
    return any(diag.code == "SC110" for diag in analysis.diagnostics)


@given(
    k=st.integers(1, 6),
    s=st.integers(1, 4),
    p=st.integers(0, 3),
    extra=st.integers(0, 12),
)
def test_sc110_exactly_when_torch_never_reads_trailing_input(k, s, p, extra):
    # windows without gaps (no dilation, stride <= kernel): a dilated kernel, or a stride
    # longer than the kernel, also skips positions inside the input, which SC110 is not about
    s = min(s, k)
    n = max(1, k - 2 * p) + extra  # the kernel fits the padded input
    assert reports_sc110(n, k, s, p, 1) == (unread_tail(n, k, s, p, 1) > 0)


def test_the_right_padding_is_not_input():
    assert unread_tail(32, 3, 2, 1, 1) == 0 and not reports_sc110(32, 3, 2, 1, 1)
    assert unread_tail(32, 1, 2, 0, 1) == 1 and reports_sc110(32, 1, 2, 0, 1)
