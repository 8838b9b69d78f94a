"""Sets of positive integers as the solver returns them: exact, finite or eventually periodic.

An ``IntSet`` is the finite members below ``start`` (as inclusive runs) and, from ``start``
on, every size whose residue modulo ``period`` is in ``residues`` (``start is None``: the set
is finite). Every set of sizes a floor-affine condition on one input size admits has this
form: a floor ``(a*H + b)//d`` grows by ``a*P/d`` each time H grows by a multiple P of d, so
beyond some size only the residue of H matters. ``complete=False`` marks a set that is only
known up to ``checked`` (the solver says so instead of guessing what lies beyond).
"""

from __future__ import annotations

import bisect
import math
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass

INF = math.inf
ENUMERATION_LIMIT = 200_000  # sizes the solver lists one by one before it gives up


class TooComplex(Exception):
    """A set would need more than ENUMERATION_LIMIT sizes listed one by one."""


def _runs(values: Iterable[int]) -> tuple[tuple[int, int], ...]:
    out: list[list[int]] = []
    for v in sorted(set(values)):
        if out and out[-1][1] == v - 1:
            out[-1][1] = v
        else:
            out.append([v, v])
    return tuple((a, b) for a, b in out)


@dataclass(frozen=True)
class IntSet:
    runs: tuple[tuple[int, int], ...] = ()
    start: int | None = None
    period: int = 1
    residues: frozenset[int] = frozenset()
    complete: bool = True
    checked: int | None = None

    # construction -------------------------------------------------------------------------
    @staticmethod
    def all(start: int = 1) -> IntSet:
        return IntSet.make((), start, 1, {0})

    @staticmethod
    def finite(values: Iterable[int]) -> IntSet:
        return IntSet.make(values, None, 1, ())

    @staticmethod
    def make(
        members: Iterable[int] | Iterable[tuple[int, int]],
        start: int | None,
        period: int,
        residues: Iterable[int],
        *,
        runs: bool = False,
        complete: bool = True,
        checked: int | None = None,
    ) -> IntSet:
        """Normalise: the smallest period, the lowest start, members below start as runs."""
        pairs = list(members) if runs else list(_runs(members))  # type: ignore[arg-type]
        res = frozenset(r % period for r in residues)
        if start is None or not res:
            return IntSet(_runs_merge(pairs), None, 1, frozenset(), complete, checked)
        period, res = _reduce_period(period, res)
        if len(res) == period:
            period, res = 1, frozenset({0})
        pairs = [(a, min(b, start - 1)) for a, b in pairs if a < start]
        # lower the start while the size below it agrees with the periodic pattern
        members_below = _runs_merge(pairs)
        while start > 1:
            s = start - 1
            inside = _in_runs(members_below, s)
            if inside != ((s % period) in res):
                break
            if inside:
                members_below = _runs_drop_last(members_below)
            start = s
        return IntSet(members_below, start, period, res, complete, checked)

    # queries --------------------------------------------------------------------------------
    def __contains__(self, x: object) -> bool:
        if not isinstance(x, int) or x < 1:
            return False
        if self.start is not None and x >= self.start:
            return (x % self.period) in self.residues
        return _in_runs(self.runs, x)

    @property
    def infinite(self) -> bool:
        return self.start is not None

    @property
    def empty(self) -> bool:
        return not self.runs and self.start is None

    @property
    def min(self) -> int | None:
        if self.runs:
            return self.runs[0][0]
        if self.start is None:
            return None
        return self._first_tail(self.start)

    @property
    def max(self) -> int | float | None:
        if self.start is not None:
            return INF
        return self.runs[-1][1] if self.runs else None

    def _first_tail(self, at: int) -> int:
        return next(x for x in range(at, at + self.period) if x % self.period in self.residues)

    def __iter__(self) -> Iterator[int]:
        """Members in increasing order (endless for an infinite set)."""
        for a, b in self.runs:
            yield from range(a, b + 1)
        if self.start is not None:
            x = self.start
            while True:
                if x % self.period in self.residues:
                    yield x
                x += 1

    def count(self) -> int | float:
        return INF if self.start is not None else sum(b - a + 1 for a, b in self.runs)

    def threshold(self) -> int:
        """A size from which on membership only depends on the residue."""
        last = self.runs[-1][1] + 1 if self.runs else 1
        return max(self.start or 1, last)

    # algebra --------------------------------------------------------------------------------
    def shifted(self, k: int) -> IntSet:
        """{x + k for x in self}, sizes below 1 dropped."""
        runs = [(max(a + k, 1), b + k) for a, b in self.runs if b + k >= 1]
        if self.start is None:
            return IntSet.make(runs, None, 1, (), runs=True, complete=self.complete,
                               checked=self.checked)  # fmt: skip
        start = self.start + k
        if start < 1:
            start = 1
        res = {(r + k) % self.period for r in self.residues}
        return IntSet.make(runs, start, self.period, res, runs=True, complete=self.complete,
                           checked=self.checked)  # fmt: skip

    def union(self, other: IntSet) -> IntSet:
        return _combine(self, other, lambda a, b: a or b)

    def intersection(self, other: IntSet) -> IntSet:
        return _combine(self, other, lambda a, b: a and b)

    def __or__(self, other: IntSet) -> IntSet:
        return self.union(other)

    def __and__(self, other: IntSet) -> IntSet:
        return self.intersection(other)

    # printing -------------------------------------------------------------------------------
    def describe(self, name: str) -> str:
        """A Python boolean expression over ``name`` (``H % 16 == 0``, ``H in {32, 33}``), or
        ``no size`` for the empty set; an incomplete set says up to where it was checked."""
        parts = _describe_runs(self.runs, name)
        if self.start is not None:
            parts.append(_describe_tail(self, name))
        text = " or ".join(parts) if parts else "no size"
        if not self.complete:
            text += f" (checked up to {name} = {self.checked}; larger sizes not decided)"
        return text

    def __str__(self) -> str:
        return self.describe("x")


