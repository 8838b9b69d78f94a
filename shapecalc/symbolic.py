"""Dimensions: Python ints when concrete, small exact expressions when symbolic.

A dimension (``Dim``) is an ``int`` on the concrete path, so a concrete analysis builds no
expression objects at all. On the symbolic path it is an ``Expr``: an integer polynomial over
*atoms*, where an atom is a positive-integer symbol (``H``), a floor division
``FloorDiv(numerator, divisor)`` or a ``min``/``max``. Every Expr is kept in a normal form:

* a polynomial is a mapping ``monomial -> nonzero int`` and an Expr whose only monomial is the
  constant is returned as a plain ``int``;
* ``n // d`` for an integer ``d > 1`` moves whole multiples of ``d`` out of the numerator,
  divides out the gcd of what is left, and absorbs a nested floor:
  ``(x//a + c)//b == (x + c*a)//(a*b)``. A chain of any number of strided layers therefore
  keeps a single floor, ``(H + k)//2**n + m``, however deep the network is.

Why not sympy expressions: importing sympy alone takes longer than the whole 0.5 s budget of a
DSL run on this machine, and its automatic evaluation would fight the floor normal form. This
module is small, exact, and converts to sympy on demand (``Expr._sympy_`` makes
``sympy.sympify(dim)`` work), so notebook users still get sympy objects when they ask.

Printing uses Python syntax (``//``, ``*``, ``+``, ``%``, ``min``), so any printed expression
or constraint can be pasted into Python and evaluated with the symbols bound to ints.

Checks are three-valued through ``decide()``: True, False, or None (unknown). Unknown never
becomes an error; the caller records it as a constraint on the input symbols.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from fractions import Fraction
from functools import reduce

INF = math.inf


class _Unknown:
    """An opaque dimension: what follows an op without a rule or an earlier error.

    Arithmetic with it yields it again and every check on it is silently unknown, so an
    opaque size never produces a follow-on error or a constraint.
    """

    _instance: _Unknown | None = None

    def __new__(cls) -> _Unknown:
        if cls._instance is None:
            cls._instance = super().__new__(cls)
        return cls._instance

    def _op(self, *_args: object) -> _Unknown:
        return self

    __add__ = __radd__ = __sub__ = __rsub__ = __mul__ = __rmul__ = _op
    __floordiv__ = __rfloordiv__ = __mod__ = __rmod__ = __neg__ = __pow__ = _op

    def __repr__(self) -> str:
        return "?"

    def __reduce__(self) -> str:
        return "UNKNOWN"


UNKNOWN = _Unknown()


# --------------------------------------------------------------------------------------- atoms


class Atom:
    """An integer-valued leaf of a polynomial. Subclasses are hashable and totally ordered."""

    __slots__ = ("_key",)
    rank = 0

    @property
    def key(self) -> tuple[int, str]:
        return self._key

    def __lt__(self, other: Atom) -> bool:
        return self._key < other._key

    def __eq__(self, other: object) -> bool:
        return type(other) is type(self) and other._key == self._key  # type: ignore[attr-defined]

    def __hash__(self) -> int:
        return hash(self._key)

    def __repr__(self) -> str:
        return self._key[1]


class Symbol(Atom):
    """A positive-integer input size, such as ``B`` or ``H``."""

    __slots__ = ("name",)
    rank = 0

    def __init__(self, name: str) -> None:
        self.name = name
        self._key = (0, name)


class FloorDiv(Atom):
    """``num // den``: den is an int > 1 or a symbolic expression (a size used as a divisor)."""

    __slots__ = ("num", "den")
    rank = 1

    def __init__(self, num: Dim, den: Dim) -> None:
        self.num = num
        self.den = den
        self._key = (1, f"{_group(num)}//{_group(den)}")


class MinMax(Atom):
    """``min(args)`` or ``max(args)`` of two or more non-constant expressions."""

    __slots__ = ("fn", "args")
    rank = 2

    def __init__(self, fn: str, args: tuple[Dim, ...]) -> None:
        self.fn = fn
        self.args = args
        self._key = (2, f"{fn}({', '.join(to_str(a) for a in args)})")


Monomial = tuple  # tuple[tuple[Atom, int], ...], sorted by atom; () is the constant monomial


def _mono_mul(a: Monomial, b: Monomial) -> Monomial:
    if not a:
        return b
    if not b:
        return a
    powers = dict(a)
    for atom, p in b:
        powers[atom] = powers.get(atom, 0) + p
    return tuple(sorted(powers.items()))


def _mono_div(a: Monomial, b: Monomial) -> Monomial | None:
    """a / b when b divides a, else None."""
    powers = dict(a)
    for atom, p in b:
        left = powers.get(atom, 0) - p
        if left < 0:
            return None
        if left:
            powers[atom] = left
        else:
            del powers[atom]
    return tuple(sorted(powers.items()))


