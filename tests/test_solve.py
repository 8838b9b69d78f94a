"""The solver against brute force: random floor-affine conditions (chains of conv and pool
windows, divisibility, a Linear's flattened size), solved exactly, compared size by size with
the engine's own evaluation of the conditions."""

from __future__ import annotations

import math

from hypothesis import given, settings
from hypothesis import strategies as st

from shapecalc import symbolic as sym
from shapecalc.arith import window_out
from shapecalc.solve_core import Cond, _newton, sign_pieces, solve_last
from shapecalc.solve_domain import solve
from shapecalc.solve_sets import IntSet

H, W = sym.symbol("H"), sym.symbol("W")
LIMIT = 200  # sizes compared one by one

windows = st.tuples(
    st.integers(1, 5), st.integers(1, 3), st.integers(0, 2), st.integers(1, 2)
).filter(lambda w: w[2] <= (w[0] - 1) * w[3] // 2 + 1)


def chain(x: sym.Dim, steps: list[tuple[int, int, int, int]]) -> sym.Dim:
    for k, s, p, d in steps:
        x = window_out(x, k, s, p, d)
    return x


@st.composite
def condition(draw: st.DrawFn, x: sym.Expr) -> sym.Rel:
    h = chain(x, draw(st.lists(windows, max_size=4)))
    kind = draw(st.sampled_from(["ge", "le", "eq", "mod", "poly"]))
    c = draw(st.integers(-3, 40))
    if kind == "ge":
        return sym.ge(h, c)
    if kind == "le":
        return sym.le(h, c + 60)
    if kind == "eq":
        return sym.eq(h, c)
    if kind == "mod":
        return sym.divisible(h, draw(st.integers(2, 6)))
    return sym.ge(draw(st.integers(1, 3)) * h * h, c * 10)


def brute(rels: list[sym.Rel], env: dict[str, int]) -> bool:
    out = True
    for r in rels:
        try:
            v = sym.evaluate(r.expr, env)
        except ZeroDivisionError:
            return False
        out = out and (v == 0 if r.kind == "eq" else v >= 0)
    return out


@settings(deadline=None)
@given(st.lists(condition(H), min_size=1, max_size=4))
def test_one_size_matches_brute_force(rels: list[sym.Rel]):
    dom = solve(rels, ["H"])
    found = dom["H"]
    assert found.exact
    for h in range(1, LIMIT):
        assert (h in found) == brute(rels, {"H": h}), (h, [str(r) for r in rels], str(found))
    if found.min is not None:
        assert brute(rels, {"H": found.min})
        assert not any(brute(rels, {"H": h}) for h in range(1, found.min))
    # beyond LIMIT the set is periodic: spot-check far sizes
    for h in (997, 1024, 4099, 10**6 + 7):
        assert (h in found) == brute(rels, {"H": h}), (h, [str(r) for r in rels], str(found))


@settings(deadline=None)
@given(
    st.lists(windows, max_size=3),
    st.lists(windows, max_size=3),
    st.integers(1, 8),
    st.integers(1, 400),
    st.booleans(),
)
def test_coupled_sizes_match_brute_force(sh, sw, channels, target, use_ge):
    h, w = chain(H, sh), chain(W, sw)
    rels = [sym.ge(h, 1), sym.ge(w, 1)]
    rels.append(sym.ge(channels * h * w, target) if use_ge else sym.eq(channels * h * w, target))
    dom = solve(rels, ["H", "W"])
    assert dom.exact
    for hh in range(1, 60):
        for ww in range(1, 60):
            env = {"H": hh, "W": ww}
            assert (env in dom) == brute(rels, env), (env, [str(r) for r in rels])
    point = dom.smallest()
    if point is not None:
        assert brute(rels, point)


@settings(deadline=None)
@given(st.lists(condition(H), max_size=2), st.lists(condition(W), max_size=2), st.integers(-5, 5))
def test_sizes_tied_by_an_equality_match_brute_force(on_h, on_w, k):
    """``H == W + k`` (a square input when k is 0): W is read off H, never enumerated."""
    rels = [*on_h, *on_w, sym.eq(H, W + k)]
    dom = solve(rels, ["H", "W"])
    assert dom.exact
    for hh in range(1, 80):
        for ww in (hh - k, hh - k + 1, hh + 3):
            env = {"H": hh, "W": ww}
            if ww >= 1:
                assert (env in dom) == brute(rels, env), (env, [str(r) for r in rels], str(dom))
    point = dom.smallest()
    assert (point is None) == dom.empty
    if point is not None:
        assert brute(rels, point)


@given(st.lists(st.integers(-50, 50), min_size=1, max_size=5))
def test_sign_pieces_of_a_polynomial(coeffs: list[int]):
    def g(k: int) -> int:
        return sum(c * k**i for i, c in enumerate(coeffs))

    c = _newton([g(k) for k in range(len(coeffs) + 1)])
    pieces = sign_pieces(c)
    assert pieces[0][0] == 0 and pieces[-1][1] == math.inf
    for a, b, s in pieces:
        for k in range(a, int(min(b, a + 50)) + 1):
            assert (g(k) > 0) - (g(k) < 0) == s


sets = st.builds(
    lambda members, start, period, res: IntSet.make(members, start, period, res),
    st.lists(st.integers(1, 60), max_size=10),
    st.one_of(st.none(), st.integers(1, 70)),
    st.integers(1, 8),
    st.lists(st.integers(0, 7), max_size=4),
)


@given(sets, sets)
def test_set_algebra(a: IntSet, b: IntSet):
    for x in range(1, 300):
        assert (x in (a | b)) == (x in a or x in b)
        assert (x in (a & b)) == (x in a and x in b)


@given(sets)
def test_set_description_is_python(a: IntSet):
    text = a.describe("H")
    if a.empty:
        assert text == "no size"
        return
    for x in range(1, 200):
        assert eval(text, {}, {"H": x}) == (x in a), (text, x)


def test_examples_read_as_sets():
    assert str(solve([sym.ge(chain(H, [(5, 1, 0, 1), (2, 2, 0, 1)]), 8)])["H"]) == "H >= 20"
    assert str(solve([sym.divisible(H, 16)])["H"]) == "H % 16 == 0"
    assert str(solve([sym.divisible(H, 4), sym.ge(H, 8)])["H"]) == "H % 4 == 0 and H >= 8"
    assert str(solve([sym.eq((H - 8) // 2, 12)])["H"]) == "H in {32, 33}"
    seed = 6 * ((H - 8) // 2) * ((W - 8) // 2)
    dom = solve([sym.ge((H - 10) // 2, 0), sym.ge((W - 10) // 2, 0), sym.eq(seed, 864)])
    assert {"H": 32, "W": 33} in dom and {"H": 34, "W": 32} not in dom
    assert dom.smallest() == {"H": 32, "W": 32}
    assert dom.groups[0].complete and len(dom.groups[0].boxes) == 15


def test_no_size_names_the_conditions():
    dom = solve([sym.divisible(H, 2), sym.ge(H, 3), sym.eq(H % 2, 1)])
    assert dom.empty
    assert [str(c) for c in dom.culprits] == ["H % 2 == 0", "H % 2 == 1"]


def test_not_periodic_is_scanned_and_decided_on_the_tail():
    # a size divided by a size is not periodic: scanned, then the tail decided by bounds
    found = solve_last([Cond(sym.ge(sym.minimum(H // 2, 7), 3))], ("H",), ())
    assert found.complete and str(found.describe("H")) == "H >= 6"


def test_essential_constraints_drop_only_implied_single_symbol_conditions():
    from pathlib import Path

    import shapecalc
    from shapecalc.solve import essential_constraints, solve

    example = Path(__file__).resolve().parents[1] / "examples" / "seed_conv_unit.py"
    analysis = shapecalc.analyze(str(example), "B,3,H,W")
    kept = essential_constraints(analysis)
    shown = [str(c) for c in kept]
    assert shown == [
        "(H - 10)//2 >= 0",
        "(W - 10)//2 >= 0",
        "6*((H - 8)//2)*((W - 8)//2) == 864",
    ]
    # the domain is the same with or without the conditions left out
    full = solve(analysis.constraints, ["H", "W"])
    assert str(solve(kept, ["H", "W"])) == str(full)
