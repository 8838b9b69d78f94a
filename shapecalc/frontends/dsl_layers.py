"""DSL layers: torch.nn names bound against their rule's constructor signature, ``...`` filled
in from the incoming shape, and parameter counts computed without torch.

A constructor argument is *determined by the input* when its name says so: ``in_channels``,
``num_features``, ``num_channels`` (the channel dimension), ``in_features``, ``input_size``,
``embed_dim``, ``d_model``, ``normalized_shape`` (the last dimension), ``in1_features`` /
``in2_features`` (the last dimension of the first / second input). Those, and only those, may
be written ``...``.
"""

from __future__ import annotations

import difflib
import math
import re
from dataclasses import dataclass, field
from typing import Any

from .. import symbolic as sym
from ..diagnostics import Location
from ..graph import LayerArgs
from ..rules import Rule, all_rules, get_rule
from ..values import TensorValue

_LAST = {"in_features", "input_size", "embed_dim", "d_model", "normalized_shape", "in1_features"}
_CHANNEL = {"in_channels", "num_features", "num_channels"}
_SECOND_LAST = {"in2_features"}  # the last dimension of the layer's second input
FILLABLE = _LAST | _CHANNEL | _SECOND_LAST
_SPATIAL = re.compile(r"(\d)d$")


class LayerError(ValueError):
    pass


@dataclass
class Layer:
    """A layer built in the DSL: its op, its arguments by name (``...`` where the input
    decides), where it was built, and once called, its module path in the model."""

    op: str
    rule: Rule
    params: dict[str, Any]
    location: Location
    name: str | None = None  # the variable it was bound to, if any
    path: str | None = None  # set at its first call
    calls: int = 0
    count: int = 0
    notes: list[str] = field(default_factory=list)

    @property
    def unfilled(self) -> list[str]:
        return [k for k, v in self.params.items() if v is Ellipsis]


def layer_names() -> list[str]:
    return sorted(n for n, r in all_rules().items() if r.module)


def module_rule(name: str) -> Rule | None:
    rule = get_rule(name)
    return rule if rule is not None and rule.module else None


def suggest(name: str, candidates: list[str]) -> str:
    """`` (did you mean 'Conv2d'?)`` or empty; case-insensitive first."""
    lowered = {c.lower(): c for c in candidates}
    if name.lower() in lowered:
        return f" (did you mean {lowered[name.lower()]!r}?)"
    close = difflib.get_close_matches(name, candidates, n=1, cutoff=0.6)
    if not close and len(name) >= 3:  # `scale` for scale_factor: the one name it begins
        close = [c for c in candidates if c.startswith(name)]
        close = close if len(close) == 1 else []
    return f" (did you mean {close[0]!r}?)" if close else ""


def bind(op: str, rule: Rule, args: list[Any], kwargs: dict[str, Any]) -> dict[str, Any]:
    """Constructor arguments by name, defaults applied; LayerError names what is wrong."""
    sig = rule.init
    assert sig is not None
    names = [p for p in sig.parameters if not p.startswith("_")]
    open_ended = any(p.kind == p.VAR_KEYWORD for p in sig.parameters.values())
    for key in kwargs:
        if (key not in sig.parameters and not open_ended) or key.startswith("_"):
            raise LayerError(f"{op} has no argument {key!r}{suggest(key, names)}")
    try:
        params = rule.bind_init(args, kwargs)
    except TypeError as exc:
        raise LayerError(f"{op}({', '.join(names)}): {exc}") from None
    for key, p in sig.parameters.items():  # Identity(*args, **kwargs) ignores its arguments
        if p.kind in (p.VAR_POSITIONAL, p.VAR_KEYWORD):
            params.pop(key, None)
    for key, value in params.items():
        if value is Ellipsis:
            if key not in FILLABLE:
                raise LayerError(
                    f"{op}'s {key} cannot be filled in from the input; `...` stands only for "
                    f"{_fillable_text(rule)}"
                )
            continue
        if isinstance(value, LayerArgs) and key not in LAYER_PARAMS:
            raise LayerError(f"{op}'s {key} cannot be a layer ({value.op})")
        check_count(op, key, value)
    return params


# constructor arguments that are layers themselves (torch.nn.TransformerEncoder's
# encoder_layer and norm, TransformerDecoder's decoder_layer): a LayerArgs, as the torch
# frontend reads them back
LAYER_PARAMS = {"encoder_layer", "decoder_layer", "norm"}


