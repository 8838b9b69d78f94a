from __future__ import annotations

import pytest

from shapecalc.inputs import InputSpecError, format_spec, parse_shape
from shapecalc.symbolic import symbol


@pytest.mark.parametrize(
    "text, shape",
    [
        ("2,3,32,32", (2, 3, 32, 32)),
        ("1x3x224x224", (1, 3, 224, 224)),
        ("(2, 3, 32, 32)", (2, 3, 32, 32)),
        ("B,3,H,W", (symbol("B"), 3, symbol("H"), symbol("W"))),
        ("10", (10,)),
        ("(3,)", (3,)),
    ],
)
def test_parse_shape(text, shape):
    assert parse_shape(text).shape == shape


def test_dtype_suffix():
    value = parse_shape("B,T:long")
    assert value.dtype == "int64" and value.shape == (symbol("B"), symbol("T"))
    assert format_spec(value) == "B,T:int64"


@pytest.mark.parametrize("text", ["2,,3", "2,3.5", "B,3,H-1,W", "2,3:complex7", "-1,3"])
def test_malformed_specs_are_rejected(text):
    with pytest.raises(InputSpecError):
        parse_shape(text)
