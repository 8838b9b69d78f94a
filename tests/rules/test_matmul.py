"""Matrix products against real torch: matmul's rank rules, mm/bmm/mv/dot/outer, the add*
family, random einsum equations, tensordot; symbolic soundness."""

from __future__ import annotations

import re
import string

import pytest
from hypothesis import given
from hypothesis import strategies as st

from shapecalc import symbolic as sym
from shapecalc.frontends.expression import graph_from_expression
from shapecalc.propagate import propagate
from shapecalc.values import TensorValue

from ..difftest import assert_agree, errors
from .test_elementwise import assert_sound


@st.composite
def matmul_shapes(draw):
    """Two operands of rank 0..4 whose inner sizes usually agree and whose batch dims usually
    broadcast."""
    ra, rb = draw(st.integers(0, 4)), draw(st.integers(0, 4))
    inner = draw(st.integers(1, 4))
    batch = draw(st.lists(st.integers(1, 3), max_size=2))

    def operand(rank, inner_pos):
        shape = [draw(st.integers(1, 4)) for _ in range(rank)]
        if rank:
            idx = rank - 1 if inner_pos == "last" or rank == 1 else rank - 2
            shape[idx] = inner if draw(st.integers(0, 4)) else draw(st.integers(1, 5))
        for i in range(max(rank - 2, 0)):
            j = len(batch) - (rank - 2) + i
            if 0 <= j < len(batch) and draw(st.integers(0, 3)):
                shape[i] = draw(st.sampled_from([batch[j], 1]))
        return tuple(shape)

    return operand(ra, "last"), operand(rb, "first")


@given(
    matmul_shapes(),
    st.sampled_from(["x @ y", "torch.matmul(x, y)", "x.matmul(y)", "y.__rmatmul__(x)"]),
)
def test_matmul_matches_torch(shapes, form):
    x, y = shapes
    assert_agree(form, {"x": x, "y": y})


# form -> the ranks its operands need
FIXED_FORMS = {
    "torch.mm(x, y)": (2, 2),
    "x.mm(y)": (2, 2),
    "torch.bmm(x, y)": (3, 3),
    "torch.mv(x, y)": (2, 1),
    "torch.dot(x, y)": (1, 1),
    "x.vdot(y)": (1, 1),
    "torch.inner(x, y)": (2, 2),
    "torch.outer(x, y)": (1, 1),
    "torch.ger(x, y)": (1, 1),
    "torch.addmm(b, x, y)": (2, 2),
    "b.addmm(x, y, beta=0.5)": (2, 2),
    "b.addmm_(x, y)": (2, 2),
    "torch.baddbmm(b, x, y)": (3, 3),
    "torch.addbmm(b, x, y)": (3, 3),
    "b.baddbmm_(x, y)": (3, 3),
    "torch.addmv(b, x, y)": (2, 1),
    "torch.addr(b, x, y)": (1, 1),
}


@st.composite
def fixed_rank_case(draw):
    form = draw(st.sampled_from(sorted(FIXED_FORMS)))
    ra, rb = FIXED_FORMS[form]
    if draw(st.integers(0, 5)) == 0:
        ra, rb = draw(st.integers(0, 4)), draw(st.integers(0, 4))
    n, m, p, batch = (draw(st.integers(1, 4)) for _ in range(4))

    def near(size):  # usually the size, sometimes another
        return size if draw(st.integers(0, 4)) else draw(st.integers(1, 5))

    x = {0: (), 1: (near(m),), 2: (n, near(m)), 3: (batch, n, near(m))}.get(ra)
    if x is None:
        x = tuple(draw(st.lists(st.integers(1, 3), min_size=ra, max_size=ra)))
    if "inner" in form:
        y = {2: (p, near(m))}.get(rb) or tuple(draw(st.lists(st.integers(1, 4), max_size=3)))
    elif "outer" in form or "ger" in form or "addr" in form:
        y = {1: (p,)}.get(rb) or tuple(draw(st.lists(st.integers(1, 4), max_size=3)))
    else:
        y = {1: (near(m),), 2: (near(m), p), 3: (near(batch), near(m), p)}.get(rb)
        if y is None:
            y = tuple(draw(st.lists(st.integers(1, 3), min_size=rb, max_size=rb)))
    full = {"mm": (n, p), "bmm": (batch, n, p), "mv": (n,), "addr": (n, p)}
    target = next((v for k, v in full.items() if k in form), (batch, n, p))
    if "addbmm" in form and "baddbmm" not in form:
        target = (n, p)
    if "addr" in form:
        target = (x[0] if x else 1, p)
    keep = draw(st.integers(0, len(target)))
    b = tuple(near(draw(st.sampled_from([d, 1]))) for d in target[len(target) - keep :])
    return form, {"x": x, "y": y, "b": b}


@given(fixed_rank_case())
def test_fixed_rank_products_match_torch(case):
    form, inputs = case
    if not re.search(r"\bb\b", form):
        del inputs["b"]
    assert_agree(form, inputs)


