"""Differential tests for sizes and attributes: x.size(), x.shape, len, dtype conversions.
Their results are Python values (ints, tuples of ints, dtype names), compared by value."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from shapecalc import symbolic as sym

from ..difftest import assert_agree, assert_symbolic_sound

shapes = st.lists(st.integers(0, 5), min_size=0, max_size=4).map(tuple)
dtypes = st.sampled_from(["float32", "float64", "int64", "int32", "bool", "uint8"])
torch_dtypes = st.sampled_from(
    ["float16", "float32", "float64", "bfloat16", "int8", "int16", "int32", "int64", "bool",
     "uint8", "half", "double", "long", "int", "float", "short", "cfloat"]
)  # fmt: skip


@given(shapes, st.integers(-5, 5), st.data())
def test_size_queries_match_torch(shape, dim, data):
    source = data.draw(
        st.sampled_from(
            [
                "x.size()",
                f"x.size({dim})",
                f"x.size(dim={dim})",
                "x.shape",
                "x.dim()",
                "x.ndimension()",
                "x.ndim",
                "x.numel()",
                "x.nelement()",
                "torch.numel(x)",
                "x.shape.numel()",
                "len(x)",
                "len(x.shape)",
                "x.dtype",
                "x.device",
                "x.is_cuda",
                "x.requires_grad",
                "x.itemsize",
                "x.type()",
                "x.T",
                "x.mT",
                "x.mH",
                "x.H",
                "x.data",
            ]
        )
    )
    assert_agree(source, {"x": shape}, {"x": data.draw(dtypes)})


@given(shapes, dtypes, torch_dtypes, st.data())
def test_conversions_match_torch(shape, old, new, data):
    method = data.draw(
        st.sampled_from(
            [
                "float",
                "double",
                "half",
                "bfloat16",
                "long",
                "int",
                "bool",
                "short",
                "char",
                "byte",
                "cfloat",
                "cpu",
                "detach",
                "clone",
                "requires_grad_",
            ]
        )  # fmt: skip
    )
    fmt = data.draw(st.sampled_from(["", "memory_format=torch.channels_last"]))
    sources = [
        f"x.{method}({fmt if method not in ('detach', 'requires_grad_') else ''})",
        f"x.to(torch.{new})",
        f"x.to('cpu', torch.{new})",
        f"x.to(dtype=torch.{new}, {fmt})",
        f"x.type(torch.{new})",
        "x.to(y)",
        "x.type_as(y)",
    ]
    source = data.draw(st.sampled_from(sources))
    inputs, types = {"x": shape, "y": (2,)}, {"x": old, "y": data.draw(dtypes)}
    assert_agree(source + data.draw(st.sampled_from([".dtype", ""])), inputs, types)


@given(st.lists(st.integers(1, 9), min_size=1, max_size=4).map(tuple), st.data())
def test_symbolic_sizes_are_sound(shape, data):
    i = data.draw(st.integers(0, len(shape) - 1))
    source = data.draw(
        st.sampled_from(
            [
                f"x.size({i})",
                "x.numel()",
                "x.shape",
                "len(x)",
                f"x.shape[{i}] * x.size(-1)",
                "torch.zeros(x.size())",
                "x.T",
            ]
        )
    )
    assert_symbolic_sound(source, {"x": shape}, {f"x:{i}": ("N", shape[i])})


def test_size_of_a_symbolic_tensor_is_a_formula():
    from shapecalc.frontends.expression import graph_from_expression
    from shapecalc.propagate import propagate
    from shapecalc.values import TensorValue

    H = sym.symbol("H")
    analysis = propagate(graph_from_expression("x.numel()", {"x": TensorValue((3, H, H))}))
    assert analysis.outputs == [3 * H * H]
