"""Receptive fields against an empirical measurement: the input pixels with a nonzero gradient
of one output pixel, in a model whose weights are all positive (so no contribution cancels)
and whose pools average (a max pool's gradient reaches one pixel per window)."""

from __future__ import annotations

import math

import pytest
import torch
import torch.nn as nn
import torch.nn.functional as F
from hypothesis import example, given
from hypothesis import strategies as st

import shapecalc
from shapecalc import receptive
from shapecalc.values import OPAQUE

from .examples.zoo import ZOO, build


def positive(model: nn.Module) -> nn.Module:
    torch.manual_seed(0)
    with torch.no_grad():
        for p in model.parameters():
            p.uniform_(0.1, 1.0)
    return model.double().eval()


def support(model: nn.Module, shape: tuple[int, ...], index: tuple[int, ...]) -> list[tuple] | None:
    """Per spatial axis, the (lowest, highest) input index that output pixel ``index`` reads;
    None when it reads nothing (a transposed convolution's hole)."""
    x = torch.ones(shape, dtype=torch.float64, requires_grad=True)
    y = model(x)
    y[(0, slice(None), *index)].sum().backward()
    g = x.grad[0].abs().sum(0)
    nz = g.nonzero()
    if not len(nz):
        return None
    return [(int(nz[:, a].min()), int(nz[:, a].max())) for a in range(nz.shape[1])]


def predicted(model: nn.Module, shape: tuple[int, ...]) -> receptive.Field:
    analysis = shapecalc.analyze(model, shape)
    fields = receptive.compute(analysis)
    out = analysis.graph.outputs[0].refs()[0]
    return fields[out], analysis.output_shapes[0]


