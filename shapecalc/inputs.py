"""Input shape specs as users write them: ``2,3,32,32``, ``1x3x224x224``, ``B,3,H,W``,
``(B, T):int64``. Symbols are positive integers; a ``:dtype`` suffix marks integer inputs
(token ids for an Embedding)."""

from __future__ import annotations

import re

from .symbolic import Dim, symbol
from .values import TensorValue

DTYPES = {
    "float32",
    "float",
    "float64",
    "double",
    "float16",
    "half",
    "bfloat16",
    "int64",
    "long",
    "int32",
    "int",
    "int16",
    "int8",
    "uint8",
    "bool",
}
_CANONICAL = {
    "float": "float32",
    "double": "float64",
    "half": "float16",
    "long": "int64",
    "int": "int32",
}
_X_SEPARATED = re.compile(r"\d+(?:x\d+)+")
_IDENT = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")


class InputSpecError(ValueError):
    pass


def parse_dim(token: str) -> Dim:
    token = token.strip()
    if re.fullmatch(r"\d+", token):
        value = int(token)
        if value < 0:
            raise InputSpecError(f"a size must not be negative, got {token}")
        return value
    if _IDENT.fullmatch(token):
        return symbol(token)
    raise InputSpecError(
        f"{token!r} is neither a size nor a symbol name (use e.g. 2,3,32,32 or B,3,H,W)"
    )


def parse_shape(text: str) -> TensorValue:
    """``"B,3,H,W"`` -> TensorValue((B, 3, H, W)); raises InputSpecError with the reason."""
    spec = text.strip()
    dtype = "float32"
    if ":" in spec:
        spec, dtype = (part.strip() for part in spec.rsplit(":", 1))
        if dtype not in DTYPES:
            raise InputSpecError(
                f"unknown dtype {dtype!r} in {text!r} (use one of {', '.join(sorted(DTYPES))})"
            )
        dtype = _CANONICAL.get(dtype, dtype)
    spec = spec.strip()
    if spec.startswith(("(", "[")) and spec.endswith((")", "]")):
        spec = spec[1:-1]
    if not spec.strip():
        return TensorValue((), dtype)
    if "," in spec:
        tokens = [t for t in spec.split(",")]
        if tokens and not tokens[-1].strip():
            tokens = tokens[:-1]  # "(3,)"
    elif _X_SEPARATED.fullmatch(spec.replace(" ", "")):
        tokens = spec.replace(" ", "").split("x")
    else:
        tokens = [spec]
    if any(not t.strip() for t in tokens):
        raise InputSpecError(f"empty entry in input shape {text!r}")
    return TensorValue(tuple(parse_dim(t) for t in tokens), dtype)


def format_spec(value: TensorValue) -> str:
    """The inverse of parse_shape: ``B,3,H,W`` (with ``:int64`` for non-float dtypes)."""
    body = ",".join(str(d) for d in value.shape)
    return body if value.dtype == "float32" else f"{body}:{value.dtype}"