@st.composite
def einsum_case(draw):
    """A random equation over a few labels, with optional ellipses, an implicit or explicit
    output (sometimes invalid), and operand sizes that usually fit."""
    labels = draw(st.lists(st.sampled_from("abcdBC"), min_size=1, max_size=4, unique=True))
    size = {label: draw(st.integers(1, 4)) for label in labels}
    n = draw(st.integers(1, 3))
    ellipsis_dims = draw(st.lists(st.integers(1, 3), max_size=2))
    terms, shapes = [], []
    for _ in range(n):
        term = draw(st.lists(st.sampled_from(labels), max_size=4))
        dims = []
        for label in term:
            roll = draw(st.integers(0, 9))
            dims.append(size[label] if roll > 1 else (1 if roll else draw(st.integers(1, 5))))
        if draw(st.booleans()):
            at = draw(st.integers(0, len(term)))
            k = draw(st.integers(0, len(ellipsis_dims)))
            ell = [draw(st.sampled_from([d, 1])) for d in ellipsis_dims[len(ellipsis_dims) - k :]]
            term = term[:at] + ["..."] + term[at:]
            dims = dims[:at] + ell + dims[at:]
        if draw(st.integers(0, 9)) == 0:  # a wrong rank
            dims = dims + [2]
        terms.append("".join(term))
        shapes.append(tuple(dims))
    equation = ",".join(terms)
    mode = draw(st.sampled_from(["implicit", "explicit", "explicit", "invalid"]))
    if mode != "implicit":
        used = sorted({c for t in terms for c in t if c.isalpha()})
        out = draw(st.permutations(used))[: draw(st.integers(0, len(used)))]
        out = list(out)
        if any("..." in t for t in terms) and draw(st.booleans()):
            out.insert(draw(st.integers(0, len(out))), "...")
        if mode == "invalid":
            out.append(draw(st.sampled_from(list(string.ascii_letters) + ["1", "-"])))
        equation += "->" + "".join(out)
    if draw(st.booleans()):
        equation = equation.replace(",", " , ")
    return equation, shapes


@given(einsum_case(), st.booleans())
def test_einsum_matches_torch(case, as_list):
    equation, shapes = case
    names = [f"t{i}" for i in range(len(shapes))]
    ops = f"[{', '.join(names)}]" if as_list else ", ".join(names)
    assert_agree(f"torch.einsum({equation!r}, {ops})", dict(zip(names, shapes)))


@given(
    st.lists(st.integers(1, 4), max_size=4).map(tuple),
    st.lists(st.integers(1, 4), max_size=4).map(tuple),
    st.one_of(
        st.integers(-1, 4),
        st.tuples(
            st.lists(st.integers(-3, 3), max_size=2), st.lists(st.integers(-3, 3), max_size=2)
        ),
    ),
)
def test_tensordot_matches_torch(x, y, dims):
    if isinstance(dims, tuple):
        dims = [list(dims[0]), list(dims[1])]
    assert_agree(f"torch.tensordot(x, y, dims={dims!r})", {"x": x, "y": y})


# ------------------------------------------------------------------------ symbolic sizes


@given(matmul_shapes(), st.sampled_from(["x @ y", "torch.einsum('...ij,...jk', x, y)"]))
def test_matmul_is_sound(shapes, form):
    """Every size >= 2 symbolic, one symbol per size value (so equal sizes stay equal)."""
    x, y = shapes
    symbols = {}
    for name, shape in (("x", x), ("y", y)):
        for i, size in enumerate(shape):
            if size >= 2:
                symbols[f"{name}:{i}"] = (f"S{size}", size)
    if form.startswith("torch.einsum") and (len(x) < 2 or len(y) < 2):
        return
    assert_sound(form, {"x": x, "y": y}, symbols)


def test_attention_scores_symbolic():
    B, T = sym.symbol("B"), sym.symbol("T")
    q = TensorValue((B, 4, T, 16))
    k = TensorValue((B, 4, T, 16))
    analysis = propagate(
        graph_from_expression("torch.einsum('bhqd,bhkd->bhqk', q, k)", {"q": q, "k": k})
    )
    assert analysis.output_shapes == [(B, 4, T, T)]
    assert not analysis.diagnostics and not analysis.constraints


def test_inner_size_constraint():
    D = sym.symbol("D")
    analysis = propagate(
        graph_from_expression("x @ w", {"x": TensorValue((2, D)), "w": TensorValue((64, 10))})
    )
    assert not errors(analysis)
    assert [str(c) for c in analysis.constraints] == ["D == 64"]
    assert analysis.output_shapes == [(2, 10)]


def test_matmul_mismatch_names_both_sizes():
    analysis = assert_agree("q @ k", {"q": (2, 5, 64), "k": (2, 5, 64)}, code="SC304")
    assert errors(analysis) == ["SC304"]
    # k's transpose forgotten (both end in 64): the intended scores are (2, 5, 5)
    assert analysis.output_shapes == [(2, 5, 5)]


@pytest.mark.parametrize(
    "source",
    ["torch.mm(x, 2.0)", "torch.bmm(2.0, x)", "torch.dot(x, 2)", "torch.addmm(x, x, 2.0)"],
)
def test_number_operand_is_an_error(source):
    assert_agree(source, {"x": (2, 2)}, code="SC306")