# sizes and counts torch.nn's constructors require to be whole numbers (they raise otherwise;
# the rules take the constructor's word for them)
_COUNTS = {
    "in_channels", "out_channels", "in_features", "out_features", "num_features",
    "num_channels", "num_embeddings", "embedding_dim", "hidden_size", "input_size", "embed_dim",
    "in1_features", "in2_features", "proj_size", "d_model", "dim_feedforward",
}  # fmt: skip
_POSITIVE = {"groups", "num_groups", "num_heads", "nhead", "num_layers"}


def check_count(op: str, key: str, value: Any) -> None:
    if key not in _COUNTS and key not in _POSITIVE:
        return
    if isinstance(value, sym.Expr):
        return
    if isinstance(value, bool) or not isinstance(value, int):
        hint = ""
        if isinstance(value, float) and value.is_integer():  # `64 / 2` is 32.0 in Python
            hint = " (divide with // for a whole number, or write int(...))"
        raise LayerError(f"{op}'s {key} must be a whole number, got {value!r}{hint}")
    low = 1 if key in _POSITIVE else 0
    if value < low:
        raise LayerError(f"{op}'s {key} must be at least {low}, got {value}")


def _fillable_text(rule: Rule) -> str:
    own = [p for p in rule.init.parameters if p in FILLABLE] if rule.init else []
    if own:
        return " and ".join(own)
    return "an argument the input decides (in_channels, in_features, num_features, ...)"


_CONV_TUPLES = ("kernel_size", "stride", "padding", "dilation", "output_padding")


def as_stored(op: str, params: dict[str, Any]) -> dict[str, Any]:
    """The arguments as torch.nn keeps them on the module, which is what the torch frontend
    reads back: convolutions store kernel_size, stride, padding, dilation and output_padding
    as n-tuples (torch.nn.modules.conv._ConvNd, through _single/_pair/_triple); max and
    average pools store a stride of None as the kernel size."""
    m = _SPATIAL.search(op)
    if op.startswith(("MaxPool", "AvgPool")) and params.get("stride", 0) is None:
        # torch.nn.MaxPool2d / AvgPool2d: ``self.stride = stride if stride is not None else
        # kernel_size``
        return {**params, "stride": params.get("kernel_size")}
    if "normalized_shape" in params and isinstance(params["normalized_shape"], (int, list)):
        # torch.nn.LayerNorm: ``self.normalized_shape = tuple(normalized_shape)`` (an int first
        # becomes a 1-tuple)
        shape = params["normalized_shape"]
        return {**params, "normalized_shape": (shape,) if isinstance(shape, int) else tuple(shape)}
    if not op.startswith("Conv") or m is None:
        return params
    n = int(m.group(1))
    out = dict(params)
    for key in _CONV_TUPLES:
        value = out.get(key)
        if isinstance(value, int) and not isinstance(value, bool):
            out[key] = (value,) * n
        elif isinstance(value, list):
            out[key] = tuple(value)
    return out


def fill(layer: Layer, inputs: list[Any]) -> None:
    """Replace each ``...`` with the size the input gives it."""
    for key in layer.unfilled:
        index = 1 if key in _SECOND_LAST else 0
        value = inputs[index] if index < len(inputs) else None
        if not isinstance(value, TensorValue):
            raise LayerError(
                f"cannot fill in {layer.op}'s {key}: the shape of its input is not known"
            )
        if value.ndim == 0:
            raise LayerError(f"cannot fill in {layer.op}'s {key}: its input is a scalar")
        if key in _CHANNEL:
            dim = _channel_dim(layer.op, value.ndim)
            if not 0 <= dim < value.ndim:
                raise LayerError(
                    f"cannot fill in {layer.op}'s {key}: its input has {value.ndim} dimensions"
                )
            size = value.shape[dim]
        else:
            size = value.shape[-1]
        if size is sym.UNKNOWN:
            raise LayerError(f"cannot fill in {layer.op}'s {key}: the size is not known")
        layer.params[key] = size


def _channel_dim(op: str, ndim: int) -> int:
    """PyTorch's channel dimension: 1 for batch norm ((N, C) or (N, C, ...)) and group norm;
    for the other n-d layers the dimension before the n spatial ones, so unbatched (C, H, W)
    inputs work too."""
    m = _SPATIAL.search(op)
    if op.startswith(("BatchNorm", "SyncBatchNorm")) or m is None:
        return 1
    return ndim - int(m.group(1)) - 1


# ------------------------------------------------------------------------ parameter counts


