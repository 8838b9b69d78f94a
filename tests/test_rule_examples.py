"""Every rule's own examples, run through shapecalc and real torch (the rule docs are tests)."""

from __future__ import annotations

import pytest

from shapecalc.codes import CODES
from shapecalc.diagnostics import Severity
from shapecalc.rules import all_rules

from .difftest import assert_agree, predicted_shapes, run_shapecalc, run_torch


def _examples():
    seen = set()
    for name, rule in sorted(all_rules().items()):
        if id(rule.fn) in seen:
            continue
        seen.add(id(rule.fn))
        for i, example in enumerate(rule.examples):
            yield pytest.param(example, id=f"{name}-{i}")


@pytest.mark.parametrize("example", list(_examples()))
def test_example(example):
    if example.ok:
        analysis = assert_agree(example.source, example.inputs, example.dtypes)
        if example.out is not None:
            want = example.out if isinstance(example.out, list) else [example.out]
            assert predicted_shapes(analysis) == [tuple(w) for w in want]
        return
    if CODES[example.code].severity == Severity.ERROR:
        assert_agree(example.source, example.inputs, example.dtypes, code=example.code)
        return
    # a warning or info: torch runs, shapes agree, and shapecalc reports the code
    real = run_torch(example.source, example.inputs, example.dtypes)
    assert real.error is None, real.error
    analysis = run_shapecalc(example.source, example.inputs, example.dtypes)
    assert predicted_shapes(analysis) == real.shapes
    assert example.code in [d.code for d in analysis.diagnostics]
