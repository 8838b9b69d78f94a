"""Models shapecalc was not written against: ordinary PyTorch code as people write it.

tests/models/unseen/*.py each declare a concrete input (``# shapecalc: input=2,3,64,64``).
For each model: (a) the analysis at that input has no error and no SC9xx finding (unknown op,
failed rule, ...), and every layer's shape agrees with a real CPU forward; (b) shapecalc
verify at the symbolic input (batch B, every spatial dim a symbol) agrees with torch at every
size it chooses, including the smallest valid one and one below it.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
import torch

from shapecalc.analyze import analyze_loaded, to_input
from shapecalc.frontends.loader import load
from shapecalc.verify import verify_loaded

from .frontends.harness import assert_agrees

MODELS = sorted((Path(__file__).resolve().parent / "models" / "unseen").glob("*.py"))
SPATIAL = {3: ["L"], 4: ["H", "W"], 5: ["T", "H", "W"]}
# forwards torch.fx cannot trace (Python control flow on sizes): recorded per input instead
RECORDED = {"dynamic_resize", "crnn", "nonlocal_psp"}


@pytest.fixture(scope="module", autouse=True)
def one_torch_thread() -> Iterator[None]:
    threads = torch.get_num_threads()
    torch.set_num_threads(1)
    yield
    torch.set_num_threads(threads)


def only_model(path: Path):
    models = load(str(path))
    assert len(models) == 1, [m.name for m in models]
    assert models[0].inputs, f"{path.name} declares no input"
    return models[0]


def symbolic_spec(loaded) -> str:
    """``B,C,H,W`` from the declared concrete input: channels stay, the rest are symbols."""
    (value,) = loaded.inputs
    shape = value.shape
    return ",".join(["B", str(shape[1]), *SPATIAL[len(shape)]])


def test_the_corpus_is_there():
    assert len(MODELS) >= 15


@pytest.mark.parametrize("path", MODELS, ids=lambda p: p.stem)
def test_concrete_input_agrees_with_torch(path: Path):
    loaded = only_model(path)
    assert (loaded.graph.fx_module is None) == (path.stem in RECORDED), loaded.notes
    analysis = assert_agrees(loaded, loaded.inputs)
    internal = [f"{d.code} {d.message}" for d in analysis.diagnostics if d.code.startswith("SC9")]
    assert not internal, internal


@pytest.mark.parametrize("path", MODELS, ids=lambda p: p.stem)
def test_symbolic_input_verifies(path: Path):
    loaded = only_model(path)
    spec = symbolic_spec(loaded)
    analysis = analyze_loaded(loaded, [to_input(spec)])
    internal = [f"{d.code} {d.message}" for d in analysis.diagnostics if d.code.startswith("SC9")]
    assert not internal, internal
    v = verify_loaded(loaded, [spec], random_sizes=1, seed=0)
    bad = [line for r in v.disagreements for line in (r.torch_error, *map(str, r.mismatches))]
    assert v.ok, bad
    assert v.ran and any(r.torch_ok for r in v.ran)


def test_a_window_padded_to_a_multiple_has_the_plain_domain():
    """Swin pads H, W up to a multiple of the window (``(w - W % w) % w``) before cutting
    windows: every size the patch conv accepts works, and the padded size is a multiple."""
    analysis = analyze_loaded(
        only_model(MODELS[0].parent / "swin_window.py"), [to_input("B,3,H,W")]
    )
    assert [str(c.rel) for c in analysis.raw_constraints] == ["H >= 2", "W >= 2"]
    assert analysis.diagnostics == []
    assert analysis.min_input() == (1, 3, 2, 2)
