"""The valid input domain: every condition the layers put on the input sizes, solved exactly.

Sizes that share no condition are solved one at a time (solve_core.solve_last). Sizes that do
(``6*((H - 8)//2)*((W - 8)//2) == 864``) form a group, whose joint set is a union of boxes
(a set of H values times a set of W values): the first size is enumerated over its own set,
the rest solved for each value, and the enumeration stops when interval bounds prove that
no larger value satisfies the coupled conditions, or that every larger one does. When neither
is proved within the budget, the group is marked incomplete and says how far it got.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from . import symbolic as sym
from .solve_core import ENUM_BUDGET, WORK, WORK_BUDGET, Cond, compile_expr, solve_last
from .solve_result import Box, Domain, Group, SymbolDomain, _product, link_text
from .solve_sets import INF, IntSet, TooComplex

__all__ = ["Domain", "Group", "SymbolDomain", "link_text", "solve", "verdict"]

# --------------------------------------------------------------------------------- solving


def solve(rels: Iterable[Any], symbols: Sequence[str] = (), *, feasibility: bool = False) -> Domain:
    """The domain of ``symbols`` (and any other symbol the relations name) under every
    relation in ``rels`` (Rel, or Constraint with a ``.rel``). With ``feasibility`` the
    enumeration of coupled sizes stops at the first combination that works (and on a small
    budget): enough to tell an empty domain, which is all SC904 needs."""
    conds = [Cond(getattr(r, "rel", r), r if hasattr(r, "rel") else None) for r in rels]
    conds = [c for c in conds if not sym.is_opaque(c.rel)]
    names = list(symbols)
    for c in conds:
        for s in sorted(c.symbols):
            if s not in names:
                names.append(s)
    conds, links = _eliminate(conds)
    for c in conds:
        if not c.symbols and not c.holds((), ()):
            return _infeasible(names, conds, [c])
    singles = {n: _solve_single([c for c in conds if c.symbols == {n}], n) for n in names}
    culprits: list[Cond] = []
    for n in names:
        if singles[n].empty and singles[n].complete:
            culprits = _culprits([c for c in conds if c.symbols == {n}], n)
            break
    groups = []
    for group_names in _components([c for c in conds if len(c.symbols) > 1], names):
        coupled = [c for c in conds if len(c.symbols) > 1 and c.symbols <= set(group_names)]
        group = _solve_group(coupled, group_names, singles, feasibility)
        groups.append(group)
        if group.empty and not culprits:
            culprits = _group_culprits(conds, group_names, singles)
    domains: dict[str, SymbolDomain] = {}
    for n in names:
        domains[n] = SymbolDomain(n, singles[n])
    for g in groups:
        for i, n in enumerate(g.symbols):
            projection = IntSet()
            for box in g.boxes:
                projection = projection | box[i]
            if not g.complete:
                projection = IntSet.make(
                    projection.runs,
                    projection.start,
                    projection.period,
                    projection.residues,
                    runs=True,
                    complete=False,
                    checked=None,
                )
            others = tuple(s for s in g.symbols if s != n)
            domains[n] = SymbolDomain(n, projection, others)
    for y, (x, k, source) in links.items():
        domains[y] = SymbolDomain(y, domains[x].values.shifted(k), (x,))
        domains[x] = SymbolDomain(x, domains[x].values, (*domains[x].coupled, y))
        if culprits and any(x in c.symbols for c in culprits):
            culprits.append(source)
    dom = Domain(domains, groups, culprits, conds)
    dom.links = {y: (x, k) for y, (x, k, _) in links.items()}
    return dom


def _eliminate(conds: list[Cond]) -> tuple[list[Cond], dict[str, tuple[str, int, Cond]]]:
    """Equalities ``Y == X + k`` between two sizes (a square input's ``H == W``) remove Y:
    it is substituted everywhere, the conditions on it become conditions on X, and Y is
    read back as X + k. Enumerating such a diagonal pair by pair would never end."""
    links: dict[str, tuple[str, int, Cond]] = {}
    while True:
        found = next((c for c in conds if _linear_pair(c) is not None), None)
        if found is None:
            return conds, links
        x, y, k = _linear_pair(found)  # type: ignore[misc]
        value = sym.symbol(x) + k
        conds = [
            Cond(sym.Rel(c.kind, sym.subs(c.rel.expr, {y: value})), c.source)
            for c in conds
            if c is not found
        ]
        conds.append(Cond(sym.ge(value, 1), found.source))  # y is a size too
        for z, (target, kz, src) in list(links.items()):
            if target == y:
                links[z] = (x, kz + k, src)
        links[y] = (x, k, found)


def _linear_pair(c: Cond) -> tuple[str, str, int] | None:
    """(X, Y, k) when c is ``Y - X - k == 0`` (either sign), else None."""
    e = c.rel.expr
    if c.kind != "eq" or len(c.symbols) != 2 or not isinstance(e, sym.Expr):
        return None
    coeffs: dict[str, int] = {}
    for monomial, coeff in e.terms.items():
        if monomial == ():
            continue
        if len(monomial) != 1 or monomial[0][1] != 1 or not isinstance(monomial[0][0], sym.Symbol):
            return None
        coeffs[monomial[0][0].name] = coeff
    if sorted(coeffs.values()) != [-1, 1]:
        return None
    y = next(n for n, v in coeffs.items() if v == 1)
    x = next(n for n, v in coeffs.items() if v == -1)
    k = -e.terms.get((), 0)  # y - x - k == 0 -> y == x + k
    a, b = sorted((x, y))
    if (y, x) != (b, a):  # keep the name that comes first (H rather than W)
        return y, x, -k
    return x, y, k


def _infeasible(names: list[str], conds: list[Cond], culprits: list[Cond]) -> Domain:
    return Domain({n: SymbolDomain(n, IntSet()) for n in names}, [], culprits, conds)


def _solve_single(conds: list[Cond], name: str) -> IntSet:
    if not conds:
        return IntSet.all()
    try:
        return solve_last(conds, (name,), ())
    except TooComplex:
        return IntSet.make((), None, 1, (), complete=False, checked=0)


def _components(conds: list[Cond], names: list[str]) -> list[tuple[str, ...]]:
    parent = {n: n for n in names}

    def find(x: str) -> str:
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    for c in conds:
        first, *rest = sorted(c.symbols)
        for r in rest:
            parent[find(r)] = find(first)
    groups: dict[str, list[str]] = {}
    for c in conds:
        for s in c.symbols:
            root = find(s)
            if s not in groups.setdefault(root, []):
                groups[root].append(s)
    return [tuple(sorted(g, key=names.index)) for g in groups.values()]


class _Budget:
    """Values a coupled enumeration may visit, and the work (solve_core.WORK) it may do."""

    def __init__(self, n: int, work: int = WORK_BUDGET) -> None:
        self.left = n
        self.shifted: dict[tuple[str, ...], list] = {}
        self.first_only = False
        self.work_limit = WORK[0] + work

    def spend(self) -> bool:
        self.left -= 1
        return self.left >= 0 and WORK[0] < self.work_limit


def _solve_group(
    coupled: list[Cond], names: tuple[str, ...], singles: dict, feasibility: bool = False
) -> Group:
    budget = _Budget(ENUM_BUDGET, WORK_BUDGET // 10 if feasibility else WORK_BUDGET)
    budget.first_only = feasibility
    texts = tuple(str(c) for c in coupled)
    try:
        boxes, complete = _enumerate(coupled, names, (), singles, budget)
        done = ENUM_BUDGET - max(budget.left, 0)
        note = "" if complete else f"stopped after {done} values of {', '.join(names[:-1])}"
    except TooComplex as exc:
        boxes, complete, note = [], False, f"too complex to enumerate: {exc}"
    return Group(names, tuple(_merge_boxes(boxes)), complete, texts, note)


def _enumerate(
    conds: list[Cond], names: tuple[str, ...], bound: tuple[int, ...], singles: dict, budget
) -> tuple[list[Box], bool]:
    depth = len(bound)
    if depth == len(names) - 1:
        last = solve_last(conds, names, bound) & singles[names[-1]]
        return ([(last,)] if not last.empty else []), last.complete
    name = names[depth]
    own: IntSet = singles[name]
    rest = names[depth + 1 :]
    boxes: list[Box] = []
    complete = True
    key_fns = _key_fns(conds, names, depth)
    seen: dict[tuple, tuple[list[Box], bool]] = {}
    for i, v in enumerate(own):
        if not budget.spend():
            return boxes, False
        key = None if key_fns is None else tuple(f(*bound, v) for f in key_fns)
        if key is not None and key in seen:
            sub, sub_complete = seen[key]
        else:
            sub, sub_complete = _enumerate(conds, names, (*bound, v), singles, budget)
            if key is not None:
                seen[key] = (sub, sub_complete)
        complete = complete and sub_complete
        boxes.extend((IntSet.finite([v]), *box) for box in sub)
        if boxes and budget.first_only:
            return boxes, False
        if v >= (own.max or 0):
            return boxes, complete
        env: dict[str, tuple[float, float]] = {n: (b, b) for n, b in zip(names, bound)}
        env[name] = (v + 1, INF)
        verdicts = [
            _tail_verdict(rel, env, i % 32 == 0) for rel in _shifted(conds, rest, singles, budget)
        ]
        if i % 8 == 7 and not all(t is not None for t in verdicts):
            verdicts = _full_verdicts(conds, names, bound, name, v, singles)
        if any(t is False for t in verdicts):
            return boxes, complete  # no larger value can satisfy them
        if all(t is True for t in verdicts):  # every larger value satisfies them
            tail = own & IntSet.all(v + 1)
            parts = tuple(singles[r] for r in rest)
            if not tail.empty and all(not p.empty for p in parts):
                boxes.append((tail, *parts))
            return boxes, complete
    return boxes, complete


def _key_fns(conds: list[Cond], names: tuple[str, ...], depth: int) -> list | None:
    """Functions of the sizes fixed so far whose values decide the rest of the problem: the
    floors that hold the enumerated size (``(H - 8)//2``). Sizes that give the same values
    give the same answer, so a stride-12 floor is solved once per 12 sizes. None when the
    enumerated size also appears bare or next to a size not yet fixed."""
    name = names[depth]
    fixed = set(names[: depth + 1])
    fns = []
    for c in conds:
        if not isinstance(c.rel.expr, sym.Expr):
            continue
        for monomial in c.rel.expr.terms:
            for atom, _ in monomial:
                free = sym._atom_symbols(atom)
                if name not in free:
                    continue
                if isinstance(atom, sym.Symbol) or not free <= fixed:
                    return None
                fns.append(compile_expr(sym._atom_expr(atom), names[: depth + 1]))
    return fns


def _shifted(conds: list[Cond], rest: tuple[str, ...], singles: dict, budget: _Budget) -> list:
    """Each cond with every size in ``rest`` written as its lowest value plus a size >= 0
    (``W = 10 + W__shift``), and the range of that size: computed once per depth."""
    if rest not in budget.shifted:
        shift: dict[str, sym.Dim] = {}
        env: dict[str, tuple[float, float]] = {}
        for r in rest:
            d = singles[r]
            lo = d.min or 1
            hi = d.max if d.max is not None else INF
            shift[r] = sym.symbol(f"{r}__shift") + lo
            env[f"{r}__shift"] = (0, hi - lo)
        budget.shifted[rest] = [
            (c.rel, sym.Rel(c.kind, sym.subs(c.rel.expr, shift)), env) for c in conds
        ]
    return budget.shifted[rest]


def _full_verdicts(
    conds: list[Cond], names: tuple[str, ...], bound: tuple, name: str, v: int, singles: dict
) -> list[bool | None]:
    """Every cond for all values above v, with the enumerated size shifted too (so that
    ``(H - 1)*W == 1`` is seen to fail for every H >= 3): slower, so run now and then."""
    env: dict[str, tuple[float, float]] = {n: (b, b) for n, b in zip(names, bound)}
    env[name] = (v + 1, INF)
    for r in names[len(bound) + 1 :]:
        d = singles[r]
        env[r] = (d.min or 1, d.max if d.max is not None else INF)
    return [verdict(c.rel, env) for c in conds]


def _tail_verdict(rels: tuple, env: dict, full: bool) -> bool | None:
    """A cond for every larger value of the enumerated size: interval bounds on the cond with
    the other sizes shifted to start at 0; now and then the engine's decide() as well."""
    original, shifted, shift_env = rels
    both = {**env, **shift_env}
    lo, hi = sym.bounds(shifted.expr, both)
    if shifted.kind == "eq":
        if lo > 0 or hi < 0:
            return False
        if lo == hi == 0:
            return True
    else:
        if lo >= 0:
            return True
        if hi < 0:
            return False
    return sym.decide(shifted, both) if full else None


def _merge_boxes(boxes: list[Box]) -> list[Box]:
    """Boxes that agree in every part but the first become one."""
    merged: dict[Box, IntSet] = {}
    for box in boxes:
        key = box[1:]
        merged[key] = merged[key] | box[0] if key in merged else box[0]
    out = [(first, *rest) for rest, first in merged.items()]
    # the smallest inputs first: fewest elements, then the most nearly square
    out.sort(key=lambda box: (_product(p.min or 0 for p in box), max(p.min or 0 for p in box)))
    return out


def verdict(rel: sym.Rel, env: Mapping[str, tuple[float, float]]) -> bool | None:
    """rel for every size in env's boxes: True, False or None. Interval bounds on the
    expression as written (products of floors kept whole), then the engine's decide()."""
    lo, hi = sym.bounds(rel.expr, env)
    if rel.kind == "eq":
        if lo > 0 or hi < 0:
            return False
        if lo == hi == 0:
            return True
    else:
        if lo >= 0:
            return True
        if hi < 0:
            return False
    decided = sym.decide(rel, env)
    if decided is None:
        decided = _shifted_verdict(rel, env)
    return decided


def _shifted_verdict(rel: sym.Rel, env: Mapping[str, tuple[float, float]]) -> bool | None:
    """Bounds after moving each size's lower bound into the expression: with H = lo + H',
    ``H*(W - 1) - 1`` over H >= 3, W >= 2 becomes ``H'*W' + H' + 3*W' + 2`` over H', W' >= 0,
    whose bounds are tight where the unshifted ones are not."""
    shift: dict[str, sym.Dim] = {}
    shifted_env: dict[str, tuple[float, float]] = {}
    for name in sym.free_symbols(rel.expr):
        lo, hi = env.get(name, (1, INF))
        if lo == -INF:
            return None
        fresh = f"{name}__shift"
        shift[name] = sym.symbol(fresh) + int(lo)
        shifted_env[fresh] = (0, hi - lo)
    expr = sym.subs(rel.expr, shift)
    lo, hi = sym.bounds(expr, shifted_env)
    if rel.kind == "eq":
        return False if lo > 0 or hi < 0 else None
    return True if lo >= 0 else (False if hi < 0 else None)


# ------------------------------------------------------------------------------- culprits


def _culprits(conds: list[Cond], name: str) -> list[Cond]:
    """A minimal subset of conds that already admits no size (deletion filter)."""
    kept = list(conds)
    for c in list(conds):
        trial = [k for k in kept if k is not c]
        found = _solve_single(trial, name) if trial else None
        if found is not None and found.empty and found.complete:
            kept = trial
    return kept


def _group_culprits(conds: list[Cond], names: tuple[str, ...], singles: dict) -> list[Cond]:
    relevant = [c for c in conds if c.symbols and c.symbols <= set(names)]
    kept = list(relevant)
    for c in list(relevant):
        trial = [k for k in kept if k is not c]
        if trial and solve(trial, feasibility=True).empty:
            kept = trial
    return kept
