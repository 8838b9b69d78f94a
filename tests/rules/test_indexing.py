"""Differential tests for indexing: random indices (valid and invalid) against real torch.

A boolean mask selects as many elements as it has True entries, which shapecalc cannot know:
that dim is opaque, and ``assert_agree_opaque`` accepts any size there (every other dim, and
whether torch raises, must still agree)."""

from __future__ import annotations

from hypothesis import assume, given
from hypothesis import strategies as st

from shapecalc import symbolic as sym

from ..difftest import (
    assert_agree,
    assert_symbolic_sound,
    errors,
    predicted_shapes,
    run_shapecalc,
    run_torch,
)

shapes = st.lists(st.integers(0, 5), min_size=0, max_size=4).map(tuple)
bound = st.one_of(st.none(), st.integers(-7, 7))


def assert_agree_opaque(source: str, inputs: dict, dtypes: dict | None = None) -> None:
    real = run_torch(source, inputs, dtypes)
    analysis = run_shapecalc(source, inputs, dtypes)
    found = errors(analysis)
    if real.error is not None:
        assert found, f"torch raises {real.error!r}, shapecalc reports nothing: {source} {inputs}"
        return
    assert not found, f"torch succeeds, shapecalc reports {found}: {source} {inputs}"
    (got,) = predicted_shapes(analysis)
    (want,) = real.shapes
    assert got is not None and len(got) == len(want), f"{got} vs {want}: {source} {inputs}"
    for g, w in zip(got, want):
        assert g is sym.UNKNOWN or g == w, f"{got} vs {want}: {source} {inputs}"


def _slice(start, stop, step) -> str:
    text = f"{'' if start is None else start}:{'' if stop is None else stop}"
    return text if step is None else f"{text}:{step}"


@st.composite
def basic_item(draw):
    kind = draw(st.sampled_from(["int", "slice", "slice", "none", "ellipsis", "bool"]))
    if kind == "int":
        return str(draw(st.integers(-6, 6)))
    if kind == "slice":
        step = draw(st.sampled_from([None, None, 1, 2, 3, 0, -1]))
        return _slice(draw(bound), draw(bound), step)
    if kind == "none":
        return "None"
    if kind == "ellipsis":
        return "..."
    return draw(st.sampled_from(["True", "False"]))


def _one_ellipsis_or_full_slices(items: list[str]) -> list[str]:
    """With two Ellipses torch may slice a dim past the last one, reading past the end of
    its size array: only a full slice (:) is defined there, so the others become full."""
    if items.count("...") < 2:
        return items
    return [":" if ":" in item else item for item in items]


@given(shapes, st.lists(basic_item(), min_size=1, max_size=4))
def test_basic_indexing_matches_torch(shape, items):
    items = _one_ellipsis_or_full_slices(items)
    assert_agree(f"x[{', '.join(items)}]", {"x": shape})


@st.composite
def advanced_item(draw):
    """Index tensors (values 0..2, so every indexed dim has size >= 3), lists of ints, and
    the basic items around them. (uint8 tensors are masks, and the random values of a test
    input would make their counts, and so torch's errors, random.)"""
    kind = draw(
        st.sampled_from(["tensor", "tensor", "list", "int", "slice", "none", "ellipsis", "bool"])
    )
    if kind == "tensor":
        return ("tensor", draw(st.lists(st.integers(1, 3), min_size=0, max_size=2).map(tuple)))
    if kind == "list":
        values = draw(st.lists(st.integers(-4, 4), min_size=0, max_size=3))
        nested = draw(st.booleans()) and values
        return ("literal", repr([values, values] if nested else values))
    if kind == "int":
        return ("literal", str(draw(st.integers(-3, 2))))
    if kind == "slice":
        return ("literal", _slice(draw(bound), draw(bound), draw(st.sampled_from([None, 2]))))
    if kind == "none":
        return ("literal", "None")
    if kind == "ellipsis":
        return ("literal", "...")
    return ("literal", draw(st.sampled_from(["True", "False"])))


@given(
    st.lists(st.integers(3, 5), min_size=1, max_size=4).map(tuple),
    st.lists(advanced_item(), min_size=1, max_size=4),
    st.sampled_from(["int64", "int64", "int32", "float32", "int8"]),
)
def test_advanced_indexing_matches_torch(shape, items, index_dtype):
    inputs: dict = {"x": shape}
    dtypes = {}
    parts = []
    for i, (kind, value) in enumerate(items):
        if kind == "tensor":
            inputs[f"i{i}"] = value
            dtypes[f"i{i}"] = index_dtype
            parts.append(f"i{i}")
        else:
            parts.append(value)
    parts = _one_ellipsis_or_full_slices(parts)
    assert_agree(f"x[{', '.join(parts)}]", inputs, dtypes)


