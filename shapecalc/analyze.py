"""The Python API: ``shapecalc.analyze(model_or_path, *input_shapes)``.

``model_or_path`` is an ``nn.Module`` instance, a path (``"model.py"``, ``"model.py:Net"``,
``"model.py:ResBlk(64, 256)"``, ``"arch.scn"``), a ``LoadedModel`` or a ``LayerGraph``. Input
shapes are strings (``"B,3,H,W"``, ``"2,3,32,32"``), tuples of ints and symbol names
(``(1, 3, "H", "W")``), ``TensorValue``s or tensors; missing ones come from the file's
``# shapecalc: input=`` comment, else are inferred from the first layer that consumes them.

torch is imported only when a torch model is analysed.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Sequence
from typing import Any

from . import symbolic as sym
from .diagnostics import Diagnostic, Severity
from .frontends import FrontendError, LoadedModel
from .graph import LayerGraph
from .inputs import InputSpecError, parse_shape
from .propagate import Analysis, propagate, strict_default
from .rules import short_name
from .values import TensorValue


def analyze(model_or_path: Any, *input_shapes: Any, strict: bool | None = None) -> Analysis:
    """Every layer's output shape, the model's outputs, the conditions on the input symbols
    and the diagnostics. Raises FrontendError when the model cannot be loaded, picked or
    given inputs."""
    loaded = to_loaded(model_or_path)
    return analyze_loaded(loaded, [to_input(s) for s in input_shapes], strict=strict)


def to_input(spec: Any) -> TensorValue:
    """An input shape as a TensorValue, from any of the forms analyze() accepts."""
    if isinstance(spec, TensorValue):
        return spec
    if isinstance(spec, str):
        try:
            return parse_shape(spec)
        except InputSpecError as exc:
            raise FrontendError(f"invalid input shape {spec!r}: {exc}") from None
    shape = getattr(spec, "shape", None)
    if shape is not None and hasattr(spec, "dtype"):  # a tensor: its shape and dtype
        return TensorValue(tuple(int(d) for d in shape), str(spec.dtype).removeprefix("torch."))
    if isinstance(spec, (tuple, list)):
        dims: list[Any] = []
        for d in spec:
            if isinstance(d, bool) or not isinstance(d, (int, str, sym.Expr)):
                raise FrontendError(f"invalid input shape {spec!r}: {d!r} is not a size")
            if isinstance(d, int) and d < 0:
                raise FrontendError(f"invalid input shape {spec!r}: sizes must not be negative")
            dims.append(sym.symbol(d) if isinstance(d, str) else d)
        return TensorValue(tuple(dims))
    raise FrontendError(f"invalid input shape {spec!r}: give e.g. 'B,3,H,W' or (1, 3, 32, 32)")


def to_loaded(model_or_path: Any) -> LoadedModel:
    if isinstance(model_or_path, LoadedModel):
        return model_or_path
    if isinstance(model_or_path, LayerGraph):
        return LoadedModel(model_or_path.name, model_or_path.source or "", model_or_path)
    if isinstance(model_or_path, (str, os.PathLike)):
        from .frontends.loader import load

        path = os.fspath(model_or_path)
        models = load(path)
        if len(models) != 1:
            names = ", ".join(m.name for m in models)
            raise FrontendError(
                f"{path} defines {len(models)} models ({names}); pick one with "
                f"'{path}:{models[0].name}'"
            )
        return models[0]
    torch = sys.modules.get("torch")
    if torch is not None and isinstance(model_or_path, torch.nn.Module):
        from .frontends.torch import graph_from_module

        name = type(model_or_path).__name__
        graph = graph_from_module(model_or_path, name)
        return LoadedModel(name, "", graph, build=lambda: model_or_path)
    raise TypeError(
        "analyze() takes an nn.Module, a path, a LoadedModel or a LayerGraph, "
        f"not {type(model_or_path).__name__}"
    )


def choose_inputs(loaded: LoadedModel, given: Sequence[TensorValue]) -> list[TensorValue]:
    """The given shapes, then the file's declared ones, then a guess from the first layer
    that consumes each input."""
    graph = loaded.graph
    nodes = graph.inputs
    if len(given) > len(nodes):
        names = ", ".join(n.name for n in nodes) or "none"
        raise FrontendError(
            f"{loaded.name} takes {len(nodes)} input(s) ({names}), got {len(given)} shapes"
        )
    declared = loaded.inputs or []
    values = list(given)
    for i in range(len(values), len(nodes)):
        if i < len(declared):
            values.append(declared[i])
            continue
        if nodes[i].value is not None:
            values.append(nodes[i].value)
            continue
        guess = _infer(graph, i)
        if guess is None:
            raise FrontendError(
                f"cannot infer the shape of input '{nodes[i].name}' of {loaded.name}: "
                "pass --input (e.g. --input 1,3,224,224), or add a "
                "'# shapecalc: input=...' comment to the file"
            )
        values.append(guess)
    return values


def _infer(graph: LayerGraph, index: int) -> TensorValue | None:
    from .frontends.infer import infer_input

    if graph.recorder is not None:
        infer = getattr(graph.recorder, "infer_input", None)
        return infer() if infer is not None and len(graph.inputs) == 1 else None
    return infer_input(graph, graph.inputs[index].name, index)


def analyze_loaded(
    loaded: LoadedModel, inputs: Sequence[TensorValue] = (), *, strict: bool | None = None
) -> Analysis:
    """The analysis of a loaded model: inputs chosen, the graph recorded at concrete sizes
    when it could not be traced, propagated, with the frontend's own findings added."""
    return best_analysis(loaded, inputs, strict=strict)[1]


