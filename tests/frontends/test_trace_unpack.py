"""Unpacking a traced size when the inputs' ranks are known (the recorder traces again at
their ranks): the forward traces symbolically instead of being recorded at one size."""

from __future__ import annotations

import pytest

from shapecalc.analyze import analyze_loaded
from shapecalc.inputs import parse_shape

from .harness import assert_agrees, assert_symbolic_agrees, load_one, model_path

UNSEEN = "tests/models/unseen/nonlocal_psp.py"


@pytest.mark.parametrize("inputs", ["2,8,12,10", "1,8,8,6"])
def test_unpacked_sizes_agree_with_torch(inputs: str) -> None:
    analysis = assert_agrees(load_one(model_path("unpacked_sizes.py")), [parse_shape(inputs)])
    assert [d.code for d in analysis.diagnostics] == []  # no SC001: traced, not recorded
    assert analysis.graph.fx_module is not None


def test_unpacked_sizes_are_symbolic() -> None:
    loaded = load_one(model_path("unpacked_sizes.py"))
    sizes = [{"B": 2, "H": 12, "W": 10}, {"B": 3, "H": 7, "W": 9}]
    analysis = assert_symbolic_agrees(loaded, [parse_shape("B,8,H,W")], sizes)
    assert analysis.diagnostics == []
    assert [str(d) for d in analysis.output_shapes[0]] == ["B", "6"]
    reshape = next(layer for layer in analysis.layers if layer.name == "reshape")
    assert [str(d) for d in reshape.value.shape] == ["B", "16", "(H//2)*(W//2)"]


def test_unknown_rank_keeps_the_recording() -> None:
    """Loaded without inputs the rank is unknown: fx cannot trace and the recorder stays,
    to trace again (or record) once the analysis knows its inputs."""
    loaded = load_one(model_path("unpacked_sizes.py"))
    assert loaded.graph.fx_module is None and loaded.graph.recorder is not None


@pytest.mark.parametrize("inputs", ["2,3,48,48", "1,3,40,56"])
def test_nonlocal_psp_traces_at_known_sizes(inputs: str) -> None:
    analysis = assert_agrees(load_one(UNSEEN), [parse_shape(inputs)])
    assert "SC001" not in {d.code for d in analysis.diagnostics}
    assert analysis.graph.fx_module is not None


def test_nonlocal_psp_symbolic_sizes() -> None:
    """Symbolic: the traced graph sizes ``int((H - 1) / 4 + 1)`` only at concrete sizes
    (SC905), so the analysis falls back to the recording at one size (SC001)."""
    analysis = analyze_loaded(load_one(UNSEEN), [parse_shape("B,3,H,W")])
    codes = {d.code for d in analysis.diagnostics}
    assert "SC001" in codes and "SC905" not in codes


@pytest.mark.parametrize("inputs", ["2,8,12,10", "1,8,5,9"])
def test_max_min_of_sizes_agree_with_torch(inputs: str) -> None:
    loaded = load_one(model_path("max_of_sizes.py"))
    assert loaded.graph.fx_module is not None  # traced when loaded: no rank needed
    analysis = assert_agrees(loaded, [parse_shape(inputs)])
    assert analysis.diagnostics == []


def test_max_min_of_sizes_are_symbolic() -> None:
    loaded = load_one(model_path("max_of_sizes.py"))
    sizes = [{"B": 2, "H": 12, "W": 10}, {"B": 1, "H": 5, "W": 9}]
    analysis = assert_symbolic_agrees(loaded, [parse_shape("B,8,H,W")], sizes)
    assert "SC001" not in {d.code for d in analysis.diagnostics}
    assert str(analysis.output_shapes[0][3]) == "max(H, W) - 2"
