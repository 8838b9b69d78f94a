"""SC110 (info) against real torch: a strided window reports dropped border pixels exactly
when the last real input pixel gets no gradient, i.e. no window reads it (padding that no
window reaches is not a pixel). Border pixels only: windows that leave gaps between them
(a stride larger than the kernel, holes of a dilated kernel) skip inner pixels, which is
not what SC110 is about, so the property draws windows without gaps."""

from __future__ import annotations

import torch
import torch.nn.functional as F
from hypothesis import assume, given
from hypothesis import strategies as st

from ..difftest import run_shapecalc


def _last_pixel_unused(size: int, k: int, s: int, p: int, d: int) -> bool:
    x = torch.ones(1, 1, size, requires_grad=True)
    F.conv1d(x, torch.ones(1, 1, k), stride=s, padding=p, dilation=d).sum().backward()
    return bool(x.grad[0, 0, -1] == 0)


@given(size=st.integers(1, 40), k=st.integers(2, 7), s=st.integers(2, 7), p=st.integers(0, 3))
def test_sc110_iff_the_last_pixel_is_never_read(size: int, k: int, s: int, p: int):
    assume(s <= k and size + 2 * p >= k)
    source = f"nn.Conv1d(1, 1, {k}, stride={s}, padding={p})(x)"
    analysis = run_shapecalc(source, {"x": (1, 1, size)})
    reported = any(diag.code == "SC110" for diag in analysis.diagnostics)
    assert reported == _last_pixel_unused(size, k, s, p, 1)


def test_resnet_downsampling_conv_reads_every_pixel():
    analysis = run_shapecalc("nn.Conv2d(8, 8, 3, stride=2, padding=1)(x)", {"x": (1, 8, 32, 32)})
    assert analysis.diagnostics == []
