"""Elementwise ops against real torch: broadcasting, in-place forms, dtypes, constants."""

from __future__ import annotations

import re
import warnings
from itertools import product

import pytest
import torch
from hypothesis import assume, given
from hypothesis import strategies as st

from shapecalc import symbolic as sym
from shapecalc.frontends.expression import graph_from_expression
from shapecalc.graph import CONSTANT, FUNCTION, OUTPUT, LayerGraph, Node, Ref
from shapecalc.propagate import propagate
from shapecalc.rules import get_rule
from shapecalc.rules.elementwise import promote_types, result_dtype
from shapecalc.values import TensorValue

from ..difftest import (
    INT_DTYPES,
    assert_agree,
    assert_symbolic_sound,
    errors,
    run_shapecalc,
    run_torch,
)

DTYPES = ["bool", "int32", "int64", "float16", "bfloat16", "float32", "float64"]


@st.composite
def broadcast_shapes(draw, n=2, max_rank=4):
    """n shapes that mostly broadcast (derived from one base shape by dropping leading dims
    and replacing sizes by 1), sometimes drawn freely (usually incompatible, sizes 0 too)."""
    base = draw(st.lists(st.integers(1, 4), max_size=max_rank))
    shapes = []
    for _ in range(n):
        if draw(st.integers(0, 3)) == 0:
            shapes.append(tuple(draw(st.lists(st.integers(0, 4), max_size=max_rank))))
            continue
        keep = draw(st.integers(0, len(base)))
        tail = base[len(base) - keep :]
        shapes.append(tuple(draw(st.sampled_from([d, d, 1])) for d in tail))
    return shapes


BINARY_FORMS = [
    "torch.add(x, y)",
    "torch.add(x, y, alpha=2)",
    "x.sub(y)",
    "torch.mul(x, y)",
    "x.div(y)",
    "torch.div(x, y, rounding_mode='floor')",
    "torch.true_divide(x, y)",
    "torch.remainder(x, y)",
    "x.fmod(y)",
    "torch.pow(x, y)",
    "torch.maximum(x, y)",
    "x.fmin(y)",
    "torch.atan2(x, y)",
    "torch.hypot(x, y)",
    "torch.logaddexp(x, y)",
    "torch.copysign(x, y)",
    "torch.eq(x, y)",
    "x.ne(y)",
    "torch.lt(x, y)",
    "x.ge(y)",
    "torch.logical_and(x, y)",
    "x.logical_xor(y)",
    "x.__add__(y)",
    "x.__rsub__(y)",
    "x.__mul__(y)",
    "x.__truediv__(y)",
    "x.__rfloordiv__(y)",
    "x.__pow__(y)",
    "x.__lt__(y)",
    "x @ y",
    "torch.max(x, y)",
    "torch.min(x, y)",
]
INPLACE_FORMS = [
    "x.add_(y)",
    "x.mul_(y)",
    "x.sub_(y)",
    "x.div_(y)",
    "x.pow_(y)",
    "x.__iadd__(y)",
    "x.__itruediv__(y)",
    "x.clamp_(y)",
    "x.lerp_(y, 0.5)",
    "x.addcmul_(y, y)",
    "x.lt_(y)",
]


@given(st.sampled_from(BINARY_FORMS + INPLACE_FORMS), broadcast_shapes())
def test_binary_matches_torch(form, shapes):
    x, y = shapes
    assert_agree(form, {"x": x, "y": y})


@given(
    st.sampled_from(BINARY_FORMS + INPLACE_FORMS),
    st.sampled_from(["x", "y"]),
    st.sampled_from(["2", "2.5", "True", "-1"]),
    broadcast_shapes(),
)
def test_scalar_operands_match_torch(form, replaced, scalar, shapes):
    """A Python number in place of either operand: it broadcasts with anything, and the
    forms that take tensors only reject it."""
    source = re.sub(rf"\b{replaced}\b", scalar, form)
    if source.startswith(scalar):  # 2.add(y) is not Python: use the tensor's dunder
        return
    inputs = {"x": shapes[0], "y": shapes[1]}
    assert_agree(source, {k: v for k, v in inputs.items() if re.search(rf"\b{k}\b", source)})


