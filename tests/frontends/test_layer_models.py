"""The layer families of norm/activation/dropout/embedding/linear inside whole models, through
the torch frontend: every layer against a real forward, and the symbolic analysis against the
concrete one."""

from __future__ import annotations

import pytest

from shapecalc import analyze
from shapecalc.inputs import parse_shape

from .harness import assert_agrees, assert_symbolic_agrees, load_one, model_path


@pytest.mark.parametrize("inputs", [["2,3,8,8"], ["5,3,7,9"], ["1,3,16,4"]])
def test_norm_zoo_agrees_with_torch(inputs):
    assert_agrees(load_one(model_path("layers.py:NormZoo")), [parse_shape(s) for s in inputs])


def test_norm_zoo_symbolic():
    loaded = load_one(model_path("layers.py:NormZoo"))
    sizes = [{"B": 2, "H": 8, "W": 8}, {"B": 3, "H": 5, "W": 9}]
    assert_symbolic_agrees(loaded, [parse_shape("B,3,H,W")], sizes)


@pytest.mark.parametrize("inputs", [["2,5:int64"], ["1,9:int64"], ["4,1:int32"]])
def test_token_bag_agrees_with_torch(inputs):
    assert_agrees(load_one(model_path("layers.py:TokenBag")), [parse_shape(s) for s in inputs])


def test_token_bag_symbolic():
    loaded = load_one(model_path("layers.py:TokenBag"))
    assert_symbolic_agrees(loaded, [parse_shape("B,T:int64")], [{"B": 2, "T": 5}, {"B": 1, "T": 3}])


def test_batch_norm_mismatch_is_found_in_a_model(tmp_path):
    path = tmp_path / "bad.py"
    path.write_text(
        "import torch.nn as nn\n\n"
        "class Net(nn.Module):\n"
        "    def __init__(self):\n"
        "        super().__init__()\n"
        "        self.conv = nn.Conv2d(3, 64, 3)\n"
        "        self.bn = nn.BatchNorm2d(32)\n\n"
        "    def forward(self, x):\n"
        "        return self.bn(self.conv(x))\n"
    )
    analysis = analyze(str(path), "1,3,8,8")
    codes = [d.code for d in analysis.diagnostics]
    assert "SC203" in codes
    (diag,) = [d for d in analysis.diagnostics if d.code == "SC203"]
    assert diag.location is not None and diag.location.line == 7
