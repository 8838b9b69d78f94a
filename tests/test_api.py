"""The Python API: shapecalc.analyze() and the Analysis it returns."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

import shapecalc
from shapecalc import symbolic as sym
from shapecalc.frontends import FrontendError
from shapecalc.frontends.expression import graph_from_expression
from shapecalc.frontends.loader import load
from shapecalc.values import TensorValue

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
QUICKSTART = os.path.join(ROOT, "examples", "seed_conv_unit.py")
B, H, W = (sym.symbol(n) for n in "BHW")


def test_import_shapecalc_does_not_import_torch():
    code = (
        "import sys, shapecalc, shapecalc.cli, shapecalc.analyze\n"
        "assert 'torch' not in sys.modules, 'torch imported'\n"
        "assert callable(shapecalc.analyze)\n"
    )
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT)
    assert proc.returncode == 0, proc.stderr


def test_analyze_a_path_with_concrete_input():
    analysis = shapecalc.analyze(QUICKSTART, "2,3,32,32")
    assert isinstance(analysis, shapecalc.Analysis)
    assert analysis.output_shapes == [(2, 10)]
    assert [layer.name for layer in analysis.layers][:2] == ["x", "conv_unit.0"]
    assert analysis.layer("conv_unit.0").shape == (2, 6, 30, 30)
    assert analysis.layer("conv_unit.3").shape == (2, 6, 12, 12)
    assert analysis.layer("flatten").shape == (2, 864)
    assert analysis.constraints == []
    assert [d for d in analysis.diagnostics if d.severity >= shapecalc.Severity.WARNING] == []


def test_analyze_with_symbols_gives_formulas_and_conditions():
    analysis = shapecalc.analyze(QUICKSTART, (B, 3, "H", "W"))
    assert analysis.layer("conv_unit.0").shape == (B, 6, H - 2, W - 2)
    assert analysis.output_shapes == [(B, 10)]
    conditions = [str(c) for c in analysis.constraints]
    assert conditions  # the Linear pins the flattened size
    assert all(isinstance(c, str) for c in conditions)


def test_table_and_to_dict():
    analysis = shapecalc.analyze(QUICKSTART, "2,3,32,32")
    table = analysis.table()
    header = "ConvUnitNet from " + QUICKSTART + ", input x: (2, 3, 32, 32)"
    assert table.splitlines()[0] == header
    assert "Conv2d(3, 6, kernel_size=5, padding=1)" in table
    assert "Linear(864, 10)" in table
    entry = analysis.to_dict()
    assert entry["name"] == "ConvUnitNet" and entry["output_shapes"] == [[2, 10]]
    assert entry["layers"][1]["output_shape"] == [2, 6, 30, 30]


def test_analyze_a_module_instance_and_a_loaded_model():
    import torch.nn as nn

    model = nn.Sequential(nn.Conv2d(3, 8, 3, stride=2), nn.Flatten(), nn.Linear(8 * 15 * 15, 4))
    analysis = shapecalc.analyze(model, "1,3,32,32")
    assert analysis.output_shapes == [(1, 4)]
    assert analysis.name == "Sequential"
    (loaded,) = load(QUICKSTART)
    assert shapecalc.analyze(loaded, "1,3,32,32").output_shapes == [(1, 10)]


def test_analyze_a_layer_graph():
    graph = graph_from_expression("nn.Conv2d(3, 6, 5)(x)", {"x": TensorValue((2, 3, 32, 32))})
    assert shapecalc.analyze(graph).output_shapes == [(2, 6, 28, 28)]
    assert shapecalc.analyze(graph, "1,3,10,10").output_shapes == [(1, 6, 6, 6)]


def test_path_with_several_models_is_an_error_naming_them(tmp_path):
    path = tmp_path / "two.py"
    path.write_text("import torch.nn as nn\na = nn.Linear(2, 3)\nb = nn.Linear(3, 4)\n")
    with pytest.raises(FrontendError, match=r"2 models \(a, b\)"):
        shapecalc.analyze(str(path))
    assert shapecalc.analyze(f"{path}:b").output_shapes == [(B, 4)]


@pytest.mark.parametrize("bad", ["2,,3", (2, 3.5), (2, -1), object()])
def test_invalid_input_shapes(bad):
    with pytest.raises(FrontendError, match="invalid input shape"):
        shapecalc.analyze(QUICKSTART, bad)


def test_wrong_model_type():
    with pytest.raises(TypeError):
        shapecalc.analyze(42)


def test_public_names():
    assert set(shapecalc.__all__) >= {"analyze", "Analysis", "Diagnostic", "__version__"}
