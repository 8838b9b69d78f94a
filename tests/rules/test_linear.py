"""Linear-family layers against real torch: Linear, Bilinear (module and functional) with
random batch layouts and feature counts, sometimes wrong on purpose; Identity."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from ..difftest import assert_agree, assert_symbolic_sound

BATCH = st.lists(st.integers(1, 3), max_size=3).map(tuple)


@st.composite
def bilinear_case(draw):
    in1, in2, out = (draw(st.integers(1, 4)) for _ in range(3))
    batch = draw(BATCH)
    other = draw(st.sampled_from([batch, batch, batch, batch[:-1], (*batch, 2)]))
    if other and draw(st.integers(0, 4)) == 0:
        other = (other[0] + 1, *other[1:])
    x1 = (*batch, draw(st.sampled_from([in1, in1, in1 + 1])))
    x2 = (*other, draw(st.sampled_from([in2, in2, in2 + 1])))
    if draw(st.booleans()):
        return f"nn.Bilinear({in1}, {in2}, {out})(x1, x2)", {"x1": x1, "x2": x2}
    inputs = {"x1": x1, "x2": x2, "w": (out, in1, in2)}
    if draw(st.booleans()):
        inputs["b"] = (draw(st.sampled_from([out, out, out + 1])),)
        return "F.bilinear(x1, x2, w, b)", inputs
    return "F.bilinear(x1, x2, w)", inputs


@given(bilinear_case())
def test_bilinear_matches_torch(case):
    source, inputs = case
    assert_agree(source, inputs)


@given(bilinear_case())
def test_bilinear_symbolic_is_sound(case):
    source, inputs = case
    if len(inputs["x1"]) >= 2:
        assert_symbolic_sound(source, inputs, {"x1:0": ("B", inputs["x1"][0])})


@given(BATCH, st.lists(st.integers(0, 9), max_size=3))
def test_identity_ignores_its_arguments(shape, args):
    assert_agree(f"nn.Identity({', '.join(map(str, args))})(x)", {"x": shape})


def test_no_in_features_fix_for_a_map_or_a_kept_singleton():
    """A Linear on (B, 64, 1, 1) (keepdim=True left in) or on a conv map needs a flatten,
    not in_features=1 or =W; on features or a sequence the fix stands."""
    from shapecalc.frontends.expression import graph_from_expression
    from shapecalc.propagate import propagate
    from shapecalc.values import TensorValue

    def fixes(shape):
        graph = graph_from_expression("nn.Linear(64, 10)(x)", {"x": TensorValue(shape)})
        return [d.fix for d in propagate(graph).diagnostics if d.code == "SC401"]

    assert [f.value for f in fixes((2, 32))] == [32]
    assert [f.value for f in fixes((2, 7, 32))] == [32]
    assert fixes((2, 64, 1, 1)) == [None]
    assert fixes((2, 64, 8, 8)) == [None]
    assert fixes((2, 64, 1)) == [None]