def best_analysis(
    loaded: LoadedModel, given: Sequence[TensorValue] = (), *, strict: bool | None = None
) -> tuple[list[TensorValue], Analysis]:
    """The inputs chosen (choose_inputs) and the analysis at them. An input guessed from its
    first layer has other plausible ranks: a Linear or LayerNorm takes (B, F) as well as
    (B, T, F). When the guess gives errors, the other is tried
    and the inputs with the fewest errors about ranks (then errors) win, the first guess on a
    tie: a model whose forward unpacks ``b, t, d = x.shape`` is not wrong for a (B, F) it was
    never meant for."""
    values = choose_inputs(loaded, given)
    best = (values, _analyze_at(loaded, values, strict))
    for i in _guessed(loaded, given) if best[1].errors else ():
        for other in _other_ranks(values[i]):
            candidate = [*values[:i], other, *values[i + 1 :]]
            try:
                analysis = _analyze_at(loaded, candidate, strict)
            except FrontendError:
                continue
            if _misfit(analysis) < _misfit(best[1]):
                best = (candidate, analysis)
    return best


# errors that say a tensor has the wrong number of dimensions for what the forward does with it
_RANK_CODES = frozenset({"SC206", "SC404", "SC406", "SC410"})


def _misfit(analysis: Analysis) -> tuple[int, int]:
    """How badly inputs fit a model: errors about ranks first, then all errors."""
    codes = [d.code for d in analysis.errors]
    return sum(c in _RANK_CODES for c in codes), len(codes)


def _guessed(loaded: LoadedModel, given: Sequence[TensorValue]) -> list[int]:
    """The positions of the inputs choose_inputs guesses."""
    declared = loaded.inputs or []
    return [
        i
        for i, node in enumerate(loaded.graph.inputs)
        if i >= len(given) and i >= len(declared) and node.value is None
    ]


def _other_ranks(value: TensorValue) -> list[TensorValue]:
    shape = value.shape
    if value.dtype.startswith("int") or not shape or not sym.is_symbolic(shape[0]):
        return []
    batch = shape[0]
    if len(shape) == 2:  # (B, F) -> (B, T, F)
        return [value.with_shape((batch, sym.symbol("T"), *shape[1:]))]
    if str(shape[1]).startswith("T") and sym.is_symbolic(shape[1]):  # (B, T, F) -> (B, F)
        return [value.with_shape((batch, *shape[2:]))]
    # not an unbatched (C, H, W) for a conv's (B, C, H, W): a flatten(1) then sees other
    # sizes, and a wrong Linear after it would no longer be an error
    return []


