"""The model corpus: small models written as ordinary PyTorch code, buggy and clean.

tests/models/bugs/*.py: each file declares its input (``# shapecalc: input=2,3,32,32``) and
marks every line where shapecalc must report something with a trailing ``# expect: SC201``
(several codes, or one code twice for a line that builds two bad layers:
``# expect: SC203, SC203``). For each bug model:

1. real torch proves the bug: building the model or a forward at the declared input raises
   (in eval mode, so that no training-only check such as BatchNorm's "more than 1 value per
   channel" stands in for a shape error), and torch stops on one of the marked lines (the
   constructing line of the torch.nn layer that raised, or the line of the failing op).
   Models with only warnings / infos run fine in torch; the test shows what goes silently
   wrong instead: the shape a broadcast changes (SC305), the border pixels a stride never
   reads (SC110);
2. shapecalc reports exactly the expected errors on exactly the expected lines, every
   expected warning and info too, and no other warning;
3. ``shapecalc check`` over the directory agrees.

A model may also declare a symbolic input, ``# check-symbolic: B,3,H,W``: shapecalc (the
API and ``shapecalc check --input``) must then report the same errors at that input (a bug
no input size can fix) and nothing at or above warning in a clean model (a size a layer
needs is a constraint, not a finding).

tests/models/clean/*.py: no error, no warning, and the real forward succeeds with the output
shape shapecalc computed. The seed systems and the zoo (examples/): no error and no warning
at a concrete input (with the output shape the zoo recorded from torch) and at the file's
own symbolic input.
"""

from __future__ import annotations

import importlib.util
import io
import itertools
import re
import sys
import tokenize
import traceback
from collections import Counter
from pathlib import Path

import pytest
import torch
import torch.nn as nn
from torch.nn.modules.module import (
    register_module_forward_hook,
    register_module_forward_pre_hook,
)
from torch.overrides import TorchFunctionMode

import shapecalc
from shapecalc.diagnostics import Severity
from shapecalc.frontends.loader import load
from tests.examples.zoo import ZOO

MODELS = Path(__file__).resolve().parent / "models"
BUGS = sorted((MODELS / "bugs").glob("*.py"))
CLEAN = sorted((MODELS / "clean").glob("*.py"))

pytestmark = pytest.mark.filterwarnings("ignore:Using padding='same'")

_EXPECT = re.compile(r"#\s*expect:\s*(?P<codes>SC\d{3}(?:\s*,\s*SC\d{3})*)\s*$")
_COMMENT = re.compile(r"#\s*shapecalc:")
_INPUT = re.compile(r"\binput=(?P<spec>\S+)")
_SYMBOLIC = re.compile(r"#\s*check-symbolic:\s*(?P<spec>\S+)")
_counter = itertools.count()


# ------------------------------------------------------------------------------ reading files


def _comments(path: Path) -> list[tokenize.TokenInfo]:
    source = path.read_bytes()
    return [t for t in tokenize.tokenize(io.BytesIO(source).readline) if t.type == tokenize.COMMENT]


def expectations(path: Path) -> Counter:
    """(line, code) -> how many times, from the ``# expect:`` comments."""
    out: Counter = Counter()
    for tok in _comments(path):
        m = _EXPECT.search(tok.string)
        if m:
            for code in m.group("codes").split(","):
                out[(tok.start[0], code.strip())] += 1
    return out


def declared_inputs(path: Path) -> list[torch.Tensor]:
    """Real tensors for the ``# shapecalc: input=`` comments (concrete sizes, ``:int64``)."""
    tensors = []
    for tok in _comments(path):
        if not _COMMENT.match(tok.string):
            continue
        for m in _INPUT.finditer(tok.string):
            dims, _, dtype = m.group("spec").partition(":")
            shape = tuple(int(d) for d in dims.split(",") if d)
            if dtype.startswith("int"):
                tensors.append(torch.randint(0, 4, shape, dtype=getattr(torch, dtype)))
            else:
                tensors.append(torch.rand(shape, dtype=getattr(torch, dtype or "float32")))
    assert tensors, f"{path.name} declares no input"
    return tensors


