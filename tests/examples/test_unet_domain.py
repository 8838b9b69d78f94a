"""The U-Net is valid exactly for sides that are multiples of 16: elsewhere a skip
concatenation meets an upsampled map one pixel short, and torch.cat raises. Below 16 the
fourth max pool has nothing left to pool."""

from __future__ import annotations

import pytest
import torch

from .zoo import BY_ID, build, layer_shapes

UNET = BY_ID["unet.py:UNet"]


@pytest.fixture(scope="module")
def unet() -> torch.nn.Module:
    return build(UNET)


@pytest.mark.parametrize("h, w", [(16, 16), (32, 16), (48, 32)])
def test_multiples_of_16_work(unet: torch.nn.Module, h: int, w: int):
    shapes = layer_shapes(unet, torch.rand(1, 1, h, w))
    assert shapes["downs.3"] == [(1, 1024, h // 16, w // 16)]  # the bottleneck
    assert shapes["ups.3"] == [(1, 64, h, w)]
    assert shapes["head"] == [(1, 2, h, w)]


@pytest.mark.parametrize("h, w", [(24, 24), (20, 32), (32, 40), (17, 17), (16, 31), (40, 56)])
def test_other_sizes_fail_in_a_skip_concatenation(unet: torch.nn.Module, h: int, w: int):
    assert not UNET.in_domain((1, 1, h, w))
    with torch.no_grad(), pytest.raises(RuntimeError, match="Sizes of tensors must match"):
        unet(torch.rand(1, 1, h, w))


@pytest.mark.parametrize("h, w", [(8, 16), (16, 15)])
def test_sides_below_16_fail_in_the_last_pool(unet: torch.nn.Module, h: int, w: int):
    assert not UNET.in_domain((1, 1, h, w))
    shapes: list[tuple[int, ...]] = []
    hook = unet.downs[3].register_forward_pre_hook(lambda _m, args: shapes.append(args[0].shape))
    try:
        with torch.no_grad(), pytest.raises(RuntimeError):
            unet(torch.rand(1, 1, h, w))
    finally:
        hook.remove()
    assert [tuple(s) for s in shapes] == [(1, 512, h // 8, w // 8)]
