"""The examples zoo as data, for every test that iterates over the example models.

Each ``ZooModel`` names an example file in examples/, the model class to build from it (with
no arguments), the input spec the file declares in its ``# shapecalc: input=`` comment, and:

- ``valid``: three (input shape, output shape) pairs; each input instantiates the spec
  (concrete entries kept, symbols given values) and torch accepts it in eval mode.
- ``domain``: a Python boolean expression over the spec's symbols other than ``B`` that holds
  exactly for the sizes torch accepts in eval mode (``"True"`` when every positive size works).
  Any batch size works for every model here.
- ``invalid``: one input torch rejects, or None when the spec admits no such input. It
  instantiates the spec when the spec has spatial symbols (just outside the domain); when the
  spec fixes the spatial sizes, it changes them (LeNet-5 on 28x28 MNIST digits).
- ``off_spec_valid``: (input, output) pairs that torch accepts although they differ from a
  spec's concrete sizes (pooling floors, so LeNet-5 also takes 33x35).

``load_module``/``build`` import an example by path (examples/ is not a package);
``layer_shapes`` and ``node_shapes`` record what a real CPU forward produces, per module
(forward hooks) and per fx node (``torch.fx.Interpreter``, functional calls included).
"""

from __future__ import annotations

import functools
import importlib.util
import re
from dataclasses import dataclass
from pathlib import Path
from types import ModuleType
from typing import Any

import torch
import torch.fx
import torch.nn as nn

EXAMPLES_DIR = Path(__file__).resolve().parents[2] / "examples"

Shape = tuple[int, ...]
Case = tuple[Shape, Shape]  # (input shape, output shape)


@dataclass(frozen=True)
class ZooModel:
    file: str
    model: str
    spec: str
    valid: tuple[Case, Case, Case]
    domain: str = "True"
    invalid: Shape | None = None
    off_spec_valid: tuple[Case, ...] = ()

    @property
    def path(self) -> Path:
        return EXAMPLES_DIR / self.file

    @property
    def id(self) -> str:
        """``resnet18.py:ResNet18``, the form the command line takes (``PATH:Name``)."""
        return f"{self.file}:{self.model}"

    @property
    def valid_inputs(self) -> list[Shape]:
        return [shape for shape, _ in self.valid]

    def in_domain(self, shape: Shape) -> bool:
        """Evaluate ``domain`` at a shape that instantiates the spec."""
        names = self.spec.split(",")
        if len(names) != len(shape):
            raise ValueError(f"{shape} does not have the rank of {self.spec}")
        values = {name: size for name, size in zip(names, shape) if not name.isdigit()}
        return bool(eval(self.domain, {"__builtins__": {}}, values))


def _same(n: int, *shape: int) -> Case:
    return (n, *shape), (n, *shape)


