"""Padding against real torch: F.pad in every mode and the padding layers, with cropping
(negative amounts), wrong ranks and oversized amounts drawn on purpose."""

from __future__ import annotations

import ast

from hypothesis import assume, given
from hypothesis import strategies as st

from shapecalc import symbolic as sym
from shapecalc.frontends.expression import Translator
from shapecalc.graph import INPUT, OUTPUT, LayerGraph, Node, Ref
from shapecalc.propagate import propagate
from shapecalc.rules.padding import circular_copy_problem
from shapecalc.symbolic import symbol
from shapecalc.values import TensorValue

from ..difftest import assert_agree, assert_symbolic_sound, errors, run_shapecalc, run_torch

MODES = ["constant", "reflect", "replicate", "circular"]
LAYERS = {
    "constant": "ZeroPad",
    "reflect": "ReflectionPad",
    "replicate": "ReplicationPad",
    "circular": "CircularPad",
}


@st.composite
def pad_case(draw):
    ndim = draw(st.integers(1, 5))
    shape = tuple(draw(st.lists(st.integers(1, 6), min_size=ndim, max_size=ndim)))
    mode = draw(st.sampled_from(MODES))
    amount = st.integers(-3, 4) if draw(st.integers(0, 3)) else st.integers(-7, 7)
    if draw(st.booleans()):
        pairs = draw(st.integers(0, 4))
        pad = tuple(draw(st.lists(amount, min_size=2 * pairs, max_size=2 * pairs)))
        if draw(st.integers(0, 19)) == 0:
            pad = pad + (1,)
        value = draw(st.sampled_from([None, None, 0, 1.5]))
        if draw(st.integers(0, 29)) == 0:
            mode = "zeros"
        source = f"F.pad(x, {pad!r}, mode={mode!r}, value={value!r})"
    else:
        n = draw(st.integers(1, 3))
        padding = draw(
            st.one_of(
                amount,
                st.tuples(*[amount] * (2 * n)),
                st.lists(amount, min_size=1, max_size=6).map(tuple),
            )
        )
        if mode == "constant" and draw(st.booleans()):
            source = f"nn.ConstantPad{n}d({padding!r}, 2.5)(x)"
        else:
            source = f"nn.{LAYERS[mode]}{n}d({padding!r})(x)"
    return source, shape


@given(pad_case())
def test_padding_matches_torch(case):
    source, shape = case
    assert_agree(source, {"x": shape})


def _circular_outside_exact_region(source: str, shape: tuple, symbolic: set) -> bool:
    """A circular pad whose one side pads more than the other side's cropping leaves: torch's
    result there depends on memory layout, so symbolic analysis requires it not to happen."""
    if "circular" not in source and "CircularPad" not in source:
        return False
    call = ast.parse(source, mode="eval").body
    if isinstance(call.func, ast.Call):  # nn.CircularPadNd(padding)(x)
        padding = ast.literal_eval(call.func.args[0])
        n = int(call.func.func.attr[-2])
        pad = padding if isinstance(padding, tuple) else (padding,) * (2 * n)
    else:
        pad = ast.literal_eval(call.args[1])
    for i in range(min(len(pad) // 2, len(shape))):
        dim = len(shape) - 1 - i
        size, left, right = shape[dim], pad[2 * i], pad[2 * i + 1]
        exact = (
            size + min(left, 0) + min(right, 0) >= 0
            and max(left, 0) <= size + min(right, 0)
            and max(right, 0) <= size + min(left, 0)
        )
        if dim in symbolic and not exact:
            return True
    return False


@given(pad_case(), st.data())
def test_padding_symbolic_is_sound(case, data):
    source, shape = case
    chosen = {i for i in range(len(shape)) if data.draw(st.booleans())}
    assume(not _circular_outside_exact_region(source, shape, chosen))
    dims = {f"x:{i}": (f"S{i}", shape[i]) for i in chosen}
    assert_symbolic_sound(source, {"x": shape}, dims)


def test_crop_to_zero_is_a_warning_below_zero_an_error():
    analysis = assert_agree("F.pad(x, (-2, -2))", {"x": (2, 3, 4)})
    assert analysis.output_shapes == [(2, 3, 0)]
    assert [d.code for d in analysis.diagnostics] == ["SC111"]
    assert_agree("F.pad(x, (-3, -2))", {"x": (2, 3, 4)}, code="SC108")
    # replicate and reflect refuse an empty 1-d output; circular accepts it
    assert_agree("F.pad(x, (-2, -2), mode='replicate')", {"x": (2, 3, 4)}, code="SC108")
    assert assert_agree("F.pad(x, (-2, -2), mode='circular')", {"x": (2, 3, 4)}).output_shapes == [
        (2, 3, 0)
    ]


def test_circular_copy_replay_matches_torch_exhaustively():
    """The replay of torch's copies, over every small pad pair of a few shapes."""
    for shape in [(1, 2, 5), (2, 3, 4), (3, 1, 4), (1, 1, 3, 4)]:
        for left in range(-6, 7):
            for right in range(-6, 7):
                pad = (left, right) if len(shape) == 3 else (left, right, 1, -1)
                expected_error = run_torch(f"F.pad(x, {pad}, mode='circular')", {"x": shape}).error
                analysis = run_shapecalc(f"F.pad(x, {pad}, mode='circular')", {"x": shape})
                assert bool(errors(analysis)) == (expected_error is not None), (shape, pad)


def test_circular_overlap_is_caught():
    # cropping 4 of 5 columns leaves 1, the other side wraps 2: the slab overlaps itself
    assert circular_copy_problem((1, 2, 5), (-4, 0, -1, 2)) is not None
    assert_agree("F.pad(x, (-4, 0, -1, 2), mode='circular')", {"x": (1, 2, 5)}, code="SC108")


def test_unet_pad_to_match_is_exact_symbolically():
    """U-Net: pad the upsampled map by the size difference to the skip connection."""
    H, W = symbol("H"), symbol("W")
    dy = 3
    graph = LayerGraph(name="pad")
    graph.add(Node("x", "input", INPUT, value=TensorValue((1, 8, H, W))))
    pads = (0, 0, dy // 2, dy - dy // 2)
    result = Translator(graph, names={"x": Ref("x"), "p": pads}).value(
        ast.parse("F.pad(x, p)", mode="eval").body
    )
    graph.add(Node("output", "output", OUTPUT, (result,)))
    analysis = propagate(graph)
    assert not errors(analysis) and not analysis.constraints
    assert analysis.output_shapes == [(1, 8, H + 3, W)]


def test_symbolic_pad_amounts():
    """Amounts computed from sizes (H % 2) pad to an even size."""
    H = symbol("H")
    graph = LayerGraph(name="pad")
    graph.add(Node("x", "input", INPUT, value=TensorValue((1, 8, H, 5))))
    result = Translator(graph, names={"x": Ref("x"), "p": (0, 0, 0, H % 2)}).value(
        ast.parse("F.pad(x, p, mode='reflect')", mode="eval").body
    )
    graph.add(Node("output", "output", OUTPUT, (result,)))
    analysis = propagate(graph)
    assert not errors(analysis)
    (shape,) = analysis.output_shapes
    for h in range(1, 12):
        even = h + h % 2
        assert shape[2].subs({"H": h}) == even
    # reflect padding 1 needs H >= 2 where H is odd: constraints, never an error
    assert {c.code for c in analysis.constraints} == {"SC108"}
    for h in range(1, 12):
        holds = all(
            sym.decide(sym.Rel(c.rel.kind, sym.subs(c.rel.expr, {"H": h})))
            for c in analysis.constraints
        )
        assert holds == (h >= 2)
