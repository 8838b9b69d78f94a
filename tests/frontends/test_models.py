"""Every fixture model, at three or more input sizes: each layer's predicted shape equals the
shape a real CPU forward gives (hooks for layers, torch.fx.Interpreter for the rest), and the
symbolic analysis, evaluated at those sizes, agrees."""

from __future__ import annotations

import pytest

from shapecalc.inputs import parse_shape

from .harness import assert_agrees, assert_symbolic_agrees, load_one, model_path

# (PATH spec under tests/models/frontend, concrete inputs, symbolic inputs, sizes to evaluate at)
CASES = [
    (
        "convunit.py",
        [["1,3,32,32"], ["2,3,32,32"], ["5,3,32,32"]],
        ["B,3,32,32"],
        [{"B": 1}, {"B": 2}, {"B": 5}],
    ),
    (
        "resblk.py",
        [["1,3,32,32"], ["2,3,64,48"], ["1,3,17,23"]],
        ["B,3,H,W"],
        [{"B": 1, "H": 32, "W": 32}, {"B": 2, "H": 64, "W": 48}, {"B": 1, "H": 17, "W": 23}],
    ),
    (
        "resblk.py:ResBlk(64, 256)",
        [["1,64,8,8"], ["2,64,5,7"], ["1,64,1,2"]],
        ["B,64,H,W"],
        [{"B": 1, "H": 8, "W": 8}, {"B": 2, "H": 5, "W": 7}, {"B": 1, "H": 1, "W": 2}],
    ),
    (
        "resblk.py:ResBlk(16, 32, stride=2)",
        [["1,16,8,8"], ["2,16,9,7"], ["1,16,2,3"]],
        ["B,16,H,W"],
        [{"B": 1, "H": 8, "W": 8}, {"B": 2, "H": 9, "W": 7}, {"B": 1, "H": 2, "W": 3}],
    ),
    (
        "densenet.py",
        [["1,1,96,96"], ["2,1,64,64"], ["1,1,224,160"]],
        ["B,1,H,W"],
        [{"B": 1, "H": 96, "W": 96}, {"B": 2, "H": 64, "W": 64}, {"B": 1, "H": 224, "W": 160}],
    ),
    (
        "vit.py",
        [["1,3,32,32"], ["2,3,32,32"], ["3,3,35,39"]],
        ["B,3,32,32"],
        [{"B": 1}, {"B": 2}, {"B": 3}],
    ),
    (
        "loops.py",
        [["1,3,16,16"], ["2,3,33,20"], ["1,3,7,9"]],
        ["B,3,H,W"],
        [{"B": 1, "H": 16, "W": 16}, {"B": 2, "H": 33, "W": 20}, {"B": 1, "H": 7, "W": 9}],
    ),
    (
        "discovery.py:Whole",
        [["1,4"], ["3,4"], ["2,5,4"]],
        ["B,4"],
        [{"B": 1}, {"B": 3}, {"B": 7}],
    ),
    (
        "discovery.py:model",
        [["1,10"], ["4,10"], ["2,3,10"]],
        ["B,10"],
        [{"B": 1}, {"B": 4}, {"B": 9}],
    ),
    (
        "discovery.py:make_wide(16, classes=3)",
        [["1,16"], ["4,16"], ["2,3,16"]],
        ["B,16"],
        [{"B": 1}, {"B": 4}, {"B": 2}],
    ),
    (
        "comments.py:TwoInputs",
        [["1,3,8,8", "1,5:int64"], ["2,3,16,9", "2,7:int64"], ["3,3,1,1", "3,1:int64"]],
        ["B,3,H,W", "B,T:int64"],
        [{"B": 1, "H": 8, "W": 8, "T": 5}, {"B": 2, "H": 16, "W": 9, "T": 7}],
    ),
    (
        "inference.py:FirstLSTM",
        [["1,5,10"], ["3,2,10"], ["2,9,10"]],
        ["B,T,10"],
        [{"B": 1, "T": 5}, {"B": 3, "T": 2}],
    ),
    (
        "inference.py:FirstAttention",
        [["1,5,16"], ["3,2,16"], ["2,9,16"]],
        ["B,T,16"],
        [{"B": 1, "T": 5}, {"B": 3, "T": 2}],
    ),
    (
        "inference.py:FirstEmbedding",
        [["1,5:int64"], ["3,2:int64"], ["2,9:int64"]],
        ["B,T:int64"],
        [{"B": 1, "T": 5}, {"B": 3, "T": 2}],
    ),
]


def _concrete_params():
    for spec, sizes, _symbolic, _env in CASES:
        for inputs in sizes:
            yield pytest.param(spec, inputs, id=f"{spec}-{'+'.join(inputs)}")


@pytest.mark.parametrize("spec, inputs", list(_concrete_params()))
def test_every_layer_agrees_with_torch(spec, inputs):
    loaded = load_one(model_path(spec))
    assert_agrees(loaded, [parse_shape(s) for s in inputs])


@pytest.mark.parametrize(
    "spec, symbolic, sizes", [pytest.param(c[0], c[2], c[3], id=c[0]) for c in CASES]
)
def test_symbolic_analysis_agrees_at_each_size(spec, symbolic, sizes):
    loaded = load_one(model_path(spec))
    assert_symbolic_agrees(loaded, [parse_shape(s) for s in symbolic], sizes)


@pytest.mark.parametrize(
    "inputs, pooled", [(["1,3,32,32"], False), (["1,3,100,80"], True), (["2,3,128,65"], True)]
)
def test_untraceable_model_agrees_at_each_size(inputs, pooled):
    loaded = load_one(model_path("control_flow.py"))
    analysis = assert_agrees(loaded, [parse_shape(s) for s in inputs])
    names = [layer.name for layer in analysis.layers]
    assert ("pool" in names) == pooled
    assert "SC001" in [d.code for d in analysis.diagnostics]