def check_exact(model: nn.Module, shape: tuple[int, ...]) -> receptive.Field:
    """Every output position in one period around the middle reads exactly the input pixels
    the field says (so sizes, jumps and starts all agree with the gradient)."""
    field, out_shape = predicted(model, shape)
    mids = [s // 2 for s in out_shape[2:]]
    periods = [f.period for f in field]
    for k in range(max(periods)):
        index = tuple(m + k % p for m, p in zip(mids, periods))
        got = support(model, shape, index)
        if got is None:
            assert any(f.at(o) is None for f, o in zip(field, index))
            continue
        for axis, (f, span, o, size) in enumerate(zip(field, got, index, shape[2:])):
            assert span[0] > 0 and span[1] < size - 1, f"axis {axis} touches the border"
            assert f.at(o) == span, (axis, o, f, span)
    return field


def test_chain_with_padding_and_stride():
    model = positive(
        nn.Sequential(
            nn.Conv2d(1, 2, (3, 5), padding=(1, 2)),
            nn.ReLU(),
            nn.AvgPool2d(2),
            nn.Conv2d(2, 2, 3, stride=2),
            nn.Conv2d(2, 1, (1, 3), padding=1),
        )
    )
    check_exact(model, (1, 1, 40, 48))
    field, _ = predicted(model, (1, 1, 40, 48))
    assert [a.extent for a in field] == [8, 18]
    assert [a.jump for a in field] == [4, 4]


def test_dilated():
    model = positive(
        nn.Sequential(
            nn.Conv2d(1, 2, 3, dilation=2, padding=2),
            nn.Conv2d(2, 2, 3, dilation=(4, 1), stride=(1, 2)),
            nn.Conv2d(2, 1, 2, dilation=3),
        )
    )
    check_exact(model, (1, 1, 40, 30))
    field, _ = predicted(model, (1, 1, 40, 30))
    assert [a.extent for a in field] == [1 + 4 + 8 + 3, 1 + 4 + 2 + 6]


class Residual(nn.Module):
    """A 3x3 path and a 1x1 strided shortcut, added; then a strided conv."""

    def __init__(self) -> None:
        super().__init__()
        self.a = nn.Conv2d(1, 2, 3, padding=1)
        self.b = nn.Conv2d(2, 2, 5, padding=2)
        self.shortcut = nn.Conv2d(1, 2, 1)
        self.down = nn.Conv2d(2, 1, 3, stride=2)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        y = F.relu(self.b(F.relu(self.a(x)))) + self.shortcut(x)
        return self.down(y)


def test_residual_takes_the_larger_path():
    model = positive(Residual())
    check_exact(model, (1, 1, 31, 33))
    field, _ = predicted(model, (1, 1, 31, 33))
    assert [a.extent for a in field] == [9, 9]


class Dense(nn.Module):
    """Dense connectivity: every conv reads the concatenation of all earlier maps."""

    def __init__(self) -> None:
        super().__init__()
        self.c1 = nn.Conv2d(1, 1, 3, padding=1)
        self.c2 = nn.Conv2d(2, 1, (5, 3), padding=(2, 1))
        self.c3 = nn.Conv2d(3, 1, 3, padding=1)
        self.pool = nn.AvgPool2d(2)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        y1 = torch.cat([x, self.c1(x)], 1)
        y2 = torch.cat([y1, self.c2(y1)], 1)
        return self.pool(torch.cat([y2, self.c3(y2)], 1))


def test_dense_concat():
    model = positive(Dense())
    check_exact(model, (1, 1, 30, 30))
    field, _ = predicted(model, (1, 1, 30, 30))
    assert [a.extent for a in field] == [2 + 2 + 4 + 2, 2 + 2 + 2 + 2]


class Asymmetric(nn.Module):
    """Two paths whose fields are off-centre in opposite directions: the union is larger
    than either."""

    def __init__(self) -> None:
        super().__init__()
        self.left = nn.Conv2d(1, 1, 3, padding=0)
        self.right = nn.Conv2d(1, 1, 3, padding=2)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        a = self.left(F.pad(x, (2, 0, 2, 0)))
        b = self.right(x)[:, :, 2:, 2:]  # a crop
        return a + b


def test_union_of_off_centre_paths():
    model = positive(nn.Sequential(Asymmetric()))
    field, _ = predicted(model, (1, 1, 20, 20))
    check_exact(model, (1, 1, 20, 20))
    # output o reads o-2..o through the padded path and o..o+2 through the cropped one
    assert [a.extent for a in field] == [5, 5]


def test_transposed_conv_divides_the_jump():
    model = positive(
        nn.Sequential(
            nn.Conv2d(1, 2, 3, stride=2),
            nn.ConvTranspose2d(2, 2, 4, stride=2, padding=1),
            nn.ConvTranspose2d(2, 1, 3, stride=2),
        )
    )
    field = check_exact(model, (1, 1, 24, 24))
    assert [a.jump for a in field] == [0.5, 0.5]
    assert [a.extent for a in field] == [7, 7]  # 3 of the conv's outputs, 2 apart, for some


def test_upsampling_divides_the_jump():
    for mode in ("nearest", "bilinear"):
        model = positive(
            nn.Sequential(
                nn.Conv2d(1, 1, 3, stride=2),
                nn.Upsample(scale_factor=2, mode=mode),
                nn.Conv2d(1, 1, 3),
            )
        )
        field = check_exact(model, (1, 1, 30, 30))
        assert [a.jump for a in field] == [1, 1]
        assert field[0].extent == (5 if mode == "nearest" else 7)


def test_global_pool_sees_everything_and_jumps_are_per_axis():
    model = positive(nn.Sequential(nn.Conv2d(1, 1, 3, stride=(1, 2)), nn.AdaptiveAvgPool2d(1)))
    analysis = shapecalc.analyze(model, (1, 1, 9, 9))
    fields = receptive.compute(analysis)
    assert [a.jump for a in fields["0"]] == [1, 2]
    assert receptive.format_field(fields["1"]) == "all"


def test_adaptive_pool_at_concrete_sizes_uses_its_largest_bin():
    model = positive(nn.Sequential(nn.AdaptiveAvgPool1d(3), nn.Conv1d(1, 1, 1)))
    field, _ = predicted(model, (1, 1, 5))
    # bins of 5 -> 3: [0, 2), [1, 4), [3, 5): the middle bin reads 3 pixels
    assert field[0].extent == 3
    assert support(model, (1, 1, 5), (1,)) == [(1, 3)]


def test_unet_skip_merges():
    from .examples.zoo import BY_ID

    model = positive(build(BY_ID["unet.py:UNet"]))
    shape = (1, 1, 32, 32)
    analysis = shapecalc.analyze(model, shape, strict=False)
    fields = receptive.compute(analysis)
    assert all(a.jump == 1 for a in fields["head"])


# ------------------------------------------------------------------------- random chains

LAYER = st.one_of(
    st.tuples(
        st.sampled_from(["conv", "conv", "transposed"]),
        st.integers(1, 5),  # kernel
        st.integers(1, 3),  # stride
        st.integers(1, 3),  # dilation
        st.integers(0, 2),  # padding
    ),
    st.tuples(st.just("pool"), st.integers(1, 3), st.integers(1, 3), st.just(1), st.integers(0, 1)),
    st.tuples(
        st.sampled_from(["nearest", "linear", "nearest-exact"]),
        st.just(1),
        st.integers(2, 3),
        st.just(1),
        st.just(0),
    ),
)


def _layer(kind: str, k: int, s: int, d: int, p: int) -> nn.Module:
    if kind == "conv":
        return nn.Conv1d(1, 1, k, stride=s, dilation=d, padding=p)
    if kind == "transposed":
        return nn.ConvTranspose1d(1, 1, k, stride=s, dilation=d, padding=min(p, d * (k - 1)))
    if kind == "pool":
        return nn.AvgPool1d(k, stride=s, padding=min(p, k // 2))
    return nn.Upsample(scale_factor=s, mode=kind)


@given(st.lists(LAYER, min_size=1, max_size=4))
@example([("pool", 1, 3, 1, 0)] * 4)  # a jump of 81 over a field of 1
@example([("conv", 3, 2, 1, 1), ("transposed", 4, 2, 1, 1), ("linear", 1, 3, 1, 0)])
def test_random_chains_match_the_gradient(layers):
    model = positive(nn.Sequential(*(_layer(*spec) for spec in layers)))
    field, _ = predicted(model, (1, 1, 1024))
    size = 3 * field[0].extent + 4 * math.ceil(field[0].jump) + 64  # room for a middle output
    check_exact(model, (1, 1, size))


class SqueezeExcite(nn.Module):
    """A conv, then its channels rescaled by a mean over the whole map: every output reads
    the whole input."""

    def __init__(self) -> None:
        super().__init__()
        self.conv = nn.Conv2d(1, 2, 3, padding=1)
        self.fc = nn.Conv2d(2, 2, 1)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        y = self.conv(x)
        s = torch.sigmoid(self.fc(y.mean((2, 3), keepdim=True)))
        return y * s


def test_a_mean_over_the_map_makes_the_field_whole():
    model = positive(SqueezeExcite())
    analysis = shapecalc.analyze(model, (1, 1, 12, 12))
    fields = receptive.compute(analysis)
    assert receptive.format_field(fields["conv"]) == "3x3"
    assert receptive.format_field(fields["mean"]) == "all"
    assert receptive.format_field(fields["mul"]) == "all"
    assert support(model, (1, 1, 12, 12), (6, 6)) == [(0, 11), (0, 11)]


class Mixers(nn.Module):
    def forward(self, x: torch.Tensor) -> tuple[torch.Tensor, ...]:
        return x.softmax(-1), x.softmax(1), x.transpose(2, 3), x.flip(2), x + 1


def test_ops_that_mix_or_reorder_positions():
    analysis = shapecalc.analyze(Mixers(), (1, 2, 6, 6), strict=False)
    fields = receptive.compute(analysis)
    shown = {name: receptive.format_field(f) for name, f in fields.items()}
    assert shown["softmax"] == "1xall"  # along W every output reads the whole row
    assert shown["softmax_1"] == "1x1"  # over channels: positions stay apart
    assert shown["transpose"] == "" and shown["flip"] == ""  # unknown, not wrong
    assert shown["add"] == "1x1"


def test_symbolic_fields_equal_the_concrete_ones():
    """The field does not depend on the input size (away from the borders): the same with
    symbols as at concrete sizes, through merges whose sizes agree only under a condition."""
    for model in (SqueezeExcite(), Residual(), Dense(), Asymmetric()):
        symbolic = receptive.compute(shapecalc.analyze(model, (1, 1, "H", "W")))
        concrete = receptive.compute(shapecalc.analyze(model, (1, 1, 24, 30)))
        assert symbolic.keys() == concrete.keys()
        for name in symbolic:
            a, b = symbolic[name], concrete[name]
            assert (a is None) == (b is None), name
            if a is not None:
                assert [x.to_dict() for x in a] == [x.to_dict() for x in b], name


@pytest.mark.parametrize("entry", ZOO, ids=lambda e: e.id)
def test_zoo_symbolic_fields_hold_at_every_valid_size(entry):
    """Wherever the field is known with symbols it is the one found at each valid concrete
    size (an adaptive pool to several bins is known only at concrete sizes)."""
    model = build(entry)
    analysis = shapecalc.analyze(model, entry.spec, strict=False)
    if any(layer.value is OPAQUE for layer in analysis.layers):
        pytest.skip("sizes unknown after ops without a rule yet")
    symbolic = receptive.compute(analysis)
    for shape, _ in entry.valid:
        concrete = receptive.compute(shapecalc.analyze(model, shape, strict=False))
        for name, field in symbolic.items():
            if field is not None:
                assert concrete[name] is not None, name
                assert [a.to_dict() for a in field] == [a.to_dict() for a in concrete[name]], name
