"""Resampling against real torch: interpolate/Upsample in every mode, pixel and channel shuffles,
and the float arithmetic of scale factors, concrete and symbolic."""

from __future__ import annotations

import ast
import math
from fractions import Fraction

from hypothesis import assume, given
from hypothesis import strategies as st

from shapecalc import symbolic as sym
from shapecalc.arith import exact_scale, scaled_size
from shapecalc.frontends.expression import Translator
from shapecalc.graph import INPUT, OUTPUT, LayerGraph, Node, Ref
from shapecalc.propagate import propagate
from shapecalc.symbolic import symbol
from shapecalc.values import TensorValue

from ..difftest import assert_agree, assert_symbolic_sound, errors, run_shapecalc, run_torch

MODES = [
    "nearest",
    "nearest-exact",
    "area",
    "linear",
    "bilinear",
    "bicubic",
    "trilinear",
    "lanczos",
]
DECIMALS = [0.1, 0.3, 0.5, 0.7, 1.1, 1.3, 1.5, 2.0, 2.5, 1 / 3, 2 / 3, 0.29, 3.7]


def factors():
    return st.one_of(
        st.sampled_from(DECIMALS), st.floats(0.05, 4.0), st.integers(-1, 3), st.just(0.0)
    )


@st.composite
def interpolate_case(draw):
    ndim = draw(st.sampled_from([3, 3, 4, 4, 5, 2, 6]))
    high = 7 if ndim == 5 else 9
    shape = (
        draw(st.integers(1, 2)),
        2,
        *draw(st.lists(st.integers(1, high), min_size=0, max_size=4)),
    )
    shape = shape[:ndim] if len(shape) >= ndim else shape + (3,) * (ndim - len(shape))
    n = max(ndim - 2, 1)
    size = scale = None
    if draw(st.booleans()):
        entry = st.integers(-1, 9)
        size = draw(
            st.one_of(entry, st.tuples(*[entry] * n), st.lists(entry, max_size=4).map(tuple))
        )
    else:
        scale = draw(st.one_of(factors(), st.tuples(*[factors()] * n), st.tuples(factors())))
    if draw(st.integers(0, 19)) == 0:
        size, scale = draw(st.sampled_from([(None, None), (4, 2.0), (3.0, None)]))
    mode = draw(
        st.sampled_from([*MODES, "bogus"])
        if draw(st.integers(0, 19)) == 0
        else st.sampled_from(MODES)
    )
    align = draw(st.sampled_from([None, None, True, False]))
    recompute = draw(st.sampled_from([None, None, True, False]))
    antialias = draw(st.booleans()) and draw(st.booleans())
    form = draw(st.sampled_from(["interpolate", "interpolate", "Upsample", "upsample", "named"]))
    args = f"size={size!r}, scale_factor={scale!r}"
    if form == "interpolate":
        src = (
            f"F.interpolate(x, {args}, mode={mode!r}, align_corners={align!r}, "
            f"recompute_scale_factor={recompute!r}, antialias={antialias})"
        )
    elif form == "Upsample":
        src = (
            f"nn.Upsample({args}, mode={mode!r}, align_corners={align!r}, "
            f"recompute_scale_factor={recompute!r})(x)"
        )
    elif form == "upsample":
        src = f"F.upsample(x, {args}, mode={mode!r}, align_corners={align!r})"
    else:
        src = draw(
            st.sampled_from(
                [
                    f"nn.UpsamplingNearest2d({args})(x)",
                    f"nn.UpsamplingBilinear2d({args})(x)",
                    f"F.upsample_nearest(x, {args})",
                    f"F.upsample_bilinear(x, {args})",
                ]
            )
        )
    return src, shape


@given(interpolate_case())
def test_interpolate_matches_torch(case):
    source, shape = case
    assert_agree(source, {"x": shape})


@given(interpolate_case(), st.data())
def test_interpolate_symbolic_is_sound(case, data):
    source, shape = case
    tree = ast.parse(source, mode="eval")
    # a factor with no exact formula makes the size opaque (tested below), not a formula
    floats = [n.value for n in ast.walk(tree) if isinstance(n, ast.Constant)]
    assume(all(exact_scale(abs(f)) for f in floats if isinstance(f, float) and f))
    dims = {f"x:{i}": (f"S{i}", shape[i]) for i in range(len(shape)) if data.draw(st.booleans())}
    assert_symbolic_sound(source, {"x": shape}, dims)


def test_non_exact_factor_is_opaque_and_says_so():
    H = symbol("H")
    analysis = run_shapecalc("F.interpolate(x, scale_factor=0.7)", {"x": (1, 2, H, 10)})
    assert analysis.output_shapes == [(1, 2, sym.UNKNOWN, 7)]
    assert [d.code for d in analysis.diagnostics] == ["SC905"]
    # torch: 90 * 0.7 == 62.99999999999999, so the exact 63 would be wrong
    assert run_torch("F.interpolate(x, scale_factor=0.7)", {"x": (1, 1, 90)}).shapes == [(1, 1, 62)]
    assert run_shapecalc("F.interpolate(x, scale_factor=0.7)", {"x": (1, 1, 90)}).output_shapes == [
        (1, 1, 62)
    ]


def test_scale_formulas():
    H = symbol("H")
    for factor, text in (
        (2, "2*H"),
        (0.5, "H//2"),
        (1.5, "H + H//2"),
        (1 / 3, "H//3"),
        (2.5, "2*H + H//2"),
    ):
        (shape,) = run_shapecalc(
            f"nn.Upsample(scale_factor={factor!r})(x)", {"x": (1, 3, H, H)}
        ).output_shapes
        assert str(shape[2]) == text, (factor, shape)