def _reduce_period(period: int, res: frozenset[int]) -> tuple[int, frozenset[int]]:
    for p in range(1, period + 1):
        if period % p == 0:
            small = frozenset(r % p for r in res)
            if all(((r % p) in small) == (r in res) for r in range(period)):
                return p, small
    return period, res


def _runs_merge(pairs: list[tuple[int, int]]) -> tuple[tuple[int, int], ...]:
    pairs = sorted((a, b) for a, b in pairs if a <= b)
    out: list[list[int]] = []
    for a, b in pairs:
        if out and a <= out[-1][1] + 1:
            out[-1][1] = max(out[-1][1], b)
        else:
            out.append([a, b])
    return tuple((a, b) for a, b in out)


def _runs_drop_last(runs: tuple[tuple[int, int], ...]) -> tuple[tuple[int, int], ...]:
    a, b = runs[-1]
    return runs[:-1] if a == b else (*runs[:-1], (a, b - 1))


def _in_runs(runs: tuple[tuple[int, int], ...], x: int) -> bool:
    i = bisect.bisect_right(runs, (x, INF)) - 1
    return i >= 0 and runs[i][0] <= x <= runs[i][1]


def _combine(a: IntSet, b: IntSet, op: Callable[[bool, bool], bool]) -> IntSet:
    period = math.lcm(a.period, b.period)
    start = max(a.threshold(), b.threshold())
    tail = {
        r
        for r in range(period)
        if op(
            (r % a.period) in a.residues and a.infinite, (r % b.period) in b.residues and b.infinite
        )
    }
    # below the common threshold, decide size by size, one run of each at a time
    cuts = sorted(
        {1, start}
        | {x for s in (a, b) for r in s.runs for x in (r[0], r[1] + 1)}
        | {s.start for s in (a, b) if s.start is not None}
    )
    members: list[tuple[int, int]] = []
    for lo, hi in zip(cuts, cuts[1:]):
        if hi > start:
            hi = start
        if lo >= hi:
            continue
        # within [lo, hi) neither set changes between runs; tails may still be periodic
        if (a.start is None or hi <= a.start) and (b.start is None or hi <= b.start):
            if op(lo in a, lo in b):
                members.append((lo, hi - 1))
            continue
        if hi - lo > ENUMERATION_LIMIT:
            raise TooComplex(f"{hi - lo} sizes to combine one by one")
        members.extend((x, x) for x in range(lo, hi) if op(x in a, x in b))
    complete = a.complete and b.complete
    checked = min((s.checked for s in (a, b) if s.checked is not None), default=None)
    return IntSet.make(
        members,
        start if tail else None,
        period,
        tail,
        runs=True,
        complete=complete,
        checked=checked,
    )


def _describe_runs(runs: tuple[tuple[int, int], ...], name: str) -> list[str]:
    if not runs:
        return []
    total = sum(b - a + 1 for a, b in runs)
    if len(runs) == 1 and total >= 4:
        return [f"{runs[0][0]} <= {name} <= {runs[0][1]}"]
    if total <= 12:
        values = [x for a, b in runs for x in range(a, b + 1)]
        if len(values) == 1:
            return [f"{name} == {values[0]}"]
        return [f"{name} in {{{', '.join(map(str, values))}}}"]
    parts: list[str] = []
    singles: list[int] = []
    for a, b in runs:  # in order: short runs gathered into sets, long ones as ranges
        if b - a < 2:
            singles.extend(range(a, b + 1))
            continue
        if singles:
            parts.append(f"{name} in {{{', '.join(map(str, singles))}}}")
            singles = []
        parts.append(f"{a} <= {name} <= {b}")
    if singles:
        parts.append(f"{name} in {{{', '.join(map(str, singles))}}}")
    if len(parts) > 8:
        return [f"{name} in {total} sizes from {runs[0][0]} to {runs[-1][1]}"]
    return parts


def _describe_tail(s: IntSet, name: str) -> str:
    assert s.start is not None
    if s.period == 1:
        return f"{name} >= {s.start}"
    res = sorted(s.residues)
    pattern = (
        f"{name} % {s.period} == {res[0]}"
        if len(res) == 1
        else f"{name} % {s.period} in {{{', '.join(map(str, res))}}}"
    )
    if s.start == 1:
        return pattern
    return f"{pattern} and {name} >= {s._first_tail(s.start)}"