def symbolic_input(path: Path) -> str | None:
    """The ``# check-symbolic:`` input of a file (None without one)."""
    specs = [m.group("spec") for t in _comments(path) if (m := _SYMBOLIC.match(t.string))]
    return specs[0] if specs else None


def model_name(path: Path) -> str:
    """The model shapecalc picks in the file: a class or a module-level instance."""
    (loaded,) = load(str(path))
    return loaded.name


def build_model(path: Path, name: str | None = None) -> nn.Module:
    """The model, from a fresh import of the file: shapecalc's loader patches nothing here,
    torch sees the user's code as written (a module-level instance is built by the import
    itself, a class is called with no arguments)."""
    name = name or model_name(path)
    spec = importlib.util.spec_from_file_location(f"_corpus_{next(_counter)}", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    obj = getattr(module, name)
    return obj if isinstance(obj, nn.Module) else obj()


def severity(code: str) -> Severity:
    return shapecalc.codes.severity_of(code)


# ------------------------------------------------------------------------------ running torch


class OpShapes(TorchFunctionMode):
    """Records, for every torch op called directly from one file's lines, the line, the
    shapes of the activations among its tensor arguments and the shape of its result."""

    def __init__(self, path: Path, constants: set[int]) -> None:
        super().__init__()
        self.path = str(path)
        self.constants = constants
        self.calls: list[tuple[int, list[tuple[int, ...]], tuple[int, ...]]] = []

    def __torch_function__(self, func, types, args=(), kwargs=None):  # noqa: ANN001, ANN204
        out = func(*args, **(kwargs or {}))
        frame = sys._getframe(1)
        while frame is not None and frame.f_code.co_filename != self.path:
            frame = frame.f_back
        if frame is not None and isinstance(out, torch.Tensor):
            acts = [
                tuple(a.shape)
                for a in itertools.chain(args, (kwargs or {}).values())
                if isinstance(a, torch.Tensor) and id(a) not in self.constants
            ]
            self.calls.append((frame.f_lineno, acts, tuple(out.shape)))
        return out


def build_and_run(
    path: Path, name: str | None = None
) -> tuple[nn.Module, list[torch.Tensor], object]:
    torch.manual_seed(0)
    model = build_model(path, name).eval()
    inputs = declared_inputs(path)
    with torch.no_grad():
        out = model(*inputs)
    return model, inputs, out


def torch_failure(path: Path) -> tuple[Exception | None, int | None]:
    """What real torch raises when building the model and running it at its declared
    input (None when it does not), and where, as a line of the file: the line that builds a
    layer torch refuses to build; the line that built the torch.nn layer whose forward
    raised (or the container of its clone); else the line of the file where the failing op
    was called (``a + b``)."""
    name = model_name(path)  # shapecalc's loader runs before the hooks go in
    built_at: dict[int, int] = {}
    original_init = nn.Module.__init__

    def init(module: nn.Module, *args, **kwargs) -> None:  # noqa: ANN002, ANN003
        original_init(module, *args, **kwargs)
        built_at.setdefault(id(module), _line_in(path, sys._getframe(1)))

    running: list[nn.Module] = []

    def leave(_module: nn.Module, _args: tuple, _out: object) -> None:
        running.pop()  # a forward hook that returns something replaces the output

    hooks = [
        register_module_forward_pre_hook(lambda m, _args: running.append(m)),
        register_module_forward_hook(leave),
    ]
    nn.Module.__init__ = init  # type: ignore[method-assign]
    try:
        build_and_run(path, name)
    except Exception as exc:  # noqa: BLE001 - any failure is located, then compared
        # the innermost running layer built by a line of the file: a layer a torch.nn
        # container cloned (TransformerEncoder deep-copies its layer) was built by none, so
        # the container that holds the clones stands for it
        layers = [m for m in running if built_at.get(id(m)) is not None]
        if running and type(running[-1]).__module__.startswith("torch.nn") and layers:
            return exc, built_at[id(layers[-1])]
        here = [n for f, n in traceback.walk_tb(exc.__traceback__) if _in_file(path, f)]
        return exc, here[-1] if here else None
    finally:
        nn.Module.__init__ = original_init  # type: ignore[method-assign]
        for hook in hooks:
            hook.remove()
    return None, None


def _in_file(path: Path, frame) -> bool:  # noqa: ANN001
    return frame.f_code.co_filename == str(path)


def _line_in(path: Path, frame) -> int | None:  # noqa: ANN001
    """The line of the innermost caller in ``path``, walking out from ``frame``."""
    while frame is not None and not _in_file(path, frame):
        frame = frame.f_back
    return frame.f_lineno if frame is not None else None


def grows_silently(path: Path, line: int) -> bool:
    """SC305 in real torch: an op on ``line`` returns more elements than its activation
    operand had (a constant operand broadcast it), and nothing raises."""
    torch.manual_seed(0)
    model = build_model(path).eval()
    constants = {id(t) for t in itertools.chain(model.parameters(), model.buffers())}
    recorder = OpShapes(path, constants)
    with torch.no_grad(), recorder:
        model(*declared_inputs(path))
    return any(
        l == line
        and acts
        and all(a != out and torch.Size(a).numel() < torch.Size(out).numel() for a in acts)
        for l, acts, out in recorder.calls
    )


def drops_border(model: nn.Module, layer: str, inputs: list[torch.Tensor]) -> bool:
    """SC110 in real torch: changing the last row (or column, ...) of the layer's input does
    not change its output, so those pixels are never read."""
    module = model.get_submodule(layer)
    seen: list[torch.Tensor] = []
    handle = module.register_forward_pre_hook(lambda _m, args: seen.append(args[0]))
    with torch.no_grad():
        model(*inputs)
    handle.remove()
    x = seen[0]
    with torch.no_grad():
        base = module(x)
        for dim in range(2, x.ndim):
            poked = x.clone()
            poked.select(dim, x.shape[dim] - 1).add_(1000.0)
            if torch.equal(module(poked), base):
                return True
    return False


# ---------------------------------------------------------------------------------- the tests


def test_corpus_size() -> None:
    """Issue 4: at least 25 buggy models (there are more), at least 15 clean ones."""
    assert len(BUGS) >= 30
    assert len(CLEAN) + len(ZOO) >= 15
    assert any(sum(expectations(p).values()) == 3 for p in BUGS)  # three independent bugs


def test_every_check_in_two_architectures() -> None:
    files_per_code: dict[str, set[str]] = {}
    for path in BUGS:
        for _line, code in expectations(path):
            files_per_code.setdefault(code, set()).add(path.name)
    required = [
        "SC201", "SC202", "SC203", "SC204", "SC205", "SC301", "SC302", "SC303", "SC401",
        "SC402", "SC101", "SC103", "SC104", "SC105", "SC305", "SC110",
    ]  # fmt: skip
    thin = {code: sorted(files_per_code.get(code, ())) for code in required}
    assert all(len(files) >= 2 for files in thin.values()), thin


@pytest.mark.parametrize("path", BUGS, ids=lambda p: p.name)
def test_bug_is_real(path: Path) -> None:
    expected = expectations(path)
    assert expected, f"{path.name} has no '# expect:' comment"
    error_lines = {line for line, code in expected if severity(code) == Severity.ERROR}
    if error_lines:
        exc, line = torch_failure(path)
        assert isinstance(exc, (RuntimeError, ValueError, IndexError)), exc
        assert line in error_lines, f"torch fails on line {line}: {exc}"
        return
    model, inputs, _out = build_and_run(path)  # warnings and infos: torch runs silently
    analysis = shapecalc.analyze(str(path))
    for line, code in expected:
        if code == "SC305":
            assert grows_silently(path, line), f"no op on line {line} grows its input"
        elif code == "SC110":
            layers = [d.layer for d in analysis.diagnostics if d.code == code]
            assert layers and all(drops_border(model, name, inputs) for name in layers)
        else:
            pytest.fail(f"no torch proof for {code}")


@pytest.mark.parametrize("path", BUGS, ids=lambda p: p.name)
def test_bug_is_reported_on_its_line(path: Path) -> None:
    expected = expectations(path)
    analysis = shapecalc.analyze(str(path))
    found = Counter(
        (d.location.line if d.location else None, d.code)
        for d in analysis.diagnostics
        if d.severity >= Severity.WARNING
    )
    assert all(d.location and Path(d.location.path).resolve() == path for d in analysis.diagnostics)
    want = Counter({k: n for k, n in expected.items() if severity(k[1]) >= Severity.WARNING})
    assert found == want, "\n".join(str(d.to_dict()) for d in analysis.diagnostics)
    infos = {(d.location.line, d.code) for d in analysis.diagnostics}
    assert all(key in infos for key in expected if severity(key[1]) == Severity.INFO)


@pytest.mark.parametrize("path", CLEAN, ids=lambda p: p.name)
def test_clean_model(path: Path) -> None:
    analysis = shapecalc.analyze(str(path))
    assert [d.to_dict() for d in analysis.diagnostics if d.severity >= Severity.WARNING] == []
    _model, _inputs, out = build_and_run(path)
    outs = out if isinstance(out, (tuple, list)) else [out]
    assert analysis.output_shapes == [tuple(o.shape) for o in outs]


SYMBOLIC = [p for p in BUGS + CLEAN if symbolic_input(p)]


@pytest.mark.parametrize("path", SYMBOLIC, ids=lambda p: p.name)
def test_symbolic_input(path: Path) -> None:
    """At the declared symbolic input, the expected errors on their lines and no other
    finding at or above warning; ``shapecalc check --input`` agrees."""
    import json

    from click.testing import CliRunner

    from shapecalc.cli import main

    spec = symbolic_input(path)
    want = Counter(
        {k: n for k, n in expectations(path).items() if severity(k[1]) >= Severity.WARNING}
    )
    analysis = shapecalc.analyze(str(path), spec)
    found = Counter(
        (d.location.line, d.code) for d in analysis.diagnostics if d.severity >= Severity.WARNING
    )
    assert found == want, "\n".join(str(d.to_dict()) for d in analysis.diagnostics)
    result = CliRunner().invoke(main, ["check", str(path), "--input", spec, "--format", "json"])
    assert result.exit_code == (1 if want else 0), result.output
    lines = {(f["line"], f["code"]) for f in json.loads(result.output)["findings"]}
    assert {k for k in lines if severity(k[1]) >= Severity.WARNING} == set(want)


@pytest.mark.parametrize("entry", ZOO, ids=lambda e: e.id)
def test_zoo_model_is_clean(entry) -> None:  # noqa: ANN001
    """The seed systems and the zoo at their smallest valid input (batch 2: batch 1 would be
    a training-mode warning, SC208), with the output shape the zoo recorded from real torch
    (tests/examples check those forwards; the big models are not run again here)."""
    (shape, out), *_ = sorted(entry.valid, key=lambda case: torch.Size(case[0]).numel())
    analysis = shapecalc.analyze(f"{entry.path}:{entry.model}", (2, *shape[1:]))
    assert [d.to_dict() for d in analysis.diagnostics if d.severity >= Severity.WARNING] == []
    assert analysis.output_shapes == [(2, *out[1:])]


@pytest.mark.parametrize("entry", ZOO, ids=lambda e: e.id)
def test_zoo_symbolic_is_clean(entry) -> None:  # noqa: ANN001
    """At the file's own symbolic input (``B,3,H,W``) too: constraints, never errors."""
    analysis = shapecalc.analyze(f"{entry.path}:{entry.model}")
    assert [d.to_dict() for d in analysis.diagnostics if d.severity >= Severity.WARNING] == []


def test_check_command_over_the_corpus() -> None:
    """``shapecalc check`` over both directories in one run: errors on exactly the expected
    files, lines and codes (exit 1; the command shows one finding per line and code where
    a loop builds several bad layers on one line), and nothing at or above warning in the
    clean ones (exit 0)."""
    import json

    from click.testing import CliRunner

    from shapecalc.cli import main

    result = CliRunner().invoke(main, ["check", str(MODELS / "bugs"), "--format", "json"])
    assert result.exit_code == 1, result.output
    report = json.loads(result.output)
    found = {
        (Path(f["path"]).name, f["line"], f["code"])
        for f in report["findings"]
        if f["severity"] == "error"
    }
    want = {
        (path.name, line, code)
        for path in BUGS
        for line, code in expectations(path)
        if severity(code) == Severity.ERROR
    }
    assert found == want
    assert report["errors"] == []
    clean = CliRunner().invoke(main, ["check", str(MODELS / "clean"), "--fail-on", "warning"])
    assert clean.exit_code == 0, clean.output
