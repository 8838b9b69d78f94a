"""Reductions, values-with-indices ops, cumulative ops and sorting against real torch."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from shapecalc import symbolic as sym
from shapecalc.frontends.expression import graph_from_expression
from shapecalc.propagate import propagate
from shapecalc.values import TensorValue

from ..difftest import assert_agree, errors
from .test_elementwise import assert_dtype_agrees, assert_sound

shapes = st.lists(st.integers(0, 4), max_size=4).map(tuple)
dims = st.one_of(
    st.integers(-5, 4),
    st.lists(st.integers(-5, 4), max_size=3).map(tuple),
    st.lists(st.integers(-5, 4), max_size=3),
)

# form -> which dim arguments it takes: "none" (may be None), "any" (int, tuple or list),
# "int" (one int only)
REDUCTIONS = {
    "x.sum({dim}, {keep})": "none any",
    "torch.mean(x, {dim}, keepdim={keep})": "none any",
    "x.nansum(dim={dim}, keepdim={keep})": "none any",
    "x.nanmean({dim}, {keep})": "none any",
    "x.amax({dim}, {keep})": "any",
    "torch.amin(x, dim={dim}, keepdim={keep})": "any",
    "x.all({dim}, {keep})": "none any",
    "torch.any(x, {dim}, keepdim={keep})": "none any",
    "x.logsumexp({dim}, {keep})": "any",
    "x.std({dim}, keepdim={keep})": "none any",
    "torch.var(x, {dim}, correction=0, keepdim={keep})": "none any",
    "x.std({dim}, True, {keep})": "int any",
    "torch.std_mean(x, {dim}, keepdim={keep})": "none any",
    "torch.var_mean(x, {dim}, keepdim={keep})": "none any",
    "x.norm(2, {dim}, {keep})": "none any",
    "x.norm(p=1, dim={dim}, keepdim={keep})": "none any",
    "x.norm(dim={dim}, keepdim={keep})": "none any",
    "x.norm(p='nuc', dim={dim}, keepdim={keep})": "none any",
    "x.norm(p=-1, dim={dim}, keepdim={keep})": "none any",
    "torch.count_nonzero(x, {dim})": "none any",
    "x.prod({dim}, keepdim={keep})": "int",
    "x.argmax({dim}, {keep})": "none int",
    "torch.argmin(x, dim={dim}, keepdim={keep})": "none int",
    "x.max({dim}, {keep})": "int",
    "torch.min(x, {dim}, keepdim={keep})": "int",
    "x.median({dim}, {keep})": "int",
    "torch.nanmedian(x, {dim}, keepdim={keep})": "int",
    "x.mode({dim}, {keep})": "int",
    "torch.aminmax(x, dim={dim}, keepdim={keep})": "none int",
}
NO_ARGUMENT = [
    "x.sum()",
    "x.mean()",
    "x.amax()",
    "x.max()",
    "torch.min(x)",
    "x.median()",
    "x.argmax()",
    "x.argmin(keepdim=True)",
    "x.prod()",
    "x.norm()",
    "x.norm(p='nuc')",
    "x.std()",
    "x.std(False)",
    "x.aminmax()",
    "torch.count_nonzero(x)",
    "x.logsumexp(())",
    "x.mode()",
    "x.all()",
]


@st.composite
def reduction_case(draw):
    form = draw(st.sampled_from(sorted(REDUCTIONS)))
    kinds = REDUCTIONS[form].split()
    options = []
    if "none" in kinds:
        options.append(st.none())
    if "any" in kinds:
        options.append(dims)
    if "int" in kinds:
        options.append(st.integers(-5, 4))
    dim = draw(st.one_of(*options))
    source = form.format(dim=dim, keep=draw(st.booleans()))
    return source, draw(shapes)


@given(reduction_case())
def test_reductions_match_torch(case):
    source, shape = case
    assert_agree(source, {"x": shape})


@given(st.sampled_from(NO_ARGUMENT), shapes)
def test_full_reductions_match_torch(source, shape):
    assert_agree(source, {"x": shape})


@given(
    st.sampled_from(["x.sum(1)", "x.mean()", "x.prod()", "x.amax(0)", "x.all(1)", "x.std()"]),
    st.sampled_from(["bool", "int64", "int32", "float32", "float64"]),
)
def test_reduction_dtypes_match_torch(source, dtype):
    assert_dtype_agrees(source, {"x": (2, 3)}, {"x": dtype})


@given(
    shapes,
    st.integers(-2, 5),
    st.integers(-5, 4),
    st.sampled_from(
        [
            "x.topk({k}, {dim})",
            "torch.topk(x, {k}, dim={dim}, largest=False)",
            "x.kthvalue({k}, {dim})",
            "torch.kthvalue(x, {k}, {dim}, True)",
        ]
    ),
)
def test_k_selection_matches_torch(shape, k, dim, form):
    assert_agree(form.format(k=k, dim=dim), {"x": shape})


@given(
    shapes,
    st.integers(-5, 4),
    st.sampled_from(
        [
            "x.sort({dim})",
            "torch.sort(x, {dim}, True)",
            "x.sort(stable=True, dim={dim})",
            "x.argsort({dim})",
            "torch.argsort(x, dim={dim}, stable=True)",
            "x.cumsum({dim})",
            "torch.cumprod(x, dim={dim})",
            "x.cumsum_({dim})",
            "torch.logcumsumexp(x, {dim})",
            "x.cummax({dim})",
            "torch.cummin(x, {dim})",
        ]
    ),
)
def test_along_dim_ops_match_torch(shape, dim, form):
    assert_agree(form.format(dim=dim), {"x": shape})


# ------------------------------------------------------------------------ symbolic sizes


@given(reduction_case())
def test_reductions_are_sound(case):
    """Every size >= 2 symbolic (sizes 0 and 1 stay concrete)."""
    source, shape = case
    symbols = {f"x:{i}": (f"S{i}", s) for i, s in enumerate(shape) if s >= 2}
    assert_sound(source, {"x": shape}, symbols)


@given(st.integers(1, 9), st.integers(0, 9), st.sampled_from(["topk", "kthvalue"]))
def test_k_against_symbolic_size_is_a_constraint_or_sound(size, k, op):
    source = f"x.{op}({k})"
    assert_sound(source, {"x": (2, size)}, {"x:1": ("L", size)})


def test_global_average_pool_symbolic():
    B, C, H, W = (sym.symbol(n) for n in "BCHW")
    analysis = propagate(
        graph_from_expression("x.mean(dim=(2, 3), keepdim=True)", {"x": TensorValue((B, C, H, W))})
    )
    assert analysis.output_shapes == [(B, C, 1, 1)]
    assert not analysis.diagnostics


def test_topk_larger_than_symbolic_dim_is_a_constraint():
    L = sym.symbol("L")
    analysis = propagate(graph_from_expression("x.topk(5)", {"x": TensorValue((2, L))}))
    assert not errors(analysis)
    assert [str(c) for c in analysis.constraints] == ["L >= 5"]
    assert analysis.output_shapes == [(2, 5), (2, 5)]


def test_max_with_dim_returns_values_and_indices():
    analysis = propagate(graph_from_expression("x.max(1)", {"x": TensorValue((2, 3))}))
    (value,) = [analysis.values[n.args[0].node] for n in analysis.graph.outputs]
    assert value.values.shape == (2,) and value.indices.dtype == "int64"
    assert value[0].shape == (2,)


def test_bad_dim_makes_no_follow_on_errors():
    """A bad dim list leaves the rank unknown (opaque); a bad single dim drops one dim."""
    for source in ("torch.flatten(x.sum((0, 5)), 2)", "torch.flatten(x.mean(4), 2)"):
        analysis = assert_agree(source, {"x": (2, 3, 4, 5)}, code="SC404")
        assert errors(analysis) == ["SC404"], source


@pytest.mark.parametrize(
    "source",
    [
        "torch.sum(2.0)",
        "torch.mean(2.0, 0)",
        "torch.amax(2.0)",
        "torch.std(2.0)",
        "torch.norm(2.0)",
        "torch.argmax(2.0)",
        "torch.max(2.0)",
        "torch.topk(2.0, 1)",
        "torch.sort(2.0)",
        "torch.cumsum(2.0, 0)",
        "torch.logsumexp(2.0, 0)",
    ],
)
def test_number_input_is_an_error(source):
    assert_agree(source, {}, code="SC306")
