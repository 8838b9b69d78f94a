"""Differential tests for tensor creation: random sizes, ranges and dtypes (valid and invalid)
against real torch, shapes and dtypes both."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from ..difftest import assert_agree, assert_symbolic_sound, errors, run_torch

sizes = st.lists(st.integers(-1, 4), min_size=0, max_size=3).map(tuple)
dtypes = st.sampled_from([None, "float32", "float16", "float64", "int64", "int32", "uint8", "bool"])
numbers = st.one_of(
    st.integers(-6, 6), st.sampled_from([0.5, -0.5, 1.5, 2.5, -2.7, 0.1, 0.3, 1 / 3, 4.0])
)


def _kw(dtype: str | None) -> str:
    return "" if dtype is None else f", dtype=torch.{dtype}"


def check(source: str, inputs: dict | None = None, types: dict | None = None) -> None:
    """The shapes, and the dtype of a tensor result, agree with torch."""
    inputs = inputs or {}
    analysis = assert_agree(source, inputs, types)
    if errors(analysis):
        return
    (value,) = analysis.outputs
    real = run_torch(f"({source}).dtype", inputs, types)
    assert value.dtype == real.value, f"torch gives {real.value}, shapecalc {value.dtype}: {source}"


@given(st.sampled_from(["zeros", "ones", "empty", "rand", "randn"]), sizes, dtypes, st.data())
def test_factories_match_torch(fn, size, dtype, data):
    form = data.draw(st.sampled_from(["varargs", "tuple", "list", "kw"]))
    args = {
        "varargs": ", ".join(map(str, size)) or "()",
        "tuple": repr(size),
        "list": repr(list(size)),
        "kw": f"size={size!r}",
    }[form]
    check(f"torch.{fn}({args}{_kw(dtype)})")


@given(sizes, st.sampled_from([1, 2.5, True, -3]), dtypes, st.data())
def test_full_and_new_factories_match_torch(size, fill, dtype, data):
    source = data.draw(
        st.sampled_from(
            [
                f"torch.full({size!r}, {fill!r}{_kw(dtype)})",
                f"x.new_full({size!r}, {fill!r}{_kw(dtype)})",
                f"x.new_zeros({size!r}{_kw(dtype)})",
                f"x.new_ones({', '.join(map(str, size)) or '()'}{_kw(dtype)})",
                f"x.new_empty({list(size)!r})",
            ]
        )
    )
    check(source, {"x": (2,)}, {"x": data.draw(st.sampled_from(["float32", "int64"]))})


@given(st.lists(st.integers(0, 4), max_size=3).map(tuple), dtypes, st.data())
def test_like_factories_match_torch(shape, dtype, data):
    fn = data.draw(
        st.sampled_from(["zeros_like", "ones_like", "empty_like", "rand_like", "randn_like"])
    )
    source = data.draw(
        st.sampled_from(
            [
                f"torch.{fn}(x{_kw(dtype)})",
                f"torch.full_like(x, 2{_kw(dtype)})",
                f"torch.randint_like(x, {data.draw(st.integers(-1, 4))}, 5{_kw(dtype)})",
            ]
        )
    )
    source_dtype = data.draw(st.sampled_from(["float32", "int64", "bool"]))
    check(source, {"x": shape}, {"x": source_dtype})


@given(
    st.lists(numbers, min_size=1, max_size=3),
    st.sampled_from([None, "int64", "int32", "float32", "float64", "float16", "bool"]),
    st.sampled_from(["positional", "keywords"]),
)
def test_arange_matches_torch(args, dtype, form):
    if form == "keywords" and len(args) > 1:
        names = ["start", "end", "step"][: len(args)]
        text = ", ".join(f"{n}={v!r}" for n, v in zip(names, args))
    else:
        text = ", ".join(repr(v) for v in args)
    check(f"torch.arange({text}{_kw(dtype)})")


@given(st.data())
def test_ranges_and_counts_match_torch(data):
    n = data.draw(st.integers(-2, 5))
    m = data.draw(st.integers(-2, 5))
    dtype = data.draw(dtypes)
    source = data.draw(
        st.sampled_from(
            [
                f"torch.linspace(0, 1, {n}{_kw(dtype)})",
                f"torch.logspace(-1, 2, steps={n}, base=2{_kw(dtype)})",
                f"torch.eye({n}{_kw(dtype)})",
                f"torch.eye({n}, {m}{_kw(dtype)})",
                f"torch.randperm({n * 100 if dtype == 'uint8' else n}{_kw(dtype)})",
                f"torch.randint({m}, {n}, ({n}, 2){_kw(dtype)})",
                f"torch.randint({n}, [{m}]{_kw(dtype)})",
            ]
        )
    )
    check(source)


@st.composite
def nested(draw, depth: int = 0):
    if depth >= 3 or draw(st.integers(0, 3)) == 0:
        return draw(st.sampled_from([1, 2, -1, True, False, 1.5]))
    length = draw(st.integers(0, 3))
    item = nested(depth + 1)
    if draw(st.integers(0, 4)) == 0:  # ragged on purpose, now and then
        return [draw(item) for _ in range(length)]
    first = draw(item)
    return [first] * length


@given(nested(), st.sampled_from([None, "float64", "int32"]))
def test_literal_tensors_match_torch(data, dtype):
    check(f"torch.tensor({data!r}{_kw(dtype)})")
    check(f"x.new_tensor({data!r})", {"x": (1,)}, {"x": "int64"})


@given(
    st.lists(st.integers(0, 3).map(lambda n: (n,) if n else ()), min_size=0, max_size=3),
    st.sampled_from([None, "'ij'", "'xy'", "'yx'"]),
    st.booleans(),
    st.booleans(),
)
def test_meshgrid_matches_torch(shapes, indexing, as_list, mixed):
    names = [f"t{i}" for i in range(len(shapes))]
    inputs = dict(zip(names, shapes))
    types = {names[0]: "int64"} if mixed and names else {}
    args = [f"[{', '.join(names)}]"] if as_list else names
    kw = [f"indexing={indexing}"] if indexing else []
    assert_agree(f"torch.meshgrid({', '.join(args + kw)})", inputs, types)


@given(
    st.integers(1, 20), st.integers(-3, 3), st.sampled_from([1, 2, 3, -1, -2]), st.integers(0, 5)
)
def test_symbolic_arange_is_sound(n, start, step, which):
    source = (
        "torch.arange(x.size(0))",
        f"torch.arange({start}, x.size(0), {step})",
        f"torch.arange(x.size(0), {start}, {step})",
        "torch.zeros(x.size(0), 2)",
        "torch.eye(x.size(0))",
        "torch.linspace(0, 1, x.size(0))",
    )[which]
    assert_symbolic_sound(source, {"x": (n,)}, {"x:0": ("N", n)})
