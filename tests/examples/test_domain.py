"""The solver's answers hold in real torch, for every example model.

Each model is analysed with its spatial sizes as symbols (the batch too). Then, in eval mode
on CPU: a forward succeeds at the reported smallest input and fails one below it in each
size; forwards at sizes drawn from inside the reported domain succeed and at sizes drawn
from outside it fail (24 sizes per model); and every Linear given the in_features shapecalc
suggests runs, also at a size where the declared value is wrong.
"""

from __future__ import annotations

import functools
import itertools
import random

import pytest
import torch
import torch.nn as nn

import shapecalc
from shapecalc.propagate import StrictModeError
from shapecalc.solve import solve

from .zoo import ZOO, ZooModel, build

SPATIAL = {1: ("L",), 2: ("H", "W"), 3: ("D", "H", "W")}


def symbolic_spec(entry: ZooModel) -> tuple[str, tuple[str, ...]]:
    """``B,3,32,32`` -> (``B,3,H,W``, (H, W))."""
    parts = entry.spec.split(",")
    names = SPATIAL[len(parts) - 2]
    return ",".join([parts[0], parts[1], *names]), names


@functools.cache
def analysed(entry: ZooModel):
    spec, _ = symbolic_spec(entry)
    try:
        return shapecalc.analyze(f"{entry.path}:{entry.model}", spec, strict=True)
    except StrictModeError as exc:  # a rule that lives on another branch until it is merged
        pytest.skip(f"shape rule missing: {exc}")


@functools.cache
def model(entry: ZooModel) -> nn.Module:
    torch.manual_seed(0)
    return build(entry)


def runs(module: nn.Module, shape: tuple[int, ...]) -> bool:
    try:
        with torch.no_grad():
            module(torch.rand(shape))
    except (RuntimeError, ValueError, IndexError):
        return False
    return True


def shape_at(entry: ZooModel, point: dict[str, int]) -> tuple[int, ...]:
    parts = entry.spec.split(",")
    sizes = [point[n] for n in symbolic_spec(entry)[1]]
    return (1, int(parts[1]), *sizes)


@pytest.mark.parametrize("entry", ZOO, ids=lambda e: e.id)
def test_smallest_input_runs_and_one_below_fails(entry: ZooModel):
    analysis = analysed(entry)
    domain = analysis.domain()
    assert domain.exact and not domain.empty
    smallest = analysis.min_input()
    module = model(entry)
    assert runs(module, (1, *smallest[1:])), smallest
    names = symbolic_spec(entry)[1]
    for i, _ in enumerate(names):
        below = list(smallest)
        below[2 + i] -= 1
        if below[2 + i] >= 1:
            assert not runs(module, (1, *below[1:])), below


def draw_points(entry: ZooModel, domain, n: int, rng: random.Random):
    """Up to n points inside and n outside the domain, over sizes up to a bound."""
    names = symbolic_spec(entry)[1]
    inside, outside = [], []
    # inside: the joint boxes when sizes are coupled, else each size's own set
    candidates: list[dict[str, int]] = []
    for group in domain.groups:
        for box in group.boxes:
            values = [list(itertools.islice(iter(part), 8)) for part in box]
            candidates += [dict(zip(group.symbols, v)) for v in itertools.product(*values)]
    top = {s: max(domain[s].min or 1, 1) + 48 for s in names}
    for _ in range(2000):
        if candidates and rng.random() < 0.5:
            point = dict(rng.choice(candidates))
        else:
            point = {}
        for s in names:
            point.setdefault(s, rng.randint(1, top[s]))
        (inside if point in domain else outside).append(point)
        if len(inside) >= n and len(outside) >= n:
            break
    return inside[:n], outside[:n]


@pytest.mark.parametrize("entry", ZOO, ids=lambda e: e.id)
def test_sizes_inside_the_domain_run_and_outside_fail(entry: ZooModel):
    analysis = analysed(entry)
    domain = analysis.domain()
    inside, outside = draw_points(entry, domain, 12, random.Random(entry.id))
    module = model(entry)
    assert len(inside) + len(outside) >= 20 or not outside
    for point in inside:
        assert runs(module, shape_at(entry, point)), ("inside", point, str(domain))
    for point in outside:
        assert not runs(module, shape_at(entry, point)), ("outside", point, str(domain))


def replaced(entry: ZooModel, sizes) -> nn.Module:
    """A fresh copy of the model with each Linear built for the suggested in_features."""
    torch.manual_seed(0)
    fresh = build(entry)
    for fc in sizes:
        old = fresh.get_submodule(fc.layer)
        parent_name, _, child = fc.layer.rpartition(".")
        parent = fresh.get_submodule(parent_name) if parent_name else fresh
        setattr(parent, child, nn.Linear(fc.value, old.out_features))
    return fresh.eval()


@pytest.mark.parametrize("entry", ZOO, ids=lambda e: e.id)
def test_suggested_in_features_run(entry: ZooModel):
    symbolic = analysed(entry)
    names = symbolic_spec(entry)[1]
    points = [entry.valid_inputs[0]]
    # a size where a size-dependent Linear is wrong but the rest of the model works
    for fc in symbolic.fc_sizes():
        others = [
            c for c in symbolic.constraints if not (c.layer == fc.layer and c.code == "SC401")
        ]
        rest = solve(others, list(names))
        for combo in itertools.product(*(range(rest[s].min, rest[s].min + 40) for s in names)):
            point = dict(zip(names, combo))
            if point in rest and point not in fc.right:
                points.append(shape_at(entry, point))
                break
        else:
            pytest.fail(f"no size found where {fc.layer}'s declared in_features is wrong")
    for shape in points:
        concrete = shapecalc.analyze(f"{entry.path}:{entry.model}", shape, strict=True)
        sizes = [fc for fc in concrete.fc_sizes(every=True) if fc.op == "Linear"]
        assert all(fc.value is not None for fc in sizes)
        assert runs(replaced(entry, sizes), shape), (shape, [(f.layer, f.value) for f in sizes])
