"""CosineSimilarity, PairwiseDistance and pdist against real torch: broadcasting pairs of
shapes (sometimes incompatible), every dim, keepdim."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from ..difftest import assert_agree, assert_symbolic_sound


@st.composite
def shape_pair(draw):
    base = tuple(draw(st.integers(1, 4)) for _ in range(draw(st.integers(0, 4))))
    other = list(base[draw(st.integers(0, len(base))) :])
    for i in range(len(other)):
        roll = draw(st.integers(0, 5))
        if roll == 0:
            other[i] = 1
        elif roll == 1:
            other[i] += 1  # incompatible unless the base dim is 1
    if draw(st.booleans()):
        return base, tuple(other)
    return tuple(other), base


@given(shape_pair(), st.integers(-5, 4), st.sampled_from(["nn", "F"]))
def test_cosine_similarity_matches_torch(shapes, dim, form):
    x1, x2 = shapes
    if form == "nn":
        source = f"nn.CosineSimilarity(dim={dim})(x1, x2)"
    else:
        source = f"F.cosine_similarity(x1, x2, {dim})"
    assert_agree(source, {"x1": x1, "x2": x2})


@given(shape_pair(), st.booleans(), st.sampled_from(["nn", "F"]))
def test_pairwise_distance_matches_torch(shapes, keepdim, form):
    x1, x2 = shapes
    if form == "nn":
        source = f"nn.PairwiseDistance(keepdim={keepdim})(x1, x2)"
    else:
        source = f"F.pairwise_distance(x1, x2, keepdim={keepdim})"
    assert_agree(source, {"x1": x1, "x2": x2})


@given(st.lists(st.integers(1, 5), max_size=3).map(tuple))
def test_pdist_matches_torch(shape):
    assert_agree("F.pdist(x)", {"x": shape})


@given(st.integers(1, 6), st.integers(1, 4))
def test_pdist_symbolic_is_sound(n, m):
    assert_symbolic_sound("F.pdist(x)", {"x": (n, m)}, {"x:0": ("N", n)})
