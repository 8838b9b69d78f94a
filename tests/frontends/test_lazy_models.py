"""Lazy layers through the torch frontend: built on the meta device without materialising,
every layer agrees with a real forward, and the table shows the sizes they learn from the
input with the parameter counts they will have."""

from __future__ import annotations

import pytest
import torch

from shapecalc.analyze import analyze_loaded
from shapecalc.inputs import parse_shape
from shapecalc.report.table import render

from .harness import assert_agrees, assert_symbolic_agrees, load_one, model_path


@pytest.mark.parametrize("shape", ["2,3,16,16", "1,3,9,13", "3,3,4,4"])
def test_lazy_model_agrees_with_torch(shape):
    assert_agrees(load_one(model_path("lazy.py")), [parse_shape(shape)])


def test_lazy_model_symbolic_analysis_agrees():
    loaded = load_one(model_path("lazy.py"))
    sizes = [{"B": 2, "H": 16, "W": 16}, {"B": 1, "H": 9, "W": 13}]
    assert_symbolic_agrees(loaded, [parse_shape("B,3,H,W")], sizes)


def test_inferred_sizes_and_materialised_parameter_counts():
    loaded = load_one(model_path("lazy.py"))
    analysis = analyze_loaded(loaded, [parse_shape("2,3,16,16")])
    model = loaded.build()
    model(torch.rand(2, 3, 16, 16))
    assert analysis.total_params == sum(p.numel() for p in model.parameters())
    table = render(analysis)
    assert "LazyConv2d(16, kernel_size=3, padding=1) [in_channels=3]" in table
    assert "LazyLinear(10) [in_features=1568]" in table


def test_a_symbolic_lazy_size_is_not_counted():
    loaded = load_one(model_path("lazy.py"))
    analysis = analyze_loaded(loaded, [parse_shape("B,3,H,W")])
    assert analysis.layer("head").inferred.param_count is None
    assert "not counted: head (lazy, sized by the input)" in render(analysis)


def test_input_of_a_lazy_first_layer_is_inferred_with_a_channel_symbol():
    from shapecalc.frontends.infer import infer_inputs

    (value,) = infer_inputs(load_one(model_path("lazy.py")).graph)
    assert str(value) == "(B, C, H, W)"


def test_lazy_layers_are_built_on_meta_without_materialising():
    loaded = load_one(model_path("lazy.py"))
    assert not loaded.notes  # not the CPU fallback
    params = list(loaded.graph.fx_module.parameters())
    assert params and all(isinstance(p, torch.nn.parameter.UninitializedParameter) for p in params)
    assert all(p.device.type == "meta" for p in params)


def test_lazy_stats_equal_the_materialised_models():
    import shapecalc

    loaded = load_one(model_path("lazy.py"))
    lazy = analyze_loaded(loaded, [parse_shape("2,3,16,16")])
    model = loaded.build()
    model(torch.rand(2, 3, 16, 16))  # lazy layers become Conv2d, ConvTranspose2d, Linear
    eager = shapecalc.analyze(model, (2, 3, 16, 16))
    assert [layer.op for layer in eager.layers if layer.op.startswith("Conv")] == [
        "Conv2d",
        "Conv2d",
        "ConvTranspose2d",
    ]
    got, want = lazy.stats(), eager.stats()
    assert (got.params, got.macs) == (want.params, want.macs)
    assert [s.macs for s in got.layers] == [s.macs for s in want.layers]
    assert lazy.receptive_fields() == eager.receptive_fields()