def _mono_degree(m: Monomial) -> int:
    return sum(p for _, p in m)


def _mono_order(m: Monomial) -> tuple:
    # graded order: higher degree first, then by atoms; used for printing and division
    return (-_mono_degree(m), tuple((a.key, -p) for a, p in m))


# --------------------------------------------------------------------------------- expressions


class Expr:
    """An integer polynomial over atoms, in normal form, never a constant (that is an int)."""

    __slots__ = ("terms", "_hash", "_str")

    def __init__(self, terms: dict[Monomial, int]) -> None:
        self.terms = terms
        self._hash: int | None = None
        self._str: str | None = None

    # construction ---------------------------------------------------------------------------
    @staticmethod
    def make(terms: dict[Monomial, int]) -> Dim:
        terms = {m: c for m, c in terms.items() if c}
        if not terms:
            return 0
        if len(terms) == 1 and () in terms:
            return terms[()]
        return Expr(terms)

    # identity ------------------------------------------------------------------------------
    def _items(self) -> tuple:
        return tuple(sorted(self.terms.items(), key=lambda mc: _mono_order(mc[0])))

    def __hash__(self) -> int:
        if self._hash is None:
            self._hash = hash(self._items())
        return self._hash

    def __eq__(self, other: object) -> bool:
        """Structural equality of normal forms (for dict keys). Checks use ``decide``."""
        return isinstance(other, Expr) and other.terms == self.terms

    def __bool__(self) -> bool:
        raise TypeError("a symbolic dimension has no truth value; use shapecalc.symbolic.decide")

    def __str__(self) -> str:
        if self._str is None:
            self._str = _format_poly(self.terms)
        return self._str

    def __repr__(self) -> str:
        return str(self)

    # arithmetic ----------------------------------------------------------------------------
    def __add__(self, other: object) -> Dim:
        return add(self, other)  # type: ignore[arg-type]

    __radd__ = __add__

    def __sub__(self, other: object) -> Dim:
        return add(self, mul(other, -1))  # type: ignore[arg-type]

    def __rsub__(self, other: object) -> Dim:
        return add(other, mul(self, -1))  # type: ignore[arg-type]

    def __neg__(self) -> Dim:
        return mul(self, -1)

    def __pos__(self) -> Expr:
        return self

    def __mul__(self, other: object) -> Dim:
        return mul(self, other)  # type: ignore[arg-type]

    __rmul__ = __mul__

    def __floordiv__(self, other: object) -> Dim:
        return floordiv(self, other)  # type: ignore[arg-type]

    def __rfloordiv__(self, other: object) -> Dim:
        return floordiv(other, self)  # type: ignore[arg-type]

    def __mod__(self, other: object) -> Dim:
        return mod(self, other)  # type: ignore[arg-type]

    def __rmod__(self, other: object) -> Dim:
        return mod(other, self)  # type: ignore[arg-type]

    def __pow__(self, exponent: int) -> Dim:
        if not isinstance(exponent, int) or exponent < 0:
            return NotImplemented
        return reduce(mul, [self] * exponent, 1)

    # queries -------------------------------------------------------------------------------
    @property
    def free_symbols(self) -> frozenset[str]:
        return free_symbols(self)

    def subs(self, mapping: Mapping) -> Dim:
        return subs(self, mapping)

    def _sympy_(self):  # noqa: ANN202 - sympy's conversion protocol
        return to_sympy(self)


Dim = int | Expr | _Unknown


def _terms(x: Dim) -> dict[Monomial, int]:
    if isinstance(x, Expr):
        return x.terms
    if isinstance(x, bool) or not isinstance(x, int):
        raise TypeError(f"not a dimension: {x!r}")
    return {(): x} if x else {}


def add(a: Dim, b: Dim) -> Dim:
    if isinstance(a, int) and isinstance(b, int):
        return a + b
    return _fold(_merge_floors(_add_raw(a, b)))


def _add_raw(a: Dim, b: Dim) -> Dim:
    if isinstance(a, int) and isinstance(b, int):
        return a + b
    if a is UNKNOWN or b is UNKNOWN:
        return UNKNOWN
    out = dict(_terms(a))
    for m, c in _terms(b).items():
        out[m] = out.get(m, 0) + c
    return Expr.make(out)