TERNARY_FORMS = [
    "torch.where(c, x, y)",
    "torch.where(c, x, 0.5)",
    "x.where(c, y)",
    "torch.clamp(x, min=y, max=c)",
    "torch.clip(x, y)",
    "torch.lerp(x, y, c)",
    "torch.addcmul(x, y, c, value=2)",
    "x.addcdiv(y, c)",
    "x.masked_fill(c, 1.0)",
    "x.masked_fill_(c, -1.0)",
    "torch.clamp_min(x, y)",
    "x.clamp_max_(y)",
]


@given(st.sampled_from(TERNARY_FORMS), broadcast_shapes(n=3))
def test_ternary_matches_torch(form, shapes):
    x, y, c = shapes
    bool_c = "where" in form or "masked_fill" in form
    assert_agree(form, {"x": x, "y": y, "c": c}, {"c": "bool"} if bool_c else None)


UNARY_FORMS = [
    "torch.exp(x)",
    "x.sqrt()",
    "torch.abs(x)",
    "x.neg()",
    "torch.floor(x)",
    "x.round(decimals=1)",
    "torch.isnan(x)",
    "x.logical_not()",
    "torch.bitwise_not(x)",
    "x.__invert__()",
    "x.__neg__()",
    "x.exp_()",
    "x.abs_()",
    "x.frac()",
    "torch.square(x)",
    "torch.nan_to_num(x)",
    "x.sign()",
    "torch.erf(x)",
    "x.reciprocal_()",
    "torch.signbit(x)",
]


CLAMPS = [
    "torch.clamp(x, y)",
    "torch.clamp(x, True)",
    "torch.clamp(x, 0, 2)",
    "torch.clamp_min(x, y)",
    "x.clamp_max(2)",
    "x.clamp(max=y)",
]


def torch_dtype(source: str, inputs: dict, dtypes: dict) -> str | None:
    env = {"torch": torch, "nn": torch.nn}
    for name, shape in inputs.items():
        dtype = dtypes.get(name, "float32")
        if dtype in INT_DTYPES:
            env[name] = torch.ones(shape, dtype=INT_DTYPES[dtype])
        else:
            env[name] = torch.rand(shape, dtype=getattr(torch, dtype))
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            value = eval(source, env)
    except Exception:
        return None
    return str(value.dtype).removeprefix("torch.")


def assert_dtype_agrees(source: str, inputs: dict, dtypes: dict) -> None:
    """Where torch succeeds, shapecalc reports no error and gives torch's dtype; where torch
    raises, shapecalc reports an error (shapes agree by assert_agree)."""
    want = torch_dtype(source, inputs, dtypes)
    analysis = run_shapecalc(source, inputs, dtypes)
    context = f"{source} {inputs} {dtypes}: " + "; ".join(
        f"{d.code} {d.message}" for d in analysis.diagnostics
    )
    if want is None:
        assert errors(analysis), f"torch raises but shapecalc reports nothing: {context}"
        return
    assert not errors(analysis), f"torch succeeds with {want}: {context}"
    (out,) = analysis.outputs
    assert out.dtype == want, f"torch gives {want}, shapecalc {out.dtype}: {context}"


@given(
    st.sampled_from(UNARY_FORMS + BINARY_FORMS + INPLACE_FORMS + TERNARY_FORMS[3:8] + CLAMPS),
    st.sampled_from(["bool", "int64", "int32", "float32", "float64"]),
    st.sampled_from(["bool", "int64", "float32", "float64"]),
    st.sampled_from([(), (3,), (2, 3)]),
    st.sampled_from([(), (3,)]),
)
def test_dtypes_match_torch(form, dx, dy, sx, sy):
    if "@" in form:
        return
    inputs = {"x": sx, "y": sy, "c": sy}
    assert_dtype_agrees(form, inputs, {"x": dx, "y": dy, "c": dy})


@given(
    st.sampled_from(["torch.add(x, {})", "torch.mul(x, {})", "torch.div(x, {})", "x.__rsub__({})"]),
    st.sampled_from(DTYPES[:3] + ["float32", "float64"]),
    st.sampled_from(["2", "2.5", "True"]),
    st.sampled_from([(), (3,)]),
)
def test_scalar_dtypes_match_torch(form, dx, scalar, sx):
    assert_dtype_agrees(form.format(scalar), {"x": sx}, {"x": dx})


def test_promote_types_matches_torch():
    for a, b in product(DTYPES + ["uint8", "int8", "int16", "complex64", "complex128"], repeat=2):
        want = str(torch.promote_types(getattr(torch, a), getattr(torch, b)))
        assert promote_types(a, b) == want.removeprefix("torch."), (a, b)