@given(
    shapes,
    st.lists(st.integers(0, 5), min_size=0, max_size=3).map(tuple),
    st.lists(st.sampled_from(["0", ":", "None", "...", "1:"]), max_size=2),
    st.booleans(),
)
def test_boolean_masks_match_torch(shape, mask, others, mask_first):
    parts = ["m", *others] if mask_first else [*others, "m"]
    assert_agree_opaque(f"x[{', '.join(parts)}]", {"x": shape, "m": mask}, {"m": "bool"})


@given(
    st.lists(st.integers(1, 4), min_size=1, max_size=3),
    st.integers(0, 2),
    st.booleans(),
)
def test_list_masks_match_torch(shape, count, nested):
    mask = [True] * count + [False] * (shape[0] - count) if count <= shape[0] else [True] * count
    index = repr([mask]) if nested else repr(mask)
    assert_agree(f"x[{index}]", {"x": tuple(shape)})


@given(shapes, st.data())
def test_size_tuple_indexing_matches_torch(shape, data):
    item = data.draw(
        st.one_of(
            st.integers(-5, 5).map(str),
            st.tuples(bound, bound, st.sampled_from([None, 1, 2, -1, 0])).map(lambda t: _slice(*t)),
        )
    )
    base = data.draw(st.sampled_from(["x.shape", "x.size()"]))
    assert_agree(f"{base}[{item}]", {"x": shape})
    assert_agree(f"torch.zeros({base}[{item}])", {"x": shape})


@given(shapes, st.data())
def test_select_and_gather_match_torch(shape, data):
    n = len(shape)
    dim = data.draw(st.integers(-n - 1, n))
    kind = data.draw(st.sampled_from(["select", "index_select", "gather", "take", "take_flat"]))
    index_dtype = data.draw(st.sampled_from(["int64", "int64", "int32", "float32"]))
    if kind == "select":
        assert_agree(f"x.select({dim}, {data.draw(st.integers(-6, 6))})", {"x": shape})
        return
    assume(shape)  # index values are 0..2: every indexed tensor needs 3 elements or more
    big = tuple(s + 3 for s in shape)
    if kind == "index_select":
        index = data.draw(st.lists(st.integers(0, 3), max_size=2).map(tuple))
        source = f"torch.index_select(x, {dim}, i)"
    elif kind == "gather":
        index = tuple(
            data.draw(st.integers(0, s + 1))
            for s in big[: max(n + data.draw(st.integers(-1, 1)), 0)]
        )
        source = f"torch.gather(x, {dim}, i)"
    elif kind == "take":
        index = tuple(data.draw(st.sampled_from([1, s, s + 1])) for s in big)
        source = f"torch.take_along_dim(x, i, {dim})"
    else:
        index = data.draw(shapes)
        source = "torch.take_along_dim(x, i)"
    assert_agree(source, {"x": big, "i": index}, {"i": index_dtype})


# ----------------------------------------------------------------------------- symbolic


@given(
    st.lists(st.integers(1, 12), min_size=2, max_size=4).map(tuple),
    bound,
    bound,
    st.sampled_from([None, 1, 2, 3]),
    st.integers(-3, 3),
    st.integers(0, 7),
)
def test_symbolic_slicing_is_sound(shape, start, stop, step, index, which):
    last = len(shape) - 1
    symbols = {f"x:{last}": ("W", shape[last]), "x:0": ("B", shape[0])}
    source = (
        f"x[..., {_slice(start, stop, step)}]",
        f"x[:, {index}]",
        f"x[..., {_slice(start, stop, step)}, None]",
        "x.narrow(-1, 0, x.size(-1) // 2)",
        "x[..., : x.size(-1) // 2]",
        "x[..., x.size(-1) - 1]",
        "x.shape[1:]",
        f"x.shape[{index}]",
    )[which]
    assert_symbolic_sound(source, {"x": shape}, symbols)


def test_symbolic_slice_of_a_positive_size():
    from shapecalc.frontends.expression import graph_from_expression
    from shapecalc.propagate import propagate
    from shapecalc.values import TensorValue

    H = sym.symbol("H")
    x = TensorValue((2, H))
    out = propagate(graph_from_expression("x[:, 1:-1]", {"x": x}))
    assert out.output_shapes == [(2, sym.maximum(H - 2, 0))]
    out = propagate(graph_from_expression("x[:, :3]", {"x": x}))
    assert out.output_shapes == [(2, sym.minimum(H, 3))]
    out = propagate(graph_from_expression("x[:, 2:][:, 0]", {"x": x}))
    assert out.constraints  # indexing needs H - 2 >= 1


def test_byte_and_bool_tensor_masks_have_an_opaque_count():
    for dtype in ("uint8", "bool"):
        analysis = run_shapecalc("x[m, 1:]", {"x": (3, 4, 5), "m": (3, 4)}, {"m": dtype})
        assert analysis.output_shapes == [(sym.UNKNOWN, 4)]
        assert not errors(analysis)
        analysis = run_shapecalc("x[m]", {"x": (3, 4, 5), "m": (3, 5)}, {"m": dtype})
        assert "SC410" in errors(analysis)
