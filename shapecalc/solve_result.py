"""What the solver answers: the sizes of one symbol (SymbolDomain), the joint sizes of
coupled symbols (Group, a union of boxes), and the whole valid input domain (Domain)."""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from .solve_sets import INF, IntSet

if TYPE_CHECKING:
    from .solve_core import Cond

Box = tuple[IntSet, ...]


@dataclass(frozen=True)
class SymbolDomain:
    """The sizes one input symbol can take (its projection, when it is coupled to others)."""

    name: str
    values: IntSet
    coupled: tuple[str, ...] = ()

    def __str__(self) -> str:
        return self.values.describe(self.name)

    def __contains__(self, x: object) -> bool:
        return x in self.values

    @property
    def min(self) -> int | None:
        return self.values.min

    @property
    def max(self) -> int | float | None:
        """The largest size, ``math.inf`` when there is none, None for an empty set."""
        return self.values.max

    @property
    def exact(self) -> bool:
        return self.values.complete

    @property
    def empty(self) -> bool:
        """Proven empty (an unfinished search that found nothing is not)."""
        return self.values.empty and self.values.complete


@dataclass(frozen=True)
class Group:
    """Sizes tied together by conditions: their joint set, a union of boxes."""

    symbols: tuple[str, ...]
    boxes: tuple[Box, ...]
    complete: bool
    conditions: tuple[str, ...]
    note: str = ""

    def __contains__(self, point: object) -> bool:
        if not isinstance(point, Mapping):
            return False
        values = [point.get(s) for s in self.symbols]
        return any(all(v in part for v, part in zip(values, box)) for box in self.boxes)

    @property
    def empty(self) -> bool:
        """Proven empty (an unfinished search that found nothing is not)."""
        return not self.boxes and self.complete

    def box_lines(self, limit: int = 6, near: Mapping[str, int] | None = None) -> list[str]:
        """One line per box (the box holding ``near`` first), at most ``limit`` of them."""
        boxes = list(self.boxes)
        if near is not None:
            boxes.sort(key=lambda box: not all(near.get(s) in p for s, p in zip(self.symbols, box)))
        lines = [
            ("or " if i else "")
            + " and ".join(part.describe(s) for s, part in zip(self.symbols, box))
            for i, box in enumerate(boxes[:limit])
        ]
        if not lines:
            lines = ["no input size"]
        if len(boxes) > limit:
            lines.append(f"({len(boxes) - limit} more combinations, {len(boxes)} in all)")
        if not self.complete:
            lines.append(f"({self.note}; larger sizes not decided)")
        return lines

    def describe(self, limit: int = 6) -> str:
        if not self.boxes:
            return "no size" + ("" if self.complete else f" found ({self.note})")
        parts = [
            " and ".join(part.describe(s) for s, part in zip(self.symbols, box))
            for box in self.boxes[:limit]
        ]
        text = "; or ".join(parts)
        if len(self.boxes) > limit:
            text += f"; or {len(self.boxes) - limit} more combinations"
        if not self.complete:
            text += f" ({self.note})"
        return text

    def smallest(self) -> dict[str, int] | None:
        """The point with the fewest elements (then the smallest sizes, in order)."""
        best = None
        for box in self.boxes:
            point = tuple(part.min for part in box)
            key = (_product(point), max(point, default=0), point)
            if best is None or key < best[0]:
                best = (key, point)
        return None if best is None else dict(zip(self.symbols, best[1]))  # type: ignore[arg-type]


def _product(values: Iterable[int]) -> int:
    out = 1
    for v in values:
        out *= v
    return out


class Domain(Mapping[str, SymbolDomain]):
    """Per input symbol, the exact sizes the model accepts; coupled symbols also as groups.

    ``domain["H"]`` is a SymbolDomain (``str()``: ``H % 16 == 0``); ``point in domain`` for a
    dict of sizes is exact joint membership; ``domain.empty`` when no input size works, with
    the conditions responsible in ``domain.culprits``.
    """

    def __init__(
        self,
        symbols: dict[str, SymbolDomain],
        groups: list[Group],
        culprits: Sequence[Cond] = (),
        conds: Sequence[Cond] = (),
    ) -> None:
        self._symbols = symbols
        self.groups = groups
        self.links: dict[str, tuple[str, int]] = {}  # Y: (X, k) meaning Y == X + k
        self.culprits = [c.source if c.source is not None else c.rel for c in culprits]
        self._conds = list(conds)

    def __getitem__(self, name: str) -> SymbolDomain:
        return self._symbols[name]

    def __iter__(self) -> Iterator[str]:
        return iter(self._symbols)

    def __len__(self) -> int:
        return len(self._symbols)

    @property
    def empty(self) -> bool:
        return any(d.empty for d in self._symbols.values()) or any(g.empty for g in self.groups)

    @property
    def exact(self) -> bool:
        return all(d.exact for d in self._symbols.values()) and all(g.complete for g in self.groups)

    def __contains__(self, point: object) -> bool:
        if isinstance(point, str):
            return point in self._symbols
        if not isinstance(point, Mapping):
            return False
        for name, d in self._symbols.items():
            if name in point and point[name] not in d:
                return False
        for y, (x, k) in self.links.items():
            if y in point and x in point and point[y] != point[x] + k:
                return False
        return all(point in g for g in self.groups if all(s in point for s in g.symbols))

    def smallest(self) -> dict[str, int] | None:
        out: dict[str, int] = {}
        for g in self.groups:
            point = g.smallest()
            if point is None:
                return None
            out.update(point)
        for name, d in self._symbols.items():
            if name not in out and name not in self.links:
                if d.min is None:
                    return None
                out[name] = d.min
        for y, (x, k) in self.links.items():
            out[y] = out[x] + k
        return out

    def lines(self) -> list[str]:
        """One line per independent symbol and per group of coupled symbols."""
        out = []
        grouped = {s for g in self.groups for s in g.symbols}
        for name, d in self._symbols.items():
            if name not in grouped and name not in self.links and d.values != IntSet.all():
                out.append(str(d))
        for g in self.groups:
            out.append(g.describe())
        out.extend(link_text(y, x, k) for y, (x, k) in self.links.items())
        return out or ["every size"]

    def to_dict(self) -> dict:
        return {
            "conditions": self.lines(),
            "exact": self.exact,
            "symbols": {
                name: {
                    "text": str(d),
                    "min": d.min,
                    "max": None if d.max in (None, INF) else d.max,
                    "exact": d.exact,
                    "coupled": list(d.coupled),
                }
                for name, d in self._symbols.items()
            },
        }

    def __str__(self) -> str:
        return "\n".join(self.lines())

    def __repr__(self) -> str:
        return f"Domain({'; '.join(self.lines())})"


def link_text(y: str, x: str, k: int) -> str:
    if k == 0:
        return " == ".join(sorted((x, y)))
    return f"{y} == {x} {'+' if k > 0 else '-'} {abs(k)}"