@given(st.one_of(st.sampled_from(DECIMALS), st.floats(0.001, 64.0)), st.integers(1, 2**31))
def test_scaled_size_symbolic_equals_concrete(scale, size):
    """exact_scale's formula equals the double product's floor wherever it claims to."""
    frac = exact_scale(scale)
    assume(frac is not None and size < 2**51 // frac.numerator)
    formula = scaled_size(symbol("L"), scale)
    assert (
        sym.evaluate(formula, {"L": size}) == scaled_size(size, scale) == math.floor(size * scale)
    )


@given(st.sampled_from(DECIMALS), st.integers(1, 2**20))
def test_scaled_size_at_multiples_of_the_denominator(scale, k):
    """Where L * p / q is an integer the float product can round down: the risky case."""
    frac = exact_scale(scale)
    assume(frac is not None)
    size = k * frac.denominator
    assert sym.evaluate(scaled_size(symbol("L"), scale), {"L": size}) == math.floor(size * scale)


def test_exact_scale_rejects_what_rounds_down():
    assert exact_scale(0.7) is None and math.floor(90 * 0.7) == 62
    assert exact_scale(0.29) is None and math.floor(100 * 0.29) == 28
    assert exact_scale(0.1) == Fraction(1, 10)
    assert exact_scale(2.0) == 2 and exact_scale(0.375) == Fraction(3, 8)


def test_negative_products_truncate_like_torch():
    assert scaled_size(5, -0.1) == 0  # int(-0.5): area mode then gives an empty output
    analysis = assert_agree("F.interpolate(x, scale_factor=-0.1, mode='area')", {"x": (1, 2, 5)})
    assert analysis.output_shapes == [(1, 2, 0)]
    assert_agree("F.interpolate(x, scale_factor=-0.1)", {"x": (1, 2, 5)}, code="SC109")


def analyse_with(source: str, inputs: dict, names: dict) -> tuple:
    graph = LayerGraph(name=source)
    refs = {}
    for name, shape in inputs.items():
        graph.add(Node(name, "input", INPUT, value=TensorValue(shape)))
        refs[name] = Ref(name)
    result = Translator(graph, names={**refs, **names}).value(ast.parse(source, mode="eval").body)
    graph.add(Node("output", "output", OUTPUT, (result,)))
    analysis = propagate(graph)
    assert not errors(analysis), analysis.diagnostics
    return analysis.output_shapes[0]


def test_size_from_another_tensor():
    """The U-Net idiom F.interpolate(x, size=skip.shape[2:]): the size is the skip's dims."""
    B, H, W = symbol("B"), symbol("H"), symbol("W")
    skip = (B, 32, H, W)
    for mode in ("nearest", "bilinear", "bicubic", "area"):
        source = f"F.interpolate(x, size=hw, mode={mode!r})"
        assert analyse_with(source, {"x": (B, 64, 7, 7)}, {"hw": skip[2:]}) == (B, 64, H, W)
    assert analyse_with("nn.Upsample(size=hw)(x)", {"x": (B, 64, 7, 7)}, {"hw": skip[2:]}) == (
        B,
        64,
        H,
        W,
    )


@st.composite
def shuffle_case(draw):
    ndim = draw(st.integers(1, 6))
    shape = tuple(draw(st.lists(st.integers(1, 6), min_size=ndim, max_size=ndim)))
    factor = draw(st.integers(-1, 3))
    if draw(st.booleans()) and ndim >= 3:  # make it divisible now and then
        shape = shape[:-3] + (shape[-3] * factor * factor or 1, *shape[-2:])
    kind = draw(st.sampled_from(["shuffle", "unshuffle", "channel"]))
    form = draw(st.sampled_from(["nn", "F", "torch"]))
    if kind == "shuffle":
        src = {"nn": f"nn.PixelShuffle({factor})(x)", "F": f"F.pixel_shuffle(x, {factor})"}
        src["torch"] = f"torch.pixel_shuffle(x, {factor})"
    elif kind == "unshuffle":
        src = {"nn": f"nn.PixelUnshuffle({factor})(x)", "F": f"F.pixel_unshuffle(x, {factor})"}
        src["torch"] = f"torch.pixel_unshuffle(x, {factor})"
    else:
        src = {"nn": f"nn.ChannelShuffle({factor})(x)", "F": f"F.channel_shuffle(x, {factor})"}
        src["torch"] = f"torch.{draw(st.sampled_from(['', 'native_']))}channel_shuffle(x, {factor})"
    return src[form], shape


@given(shuffle_case())
def test_shuffles_match_torch(case):
    source, shape = case
    assert_agree(source, {"x": shape})


@given(shuffle_case(), st.data())
def test_shuffles_symbolic_is_sound(case, data):
    source, shape = case
    dims = {f"x:{i}": (f"S{i}", shape[i]) for i in range(len(shape)) if data.draw(st.booleans())}
    assert_symbolic_sound(source, {"x": shape}, dims)


def test_pixel_shuffle_constraint():
    C = symbol("C")
    analysis = run_shapecalc("nn.PixelShuffle(2)(x)", {"x": (1, C, 5, 6)})
    assert analysis.output_shapes == [(1, C // 4, 10, 12)]
    (constraint,) = analysis.constraints
    assert str(constraint) == "C % 4 == 0"
