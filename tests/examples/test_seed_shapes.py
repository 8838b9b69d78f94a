"""The seed's numbers (the seed tutorial's sections 2 to 8) come out exactly in real torch forwards,
recorded with forward hooks (and, for functional calls, torch.fx.Interpreter)."""

from __future__ import annotations

import pytest
import torch
import torch.fx
import torch.nn as nn

from .zoo import BY_ID, build, layer_shapes, load_module, node_shapes


def test_section2_convolution():
    layer = nn.Conv2d(1, 3, kernel_size=3, stride=1, padding=0)
    assert tuple(layer.weight.shape) == (3, 1, 3, 3)
    assert tuple(layer(torch.rand(5, 1, 28, 28)).shape) == (5, 3, 26, 26)
    rgb = nn.Conv2d(3, 16, kernel_size=3, padding=1)
    assert tuple(rgb.weight.shape) == (16, 3, 3, 3)
    assert tuple(rgb(torch.rand(5, 3, 28, 28)).shape) == (5, 16, 28, 28)


def test_section3_down_and_upsampling():
    x = torch.rand(2, 3, 28, 28)
    assert tuple(nn.MaxPool2d(2, stride=2)(x).shape) == (2, 3, 14, 14)
    assert tuple(nn.AvgPool2d(2, stride=2)(x).shape) == (2, 3, 14, 14)
    up = nn.Upsample(scale_factor=2)(x)  # nearest neighbour: every pixel copied 2x2
    assert tuple(up.shape) == (2, 3, 56, 56)
    assert torch.equal(up[:, :, ::2, ::2], x) and torch.equal(up[:, :, 1::2, 1::2], x)


def test_section4_conv_unit_and_fc_size():
    model = build(BY_ID["seed_conv_unit.py:ConvUnitNet"])
    shapes = layer_shapes(model, torch.rand(2, 3, 32, 32))
    assert [shapes[f"conv_unit.{i}"] for i in range(4)] == [
        [(2, 6, 30, 30)],
        [(2, 6, 15, 15)],
        [(2, 6, 13, 13)],
        [(2, 6, 12, 12)],
    ]
    assert model.fc.in_features == 6 * 12 * 12 == 864
    assert shapes["fc"] == [(2, 10)]


@pytest.mark.parametrize(
    "model_name, shape",
    [("BatchNorm1dExample", (100, 16, 784)), ("BatchNorm2dExample", (100, 16, 28, 28))],
)
def test_section5_batchnorm_running_stats(model_name: str, shape: tuple[int, ...]):
    torch.manual_seed(0)
    model = getattr(load_module("seed_batchnorm.py"), model_name)()
    assert model.training
    out = model(torch.rand(shape))  # one training-mode forward on U(0, 1) data
    assert tuple(out.shape) == shape
    bn = model.bn
    # momentum 0.1 from (0, 1): 0.1 * 1/2 and 0.9 + 0.1 * 1/12
    torch.testing.assert_close(bn.running_mean, torch.full((16,), 0.05), atol=5e-4, rtol=0)
    torch.testing.assert_close(bn.running_var, torch.full((16,), 0.9083), atol=5e-4, rtol=0)
    assert sum(p.numel() for p in bn.parameters()) == 2 * 16  # gamma and beta
    assert bn.running_mean.numel() + bn.running_var.numel() == 2 * 16


def test_section5_batchnorm_channel_mismatch_raises():
    model = load_module("seed_batchnorm.py").BatchNorm1dExample()
    with pytest.raises(RuntimeError):
        model(torch.rand(100, 15, 784))


@pytest.mark.parametrize("b, h, w", [(2, 8, 8), (1, 5, 3)])
def test_section6_resblk(b: int, h: int, w: int):
    model = build(BY_ID["seed_resblk.py:ResBlk"])
    assert isinstance(model.extra[0], nn.Conv2d) and model.extra[0].kernel_size == (1, 1)
    shapes = layer_shapes(model, torch.rand(b, 64, h, w))
    # both sides of the add agree only because of the 1x1 shortcut
    assert shapes["extra"] == shapes["bn2"] == shapes[""] == [(b, 256, h, w)]


def test_section6_resblk_without_shortcut_conv_fails():
    resblk = load_module("seed_resblk.py").ResBlk
    model = resblk().eval()
    model.extra = nn.Sequential()  # identity shortcut: 64 channels added to 256
    with torch.no_grad(), pytest.raises(RuntimeError):
        model(torch.rand(2, 64, 8, 8))


def test_section7_dense_block_and_transition():
    model = build(BY_ID["seed_denseblock.py:DenseStage"])
    assert model.block.out_channels == 3 + 2 * 10 == 23
    shapes = layer_shapes(model, torch.rand(4, 3, 8, 8))
    assert shapes["block.net.0"] == [(4, 10, 8, 8)]
    assert shapes["block.net.1"] == [(4, 10, 8, 8)]
    assert shapes["block"] == [(4, 23, 8, 8)]
    assert shapes["transition"] == [(4, 10, 4, 4)]


SEED_DENSENET = {
    "stem": (1, 64, 24, 24),
    "blocks.dense_block_0": (1, 192, 24, 24),
    "blocks.transition_block_0": (1, 96, 12, 12),
    "blocks.dense_block_1": (1, 224, 12, 12),
    "blocks.transition_block_1": (1, 112, 6, 6),
    "blocks.dense_block_2": (1, 240, 6, 6),
    "blocks.transition_block_2": (1, 120, 3, 3),
    "blocks.dense_block_3": (1, 248, 3, 3),
    "fc": (1, 10),
}


def test_section8_densenet_per_block_shapes():
    model = build(BY_ID["seed_densenet.py:DenseNet"])
    shapes = layer_shapes(model, torch.rand(1, 1, 96, 96))
    assert {name: shapes[name] for name in SEED_DENSENET} == {
        name: [shape] for name, shape in SEED_DENSENET.items()
    }
    assert model.fc.in_features == 248


def test_section8_densenet_traces_with_global_pool():
    model = build(BY_ID["seed_densenet.py:DenseNet"])
    traced = torch.fx.symbolic_trace(model)
    assert len(traced.graph.nodes) == 91
    shapes = node_shapes(model, torch.rand(1, 1, 96, 96))
    pools = [n.name for n in traced.graph.nodes if n.target is torch.nn.functional.avg_pool2d]
    assert len(pools) == 1
    assert shapes[pools[0]] == (1, 248, 1, 1)  # F.avg_pool2d(x, kernel_size=x.size()[2:])
    views = [n.name for n in traced.graph.nodes if n.target == "view"]
    assert [shapes[name] for name in views] == [(1, 248)]


@pytest.mark.parametrize("h, w", [(29, 29), (40, 33), (50, 61)])
def test_section8_global_pool_is_one_by_one_at_any_size(h: int, w: int):
    model = build(BY_ID["seed_densenet.py:DenseNet"])
    shapes = node_shapes(model, torch.rand(2, 1, h, w))
    pool = next(name for name in shapes if name.startswith("avg_pool2d"))
    assert shapes[pool] == (2, 248, 1, 1)
