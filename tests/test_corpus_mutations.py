"""Mutation tests over the clean corpus: every integer literal among the first two arguments
of a layer constructor (in_channels / in_features / num_features / kernel ...), changed to
n + 1 and to 2n, gives a model that real torch either runs or rejects. shapecalc must agree:
an error on the line where torch stops (the constructing line of the layer that raised, or
the line of the failing op), and no error when torch runs it."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

import shapecalc

from .test_corpus import CLEAN, torch_failure

pytestmark = [
    pytest.mark.filterwarnings("ignore:Using padding='same'"),
    pytest.mark.filterwarnings("ignore:input's size at dim=1 does not match num_features"),
]

LAYERS = {
    "Conv1d", "Conv2d", "Conv3d", "ConvTranspose1d", "ConvTranspose2d", "Linear",
    "BatchNorm1d", "BatchNorm2d", "BatchNorm3d", "GroupNorm", "LayerNorm", "InstanceNorm1d",
    "InstanceNorm2d", "MaxPool2d", "AvgPool2d", "PixelShuffle", "PixelUnshuffle", "Embedding",
}  # fmt: skip


def mutants(path: Path) -> list[tuple[int, str]]:
    """(line, source) for each one-literal mutant of the file."""
    source = path.read_text()
    lines = source.splitlines(keepends=True)
    out = []
    for node in ast.walk(ast.parse(source)):
        if not (
            isinstance(node, ast.Call)
            and isinstance(node.func, ast.Attribute)
            and node.func.attr in LAYERS
        ):
            continue
        for arg in node.args[:2]:
            if not isinstance(arg, ast.Constant) or type(arg.value) is not int:
                continue
            for new in (arg.value + 1, arg.value * 2):
                line = lines[arg.lineno - 1]
                changed = line[: arg.col_offset] + str(new) + line[arg.end_col_offset :]
                out.append(
                    (arg.lineno, "".join([*lines[: arg.lineno - 1], changed, *lines[arg.lineno :]]))
                )
    return out


@pytest.mark.parametrize("path", CLEAN, ids=lambda p: p.name)
def test_shapecalc_agrees_with_torch_on_every_mutant(path: Path, tmp_path: Path) -> None:
    disagreements = []
    for i, (line, source) in enumerate(mutants(path)):
        mutant = (tmp_path / f"{path.stem}_{i}.py").resolve()
        mutant.write_text(source)
        exc, failed_at = torch_failure(mutant)
        errors = shapecalc.analyze(str(mutant)).errors
        lines = {d.location.line for d in errors if d.location}
        if (exc is None and errors) or (exc is not None and failed_at not in lines):
            disagreements.append((line, failed_at, str(exc)[:80], sorted(lines)))
    assert disagreements == []


def test_there_are_mutants() -> None:
    assert sum(len(mutants(path)) for path in CLEAN) >= 100