ZOO: tuple[ZooModel, ...] = (
    ZooModel(
        "seed_conv_unit.py",
        "ConvUnitNet",
        "B,3,32,32",
        (((2, 3, 32, 32), (2, 10)), ((1, 3, 32, 32), (1, 10)), ((3, 3, 32, 32), (3, 10))),
        invalid=(2, 3, 28, 28),  # (2, 6, 10, 10) reaches the Linear: 600 features, not 864
        # 6 * h * w == 864 needs h * w == 144: 12 x 12 from 32 or 33, and 9 x 16 from 26 x 40.
        off_spec_valid=(((1, 3, 33, 32), (1, 10)), ((2, 3, 26, 40), (2, 10))),
    ),
    ZooModel(
        "seed_batchnorm.py",
        "BatchNorm1dExample",
        "B,16,L",
        (_same(100, 16, 784), _same(2, 16, 5), _same(3, 16, 1)),
    ),
    ZooModel(
        "seed_batchnorm.py",
        "BatchNorm2dExample",
        "B,16,H,W",
        (_same(100, 16, 28, 28), _same(2, 16, 5, 7), _same(1, 16, 1, 1)),
    ),
    ZooModel(
        "seed_resblk.py",
        "ResBlk",
        "B,64,H,W",
        (
            ((2, 64, 8, 8), (2, 256, 8, 8)),
            ((1, 64, 5, 7), (1, 256, 5, 7)),
            ((3, 64, 1, 1), (3, 256, 1, 1)),
        ),
    ),
    ZooModel(
        "seed_denseblock.py",
        "DenseStage",
        "B,3,H,W",
        (
            ((4, 3, 8, 8), (4, 10, 4, 4)),
            ((1, 3, 9, 5), (1, 10, 4, 2)),
            ((2, 3, 2, 3), (2, 10, 1, 1)),
        ),
        domain="H >= 2 and W >= 2",
        invalid=(1, 3, 1, 8),
    ),
    ZooModel(
        "seed_densenet.py",
        "DenseNet",
        "B,1,H,W",
        (((1, 1, 96, 96), (1, 10)), ((2, 1, 29, 29), (2, 10)), ((1, 1, 40, 33), (1, 10))),
        domain="H >= 29 and W >= 29",
        invalid=(1, 1, 28, 28),
    ),
    ZooModel(
        "lenet5.py",
        "LeNet5",
        "B,1,32,32",
        (((1, 1, 32, 32), (1, 10)), ((2, 1, 32, 32), (2, 10)), ((3, 1, 32, 32), (3, 10))),
        invalid=(1, 1, 28, 28),  # MNIST's size: 16 * 4 * 4 = 256 features, not 400
        # 16 * ((H - 12) // 4) * ((W - 12) // 4) == 400: 5 x 5, or 1 x 25 from 16 x 112.
        off_spec_valid=(((1, 1, 35, 33), (1, 10)), ((2, 1, 16, 112), (2, 10))),
    ),
    ZooModel(
        "alexnet.py",
        "AlexNet",
        "B,3,H,W",
        (((1, 3, 63, 63), (1, 1000)), ((1, 3, 64, 80), (1, 1000)), ((2, 3, 96, 70), (2, 1000))),
        domain="H >= 63 and W >= 63",
        invalid=(1, 3, 62, 62),
    ),
    ZooModel(
        "vgg16.py",
        "VGG16",
        "B,3,H,W",
        (((1, 3, 32, 32), (1, 1000)), ((2, 3, 40, 32), (2, 1000)), ((1, 3, 64, 48), (1, 1000))),
        domain="H >= 32 and W >= 32",
        invalid=(1, 3, 31, 31),
    ),
    ZooModel(
        "resnet18.py",
        "ResNet18",
        "B,3,H,W",
        (((1, 3, 32, 32), (1, 1000)), ((2, 3, 17, 9), (2, 1000)), ((1, 3, 1, 1), (1, 1000))),
    ),
    ZooModel(
        "resnet50.py",
        "ResNet50",
        "B,3,H,W",
        (((1, 3, 32, 32), (1, 1000)), ((2, 3, 33, 47), (2, 1000)), ((1, 3, 1, 2), (1, 1000))),
    ),
    ZooModel(
        "densenet121.py",
        "DenseNet121",
        "B,3,H,W",
        (((1, 3, 29, 29), (1, 1000)), ((2, 3, 32, 40), (2, 1000)), ((1, 3, 48, 33), (1, 1000))),
        domain="H >= 29 and W >= 29",
        invalid=(1, 3, 28, 28),
    ),
    ZooModel(
        "googlenet.py",
        "GoogLeNet",
        "B,3,H,W",
        (((1, 3, 31, 31), (1, 1000)), ((2, 3, 32, 40), (2, 1000)), ((1, 3, 63, 50), (1, 1000))),
        domain="H >= 31 and W >= 31",
        invalid=(1, 3, 30, 30),
    ),
    ZooModel(
        "mobilenetv2.py",
        "MobileNetV2",
        "B,3,H,W",
        (((1, 3, 1, 1), (1, 1000)), ((2, 3, 32, 32), (2, 1000)), ((1, 3, 37, 21), (1, 1000))),
    ),
    ZooModel(
        "squeezenet.py",
        "SqueezeNet",
        "B,3,H,W",
        (((1, 3, 17, 17), (1, 1000)), ((2, 3, 32, 40), (2, 1000)), ((1, 3, 63, 18), (1, 1000))),
        domain="H >= 17 and W >= 17",
        invalid=(1, 3, 16, 16),
    ),
    ZooModel(
        "unet.py",
        "UNet",
        "B,1,H,W",
        (
            ((1, 1, 16, 16), (1, 2, 16, 16)),
            ((2, 1, 32, 16), (2, 2, 32, 16)),
            ((1, 1, 16, 48), (1, 2, 16, 48)),
        ),
        domain="H % 16 == 0 and W % 16 == 0",
        invalid=(1, 1, 24, 24),
    ),
    ZooModel(
        "vit_patch.py",
        "VisionTransformer",
        "B,3,32,32",
        (((1, 3, 32, 32), (1, 10)), ((2, 3, 32, 32), (2, 10)), ((3, 3, 32, 32), (3, 10))),
        invalid=(1, 3, 48, 48),  # 144 patches + 1 against a (1, 65, 128) position embedding
        # (H // 4) * (W // 4) == 64: 8 x 8 from 32 to 35, or 4 x 16 from 16 x 64.
        off_spec_valid=(((1, 3, 35, 33), (1, 10)), ((2, 3, 16, 64), (2, 10))),
    ),
)