@given(
    st.lists(
        st.one_of(
            st.tuples(st.sampled_from(DTYPES), st.booleans()),
            st.sampled_from([2, 2.5, True]),
        ),
        min_size=1,
        max_size=3,
    )
)
def test_result_type_matches_torch(operands):
    """Against torch.result_type for two operands and torch's reference promotion
    (torch._prims_common.elementwise_dtypes, the rule behind addcmul/where) for three."""
    ours, theirs = [], []
    for op in operands:
        if isinstance(op, tuple):
            dtype, zero_dim = op
            shape = () if zero_dim else (2,)
            ours.append(TensorValue(shape, dtype))
            theirs.append(torch.zeros(shape, dtype=getattr(torch, dtype)))
        else:
            ours.append(op)
            theirs.append(op)
    if not any(isinstance(t, torch.Tensor) for t in theirs):
        return
    if len(theirs) == 2:
        want = torch.result_type(*theirs)
    elif len(theirs) == 1:
        want = theirs[0].dtype
    else:
        from torch._prims_common import ELEMENTWISE_TYPE_PROMOTION_KIND, elementwise_dtypes

        _, want = elementwise_dtypes(
            *theirs, type_promotion_kind=ELEMENTWISE_TYPE_PROMOTION_KIND.DEFAULT
        )
    assert result_dtype(ours) == str(want).removeprefix("torch."), operands


# ------------------------------------------------------------------------ symbolic sizes


def assert_sound(source: str, inputs: dict, symbols: dict, dtypes: dict | None = None) -> None:
    """assert_symbolic_sound, and: where the concrete sizes are clean, the symbolic analysis
    reports no error either (an undecided check is a constraint, never an error)."""
    assert_symbolic_sound(source, inputs, symbols, dtypes)
    if errors(run_shapecalc(source, inputs, dtypes)):
        return
    sym_inputs = {k: list(v) for k, v in inputs.items()}
    for key, (name, _) in symbols.items():
        inp, dim = key.split(":")
        sym_inputs[inp][int(dim)] = sym.symbol(name)
    values = {
        k: TensorValue(tuple(v), (dtypes or {}).get(k, "float32")) for k, v in sym_inputs.items()
    }
    symbolic = propagate(graph_from_expression(source, values))
    assert not errors(symbolic), [d.message for d in symbolic.diagnostics]


