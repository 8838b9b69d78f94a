"""Activations against real torch: every shape-preserving form, PReLU's parameter count,
GLU's halving, the softmax family's dim and dtype."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from ..difftest import assert_agree, assert_symbolic_sound

SHAPE = st.lists(st.integers(1, 4), max_size=4).map(tuple)

PRESERVING = [
    "nn.ELU()(x)",
    "nn.Hardshrink()(x)",
    "nn.Hardsigmoid()(x)",
    "nn.Hardtanh(-2.0, 2.0)(x)",
    "nn.Hardswish()(x)",
    "nn.LeakyReLU(0.1)(x)",
    "nn.LogSigmoid()(x)",
    "nn.RReLU()(x)",
    "nn.SELU()(x)",
    "nn.CELU(0.5)(x)",
    "nn.GELU()(x)",
    "nn.SiLU()(x)",
    "nn.Mish()(x)",
    "nn.Softplus(2.0)(x)",
    "nn.Softshrink()(x)",
    "nn.Softsign()(x)",
    "nn.Tanhshrink()(x)",
    "nn.Threshold(0.1, 20.0)(x)",
    "F.elu(x)",
    "F.leaky_relu(x, 0.2)",
    "F.gelu(x, approximate='tanh')",
    "F.silu(x)",
    "F.mish(x)",
    "F.hardswish(x)",
    "F.hardsigmoid(x)",
    "F.hardtanh(x)",
    "F.relu6(x)",
    "F.selu(x)",
    "F.celu(x)",
    "F.rrelu(x, training=True)",
    "F.threshold(x, 0.5, 0.0)",
    "F.softplus(x)",
    "F.softshrink(x, 0.2)",
    "F.hardshrink(x)",
    "F.logsigmoid(x)",
    "F.softsign(x)",
    "F.tanhshrink(x)",
    "F.tanh(x)",
    "torch.selu(x)",
    "torch.celu(x)",
    "torch.rrelu(x)",
    "torch.threshold(x, 0.5, 1.0)",
    "torch.hardshrink(x)",
    "x.hardshrink()",
    "x.relu_()",
    "x.sigmoid_()",
    "x.tanh_()",
    "torch.relu_(x)",
]


@given(st.sampled_from(PRESERVING), SHAPE)
def test_shape_preserving_activations_match_torch(source, shape):
    assert_agree(source, {"x": shape})


@given(SHAPE, st.integers(0, 5), st.sampled_from(["nn", "F", "vector", "matrix"]))
def test_prelu_matches_torch(shape, count, form):
    if form == "nn":
        assert_agree(f"nn.PReLU({count})(x)", {"x": shape})
    elif form == "F":
        assert_agree("F.prelu(x, w)", {"x": shape, "w": (count,)})
    elif form == "vector":
        assert_agree("torch.prelu(x, w)", {"x": shape, "w": ()})
    else:
        assert_agree("F.prelu(x, w)", {"x": shape, "w": (1, count)})


@given(SHAPE, st.integers(-5, 4), st.booleans())
def test_glu_matches_torch(shape, dim, module):
    source = f"nn.GLU({dim})(x)" if module else f"F.glu(x, {dim})"
    assert_agree(source, {"x": shape})


SOFTMAX = [
    "nn.Softmax({d})(x)",
    "nn.Softmin({d})(x)",
    "nn.LogSoftmax({d})(x)",
    "F.softmax(x, {d})",
    "F.log_softmax(x, dim={d}, dtype=torch.float64)",
    "F.softmin(x, {d})",
    "torch.softmax(x, {d})",
    "torch.log_softmax(x, {d})",
    "x.softmax({d})",
    "x.log_softmax({d}, dtype=torch.float16)",
    "nn.Softmax2d()(x)",
]


@given(st.sampled_from(SOFTMAX), SHAPE, st.one_of(st.none(), st.integers(-5, 4)))
def test_softmax_matches_torch(form, shape, dim):
    if dim is None and not form.startswith(("nn.", "F.")):
        dim = -1  # the torch.* and Tensor forms require dim
    assert_agree(form.format(d=dim), {"x": shape})


@given(st.integers(1, 3), st.integers(1, 5), st.integers(-2, 1))
def test_glu_symbolic_is_sound(batch, half, dim):
    shape = (batch, 2 * half) if dim in (-1, 1) else (2 * batch, half)
    assert_symbolic_sound(f"F.glu(x, {dim})", {"x": shape}, {"x:0": ("B", shape[0])})