BY_ID = {entry.id: entry for entry in ZOO}

_INPUT_COMMENT = re.compile(r"^# shapecalc: (?:model=\S+ )?input=(\S+)\s*$")


def declared_spec(entry: ZooModel) -> str | None:
    """The ``# shapecalc: input=`` comment that governs the model class: the last one above
    its ``class`` line (one near the top of the file serves every class in it)."""
    spec = None
    for line in entry.path.read_text().splitlines():
        match = _INPUT_COMMENT.match(line)
        if match:
            spec = match.group(1)
        elif line.startswith(f"class {entry.model}("):
            return spec
    return None


@functools.cache
def load_module(file: str) -> ModuleType:
    """Import ``examples/<file>`` by path, under a private module name."""
    path = EXAMPLES_DIR / file
    spec = importlib.util.spec_from_file_location(f"_shapecalc_zoo_{path.stem}", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def build(entry: ZooModel, device: str = "cpu") -> nn.Module:
    """The example's model, built with no arguments on ``device``, in eval mode."""
    cls = getattr(load_module(entry.file), entry.model)
    with torch.device(device):
        model = cls()
    return model.eval()


def _shapes(value: Any) -> Any:
    if isinstance(value, torch.Tensor):
        return tuple(value.shape)
    if isinstance(value, (tuple, list)):
        return [_shapes(v) for v in value]
    return None


def layer_shapes(model: nn.Module, *inputs: torch.Tensor) -> dict[str, list[Any]]:
    """Every submodule's output shapes in a real forward, one per call in call order (a module
    such as a shared ReLU may run several times), keyed by qualified name; the model itself is
    under ``""``. A tuple or list output gives a list of shapes."""
    shapes: dict[str, list[Any]] = {name: [] for name, _ in model.named_modules()}
    handles = [
        module.register_forward_hook(
            lambda _m, _i, out, name=name: shapes[name].append(_shapes(out))
        )
        for name, module in model.named_modules()
    ]
    try:
        with torch.no_grad():
            model(*inputs)
    finally:
        for handle in handles:
            handle.remove()
    return shapes


class _ShapeRecorder(torch.fx.Interpreter):
    def __init__(self, module: torch.fx.GraphModule) -> None:
        super().__init__(module)
        self.shapes: dict[str, Any] = {}

    def run_node(self, n: torch.fx.Node) -> Any:
        result = super().run_node(n)
        self.shapes[n.name] = _shapes(result)
        return result


def node_shapes(model: nn.Module, *inputs: torch.Tensor) -> dict[str, Any]:
    """Every fx node's result shape in a real forward (None for non-tensor results such as
    ``size()``), keyed by node name; torch.nn layers stay single nodes."""
    traced = torch.fx.symbolic_trace(model)
    recorder = _ShapeRecorder(traced)
    with torch.no_grad():
        recorder.run(*inputs)
    return recorder.shapes
