"""The exact integer solver: relations ``e == 0`` / ``e >= 0`` over floor-affine (and
polynomial) expressions of positive input sizes -> the exact set of sizes that satisfy them.

One size at a time. A floor ``(a*H + b)//d`` satisfies ``f(H + P) = f(H) + a*P/d`` for any
multiple P of d, so with P the lcm of the (nested) divisors, ``g(k) = e(r + P*k)`` is, for
each residue r, a polynomial in k whose degree is the expression's degree in H. The solver
takes its Newton coefficients from a few exact evaluations (confirming the degree with one
more), splits k >= 0 into pieces where g is monotone (the sign pieces of its difference,
recursively), finds each sign change by bisection and confirms it: the result is exact, an
interval of k per residue, hence an ``IntSet``. Expressions that are not periodic (a size
divided by a size, min/max) or whose period is too large are scanned up to a limit and then
decided on the remaining tail with interval bounds, or reported as not decided beyond it.

Coupled sizes (H and W inside one Linear's in_features) are solved by enumerating the first
size over its own set and solving the last exactly for each value, until interval bounds
prove that no larger value can work (or that every larger value works).
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any

from . import symbolic as sym
from .solve_sets import ENUMERATION_LIMIT, INF, IntSet, TooComplex
from .symbolic import Rel

PERIOD_LIMIT = 4096  # residues examined one by one
SCAN_LIMIT = 4096  # sizes evaluated one by one when an expression is not periodic
ENUM_BUDGET = 20_000  # values of a coupled size enumerated in all
WORK_BUDGET = 20_000  # residue solves and scanned sizes a group of coupled sizes may use
WORK = [0]  # residue solves and scanned sizes so far (a deterministic measure of effort)


# ----------------------------------------------------------------------------- conditions


def _atom_info(atom: sym.Atom, name: str) -> tuple[int, int | None]:
    """(degree, period) of an atom in the symbol ``name``; period None: not periodic."""
    if isinstance(atom, sym.Symbol):
        return (1 if atom.name == name else 0), 1
    if name not in sym.free_symbols(sym._atom_expr(atom)):
        return 0, 1
    if isinstance(atom, sym.FloorDiv) and isinstance(atom.den, int) and atom.den > 0:
        deg, per = expr_info(atom.num, name)
        return deg, None if per is None else per * atom.den
    return 0, None  # a size divided by a size, min or max: not periodic


def expr_info(x: sym.Dim, name: str) -> tuple[int, int | None]:
    """(degree, period) of x in ``name``: x(r + P*k) is a polynomial in k of at most that
    degree for every r when P is a multiple of the period."""
    if not isinstance(x, sym.Expr):
        return 0, 1
    degree, period = 0, 1
    for monomial in x.terms:
        d = 0
        for atom, power in monomial:
            ad, ap = _atom_info(atom, name)
            if ap is None:
                return 0, None
            d += ad * power
            period = math.lcm(period, ap)
        degree = max(degree, d)
    return degree, period


def compile_expr(x: sym.Dim, args: Sequence[str]) -> Callable[..., int]:
    """x as a Python function of the named sizes (printed expressions are valid Python)."""
    if isinstance(x, int):
        return lambda *_: x
    text = f"lambda {', '.join(args)}: {x}" if args else f"lambda: {x}"
    try:
        return eval(text, {"__builtins__": {}, "min": min, "max": max})  # noqa: S307
    except SyntaxError:  # a symbol name Python reserves: evaluate through the engine
        return lambda *values: sym.evaluate(x, dict(zip(args, values)))


@dataclass(eq=False)
class Cond:
    """One relation to satisfy, with what the solver needs to know about it."""

    rel: Rel
    source: Any = None  # the Constraint it comes from, to name the layer responsible
    _fns: dict = field(default_factory=dict)

    @cached_property
    def symbols(self) -> frozenset[str]:
        return sym.free_symbols(self.rel.expr)

    @property
    def kind(self) -> str:
        return self.rel.kind

    def info(self, name: str) -> tuple[int, int | None]:
        key = ("info", name)
        if key not in self._fns:
            self._fns[key] = expr_info(self.rel.expr, name)
        return self._fns[key]

    def fn(self, args: tuple[str, ...]) -> Callable[..., int]:
        if args not in self._fns:
            self._fns[args] = compile_expr(self.rel.expr, args)
        return self._fns[args]

    def holds(self, args: tuple[str, ...], values: Sequence[int]) -> bool:
        try:
            v = self.fn(args)(*values)
        except ZeroDivisionError:
            return False
        return v == 0 if self.kind == "eq" else v >= 0

    def __str__(self) -> str:
        return sym.format_rel(self.rel)


# -------------------------------------------------------------------- one size, exactly

Pieces = list[tuple[int, float, int]]  # (first k, last k or INF, sign of g on it)


def _newton(values: list[int]) -> list[int]:
    """Forward differences at 0: g(k) = sum c_j * comb(k, j)."""
    coeffs = []
    row = list(values)
    while row:
        coeffs.append(row[0])
        row = [b - a for a, b in zip(row, row[1:])]
    return coeffs


def _poly(c: list[int]) -> Callable[[int], int]:
    return lambda k: sum(cj * math.comb(k, j) for j, cj in enumerate(c) if cj)


def _sign(v: int) -> int:
    return (v > 0) - (v < 0)


def _first(pred: Callable[[int], bool], lo: int, hi: float) -> int | float:
    """The first k in [lo, hi] where a monotone (False..True) predicate holds, else hi + 1."""
    if pred(lo):
        return lo
    step = 1
    top = lo
    while True:  # exponential search for a True point (or the end of the piece)
        nxt = lo + step
        if nxt >= hi:
            if not pred(int(hi)):
                return hi + 1
            nxt = int(hi)
            break
        if pred(nxt):
            break
        top = nxt
        step *= 2
        if step > 1 << 200:
            raise TooComplex("no sign change found")
    good = nxt
    while good - top > 1:  # pred(top) False, pred(good) True
        mid = (top + good) // 2
        if pred(mid):
            good = mid
        else:
            top = mid
    return good


def sign_pieces(c: list[int], lo: int = 0, hi: float = INF) -> Pieces:
    """Where the integer polynomial with Newton coefficients c is <0, 0, >0 on [lo, hi]."""
    while len(c) > 1 and c[-1] == 0:
        c = c[:-1]
    g = _poly(c)
    if len(c) == 1:
        return [(lo, hi, _sign(c[0]))]
    out: Pieces = []
    for a, b, s in sign_pieces(c[1:], lo, hi):  # g is monotone where its difference keeps sign
        a = int(a)
        if s == 0:
            out.append((a, b, _sign(g(a))))
            continue
        if s > 0:  # strictly increasing on [a, b]
            z = _first(lambda k: g(k) >= 0, a, b)
            p = _first(lambda k: g(k) > 0, a, b)
            cuts = [(a, z - 1, -1), (z, p - 1, 0), (p, b, 1)]
        else:
            z = _first(lambda k: g(k) <= 0, a, b)
            n = _first(lambda k: g(k) < 0, a, b)
            cuts = [(a, z - 1, 1), (z, n - 1, 0), (n, b, -1)]
        out.extend((x, y, sg) for x, y, sg in cuts if x <= y)
    merged: Pieces = []
    for a, b, s in out:
        if merged and merged[-1][2] == s and merged[-1][1] + 1 == a:
            merged[-1] = (merged[-1][0], b, s)
        else:
            merged.append((a, b, s))
    return merged


def _intersect(xs: list[tuple[int, float]], ys: list[tuple[int, float]]) -> list:
    out = []
    i = j = 0
    while i < len(xs) and j < len(ys):
        a = max(xs[i][0], ys[j][0])
        b = min(xs[i][1], ys[j][1])
        if a <= b:
            out.append((a, b))
        if xs[i][1] < ys[j][1]:
            i += 1
        else:
            j += 1
    return out


def _allowed(cond: Cond, g: Callable[[int], int], degree: int) -> list[tuple[int, float]]:
    """The k >= 0 where cond holds for g(k) = its expression at r + P*k."""
    values = [g(k) for k in range(degree + 2)]
    c = _newton(values)
    if c[-1] != 0:  # the degree bound is wrong: never guess, fall back to scanning
        raise TooComplex("degree confirmation failed")
    c = c[:-1]
    want = (lambda s: s == 0) if cond.kind == "eq" else (lambda s: s >= 0)
    return [(a, b) for a, b, s in sign_pieces(c) if want(s)]


def solve_last(conds: Sequence[Cond], args: tuple[str, ...], bound: tuple[int, ...]) -> IntSet:
    """The exact set of values of the last name in ``args`` (the others fixed to ``bound``)
    for which every cond holds."""
    name = args[len(bound)]
    live = [c for c in conds if name in c.symbols]
    for c in conds:
        if name not in c.symbols and not c.holds(args, (*bound, 1)):
            return IntSet()
    if not live:
        return IntSet.all()
    period = 1
    for c in live:
        _, p = c.info(name)
        if p is None:
            return _scan(live, args, bound)
        period = math.lcm(period, p)
    if period > PERIOD_LIMIT:
        return _scan(live, args, bound)
    try:
        return _solve_periodic(live, args, bound, name, period)
    except (TooComplex, ZeroDivisionError):
        return _scan(live, args, bound)


def _solve_periodic(
    live: Sequence[Cond], args: tuple[str, ...], bound: tuple[int, ...], name: str, period: int
) -> IntSet:
    per_residue: dict[int, list[tuple[int, float]]] = {}
    for r in range(1, period + 1):
        ks: list[tuple[int, float]] = [(0, INF)]
        for c in live:
            fn = c.fn(args)
            degree = c.info(name)[0]
            WORK[0] += 1
            g = lambda k, fn=fn, r=r: fn(*bound, r + period * k)  # noqa: E731
            ks = _intersect(ks, _allowed(c, g, degree))
            if not ks:
                break
        per_residue[r] = ks
    return _from_residues(period, per_residue)


def _from_residues(period: int, per_residue: dict[int, list[tuple[int, float]]]) -> IntSet:
    """Sizes r + period*k for the allowed k of each residue r, as an IntSet."""
    starts = {r: r + period * ks[-1][0] for r, ks in per_residue.items() if ks and ks[-1][1] == INF}
    start = max(starts.values()) if starts else None
    runs: list[tuple[int, int]] = []
    for r, ks in per_residue.items():
        for a, b in ks:
            first = r + period * a
            last = start - 1 if b == INF else r + period * int(b)  # type: ignore[operator]
            if start is not None:
                last = min(last, start - 1)
            if first > last:
                continue
            if period == 1:
                runs.append((first, last))
                continue
            if (last - first) // period + len(runs) > ENUMERATION_LIMIT:
                raise TooComplex("too many sizes to list")
            runs.extend((v, v) for v in range(first, last + 1, period))
    return IntSet.make(runs, start, period, starts.keys(), runs=True)


def _scan(live: Sequence[Cond], args: tuple[str, ...], bound: tuple[int, ...]) -> IntSet:
    """Not periodic: decide size by size up to SCAN_LIMIT, then the tail with bounds."""
    name = args[len(bound)]
    WORK[0] += SCAN_LIMIT
    members = [v for v in range(1, SCAN_LIMIT + 1) if all(c.holds(args, (*bound, v)) for c in live)]
    env = {a: (v, v) for a, v in zip(args, bound)}
    env[name] = (SCAN_LIMIT + 1, INF)
    from .solve_domain import verdict

    tail = [verdict(c.rel, env) for c in live]
    if all(t is True for t in tail):
        return IntSet.make(members, SCAN_LIMIT + 1, 1, {0})
    if any(t is False for t in tail):
        return IntSet.finite(members)
    return IntSet.make(members, None, 1, (), complete=False, checked=SCAN_LIMIT)
