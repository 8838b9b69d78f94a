"""The JSON contract, version 1, that other tools rely on:

``{"version": 1, "models": [{"name", "source", "input_shapes", "output_shapes", "layers":
[{"name", "op", "output_shape", "params", "location": {"path", "line"}}], "constraints":
[str], "diagnostics": [{"code", "severity", "message", "layer", "location": {"path", "line",
"column"}}]}]}``. A shape is a list of ints and strings holding Python integer expressions
over the input symbols (``"(H - 12)//4"``); an unknown dim is null; a layer whose output is a
tuple of tensors has a list of shapes (a None in it is null: MultiheadAttention's weights with
need_weights=False); a non-tensor output has a null shape. Every constraint
is a Python boolean expression over the symbols (``"H >= 12"``). ``valid_inputs`` (null unless
an input size is a symbol) and ``fc`` hold what the solver makes of the constraints
(shapecalc/solve.py): the exact domain, the smallest input, the sizes that lose no pixels,
and each size-dependent Linear's in_features.

With ``--stats`` (``stats=True``) each layer also has ``"stats": {"macs", "output_bytes",
"trainable_params", "scope", "receptive_field": [{"size", "jump", "start", "whole"} per spatial
axis] or null}`` and the model ``"stats": {"params", "trainable_params", "macs",
"macs_complete", "input_bytes", "output_bytes", "activation_bytes", "peak_activation_bytes"}``;
a count is an int, or a string holding a Python integer expression over the symbols, or null
when unknown.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any

from .. import symbolic as sym
from ..graph import INPUT
from ..values import TensorValue
from . import reporter

VERSION = 1


def dim(d: Any) -> int | str | None:
    if isinstance(d, int):
        return d
    if d is sym.UNKNOWN or not isinstance(d, sym.Expr):
        return None
    return str(d)


def shape(value: Any) -> list | None:
    """A tensor's shape as a JSON list; a tuple of tensors as a list of shapes."""
    if isinstance(value, TensorValue):
        return [dim(d) for d in value.shape]
    if (
        isinstance(value, (tuple, list))
        and any(_has_tensor(v) for v in value)
        and all(_has_tensor(v) or v is None for v in value)
    ):
        return [shape(v) for v in value]  # None inside: MultiheadAttention's weights, or h0
    return None


def _has_tensor(value: Any) -> bool:
    if isinstance(value, TensorValue):
        return True
    return isinstance(value, (tuple, list)) and bool(value) and all(_has_tensor(v) for v in value)


def model_entry(analysis: Any, *, stats: bool = False) -> dict:
    """One model of the contract, from an Analysis."""
    layers = []
    model_stats = analysis.stats() if stats else None
    fields = analysis.receptive_fields() if stats else {}
    for i, layer in enumerate(analysis.layers):
        loc = layer.node.location
        layers.append(
            {
                "name": layer.name,
                "op": layer.op,
                "output_shape": shape(layer.value),
                "params": layer.params,
                "location": {"path": loc.path, "line": loc.line} if loc else None,
            }
        )
        if model_stats is not None:
            layers[-1]["stats"] = _layer_stats(model_stats.layers[i], fields.get(layer.name))
    entry = {
        "name": analysis.name,
        "source": analysis.source or None,
        "input_shapes": [
            shape(analysis.values.get(n.name)) for n in analysis.graph if n.kind == INPUT
        ],
        "output_shapes": [
            None if s is None else [dim(d) for d in s] for s in analysis.output_shapes
        ],
        "layers": layers,
        "constraints": [str(c) for c in analysis.constraints],
        "diagnostics": [d.to_dict() for d in sorted(analysis.diagnostics, key=_key)],
        **solved(analysis),
    }
    if model_stats is not None:
        entry["stats"] = model_stats.to_dict()
    return entry


def solved(analysis: Any) -> dict:
    """``valid_inputs`` (null without symbols): the exact domain per symbol (``conditions``,
    ``symbols``: text, min, max, exact, coupled), the ``smallest`` input and the ``lossless``
    sizes; ``fc``: per Linear whose in_features depends on the symbols, its formula and
    declared value (shapecalc.solve)."""
    from ..solve import fc_sizes, section_dict

    fcs = fc_sizes(analysis, twin=False) if analysis.symbols else []
    return {
        "valid_inputs": section_dict(analysis),
        "fc": [{"layer": f.layer, "formula": str(f.formula), "declared": f.declared} for f in fcs],
    }


def _layer_stats(st: Any, field: Any) -> dict:
    from ..stats import json_count

    return {
        "macs": json_count(st.macs),
        "output_bytes": json_count(st.output_bytes),
        "trainable_params": st.trainable,
        "scope": st.scope,
        "receptive_field": None if field is None else [axis.to_dict() for axis in field],
    }


def _key(diag: Any) -> tuple:
    return diag.sort_key()


def document(analyses: Sequence[Any], *, stats: bool = False) -> dict:
    return {"version": VERSION, "models": [model_entry(a, stats=stats) for a in analyses]}


@reporter("json")
def json_report(analyses: Sequence[Any], *, stats: bool = False, **_options: Any) -> str:
    return json.dumps(document(analyses, stats=stats), indent=2)