def _merge_floors(x: Dim) -> Dim:
    """Floors that differ by a whole multiple of their denominator become one atom, so that
    they cancel: ``(H + 3)//32 - (H - 29)//32 == 1`` (for integer n, ``(n + k)//d ==
    (n + k % d)//d + k//d``). A global pool whose kernel is its input's size is then 1x1."""
    if not isinstance(x, Expr):
        return x
    floors: dict[Dim, list[tuple[Monomial, Dim]]] = {}
    for m in x.terms:
        if len(m) == 1 and m[0][1] == 1:
            atom = m[0][0]
            if isinstance(atom, FloorDiv) and isinstance(atom.den, int) and atom.den > 0:
                canonical = _floordiv_int(atom.num, atom.den, canonical=True)  # type: ignore[arg-type]
                key = _add_raw(canonical, -_terms(canonical).get((), 0))
                floors.setdefault(key, []).append((m, canonical))
    if all(len(group) < 2 for group in floors.values()):
        return x
    out = dict(x.terms)
    for group in floors.values():
        if len(group) < 2:
            continue
        for m, canonical in group:
            c = out.pop(m)
            for mm, cc in _terms(canonical).items():
                out[mm] = out.get(mm, 0) + c * cc
    return Expr.make(out)


def _fold(x: Dim) -> Dim:
    """A lone floor plus a constant is one floor: ``(H - 16)//4 + 1 -> (H - 12)//4``.

    Keeps window formulas as single atoms, so products (a flatten's C*H*W) stay factored.
    """
    if not isinstance(x, Expr) or len(x.terms) != 2 or () not in x.terms:
        return x
    k = x.terms[()]
    ((m, c),) = [(m, c) for m, c in x.terms.items() if m != ()]
    if c != 1 or len(m) != 1 or m[0][1] != 1:
        return x
    atom = m[0][0]
    if not isinstance(atom, FloorDiv) or not isinstance(atom.den, int):
        return x
    return _floordiv_int(_add_raw(atom.num, k * atom.den), atom.den)  # type: ignore[arg-type]


def mul(a: Dim, b: Dim) -> Dim:
    if isinstance(a, int) and isinstance(b, int):
        return a * b
    if a is UNKNOWN or b is UNKNOWN:
        return UNKNOWN
    if isinstance(b, int):
        a, b = b, a
    if isinstance(a, int):
        return Expr.make({m: c * a for m, c in _terms(b).items()})
    out: dict[Monomial, int] = {}
    for ma, ca in a.terms.items():
        for mb, cb in b.terms.items():
            m = _mono_mul(ma, mb)
            out[m] = out.get(m, 0) + ca * cb
    return Expr.make(out)


def _atom_expr(atom: Atom) -> Expr:
    return Expr({((atom, 1),): 1})


def _single_atom(x: Dim) -> Atom | None:
    """The atom when x is exactly one atom with coefficient 1 and power 1."""
    if isinstance(x, Expr) and len(x.terms) == 1:
        ((m, c),) = x.terms.items()
        if c == 1 and len(m) == 1 and m[0][1] == 1:
            return m[0][0]
    return None


def floordiv(n: Dim, d: Dim) -> Dim:
    """``n // d`` with Python's floor semantics, in normal form."""
    if isinstance(n, int) and isinstance(d, int):
        return n // d
    if n is UNKNOWN or d is UNKNOWN:
        return UNKNOWN
    if isinstance(d, int):
        if d == 0:
            raise ZeroDivisionError("integer division or modulo by zero")
        if d < 0:
            return floordiv(mul(n, -1), -d)
        return _floordiv_int(n, d)  # type: ignore[arg-type]
    if n == 0:
        return 0
    exact = exact_div(n, d)
    if exact is not None:
        return exact
    return _atom_expr(FloorDiv(n, d))