def param_count(op: str, p: dict[str, Any]) -> int | None:
    """The number of parameters torch.nn's layer holds (None when a size is symbolic or the
    layer is not one counted here; such layers count 0 in the table)."""
    try:
        n = _count(op, p)
    except (TypeError, ValueError, KeyError, ArithmeticError):
        return None
    return n if isinstance(n, int) and not isinstance(n, bool) and n >= 0 else None


def _prod(values: Any) -> int:
    if isinstance(values, int):
        return values
    return math.prod(values)


def _count(op: str, p: dict[str, Any]) -> int | None:
    if op.startswith(("Conv", "LazyConv")) and "in_channels" in p:
        k = p["kernel_size"]
        m = _SPATIAL.search(op)
        n = int(m.group(1)) if m else 1
        k = (k,) * n if isinstance(k, int) else tuple(k)
        if op.startswith("ConvTranspose"):
            w = p["in_channels"] * (p["out_channels"] // p["groups"]) * _prod(k)
        else:
            w = p["out_channels"] * (p["in_channels"] // p["groups"]) * _prod(k)
        return w + (p["out_channels"] if p["bias"] else 0)
    if op == "Linear":
        return p["in_features"] * p["out_features"] + (p["out_features"] if p["bias"] else 0)
    if op == "Bilinear":
        o = p["out_features"]
        return o * p["in1_features"] * p["in2_features"] + (o if p["bias"] else 0)
    if op.startswith(("BatchNorm", "SyncBatchNorm")):
        return 2 * p["num_features"] if p.get("affine", True) else 0
    if op.startswith("InstanceNorm"):
        return 2 * p["num_features"] if p.get("affine", False) else 0
    if op == "GroupNorm":
        return 2 * p["num_channels"] if p.get("affine", True) else 0
    if op == "LayerNorm":
        if not p.get("elementwise_affine", True):
            return 0
        n = _prod(p["normalized_shape"])
        return n * (2 if p.get("bias", True) else 1)
    if op == "RMSNorm":
        return _prod(p["normalized_shape"]) if p.get("elementwise_affine", True) else 0
    if op in ("Embedding", "EmbeddingBag"):
        return p["num_embeddings"] * p["embedding_dim"]
    if op == "PReLU":
        return p.get("num_parameters", 1)
    if op in ("RNN", "LSTM", "GRU"):
        return _rnn_count(op, p)
    if op in ("TransformerEncoderLayer", "TransformerDecoderLayer"):
        # self-attention (+ cross-attention), linear1, linear2, two (three) LayerNorms
        e, f, bias = p["d_model"], p.get("dim_feedforward", 2048), p.get("bias", True)
        attention = 4 * e * e + (4 * e if bias else 0)
        decoder = op == "TransformerDecoderLayer"
        norms = (3 if decoder else 2) * e * (2 if bias else 1)
        return attention * (2 if decoder else 1) + 2 * e * f + (f + e if bias else 0) + norms
    if op in ("TransformerEncoder", "TransformerDecoder"):  # num_layers copies, then the norm
        inner = p["encoder_layer" if op == "TransformerEncoder" else "decoder_layer"]
        n = p["num_layers"] * _count(inner.op, inner)
        norm = p.get("norm")
        return n + (_count(norm.op, norm) if norm is not None else 0)
    if op == "MultiheadAttention":
        e = p["embed_dim"]
        kdim = p.get("kdim") or e
        vdim = p.get("vdim") or e
        n = e * e + e * kdim + e * vdim  # in projections
        if p.get("bias", True):
            n += 3 * e + e
        n += e * e  # out projection weight
        if p.get("add_bias_kv"):
            n += 2 * e
        return n
    return 0 if not _HAS_WEIGHTS.search(op) else None


_HAS_WEIGHTS = re.compile(r"Transformer|Lazy|Adaptive.*Softmax|Embedding|Norm|Linear|Conv")


def _rnn_count(op: str, p: dict[str, Any]) -> int:
    gates = {"RNN": 1, "LSTM": 4, "GRU": 3}[op]
    h, layers = p["hidden_size"], p.get("num_layers", 1)
    proj = p.get("proj_size", 0) or 0
    out = proj or h
    dirs = 2 if p.get("bidirectional") else 1
    total = 0
    for layer in range(layers):
        i = p["input_size"] if layer == 0 else out * dirs
        per = gates * h * i + gates * h * out
        if p.get("bias", True):
            per += 2 * gates * h
        if proj:
            per += proj * h
        total += per * dirs
    return total
