"""DSL sketches written the way a README reader writes them (tests/models/sketches/*.scn).

- A good sketch (any other name) analyses without errors or warnings, and the module built
  from it (the exported source, executed) runs on CPU: every layer's real output shape, the
  model's outputs and its parameter count equal the analysis at concrete sizes.
- ``bug_*.scn`` has deliberate shape bugs: shapecalc reports exactly the codes of its
  ``# expect: SC201`` comments on those lines, ``check`` exits 1, and real torch rejects it.
- ``typo_*.scn`` has one mistake a user makes while typing: a clean exit-2 error at the line
  carrying ``# error: <part of the message>``, with the line and a caret, no traceback.
"""

from __future__ import annotations

import re
from collections import Counter
from pathlib import Path

import pytest
import torch
from click.testing import CliRunner

from shapecalc import symbolic as sym
from shapecalc.analyze import analyze_loaded
from shapecalc.cli import main
from shapecalc.codes import Severity, severity_of
from shapecalc.frontends.loader import load
from shapecalc.graph import MODULE
from shapecalc.values import TensorValue
from tests.frontends.test_dsl_examples import _module_path

SKETCHES = Path(__file__).resolve().parent.parent / "models" / "sketches"
ALL = sorted(SKETCHES.glob("*.scn"))
BUGS = [p for p in ALL if p.name.startswith("bug_")]
TYPOS = [p for p in ALL if p.name.startswith("typo_")]
GOOD = [p for p in ALL if p not in BUGS and p not in TYPOS]
# the sketches' symbols, made concrete
SIZES = {"B": 2, "H": 24, "W": 20, "T": 12, "C": 3, "N": 7, "S": 9}

_EXPECT = re.compile(r"#\s*expect:\s*(SC\d{3}(?:\s*,\s*SC\d{3})*)\s*$")
_ERROR = re.compile(r"#\s*error:\s*(.+?)\s*$")


def _marked(path: Path, pattern: re.Pattern) -> list[tuple[int, str]]:
    return [
        (i, m.group(1))
        for i, line in enumerate(path.read_text().splitlines(), start=1)
        if (m := pattern.search(line))
    ]


def _models(path: Path) -> list:
    return load(str(path))


def _concrete(value: TensorValue) -> TensorValue:
    return TensorValue(tuple(sym.evaluate(d, SIZES) for d in value.shape), value.dtype)


def _tensor(value: TensorValue) -> torch.Tensor:
    if value.dtype.startswith("int"):
        return torch.randint(0, 4, value.shape, dtype=getattr(torch, value.dtype))
    return torch.rand(value.shape)


def _shape(out):  # noqa: ANN001, ANN202 - a tensor or nested tuples of tensors
    if isinstance(out, torch.Tensor):
        return tuple(out.shape)
    return tuple(_shape(o) for o in out)


def _flat(out) -> list:  # noqa: ANN001
    if isinstance(out, torch.Tensor):
        return [tuple(out.shape)]
    return [s for o in out for s in _flat(o)]


def test_there_are_sketches_of_each_kind() -> None:
    assert len(GOOD) >= 15 and len(BUGS) >= 4 and len(TYPOS) >= 4


@pytest.mark.parametrize("path", GOOD, ids=lambda p: p.name)
def test_good_sketch_analyses_and_its_export_agrees(path: Path) -> None:
    for loaded in _models(path):
        analysis = analyze_loaded(loaded)  # the declared (possibly symbolic) input
        serious = [d for d in analysis.diagnostics if d.severity >= Severity.WARNING]
        assert not serious, (loaded.name, [str(d.to_dict()) for d in serious])
        inputs = [_concrete(v) for v in loaded.inputs]
        analysis = analyze_loaded(loaded, inputs)
        assert not [d for d in analysis.diagnostics if d.severity >= Severity.WARNING]
        module = loaded.build().eval()
        real = dict(module.named_modules())
        seen: dict[str, list] = {}
        hooks = [
            real[node.name].register_forward_hook(
                lambda _m, _i, out, n=node.name, s=seen: s.setdefault(n, []).append(_shape(out))
            )
            for node in loaded.graph
            if node.kind == MODULE and node.name in real
        ]
        torch.manual_seed(0)
        try:
            with torch.no_grad():
                out = module(*[_tensor(v) for v in inputs])
        finally:
            for h in hooks:
                h.remove()
        assert _flat(out) == _flat_shapes(analysis.output_shapes), loaded.name
        calls: Counter = Counter()
        for layer in analysis.layers:
            if layer.node.kind != MODULE:
                continue
            module_path = _module_path(loaded, layer.name)
            got = seen[module_path][calls[module_path]]
            assert _flat_shapes([got]) == _flat_shapes([_value_shape(layer.value)]), layer.name
            calls[module_path] += 1
        assert sum(p.numel() for p in module.parameters()) == analysis.total_params


def _value_shape(value):  # noqa: ANN001, ANN202
    if isinstance(value, TensorValue):
        return value.shape
    return tuple(_value_shape(v) for v in value)


def _flat_shapes(shapes) -> list:  # noqa: ANN001
    out = []
    for s in shapes:
        if s and all(isinstance(d, int) for d in s):
            out.append(tuple(s))
        elif not s:
            out.append(())
        else:
            out.extend(_flat_shapes(s))
    return out


@pytest.mark.parametrize("path", BUGS, ids=lambda p: p.name)
def test_bug_sketch_is_reported_on_its_line(path: Path) -> None:
    want = Counter(
        (line, code.strip()) for line, codes in _marked(path, _EXPECT) for code in codes.split(",")
    )
    assert want, f"{path.name} has no '# expect:' comment"
    found: Counter = Counter()
    for loaded in _models(path):
        analysis = analyze_loaded(loaded)
        for d in analysis.diagnostics:
            if d.severity >= Severity.WARNING:
                assert d.location and Path(d.location.path).resolve() == path
                found[(d.location.line, d.code)] += 1
        if any(severity_of(code) == Severity.ERROR for _line, code in want):
            # the bug is real: torch rejects the module or the input too
            with pytest.raises((RuntimeError, ValueError, AssertionError)), torch.no_grad():
                loaded.build().eval()(*[_tensor(_concrete(v)) for v in loaded.inputs])
    assert found == want
    result = CliRunner().invoke(main, ["check", str(path)])
    assert result.exit_code == 1, result.output


@pytest.mark.parametrize("path", TYPOS, ids=lambda p: p.name)
def test_typo_sketch_is_a_clean_error(path: Path) -> None:
    ((line, message),) = _marked(path, _ERROR)
    for command in ([], ["check"], ["export"]):
        result = CliRunner().invoke(main, [*command, str(path)])
        assert result.exit_code == 2, result.output
        assert result.exception is None or isinstance(result.exception, SystemExit)
        first, source, caret = result.output.splitlines()[:3]
        assert first.startswith(f"shapecalc: error: {path}:{line}:"), result.output
        assert message in first, result.output
        assert "^" in caret and "Traceback" not in result.output
