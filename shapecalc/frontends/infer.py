"""Guess a model's input shapes from the first layer that consumes each input.

Conv2d(3, ...) takes (B, 3, H, W); Linear(784, ...) takes (B, 784); Embedding takes (B, T)
token ids. Shape-preserving ops in front of it (a ReLU, a division by 255, a Dropout) are
followed. Sizes the layer does not fix are symbols with the default names B (batch), C, H, W,
L (length), D (depth), T (time / tokens); a model's second input gets the same names with a
suffix (H2, W2), except the batch B, which inputs share.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from .. import symbolic as sym
from ..graph import CONSTANT, INPUT, OUTPUT, LayerGraph, Node, Ref
from ..propagate import propagate
from ..rules import get_rule
from ..values import TensorValue

_SPATIAL = {1: ("L",), 2: ("H", "W"), 3: ("D", "H", "W")}
_CHANNEL_LAYERS = {
    "Conv1d": ("in_channels", 1),
    "Conv2d": ("in_channels", 2),
    "Conv3d": ("in_channels", 3),
    "ConvTranspose1d": ("in_channels", 1),
    "ConvTranspose2d": ("in_channels", 2),
    "ConvTranspose3d": ("in_channels", 3),
    # BatchNorm1d takes (N, C) or (N, C, L): shapecalc assumes the sequence form
    "BatchNorm1d": ("num_features", 1),
    "BatchNorm2d": ("num_features", 2),
    "BatchNorm3d": ("num_features", 3),
    "InstanceNorm1d": ("num_features", 1),
    "InstanceNorm2d": ("num_features", 2),
    "InstanceNorm3d": ("num_features", 3),
    "GroupNorm": ("num_channels", 2),
}


_LAZY_RANK = {
    f"Lazy{kind}{n}d": n
    for kind in ("Conv", "ConvTranspose", "BatchNorm", "InstanceNorm")
    for n in (1, 2, 3)
}


def _symbols(index: int) -> dict[str, Any]:
    suffix = "" if index == 0 else str(index + 1)
    names = ("B", "C", "H", "W", "L", "D", "T")
    return {n: sym.symbol(n if n == "B" else n + suffix) for n in names}


def _concrete_int(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def from_layer(op: str, params: Mapping[str, Any], index: int = 0) -> TensorValue | None:
    """The input a layer ``op`` with constructor ``params`` takes, or None when the layer does
    not tell (or is not a layer shapecalc infers from)."""
    s = _symbols(index)
    if op in _CHANNEL_LAYERS:
        key, rank = _CHANNEL_LAYERS[op]
        channels = params.get(key)
        if not _concrete_int(channels):
            return None
        return TensorValue((s["B"], channels, *(s[n] for n in _SPATIAL[rank])))
    lazy = _LAZY_RANK.get(op)
    if lazy is not None:  # a lazy layer learns its channels from the input: C stays a symbol
        return TensorValue((s["B"], s["C"], *(s[n] for n in _SPATIAL[lazy])))
    if op == "Linear":
        features = params.get("in_features")
        return TensorValue((s["B"], features)) if _concrete_int(features) else None
    if op in ("Embedding", "EmbeddingBag"):
        return TensorValue((s["B"], s["T"]), "int64")
    if op == "LayerNorm":
        shape = params.get("normalized_shape")
        shape = (shape,) if isinstance(shape, int) else tuple(shape or ())
        if not shape or not all(_concrete_int(d) for d in shape):
            return None
        return TensorValue((s["B"], s["T"], *shape))
    if op in ("RNN", "LSTM", "GRU"):
        return _sequence(params.get("input_size"), params.get("batch_first"), s)
    if op == "MultiheadAttention":
        return _sequence(params.get("embed_dim"), params.get("batch_first"), s)
    if op in ("TransformerEncoderLayer", "TransformerDecoderLayer", "Transformer"):
        return _sequence(params.get("d_model"), params.get("batch_first"), s)
    if op in ("TransformerEncoder", "TransformerDecoder"):
        layer = params.get("encoder_layer", params.get("decoder_layer"))
        if isinstance(layer, Mapping):
            return _sequence(layer.get("d_model"), layer.get("batch_first"), s)
    return None


def _sequence(features: Any, batch_first: Any, s: dict[str, Any]) -> TensorValue | None:
    if not _concrete_int(features):
        return None
    if batch_first:
        return TensorValue((s["B"], s["T"], features))
    return TensorValue((s["T"], s["B"], features))


def _from_call(graph: LayerGraph, node: Node, s_index: int) -> TensorValue | None:
    """Functional layers whose weight is a parameter of the model: F.conv2d(x, self.weight),
    F.linear(x, self.weight), F.embedding(x, self.weight)."""
    op = node.op.replace("torch.", "F.")
    weight = node.args[1] if len(node.args) > 1 else node.kwargs.get("weight")
    if not isinstance(weight, Ref) or graph[weight.node].kind != CONSTANT:
        return None
    w = graph[weight.node].value
    if not isinstance(w, TensorValue) or not all(_concrete_int(d) for d in w.shape):
        return None
    for rank in (1, 2, 3):
        if op == f"F.conv{rank}d" and w.ndim == rank + 2:
            groups = node.args[6] if len(node.args) > 6 else node.kwargs.get("groups", 1)
            if not _concrete_int(groups):
                return None
            return from_layer(f"Conv{rank}d", {"in_channels": w.shape[1] * groups}, s_index)
    if op == "F.linear" and w.ndim == 2:
        return from_layer("Linear", {"in_features": w.shape[1]}, s_index)
    if op == "F.embedding":
        return from_layer("Embedding", {}, s_index)
    return None


def _preserves_shape(node: Node, source: str) -> bool:
    """True when ``node`` reads only ``source`` (besides literals) and its rule returns the
    input's shape unchanged, without a finding, for a probe input of some rank: activations,
    dropout, identity, ``x / 255``, ``x.float()``."""
    if node.refs() != [source] or get_rule(node.op) is None:
        return False
    for rank in (4, 3, 2, 5, 1):
        probe = TensorValue(tuple(sym.symbol(f"_probe{i}") for i in range(rank)))
        graph = LayerGraph("probe")
        graph.add(Node(source, "input", INPUT, value=probe))
        graph.add(Node(node.name, node.op, node.kind, node.args, node.kwargs, spec=node.spec))
        graph.add(Node("_output", "output", OUTPUT, (Ref(node.name),)))
        analysis = propagate(graph, strict=False)
        out = analysis.values.get(node.name)
        if (
            not analysis.diagnostics
            and isinstance(out, TensorValue)
            and tuple(map(str, out.shape)) == tuple(map(str, probe.shape))
        ):
            return True
    return False


def infer_input(graph: LayerGraph, name: str, index: int = 0) -> TensorValue | None:
    """The input ``name`` from its first informative consumer (breadth-first in execution
    order, through shape-preserving ops), or None."""
    frontier = [name]
    seen = {name}
    while frontier:
        current = frontier.pop(0)
        for user in graph.users(current):
            if user.name in seen:
                continue
            seen.add(user.name)
            first = user.refs()[:1] == [current]
            if user.spec is not None and first:
                guess = from_layer(user.op, user.spec.params, index)
            elif first:
                guess = _from_call(graph, user, index)
            else:
                guess = None
            if guess is not None:
                return guess
            if _preserves_shape(user, current):
                frontier.append(user.name)
    return None


def infer_inputs(graph: LayerGraph) -> list[TensorValue | None]:
    """A guess for each input of the graph (None where nothing tells)."""
    return [infer_input(graph, node.name, i) for i, node in enumerate(graph.inputs)]