def _floordiv_int(n: Expr, d: int, canonical: bool = False) -> Dim:
    """n // d for an int d >= 1.

    Whole multiples of d in the non-constant coefficients move out of the floor; the gcd of
    what is left is divided out; a nested floor is absorbed. The constant stays inside the
    numerator, so ``(H - 12)//4`` keeps the shape of the formula the user knows, unless
    ``canonical`` asks for the unique form with the constant reduced to ``0 <= k < d``.
    """
    if isinstance(n, int):
        return n // d
    if d == 1:
        return n
    whole: dict[Monomial, int] = {}
    rest: dict[Monomial, int] = {}
    for m, c in n.terms.items():
        q, r = divmod(c, d) if (m or canonical) else (0, c)
        if q:
            whole[m] = q
        if r:
            rest[m] = r
    const = rest.pop((), 0)
    plus = _add_raw if canonical else add
    if not rest:
        return plus(Expr.make(whole), const // d)
    # (g*P + c)//d == (P + c//g)//(d/g) for g = gcd(d, coefficients of P)
    g = reduce(math.gcd, rest.values(), d)
    if g > 1:
        rest = {m: c // g for m, c in rest.items()}
        const //= g
        d //= g
    if d == 1:
        inner: Dim = plus(Expr.make(rest), const)
    else:
        inner = _nested_floor(rest, const, d, canonical)
    return plus(Expr.make(whole), inner)


def _nested_floor(rest: dict[Monomial, int], const: int, d: int, canonical: bool) -> Dim:
    """(y//a + R)//d == (y + a*R)//(a*d) when y//a is the only floor atom, coefficient 1."""
    floors = [m for m in rest if any(isinstance(atom, FloorDiv) for atom, _ in m)]
    if len(floors) == 1:
        (m,) = floors
        atom = m[0][0]
        if len(m) == 1 and m[0][1] == 1 and rest[m] == 1 and isinstance(atom.den, int):
            others = {k: v for k, v in rest.items() if k != m}
            r = _add_raw(Expr.make(others), const)
            return _floordiv_int(_add_raw(atom.num, mul(r, atom.den)), atom.den * d, canonical)
    numerator = dict(rest)
    if const:
        numerator[()] = const
    return _atom_expr(FloorDiv(Expr(numerator), d))


def mod(n: Dim, d: Dim) -> Dim:
    if isinstance(n, int) and isinstance(d, int):
        return n % d
    return add(n, mul(mul(floordiv(n, d), d), -1))


def exact_div(a: Dim, b: Dim) -> Dim | None:
    """a / b when b divides a exactly as polynomials (so for every value), else None."""
    if a is UNKNOWN or b is UNKNOWN:
        return UNKNOWN
    if isinstance(b, int):
        if b == 0:
            return None
        if isinstance(a, int):
            return a // b if a % b == 0 else None
        if all(c % b == 0 for c in a.terms.values()):
            return Expr.make({m: c // b for m, c in a.terms.items()})
        return None
    if a == b:
        return 1
    # multivariate division by leading terms (graded order); exact iff remainder vanishes
    bterms = sorted(b.terms.items(), key=lambda mc: _mono_order(mc[0]))
    lead_m, lead_c = bterms[0]
    remainder = dict(_terms(a))
    quotient: dict[Monomial, int] = {}
    for _ in range(10_000):
        if not remainder:
            return Expr.make(quotient)
        m, c = min(remainder.items(), key=lambda mc: _mono_order(mc[0]))
        qm = _mono_div(m, lead_m)
        if qm is None or c % lead_c:
            return None
        qc = c // lead_c
        quotient[qm] = quotient.get(qm, 0) + qc
        for bm, bc in bterms:
            k = _mono_mul(qm, bm)
            v = remainder.get(k, 0) - qc * bc
            if v:
                remainder[k] = v
            else:
                remainder.pop(k, None)
    return None


def _dominates(fn: str, b: Dim, a: Dim) -> bool:
    """b makes a irrelevant: b <= a always (for min) or b >= a always (for max)."""
    diff = add(a, mul(b, -1))
    return decide_ge(diff if fn == "min" else mul(diff, -1)) is True


def minimum(*args: Dim) -> Dim:
    return _minmax("min", args)


def maximum(*args: Dim) -> Dim:
    return _minmax("max", args)


def _minmax(fn: str, args: Iterable[Dim]) -> Dim:
    pick = min if fn == "min" else max
    flat: list[Dim] = []
    for a in args:
        if a is UNKNOWN:
            return UNKNOWN
        atom = _single_atom(a)
        if isinstance(atom, MinMax) and atom.fn == fn:
            flat.extend(atom.args)
        else:
            flat.append(a)
    ints = [a for a in flat if isinstance(a, int)]
    exprs: list[Dim] = []
    for a in flat:
        if not isinstance(a, int) and a not in exprs:
            exprs.append(a)
    if ints:
        exprs.append(pick(ints))
    # keep only arguments that no other argument dominates for every input size
    kept: list[Dim] = []
    for a in exprs:
        if any(_dominates(fn, b, a) for b in kept):
            continue
        kept = [b for b in kept if not _dominates(fn, a, b)]
        kept.append(a)
    if len(kept) == 1:
        return kept[0]
    kept.sort(key=lambda x: (isinstance(x, int), to_str(x)))
    return _atom_expr(MinMax(fn, tuple(kept)))


# --------------------------------------------------------------------------------- evaluation


def free_symbols(x: Dim) -> frozenset[str]:
    if not isinstance(x, Expr):
        return frozenset()
    out: set[str] = set()
    for m in x.terms:
        for atom, _ in m:
            out |= _atom_symbols(atom)
    return frozenset(out)


def _atom_symbols(atom: Atom) -> set[str]:
    if isinstance(atom, Symbol):
        return {atom.name}
    if isinstance(atom, FloorDiv):
        return set(free_symbols(atom.num) | free_symbols(atom.den))
    return set().union(*(free_symbols(a) for a in atom.args))  # type: ignore[attr-defined]


def subs(x: Dim, mapping: Mapping) -> Dim:
    """Substitute symbols (keys: names, or objects with a ``.name`` such as sympy Symbols)."""
    if not isinstance(x, Expr):
        return x
    env = {getattr(k, "name", k): v for k, v in mapping.items()}
    env = {k: (int(v) if _is_integral(v) else v) for k, v in env.items()}
    return _rebuild(x, env, canonical=False)


def canon(x: Dim) -> Dim:
    """The unique form used for deciding: every floor's constant reduced to ``0 <= k < d``,
    so ``(H - 1)//2 + 1`` and ``(H + 1)//2`` become the same expression."""
    return _rebuild(x, {}, canonical=True) if isinstance(x, Expr) else x


def _rebuild(x: Dim, env: Mapping, canonical: bool) -> Dim:
    if not isinstance(x, Expr):
        return x
    plus = _add_raw if canonical else add
    out: Dim = 0
    for m, c in x.terms.items():
        term: Dim = c
        for atom, p in m:
            value = _rebuild_atom(atom, env, canonical)
            term = mul(term, value**p if p > 1 else value)
        out = plus(out, term)
    return out


def _is_integral(v: object) -> bool:
    return not isinstance(v, (Expr, _Unknown)) and hasattr(v, "__index__")


def _rebuild_atom(atom: Atom, env: Mapping, canonical: bool) -> Dim:
    if isinstance(atom, Symbol):
        return env.get(atom.name, _atom_expr(atom))
    if isinstance(atom, FloorDiv):
        num = _rebuild(atom.num, env, canonical)
        den = _rebuild(atom.den, env, canonical)
        if canonical and isinstance(den, int) and den > 0:
            return _floordiv_int(num, den, canonical=True)  # type: ignore[arg-type]
        return floordiv(num, den)
    return _minmax(atom.fn, [_rebuild(a, env, canonical) for a in atom.args])  # type: ignore[attr-defined]


def evaluate(x: Dim, env: Mapping[str, int]) -> int:
    """The int value of x with every symbol bound; raises KeyError for an unbound symbol."""
    if isinstance(x, int):
        return x
    if x is UNKNOWN:
        raise ValueError("an opaque dimension has no value")
    result = subs(x, env)
    if not isinstance(result, int):
        raise KeyError(f"unbound symbols in {x}: {sorted(free_symbols(result))}")
    return result


def to_sympy(x: Dim):  # noqa: ANN201 - sympy is imported lazily
    """The same expression as a sympy object over integer, positive symbols."""
    import sympy

    if isinstance(x, int):
        return sympy.Integer(x)
    if x is UNKNOWN:
        raise ValueError("an opaque dimension has no sympy form")
    total = sympy.Integer(0)
    for m, c in x.terms.items():
        term = sympy.Integer(c)
        for atom, p in m:
            term *= _atom_sympy(atom) ** p
        total += term
    return total


def _atom_sympy(atom: Atom):  # noqa: ANN202
    import sympy

    if isinstance(atom, Symbol):
        return sympy.Symbol(atom.name, integer=True, positive=True)
    if isinstance(atom, FloorDiv):
        return sympy.floor(to_sympy(atom.num) / to_sympy(atom.den))
    fn = sympy.Min if atom.fn == "min" else sympy.Max  # type: ignore[attr-defined]
    return fn(*(to_sympy(a) for a in atom.args))  # type: ignore[attr-defined]


# ------------------------------------------------------------------------------------ printing


def to_str(x: Dim) -> str:
    return str(x)


def _group(x: Dim) -> str:
    """x printed so that it can be an operand of ``*`` or ``//`` without changing meaning."""
    if isinstance(x, int):
        return f"({x})" if x < 0 else str(x)
    atom = _single_atom(x)
    if isinstance(atom, (Symbol, MinMax)):
        return str(x)
    return f"({x})"


def _format_term(m: Monomial, c: int) -> str:
    """|c| * monomial, the sign handled by the caller."""
    factors: list[str] = []
    for atom, p in m:
        text = _format_atom(atom, alone=len(m) == 1 and p == 1 and abs(c) == 1)
        factors.append(f"{text}**{p}" if p > 1 else text)
    if abs(c) != 1 or not factors:
        factors.insert(0, str(abs(c)))
    return "*".join(factors)


def _format_atom(atom: Atom, alone: bool) -> str:
    text = repr(atom)
    if isinstance(atom, FloorDiv) and not alone:
        return f"({text})"
    return text


def _format_poly(terms: Mapping[Monomial, int]) -> str:
    items = sorted(terms.items(), key=lambda mc: (mc[0] == (), _mono_order(mc[0])))
    out = ""
    for i, (m, c) in enumerate(items):
        body = _format_term(m, c)
        if i == 0:
            # a leading unary minus binds tighter than //: -(H//2), not -H//2 == (-H)//2
            leading_floor = c == -1 and bool(m) and isinstance(m[0][0], FloorDiv)
            out = (f"-({body})" if leading_floor else f"-{body}") if c < 0 else body
        else:
            out += f" - {body}" if c < 0 else f" + {body}"
    return out


# --------------------------------------------------------------------------------- relations


@dataclass(frozen=True)
class Rel:
    """``expr == 0`` (kind 'eq') or ``expr >= 0`` (kind 'ge') over the input symbols."""

    kind: str
    expr: Dim

    def __str__(self) -> str:
        return format_rel(self)

    @property
    def free_symbols(self) -> frozenset[str]:
        return free_symbols(self.expr)


def eq(a: Dim, b: Dim) -> Rel:
    return Rel("eq", add(a, mul(b, -1)))


def ge(a: Dim, b: Dim) -> Rel:
    return Rel("ge", add(a, mul(b, -1)))


def le(a: Dim, b: Dim) -> Rel:
    return ge(b, a)


def gt(a: Dim, b: Dim) -> Rel:
    return ge(a, add(b, 1))


def lt(a: Dim, b: Dim) -> Rel:
    return ge(b, add(a, 1))


def divisible(a: Dim, d: Dim) -> Rel:
    """a % d == 0."""
    return Rel("eq", mod(a, d))


def format_rel(rel: Rel) -> str:
    """A Python boolean expression: ``H >= 21``, ``H % 4 == 0``, ``(H - 12)//4 == 25``."""
    e = rel.expr
    if rel.kind == "eq":
        m = _match_mod(e)
        if m is not None:
            base, d, r = m
            return f"{_group(base)} % {_group(d)} == {r}"
    if not isinstance(e, Expr):
        return "True" if decide(rel) else "False"
    pos = {m: c for m, c in e.terms.items() if c > 0 and m != ()}
    neg = {m: -c for m, c in e.terms.items() if c < 0 and m != ()}
    const = e.terms.get((), 0)
    op = "==" if rel.kind == "eq" else ">="
    if not pos:  # -P + k >= 0  ->  P <= k
        op = "==" if rel.kind == "eq" else "<="
        return f"{_format_poly(neg)} {op} {const}"
    rhs: dict[Monomial, int] = dict(neg)
    if const:
        rhs[()] = -const
    return f"{_format_poly(pos)} {op} {_format_poly(rhs) if rhs else 0}"


def _match_mod(e: Dim) -> tuple[Dim, Dim, int] | None:
    """Recognise ``c*(u - d*(u//d)) + k`` and return (u, d, r) meaning ``u % d == r``."""
    if not isinstance(e, Expr):
        return None
    for m, c in e.terms.items():
        if len(m) != 1 or m[0][1] != 1 or not isinstance(m[0][0], FloorDiv):
            continue
        atom = m[0][0]
        d = atom.den
        if not isinstance(d, int) or c % d:
            continue
        scale = -c // d  # e == scale*(u - d*(u//d)) + k
        if scale == 0:
            continue
        rest = add(e, mul(_atom_expr(atom), -c))
        k = add(rest, mul(atom.num, -scale))
        if not isinstance(k, int) or k % scale:
            continue
        r = -k // scale
        if 0 <= r < d:
            return atom.num, d, r
    return None


# ----------------------------------------------------------------------------------- deciding

Bounds = Mapping[str, tuple[float, float]]
_DEFAULT = (1, INF)


def _imul(a: tuple[float, float], b: tuple[float, float]) -> tuple[float, float]:
    def prod(x: float, y: float) -> float:
        return 0 if x == 0 or y == 0 else x * y

    ps = [prod(x, y) for x in a for y in b]
    return min(ps), max(ps)


def _floor_div_real(x: float, y: float) -> float:
    if math.isinf(y):
        return 0 if not math.isinf(x) else (x if x * y > 0 else -x)
    if math.isinf(x):
        return x if y > 0 else -x
    return math.floor(x / y)


def bounds(x: Dim, env: Bounds | None = None) -> tuple[float, float]:
    """A sound interval [lo, hi] for x with each symbol in its bounds (default [1, inf))."""
    if isinstance(x, int):
        return x, x
    if x is UNKNOWN:
        return -INF, INF
    env = env or {}
    lo = hi = 0.0
    for m, c in x.terms.items():
        iv: tuple[float, float] = (1, 1)
        for atom, p in m:
            a = _atom_bounds(atom, env)
            for _ in range(p):
                iv = _imul(iv, a)
        tlo, thi = _imul(iv, (c, c))
        lo += tlo
        hi += thi
    return lo, hi


def _atom_bounds(atom: Atom, env: Bounds) -> tuple[float, float]:
    if isinstance(atom, Symbol):
        return env.get(atom.name, _DEFAULT)
    if isinstance(atom, FloorDiv):
        nlo, nhi = bounds(atom.num, env)
        dlo, dhi = bounds(atom.den, env)
        if dlo <= 0:
            return -INF, INF
        corners = [_floor_div_real(n, d) for n in (nlo, nhi) for d in (dlo, dhi)]
        return min(corners), max(corners)
    ivs = [bounds(a, env) for a in atom.args]  # type: ignore[attr-defined]
    if atom.fn == "min":  # type: ignore[attr-defined]
        return min(i[0] for i in ivs), min(i[1] for i in ivs)
    return max(i[0] for i in ivs), max(i[1] for i in ivs)


def _linear_floor_form(x: Dim) -> tuple[dict[str, Fraction], Fraction, Fraction] | None:
    """x as ``sum(c_s * s) + e`` with e in [lo, hi], for x linear in symbols and floors of
    linear expressions by integers: each ``u // d`` is ``u/d - r/d`` with r in [0, d - 1].
    The symbols' coefficients can cancel where interval arithmetic cannot see it:
    ``H - 2*((H - 4)//2) + 4`` is ``8 + (H % 2)``, in [8, 9], never 0. None otherwise."""
    if isinstance(x, int):
        return {}, Fraction(x), Fraction(x)
    if not isinstance(x, Expr):
        return None
    coeffs: dict[str, Fraction] = {}
    lo = hi = Fraction(0)
    for m, c in x.terms.items():
        if m == ():
            lo += c
            hi += c
            continue
        if len(m) != 1 or m[0][1] != 1:
            return None
        atom = m[0][0]
        if isinstance(atom, Symbol):
            coeffs[atom.name] = coeffs.get(atom.name, Fraction(0)) + c
            continue
        if not (isinstance(atom, FloorDiv) and isinstance(atom.den, int) and atom.den > 0):
            return None
        inner = _linear_floor_form(atom.num)
        if inner is None:
            return None
        icoeffs, ilo, ihi = inner
        d = atom.den
        for name, v in icoeffs.items():
            coeffs[name] = coeffs.get(name, Fraction(0)) + c * v / d
        flo, fhi = (ilo - (d - 1)) / d, ihi / d  # u//d - (symbol part)/d
        lo, hi = (lo + c * flo, hi + c * fhi) if c > 0 else (lo + c * fhi, hi + c * flo)
    return coeffs, lo, hi


def _tight_bounds(x: Expr, env: Bounds | None) -> tuple[float, float]:
    """bounds(x) intersected with the bound of its linear-floor form: both are sound."""
    lo, hi = bounds(x, env)
    form = _linear_floor_form(x)
    if form is None:
        return lo, hi
    coeffs, flo, fhi = form
    rlo: float = flo
    rhi: float = fhi
    for name, c in coeffs.items():
        if c == 0:
            continue
        tlo, thi = _imul((env or {}).get(name, _DEFAULT), (c, c))
        rlo, rhi = rlo + tlo, rhi + thi
    # x is an integer
    rlo = math.ceil(rlo) if not math.isinf(rlo) else rlo
    rhi = math.floor(rhi) if not math.isinf(rhi) else rhi
    return max(lo, rlo), min(hi, rhi)


def decide_ge(x: Dim, env: Bounds | None = None) -> bool | None:
    """x >= 0: True, False, or None when it depends on the input sizes."""
    if isinstance(x, int):
        return x >= 0
    x = canon(x)
    if isinstance(x, int):
        return x >= 0
    lo, hi = _tight_bounds(x, env)
    if lo >= 0:
        return True
    if hi < 0:
        return False
    return None


def decide_eq(x: Dim, env: Bounds | None = None) -> bool | None:
    """x == 0: True, False, or None."""
    if isinstance(x, int):
        return x == 0
    if x is UNKNOWN:
        return None
    x = canon(x)
    if isinstance(x, int):
        return x == 0
    lo, hi = _tight_bounds(x, env)
    if lo > 0 or hi < 0:
        return False
    if lo == hi == 0:
        return True
    const = x.terms.get((), 0)
    g = reduce(math.gcd, (c for m, c in x.terms.items() if m != ()), 0)
    if g > 1 and const % g:
        return False  # g*P + const with const not a multiple of g is never zero
    return None


def decide(rel: Rel | bool, env: Bounds | None = None) -> bool | None:
    """Three-valued truth of a relation: True, False, or None (unknown)."""
    if isinstance(rel, bool):
        return rel
    if rel.expr is UNKNOWN:
        return None
    if rel.kind == "eq":
        return decide_eq(rel.expr, env)
    return decide_ge(rel.expr, env)


def is_opaque(x: object) -> bool:
    """True when x (a dim or a relation) involves an opaque dimension."""
    return x is UNKNOWN or (isinstance(x, Rel) and x.expr is UNKNOWN)


# ------------------------------------------------------------------------------ normalisation


def normalize(rel: Rel) -> list[Rel] | bool:
    """Simplify a relation into equivalent simpler ones, or decide it outright.

    ``c*(y//d) + k >= 0`` becomes a relation on y, repeatedly, so the constraints produced by
    window rules read ``H >= 21`` rather than a floor expression; a common factor is divided out.
    """
    e = rel.expr
    if isinstance(e, int):
        return decide(rel)  # type: ignore[return-value]
    if e is UNKNOWN:
        return [rel]
    const = e.terms.get((), 0)
    coeffs = [c for m, c in e.terms.items() if m != ()]
    g = reduce(math.gcd, coeffs, 0)
    if g > 1:
        if rel.kind == "eq":
            if const % g:
                return False
            return normalize(Rel("eq", exact_div(e, g)))  # type: ignore[arg-type]
        # g*P + k >= 0  <=>  P >= ceil(-k/g)  <=>  P + floor(k/g) >= 0
        p = exact_div(add(e, -const), g)
        return normalize(Rel("ge", add(p, const // g)))  # type: ignore[arg-type]
    nonconst = [(m, c) for m, c in e.terms.items() if m != ()]
    if len(nonconst) == 1:
        m, c = nonconst[0]
        if len(m) == 1 and m[0][1] == 1 and isinstance(m[0][0], FloorDiv):
            atom = m[0][0]
            d = atom.den
            if isinstance(d, int):
                y = atom.num
                if rel.kind == "ge" and c == 1:  # y//d >= -k  <=>  y >= -k*d
                    return normalize(Rel("ge", add(y, const * d)))
                if rel.kind == "ge" and c == -1:  # y//d <= k  <=>  y <= k*d + d - 1
                    return normalize(Rel("ge", add(const * d + d - 1, mul(y, -1))))
                if rel.kind == "eq" and abs(c) == 1:  # y//d == v  <=>  v*d <= y <= v*d + d - 1
                    v = -const * c
                    lo = normalize(Rel("ge", add(y, -v * d)))
                    hi = normalize(Rel("ge", add(v * d + d - 1, mul(y, -1))))
                    return _conj(lo, hi)
    return [rel]


def _conj(a: list[Rel] | bool, b: list[Rel] | bool) -> list[Rel] | bool:
    if a is False or b is False:
        return False
    return (a if a is not True else []) + (b if b is not True else [])  # type: ignore[operator]


def linear_bound(rel: Rel) -> tuple[str, float, float] | None:
    """For ``a*S + k >= 0`` (or ``== 0``) over one symbol S: (S, lo, hi) that it implies."""
    e = rel.expr
    if not isinstance(e, Expr) or len(e.terms) > 2:
        return None
    nonconst = [(m, c) for m, c in e.terms.items() if m != ()]
    if len(nonconst) != 1:
        return None
    m, a = nonconst[0]
    if len(m) != 1 or m[0][1] != 1 or not isinstance(m[0][0], Symbol):
        return None
    k = e.terms.get((), 0)
    name = m[0][0].name
    if rel.kind == "eq":
        if k % a:
            return None
        return name, -k // a, -k // a
    if a > 0:  # S >= ceil(-k/a)
        return name, -(k // a), INF
    return name, -INF, k // (-a)  # S <= floor(k/(-a))


class Assumptions:
    """What is known about the input symbols: per-symbol intervals, tightened as constraints
    are recorded, so later checks are decided under the earlier ones."""

    def __init__(self, initial: Bounds | None = None) -> None:
        self.bounds: dict[str, tuple[float, float]] = dict(initial or {})

    def copy(self) -> Assumptions:
        return Assumptions(self.bounds)

    def decide(self, rel: Rel | bool) -> bool | None:
        return decide(rel, self.bounds)

    def assume(self, rel: Rel) -> None:
        """Record that rel holds; tighten the symbol intervals it implies."""
        simple = normalize(rel)
        if isinstance(simple, bool):
            return
        for r in simple:
            lb = linear_bound(r)
            if lb is None:
                continue
            name, lo, hi = lb
            olo, ohi = self.bounds.get(name, _DEFAULT)
            self.bounds[name] = (max(olo, lo), min(ohi, hi))


# ------------------------------------------------------------------------------------ parsing

_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]*\Z")
_SYMBOLS: dict[str, Expr] = {}


def symbol(name: str) -> Expr:
    """The positive-integer symbol ``name`` as an expression."""
    if not _NAME.match(name):
        raise ValueError(f"not a valid symbol name: {name!r}")
    if name not in _SYMBOLS:
        _SYMBOLS[name] = _atom_expr(Symbol(name))
    return _SYMBOLS[name]


def is_symbolic(x: object) -> bool:
    return isinstance(x, Expr)