def _analyze_at(
    loaded: LoadedModel, values: list[TensorValue], strict: bool | None, retrace: bool = True
) -> Analysis:
    strict = strict_default() if strict is None else strict
    graph = loaded.graph
    given = values
    if graph.recorder is not None:
        graph = _record(loaded, values, retrace)
        if hasattr(graph, "recorded"):  # recorded at concrete sizes, not traced again
            values = [n.value for n in graph.inputs]
        else:
            analysis = _analyze_graph(graph, values, strict)
            # traced again knowing the ranks, but a size it computes needs concrete values
            # (``int((h - 1) / 4 + 1)``): the recording at one size says more
            if any(d.code == "SC905" for d in analysis.diagnostics):
                return _analyze_at(loaded, given, strict, retrace=False)
            return analysis
    return _analyze_graph(graph, values, strict)


def _analyze_graph(graph: LayerGraph, values: list[TensorValue], strict: bool) -> Analysis:
    fallback = None
    if not strict and (graph.fx_module is not None or hasattr(graph, "recorded")):
        from .frontends.torch import MetaFallback

        fallback = MetaFallback(graph)
    analysis = None
    if graph.prepared is not None and not strict:
        analysis, graph.prepared = graph.prepared(values), None
    if analysis is None:
        analysis = propagate(graph, values, strict=strict, fallback=fallback)
    for diag in graph.frontend_diagnostics:
        analysis._add_diagnostic(diag)
    for node in fallback.evaluated if fallback is not None else ():
        analysis._add_diagnostic(
            Diagnostic(
                "SC901",
                Severity.WARNING,
                f"no shape rule for {node.op}; '{node.name}' was evaluated on meta tensors at "
                "this input size, so its shapes are not checked",
                node.name,
                node.location,
            )
        )
    for node, message in fallback.failed if fallback is not None else ():
        # the op has no rule but torch itself rejects it at these sizes: an error, in the
        # place of the "not checked" warning
        analysis.diagnostics[:] = [
            d for d in analysis.diagnostics if not (d.code == "SC901" and d.layer == node.name)
        ]
        analysis._add_diagnostic(
            Diagnostic(
                "SC113",
                Severity.ERROR,
                f"{short_name(node.op)} '{node.name}' fails in PyTorch at these sizes "
                f"({message}); shapecalc has no rule for it, so this was found by running it",
                node.name,
                node.location,
            )
        )
    return analysis


def _declared_instance(loaded: LoadedModel, values: list[TensorValue]) -> list[TensorValue] | None:
    """The file's declared concrete inputs when they are an instance of ``values`` (same
    ranks and dtypes, equal concrete sizes, each symbol one size throughout), else None."""
    declared = loaded.inputs or []
    if len(declared) != len(values) or not any(v.is_symbolic for v in values):
        return None
    env: dict[str, int] = {}
    for want, have in zip(values, declared):
        if want.ndim != have.ndim or want.dtype != have.dtype or have.is_symbolic:
            return None
        for w, h in zip(want.shape, have.shape):
            if isinstance(w, int):
                if w != h:
                    return None
            elif sym.free_symbols(w) != {str(w)} or env.setdefault(str(w), h) != h:
                return None
    return list(declared)


def _record(loaded: LoadedModel, values: list[TensorValue], retrace: bool = True) -> LayerGraph:
    from .frontends.record import RecordingFailed

    try:
        return loaded.graph.recorder(values, retrace)  # type: ignore[misc]
    except RecordingFailed as exc:
        # the representative size (224) may be one the forward rejects (CRNN's
        # ``assert h == 1``): the file's own declared input, when it fits the symbolic one
        declared = _declared_instance(loaded, values)
        if declared is not None:
            try:
                return loaded.graph.recorder(declared, retrace)  # type: ignore[misc]
            except RecordingFailed:
                pass
        where = f"{exc.location}: " if exc.location else ""
        raise FrontendError(
            f"{where}{exc} (torch.fx cannot trace {loaded.name}.forward and recording it on "
            "meta tensors failed too)"
        ) from None
