"""The symbolic engine: every rewrite proven against plain Python integer arithmetic."""

from __future__ import annotations

import math
import re

import pytest
from hypothesis import given
from hypothesis import strategies as st

from shapecalc import symbolic as sym
from shapecalc.arith import window_out
from shapecalc.symbolic import FloorDiv, symbol

H, W = symbol("H"), symbol("W")
NAMES = ("H", "W")


def _leaf():
    return st.one_of(
        st.sampled_from(NAMES).map(lambda n: (symbol(n), lambda env, n=n: env[n])),
        st.integers(-20, 20).map(lambda c: (c, lambda env, c=c: c)),
    )


def _extend(children):
    small = st.integers(1, 9)
    return st.one_of(
        st.tuples(children, children).map(
            lambda ab: (sym.add(ab[0][0], ab[1][0]), lambda e, a=ab[0][1], b=ab[1][1]: a(e) + b(e))
        ),
        st.tuples(children, st.integers(-4, 4)).map(
            lambda ac: (sym.mul(ac[0][0], ac[1]), lambda e, a=ac[0][1], c=ac[1]: a(e) * c)
        ),
        st.tuples(children, small).map(
            lambda ad: (sym.floordiv(ad[0][0], ad[1]), lambda e, a=ad[0][1], d=ad[1]: a(e) // d)
        ),
        st.tuples(children, children).map(
            lambda ab: (
                sym.minimum(ab[0][0], ab[1][0]),
                lambda e, a=ab[0][1], b=ab[1][1]: min(a(e), b(e)),
            )
        ),
        st.tuples(children, children).map(
            lambda ab: (
                sym.maximum(ab[0][0], ab[1][0]),
                lambda e, a=ab[0][1], b=ab[1][1]: max(a(e), b(e)),
            )
        ),
    )


exprs = st.recursive(_leaf(), _extend, max_leaves=8)
envs = st.fixed_dictionaries({n: st.integers(1, 300) for n in NAMES})


@given(exprs, envs)
def test_normal_form_preserves_value(pair, env):
    expr, reference = pair
    assert sym.evaluate(expr, env) == reference(env)


@given(exprs, envs)
def test_printed_form_is_python(pair, env):
    expr, reference = pair
    assert eval(str(expr), {"min": min, "max": max}, dict(env)) == reference(env)


@given(exprs, envs)
def test_canonical_form_preserves_value(pair, env):
    expr, reference = pair
    assert sym.evaluate(sym.canon(expr), env) == reference(env)


@given(exprs, st.lists(envs, min_size=5, max_size=5), st.sampled_from(["eq", "ge"]))
def test_decide_is_sound(pair, samples, kind):
    expr, reference = pair
    decided = sym.decide(sym.Rel(kind, expr))
    if decided is None:
        return
    for env in samples:
        value = reference(env)
        assert (value == 0 if kind == "eq" else value >= 0) is decided


@given(exprs, envs, st.sampled_from(["eq", "ge"]))
def test_normalize_is_equivalent(pair, env, kind):
    expr, reference = pair
    value = reference(env)
    truth = value == 0 if kind == "eq" else value >= 0
    simple = sym.normalize(sym.Rel(kind, expr))
    if isinstance(simple, bool):
        assert simple is truth
    else:
        assert all(sym.decide(sym.Rel(r.kind, sym.subs(r.expr, env))) for r in simple) is truth


@given(exprs, envs, st.sampled_from(["eq", "ge"]))
def test_printed_relation_is_python(pair, env, kind):
    expr, reference = pair
    value = reference(env)
    truth = value == 0 if kind == "eq" else value >= 0
    text = sym.format_rel(sym.Rel(kind, expr))
    assert eval(text, {"min": min, "max": max}, dict(env)) is truth, text


@given(
    st.integers(-50, 50),
    st.integers(1, 12),
    st.integers(1, 12),
    st.integers(-30, 30),
    st.integers(1, 10_000),
)
def test_nested_floor_rewrite(c0, a, b, c, h):
    """(x//a + c)//b == (x + c*a)//(a*b), and the engine keeps a single floor."""
    x = H + c0
    nested = sym.floordiv(sym.floordiv(x, a) + c, b)
    assert sym.evaluate(nested, {"H": h}) == ((h + c0) // a + c) // b
    atoms = [atom for m in getattr(nested, "terms", {}) for atom, _ in m]
    assert sum(isinstance(atom, FloorDiv) for atom in atoms) <= 1


def test_stride_two_chain_keeps_one_floor():
    x = H
    for _ in range(40):
        x = window_out(x, 3, 2, 1)  # conv 3x3, stride 2, padding 1
        x = window_out(x, 2, 2, 0)  # max pool 2
    assert re.fullmatch(rf"\(H \+ \d+\)//{2**80}", str(x)), str(x)  # one floor, any depth
    for h in (1, 2**80, 2**81 + 5, 3 * 2**80 - 1):
        ref = h
        for _ in range(40):
            ref = (ref + 2 - 3) // 2 + 1
            ref = (ref - 2) // 2 + 1
        assert sym.evaluate(x, {"H": h}) == ref


def test_factored_product_prints_like_the_formula():
    h = H
    for k, s in [(5, 1), (2, 2), (5, 1), (2, 2)]:  # LeNet-5
        h = window_out(h, k, s)
    w = sym.subs(h, {"H": W})
    assert str(16 * h * w) == "16*((H - 12)//4)*((W - 12)//4)"


def test_window_formula_equal_branches_decide_true():
    # conv 3x3 stride 2 pad 1 beside conv 1x1 stride 2: the same size for every H
    assert sym.decide(sym.eq(window_out(H, 3, 2, 1), window_out(H, 1, 2, 0))) is True
    # ceil-mode 2x2 pool beside (H + 1)//2
    assert sym.decide(sym.eq(window_out(H, 2, 2, 0, 1, True), sym.floordiv(H + 1, 2))) is True


def test_constraints_read_as_bounds_and_congruences():
    assert str(sym.normalize(sym.ge(window_out(H, 21, 1), 1))[0]) == "H >= 21"
    assert str(sym.eq(2 * sym.floordiv(H, 2), H)) == "H % 2 == 0"
    assert str(sym.le(H, 100)) == "H <= 100"


def test_assumptions_tighten_later_checks():
    a = sym.Assumptions()
    assert a.decide(sym.ge(H, 21)) is None
    a.assume(sym.ge(window_out(H, 21, 1), 1))
    assert a.decide(sym.ge(H, 21)) is True
    assert a.decide(sym.ge(H - 30, 0)) is None


def test_concrete_path_builds_no_expressions():
    assert type(window_out(224, 7, 2, 3)) is int
    assert type(sym.floordiv(7, 2)) is int and type(sym.add(3, 4)) is int


def test_exact_division():
    assert sym.exact_div(3 * H * W * 16, 16 * H) == 3 * W
    assert sym.exact_div(H * W + W, H + 1) == W
    assert sym.exact_div(H + 1, 2) is None
    assert sym.floordiv(H - (H - 1) - 1, H) == 0  # global pooling: kernel = stride = H


def test_opaque_dimension_is_silent():
    u = sym.UNKNOWN
    assert (u + 1) is u and (3 * u) is u and sym.floordiv(H, 1) == H
    assert sym.decide(sym.eq(u, 3)) is None


def test_sympy_bridge():
    sympy = pytest.importorskip("sympy")
    e = 16 * sym.floordiv(H - 12, 4) * sym.floordiv(W - 12, 4)
    s = sympy.sympify(e)
    hs, ws = sorted(s.free_symbols, key=str)
    assert s.subs({hs: 32, ws: 40}) == sym.evaluate(e, {"H": 32, "W": 40})
    assert hs.is_integer and hs.is_positive


def test_substitution_accepts_sympy_symbols_and_names():
    sympy = pytest.importorskip("sympy")
    e = sym.floordiv(H - 3, 2) + 1
    assert sym.subs(e, {sympy.Symbol("H"): 11}) == 5
    assert e.subs({"H": 11}) == 5
    assert math.isclose(sym.evaluate(e, {"H": 12}), 5)


@pytest.mark.parametrize(
    "build",
    [
        lambda: -sym.floordiv(H, 2),
        lambda: -sym.floordiv(H + 1, 2) + 3,
        lambda: -sym.floordiv(H, 2) * W,
        lambda: W - sym.floordiv(H + 1, 2),
    ],
)
def test_negated_floor_prints_as_python(build):
    expr = build()
    for h, w in [(7, 5), (8, 3), (1, 1)]:
        assert eval(str(expr), {}, {"H": h, "W": w}) == sym.evaluate(expr, {"H": h, "W": w})


@given(st.integers(-100, 100), st.integers(-100, 100), st.integers(1, 64), st.integers(1, 500))
def test_floors_differing_by_whole_multiples_merge(k1, k2, d, h):
    H = symbol("H")
    merged = (H + k1) // d - (H + k2) // d
    assert sym.evaluate(merged, {"H": h}) == (h + k1) // d - (h + k2) // d
    if (k1 - k2) % d == 0:
        assert merged == (k1 - k2) // d  # the floors cancel


def test_global_pool_over_its_own_size_is_one():
    size = (symbol("H") + 3) // 32
    assert window_out(size, size, size) == 1


@given(
    st.integers(-20, 20),
    st.integers(1, 9),
    st.integers(-4, 4),
    st.integers(-20, 20),
    st.lists(envs, min_size=5, max_size=5),
    st.sampled_from(["eq", "ge"]),
)
def test_decide_sees_floors_cancel(k, d, m, c, samples, kind):
    """m*(H + k) - m*d*((H + k)//d) + c is m*((H + k) % d) + c: bounded whatever H is, so
    the relation is often decided outright (the linear-floor bound), and always soundly."""
    expr = m * (H + k) - m * d * ((H + k) // d) + c
    decided = sym.decide(sym.Rel(kind, expr))
    values = [m * ((env["H"] + k) % d) + c for env in samples]
    if decided is not None:
        assert all((v == 0 if kind == "eq" else v >= 0) is decided for v in values)
    lo, hi = sorted((c, m * (d - 1) + c))
    if kind == "ge" and (lo >= 0 or hi < 0):
        assert decided is (lo >= 0)


def test_valid_unet_skip_never_matches():
    """A padding-free U-Net level: the skip is H - 4, the upsampled map 2*((H - 4)//2 - 4);
    they differ by 8 or 9 for every H, so the concat is an error, not a constraint."""
    skip = H - 4
    up = 2 * ((H - 4) // 2 - 4)
    assert sym.decide(sym.eq(skip, up)) is False
    assert sym.decide(sym.eq(H, (H + 1) // 2)) is None  # equal at H = 1
