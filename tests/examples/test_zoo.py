"""Every example builds, runs on CPU at its valid sizes, rejects its invalid size, declares the
input spec the zoo lists, traces with torch.fx, and runs as a script. Pure torch."""

from __future__ import annotations

import ast
import re
import runpy

import pytest
import torch
import torch.fx
import torch.nn as nn

from .zoo import EXAMPLES_DIR, ZOO, ZooModel, build, declared_spec, load_module

ALLOWED_IMPORTS = {"torch", "torch.nn", "torch.nn.functional"}


@pytest.fixture(scope="module", params=ZOO, ids=lambda entry: entry.id)
def built(request: pytest.FixtureRequest) -> tuple[ZooModel, torch.nn.Module]:
    """Each model built once on CPU (pytest groups the tests by this fixture's parameter)."""
    torch.manual_seed(0)
    return request.param, build(request.param)


def _accepts(model: torch.nn.Module, shape: tuple[int, ...]) -> bool:
    try:
        with torch.no_grad():
            model(torch.rand(shape))
    except RuntimeError:
        return False
    return True


def test_zoo_lists_every_example_file():
    files = {path.name for path in EXAMPLES_DIR.glob("*.py")}
    assert files == {entry.file for entry in ZOO}
    assert len({entry.id for entry in ZOO}) == len(ZOO)


@pytest.mark.parametrize("file", sorted({entry.file for entry in ZOO}))
def test_examples_import_only_torch(file: str):
    tree = ast.parse((EXAMPLES_DIR / file).read_text())
    imported = set()
    for node in tree.body:
        if isinstance(node, ast.Import):
            imported |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom):
            imported.add(node.module)
    assert "torch" in imported
    assert imported <= ALLOWED_IMPORTS


@pytest.mark.parametrize("file", sorted({entry.file for entry in ZOO}))
def test_the_models_are_the_classes_that_build_without_arguments(file: str):
    """The calculator finds a file's models as the nn.Module classes defined there that
    build with no arguments; helper blocks need arguments, so only the zoo's models do."""
    module = load_module(file)
    found = set()
    for name, obj in vars(module).items():
        if (
            isinstance(obj, type)
            and issubclass(obj, nn.Module)
            and obj.__module__ == module.__name__
        ):
            try:
                with torch.device("meta"):
                    obj()
            except TypeError:
                continue
            found.add(name)
    assert found == {entry.model for entry in ZOO if entry.file == file}


@pytest.mark.parametrize("entry", ZOO, ids=lambda entry: entry.id)
def test_file_declares_the_spec(entry: ZooModel):
    assert declared_spec(entry) == entry.spec


@pytest.mark.parametrize("entry", ZOO, ids=lambda entry: entry.id)
def test_shapes_fit_the_spec_and_domain(entry: ZooModel):
    spec = entry.spec.split(",")
    assert len({shape for shape, _ in entry.valid}) == 3
    for shape, _ in entry.valid:
        assert len(shape) == len(spec)
        assert all(name == str(size) for name, size in zip(spec, shape) if name.isdigit())
        assert entry.in_domain(shape)
    for shape, _ in entry.off_spec_valid:
        assert len(shape) == len(spec)
        assert any(name != str(size) for name, size in zip(spec, shape) if name.isdigit())
    if entry.invalid is not None:
        assert len(entry.invalid) == len(spec)
        fixed = [(name, size) for name, size in zip(spec, entry.invalid) if name.isdigit()]
        if all(name == str(size) for name, size in fixed):
            assert not entry.in_domain(entry.invalid)


def test_forward_at_valid_sizes(built):
    entry, model = built
    with torch.no_grad():
        for shape, expected in entry.valid + entry.off_spec_valid:
            assert tuple(model(torch.rand(shape)).shape) == expected, shape


def test_torch_accepts_exactly_the_domain(built):
    """The invalid input raises. And where the spec has size symbols, torch accepts a square
    input of side n (every size symbol n, batch 1) exactly when the domain says so: checked at
    n = 1, n = 33, and on both sides of the first four n up to 64 where the domain changes."""
    entry, model = built
    spec = entry.spec.split(",")
    checked = 0
    if entry.invalid is not None:
        assert not _accepts(model, entry.invalid)
        checked += 1

    def square(n: int) -> tuple[int, ...]:
        return tuple(int(name) if name.isdigit() else 1 if name == "B" else n for name in spec)

    if any(not name.isdigit() and name != "B" for name in spec):
        changes = [
            n for n in range(2, 65) if entry.in_domain(square(n - 1)) != entry.in_domain(square(n))
        ]
        sizes = {1, 33}.union(*({n - 1, n} for n in changes[:4]))
        for n in sorted(sizes):
            assert _accepts(model, square(n)) == entry.in_domain(square(n)), square(n)
            checked += 1
    assert checked, f"{entry.id} has neither an invalid input nor size symbols"


# Every example traces; none needs anything torch.fx cannot follow (its control flow depends
# on constructor arguments only, never on tensor values).
@pytest.mark.parametrize("entry", ZOO, ids=lambda entry: entry.id)
def test_fx_symbolic_trace(entry: ZooModel):
    traced = torch.fx.symbolic_trace(build(entry, device="meta"))
    ops = {node.op for node in traced.graph.nodes}
    assert {"placeholder", "call_module", "output"} <= ops
    for shape, expected in entry.valid:  # the traced graph computes what the module does
        assert tuple(traced(torch.empty(shape, device="meta")).shape) == expected


@pytest.mark.parametrize("file", sorted({entry.file for entry in ZOO}))
def test_runs_as_a_script(file: str, capsys: pytest.CaptureFixture[str]):
    torch.manual_seed(0)
    runpy.run_path(str(EXAMPLES_DIR / file), run_name="__main__")
    printed = [
        tuple(int(size) for size in match.split(", "))
        for match in re.findall(r"\((\d+(?:, \d+)*)\)", capsys.readouterr().out)
    ]
    for entry in ZOO:
        if entry.file == file:  # an output shape of the right rank and channels
            want = entry.valid[0][1]
            assert any(len(s) == len(want) and s[1] == want[1] for s in printed), entry.id