@given(
    st.integers(1, 3),
    st.integers(1, 2),
    st.integers(0, 2),
    st.sampled_from(["torch.add", "torch.mul", "torch.maximum"]),
    st.integers(2, 12),
    st.integers(2, 12),
)
def test_residual_add_is_sound(k, s, p, op, h, w):
    """A conv branch beside an identity shortcut, H and W symbolic: sound at every size,
    and an error only where torch raises."""
    source = f"{op}(nn.Conv2d(4, 4, {k}, stride={s}, padding={p})(x), x)"
    inputs = {"x": (2, 4, h, w)}
    # symbolic sizes are not broadcast 1s: at a size where the branch's formula happens to
    # give 1, torch broadcasts, and the symbolic analysis (by design) asks for equal sizes
    out = [(n + 2 * p - k) // s + 1 for n in (h, w)]
    assume(1 not in out or s == 1)
    assert_agree(source, inputs)
    assert_sound(source, inputs, {"x:2": ("H", h), "x:3": ("W", w)})


@given(broadcast_shapes(max_rank=3), st.sampled_from(BINARY_FORMS[:8] + INPLACE_FORMS[:3]))
def test_broadcast_is_sound(shapes, form):
    """Any size that is not a broadcast 1 may be symbolic (symbols stand for sizes >= 2)."""
    x, y = shapes
    symbols = {}
    for name, shape in (("x", x), ("y", y)):
        for i, size in enumerate(shape):
            if size >= 2:
                symbols[f"{name}:{i}"] = (f"S{len(shape) - i}", size)
    # one symbol per aligned position and size, so equal sizes stay equal
    symbols = {k: (f"{label}_{value}", value) for k, (label, value) in symbols.items()}
    assert_sound(form, {"x": x, "y": y}, symbols)


def _analyse(source: str, **inputs: TensorValue):
    return propagate(graph_from_expression(source, inputs))


def test_symbolic_mismatch_is_a_constraint():
    B, C, H = sym.symbol("B"), sym.symbol("C"), sym.symbol("H")
    analysis = _analyse("torch.add(x, y)", x=TensorValue((B, C, H)), y=TensorValue((B, 64, H)))
    assert not errors(analysis)
    assert [str(c) for c in analysis.constraints] == ["C == 64"]
    assert analysis.output_shapes == [(B, 64, H)]


def test_symbolic_broadcast_with_one():
    B, H = sym.symbol("B"), sym.symbol("H")
    analysis = _analyse("x.mul(y)", x=TensorValue((B, 3, H, H)), y=TensorValue((3, 1, 1)))
    assert not errors(analysis) and not analysis.constraints
    assert analysis.output_shapes == [(B, 3, H, H)]


def test_symbolic_inplace_growth_is_a_constraint():
    H = sym.symbol("H")
    analysis = _analyse("x.add_(y)", x=TensorValue((2, 1)), y=TensorValue((H,)))
    assert not errors(analysis)
    assert [str(c) for c in analysis.constraints] == ["H == 1"]


def test_undecidable_pair_that_is_never_equal_is_an_error():
    H = sym.symbol("H")
    analysis = _analyse("torch.add(x, y)", x=TensorValue((2 * H,)), y=TensorValue((2 * H + 1,)))
    assert errors(analysis) == ["SC301"]


# ----------------------------------------------------------------------- seed and codes


def test_resblk_without_shortcut_projection():
    """The seed's ResBlk with ch_in=64, ch_out=256 and no 1x1 conv on the shortcut."""
    source = "x.__add__(nn.Conv2d(256, 256, 3, padding=1)(nn.Conv2d(64, 256, 3, padding=1)(x)))"
    analysis = assert_agree(source, {"x": (2, 64, 8, 8)}, code="SC301")
    (diag,) = analysis.diagnostics
    assert "256" in diag.message and "64" in diag.message and "dimension 1" in diag.message


@pytest.mark.skipif(get_rule("operator.add") is None, reason="operator.add is the pyops rules'")
def test_resblk_plus_operator():
    analysis = assert_agree("x + y", {"x": (2, 256, 8, 8), "y": (2, 64, 8, 8)}, code="SC301")
    assert errors(analysis) == ["SC301"]


def test_strided_branch_beside_identity():
    source = "torch.add(nn.Conv2d(64, 64, 3, stride=2, padding=1)(x), x)"
    analysis = assert_agree(source, {"x": (2, 64, 8, 8)}, code="SC301")
    assert errors(analysis) == ["SC301"]  # one finding for the two spatial dims' add


def test_no_follow_on_errors():
    """After a mismatch the dim is opaque: the next add against the same operand is silent."""
    analysis = run_shapecalc("torch.add(torch.add(x, y), y)", {"x": (2, 3), "y": (2, 4)})
    assert errors(analysis) == ["SC301"]
    assert analysis.output_shapes == [(2, 4)]  # an opaque size broadcast with 4 is 4


def test_rgb_statistics_on_grey_image_warns():
    """The seed's Normalize statistics for RGB applied to a grey image: torch silently
    returns 3 channels; shapecalc warns SC305 where the constant broadcasts the activation."""
    source = "torch.div(torch.sub(x, m), s)"
    inputs = {"x": (2, 1, 28, 28), "m": (3, 1, 1), "s": (3, 1, 1)}
    real = run_torch(source, inputs)
    assert real.error is None and real.shapes == [(2, 3, 28, 28)]
    analysis = _analyse(
        source,
        x=TensorValue((2, 1, 28, 28)),
        m=TensorValue((3, 1, 1), const=True),
        s=TensorValue((3, 1, 1), const=True),
    )
    assert [d.code for d in analysis.diagnostics] == ["SC305"]
    assert analysis.output_shapes == real.shapes


def test_matching_statistics_do_not_warn():
    analysis = _analyse(
        "torch.sub(x, m)",
        x=TensorValue((2, 3, 28, 28)),
        m=TensorValue((3, 1, 1), const=True),
    )
    assert not analysis.diagnostics


def test_outer_product_with_a_constant_does_not_warn():
    """A timestep embedding t[:, None] * freqs grows the last dim on purpose."""
    source = "torch.mul(t, f)"
    real = run_torch(source, {"t": (4, 1), "f": (16,)})
    assert real.error is None and real.shapes == [(4, 16)]
    analysis = _analyse(source, t=TensorValue((4, 1)), f=TensorValue((16,), const=True))
    assert not analysis.diagnostics and analysis.output_shapes == real.shapes


def test_per_channel_gain_on_one_channel_warns():
    analysis = _analyse(
        "torch.mul(x, g)", x=TensorValue((4, 1, 40, 100)), g=TensorValue((1, 16, 1, 1), const=True)
    )
    assert [d.code for d in analysis.diagnostics] == ["SC305"]


def test_constant_rank_growth_warns():
    real = run_torch("torch.mul(x, w)", {"x": (5,), "w": (2, 5)})
    assert real.shapes == [(2, 5)]
    analysis = _analyse("torch.mul(x, w)", x=TensorValue((5,)), w=TensorValue((2, 5), const=True))
    assert [d.code for d in analysis.diagnostics] == ["SC305"]


def test_constant_result_is_constant():
    analysis = _analyse("torch.mul(m, 2.0)", m=TensorValue((3, 1, 1), const=True))
    assert analysis.outputs[0].const


def test_where_single_argument_is_data_dependent():
    analysis = run_shapecalc("torch.where(c)", {"c": (2, 3)}, {"c": "bool"})
    assert analysis.output_shapes == [(sym.UNKNOWN,), (sym.UNKNOWN,)]
    assert len(run_torch("torch.where(c)", {"c": (2, 3)}, {"c": "bool"}).shapes) == 2


# ------------------------------------------------------------ operator forms on sizes


def _operator(op: str, a, b):
    """Analyse ``operator.<op>(a, b)`` on constant values; the result value."""
    graph = LayerGraph()
    graph.add(Node("a", "constant", CONSTANT, value=a))
    graph.add(Node("b", "constant", CONSTANT, value=b))
    graph.add(Node("r", f"operator.{op}", FUNCTION, (Ref("a"), Ref("b"))))
    graph.add(Node("output", "output", OUTPUT, (Ref("r"),)))
    return propagate(graph).values["r"]


def test_size_comparisons():
    H = sym.symbol("H")
    assert _operator("lt", 3, 4) is True
    assert _operator("ge", H, 1) is True
    assert _operator("lt", H, 0) is False
    assert _operator("eq", H, 64) is sym.UNKNOWN
    assert _operator("ne", 2 * H, 2 * H + 1) is True
    assert _operator("eq", (H, 7), (H, 7)) is True
    assert _operator("eq", (H, 7), (H, 8)) is False
    assert _operator("eq", (H,), (H, 7)) is False
    assert _operator("eq", "mean", "mean") is True


def test_size_bit_operators():
    H = sym.symbol("H")
    assert _operator("and_", 6, 3) == 2
    assert _operator("lshift", H, 2) == 4 * H
    assert _operator("rshift", H, 1) == H // 2
    assert _operator("xor", H, 1) is sym.UNKNOWN


def test_tensor_comparison_operator_is_bool():
    graph = LayerGraph()
    graph.add(Node("x", "input", "input", value=TensorValue((2, 3))))
    graph.add(Node("r", "operator.gt", FUNCTION, (Ref("x"), 0.5)))
    graph.add(Node("output", "output", OUTPUT, (Ref("r"),)))
    out = propagate(graph).values["r"]
    assert out.shape == (2, 3) and out.dtype == "bool"


def test_inplace_growth_by_a_constant_is_an_error_not_a_warning():
    analysis = _analyse(
        "x.sub_(m)", x=TensorValue((2, 1, 4, 4)), m=TensorValue((3, 1, 1), const=True)
    )
    assert [d.code for d in analysis.diagnostics] == ["SC301"]
    assert run_torch("x.sub_(m)", {"x": (2, 1, 4, 4), "m": (3, 1, 1)}).error is not None


@pytest.mark.parametrize(
    "source",
    [
        "torch.exp(2.0)",
        "torch.isnan(2.0)",
        "torch.clamp(2.0, 0)",
        "torch.lerp(x, 2.0, 0.5)",
        "x.masked_fill(2.0, 0.0)",
        "torch.maximum(x, 2)",
        "torch.eq(2, x)",
        "torch.addcmul(x, 2.0, x)",
    ],
)
def test_number_where_torch_needs_a_tensor(source):
    assert_agree(source, {"x": (2, 2)}, code="SC306")
