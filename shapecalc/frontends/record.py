"""The fallback frontend: record what one meta-tensor forward executes.

Where torch.fx cannot trace a forward (``if x.shape[-1] > 64:``, ``for i in
range(x.size(1))``), run it on meta tensors of concrete sizes and record the ops it executes:
torch functions and tensor methods through a TorchFunctionMode, torch.nn layers as single
nodes (the ops inside them are not recorded). Sizes the forward reads become literals, so the
graph is specialised to those sizes; analyze() says so with SC001.

An op that fails on meta tensors (a layer whose arguments PyTorch rejected, a shape error the
analysis must report) gets the output its shape rule predicts, so recording goes on past it.
A forward that reads tensor values (``if x.sum() > 0``) is recorded from a CPU forward of
zeros instead (the model's weights zeroed on CPU while it runs), following the branch zeros
take.
"""

from __future__ import annotations

import contextlib
import sys
import warnings
from collections.abc import Mapping
from typing import Any

import torch
import torch.nn as nn
from torch.overrides import TorchFunctionMode

from .. import symbolic as sym
from ..diagnostics import Diagnostic, Location, Severity
from ..graph import (
    CONSTANT,
    FUNCTION,
    INPUT,
    METHOD,
    MODULE,
    OUTPUT,
    LayerGraph,
    Node,
    Ref,
)
from ..values import TensorValue, format_shape
from .locations import SourceMap
from .torch import (
    TraceFailure,
    _FxConverter,
    built_at,
    convert_constant,
    eval_mode,
    forward_inputs,
    function_op,
    is_leaf,
    module_op,
    module_params,
    module_spec,
    parameter_spec,
    tensor_value,
    trace,
    unused_rejections,
)
from .torch import from_torch as _from_torch

# the representative sizes that stand in for symbols when a graph must be recorded at concrete
# sizes: batch 1, every other size 224 (the ImageNet size, a multiple of 32 and of 16)
BATCH_SIZE = 1
OTHER_SIZE = 224

# dunder methods of Tensor, recorded under the operator they implement; reflected forms swap
# their operands
_DUNDERS = {
    "__getitem__": ("operator.getitem", False),
    "__add__": ("operator.add", False),
    "__radd__": ("operator.add", True),
    "__sub__": ("operator.sub", False),
    "__rsub__": ("operator.sub", True),
    "__mul__": ("operator.mul", False),
    "__rmul__": ("operator.mul", True),
    "__truediv__": ("operator.truediv", False),
    "__rtruediv__": ("operator.truediv", True),
    "__floordiv__": ("operator.floordiv", False),
    "__rfloordiv__": ("operator.floordiv", True),
    "__mod__": ("operator.mod", False),
    "__pow__": ("operator.pow", False),
    "__rpow__": ("operator.pow", True),
    "__matmul__": ("operator.matmul", False),
    "__rmatmul__": ("operator.matmul", True),
    "__neg__": ("operator.neg", False),
    "__and__": ("operator.and_", False),
    "__or__": ("operator.or_", False),
    "__invert__": ("operator.invert", False),
    "__eq__": ("operator.eq", False),
    "__ne__": ("operator.ne", False),
    "__lt__": ("operator.lt", False),
    "__le__": ("operator.le", False),
    "__gt__": ("operator.gt", False),
    "__ge__": ("operator.ge", False),
}


def concretise(value: TensorValue, index: int = 0) -> TensorValue:
    """Each symbol replaced by its representative size: B (the batch) by 1, any other by 224."""
    env = {}
    for d in value.shape:
        for name in sym.free_symbols(d):
            env[name] = BATCH_SIZE if name.rstrip("0123456789") == "B" else OTHER_SIZE
    return value.with_shape(tuple(sym.evaluate(d, env) for d in value.shape))


class RecordedGraph(LayerGraph):
    """A graph recorded from one meta-tensor forward; ``recorded`` holds each node's output
    as torch gave it (what MetaFallback answers for ops without a rule)."""

    def __init__(self, name: str = "model", source: str | None = None) -> None:
        super().__init__(name, source)
        self.recorded: dict[str, Any] = {}


class RecordingFailed(Exception):
    """The forward could not be run on meta tensors (it depends on tensor values, or an op's
    output could not be predicted); ``location`` is the user's line."""

    def __init__(self, message: str, location: Location | None) -> None:
        super().__init__(message)
        self.location = location


class _Stop(Exception):
    """An op whose output neither torch nor its rule can give: recording ends there."""


class Recorder:
    """graph.recorder for a model torch.fx could not trace: ``recorder(inputs)`` returns a
    LayerGraph recorded at those concrete sizes, with an SC001 frontend diagnostic."""

    def __init__(
        self,
        module: nn.Module,
        name: str,
        source: str | None,
        source_map: SourceMap,
        locations: Mapping[nn.Module, Location],
        failure: TraceFailure,
    ) -> None:
        self.module = module
        self.name = name
        self.source = source
        self.source_map = source_map
        self.locations = locations
        self.failure = failure
        self._traced: dict[tuple[int, ...], Any] = {}

    def __call__(self, inputs: list[TensorValue], retrace: bool = True) -> LayerGraph:
        """``retrace``: first try tracing again knowing the inputs' ranks (traced_at)."""
        concrete = [concretise(v) for v in inputs]
        traced = self.traced_at(concrete) if retrace else None
        if traced is not None:
            return traced
        kind = "meta-tensor forward"
        try:
            graph = _Session(self, concrete).run()
        except RecordingFailed as failure:
            # a forward that reads tensor values (``if x.sum() > 0``, ``.item()``) cannot run
            # on meta tensors; it is recorded from a CPU forward of zeros at the same sizes
            if not _reads_values(failure):
                raise
            with _materialised(self.module):
                graph = _Session(self, concrete, device="cpu").run()
            kind = "CPU forward of zeros"
        graph.frontend_diagnostics.extend(unused_rejections(self.module, graph, self.locations))
        shapes = ", ".join(format_shape(v.shape) for v in concrete)
        reason = str(self.failure).splitlines()[0] if str(self.failure) else "unknown reason"
        graph.frontend_diagnostics.append(
            Diagnostic(
                "SC001",
                Severity.WARNING,
                f"torch.fx cannot trace {self.name}.forward ({reason}); the graph was recorded "
                f"from one {kind} at input {shapes}: shapes hold for that input "
                "only, symbolic shapes are not available",
                None,
                self.failure.location,
            )
        )
        graph.notes.append(f"specialised to input {shapes}")
        return graph

    def traced_at(self, concrete: list[TensorValue]) -> LayerGraph | None:
        """The forward traced again knowing the inputs' ranks, so that unpacking a traced
        size (``b, c, *s = x.shape``, ``x.view(b, c, *x.size()[2:])``) gives one graph value
        per dim: a symbolic graph, None when fx still cannot trace it."""
        key = tuple(len(v.shape) for v in concrete)
        if key not in self._traced:
            try:
                self._traced[key] = trace(self.module, self.source_map, concrete)
            except TraceFailure:
                self._traced[key] = None
        gm = self._traced[key]
        if gm is None:
            return None
        graph = _FxConverter(gm, self.module, self.name, self.source, self.locations).convert()
        graph.frontend_diagnostics.extend(unused_rejections(self.module, graph, self.locations))
        return graph

    def infer_input(self) -> TensorValue | None:
        """A guess at the input from the first informative layer in registration order (the
        graph is unknown before recording)."""
        from .infer import from_layer

        for module in self.module.modules():
            if is_leaf(module):
                op = module_op(module)
                guess = from_layer(op, module_params(module, op))
                if guess is not None:
                    return guess
        return None


class _Session(TorchFunctionMode):
    """One recording run. Tensors are known by identity; each tensor produced at top level
    (outside any leaf layer) maps to the graph node that made it."""

    def __init__(self, recorder: Recorder, inputs: list[TensorValue], device: str = "meta") -> None:
        super().__init__()
        self.device = device
        self.rec = recorder
        self.inputs = inputs
        self.graph = RecordedGraph(recorder.name, recorder.source)
        self.values = self.graph.recorded  # node name -> recorded value
        self.producers: dict[int, Any] = {}  # id(tensor) -> Ref or (parent Ref, index path)
        self.keep: list[Any] = []  # keeps recorded tensors alive so ids stay unique
        self.depth = 0  # > 0 inside a leaf layer or shapecalc's own bookkeeping
        self.counted: set[int] = set()
        module = recorder.module
        self.attr_names = {id(t): n for n, t in module.named_parameters(remove_duplicate=False)}
        self.attr_names.update({id(t): n for n, t in module.named_buffers(remove_duplicate=False)})
        self.stop_code = _Session.run.__code__

    # -------------------------------------------------------------------------------- run
    def run(self) -> LayerGraph:
        names = forward_inputs(self.rec.module)
        if len(names) != len(self.inputs):
            raise RecordingFailed(
                f"{self.rec.name}.forward takes {len(names)} input(s), got {len(self.inputs)}",
                None,
            )
        tensors = []
        for name, value in zip(names, self.inputs):
            t = torch.zeros(value.shape, dtype=getattr(torch, value.dtype), device=self.device)
            self._add(Node(name, "input", INPUT, value=value), t)
            tensors.append(t)
        patched = self._patch_leaves()
        try:
            with self, torch.no_grad(), eval_mode(self.rec.module), warnings.catch_warnings():
                warnings.simplefilter("ignore")
                result: Any = self.rec.module(*tensors)
        except _Stop as stop:
            result = stop.args[0]
        except RecordingFailed:
            raise
        except (Exception, SystemExit) as exc:  # a forward that calls sys.exit() is a failure
            loc = self.rec.source_map.from_traceback(exc.__traceback__)
            raise RecordingFailed(f"{type(exc).__name__}: {exc}", loc) from exc
        finally:
            for module, had, old in patched:
                del module.forward
                if had:
                    module.forward = old
        self.graph.add(Node("output", "output", OUTPUT, (self._arg(result),)))
        return self.graph

    def _patch_leaves(self) -> list[tuple[nn.Module, bool, Any]]:
        patched: list[tuple[nn.Module, bool, Any]] = []
        leaves: list[str] = []
        for qualname, module in self.rec.module.named_modules():
            if not qualname or not is_leaf(module):
                continue
            if any(qualname.startswith(leaf + ".") for leaf in leaves):
                continue  # inside a leaf: its ops belong to the leaf's node
            leaves.append(qualname)
            had = "forward" in module.__dict__
            patched.append((module, had, module.__dict__.get("forward")))
            module.forward = self._leaf_forward(module, qualname, module.forward)
        return patched

    # ------------------------------------------------------------------------------ values
    def _add(self, node: Node, out: Any) -> None:
        self.graph.add(node)
        self.values[node.name] = _from_torch(out)
        self._register(out, Ref(node.name))

    def _register(self, out: Any, ref: Ref, path: tuple = ()) -> None:
        if isinstance(out, torch.Tensor):
            self.producers[id(out)] = ref if not path else (ref, path)
            self.keep.append(out)
        elif isinstance(out, (tuple, list)):
            for i, v in enumerate(out):
                self._register(v, ref, path + (i,))

    def _arg(self, value: Any) -> Any:
        if isinstance(value, Ref):
            return value
        if isinstance(value, torch.Tensor):
            return self._ref(value)
        if isinstance(value, torch.Size):
            return tuple(int(d) for d in value)
        if isinstance(value, (tuple, list)):
            items = [self._arg(v) for v in value]
            return items if isinstance(value, list) else tuple(items)
        if isinstance(value, dict):
            return {k: self._arg(v) for k, v in value.items()}
        if isinstance(value, slice):
            return slice(*(self._arg(v) for v in (value.start, value.stop, value.step)))
        return convert_constant(value)

    def _ref(self, t: torch.Tensor) -> Ref:
        known = self.producers.get(id(t))
        if isinstance(known, Ref):
            return known
        if known is not None:  # an element of a tuple output: materialise getitem nodes
            parent, path = known
            ref, value = parent, self.values[parent.node]
            for index in path:
                value = value[index]
                name = self.graph.unique_name("getitem")
                self.graph.add(Node(name, "operator.getitem", FUNCTION, (ref, index)))
                self.values[name] = value
                ref = Ref(name)
            self.producers[id(t)] = ref
            return ref
        # a parameter, buffer or tensor attribute read directly in forward
        name = self.graph.unique_name(self.attr_names.get(id(t), "_tensor_constant0"))
        spec = parameter_spec(t, self.counted)
        value = tensor_value(t, const=True)
        self._add(Node(name, "constant", CONSTANT, value=value, spec=spec), t)
        self.values[name] = value
        return Ref(name)

    # ------------------------------------------------------------------------------- ops
    def __torch_function__(self, func: Any, types: Any, args: tuple = (), kwargs: Any = None):  # noqa: ANN204
        kwargs = kwargs or {}
        if self.depth > 0:
            return func(*args, **kwargs)
        op, kind, op_args = _call_op(func, args)
        if op is None:
            return func(*args, **kwargs)
        try:
            out = func(*args, **kwargs)
        except Exception as exc:
            out, error = _FAILED, exc
        if out is not _FAILED and not _has_tensor(out):
            return out  # sizes, dims, flags: they enter later ops as literals
        # arguments first: reading an element of a tuple output adds getitem nodes, which
        # must take their names before this node does
        node_args, node_kwargs = self._arg(tuple(op_args)), self._arg(dict(kwargs))
        node = Node(
            self.graph.unique_name(op.rsplit(".", 1)[-1].strip("_") or "op"),
            op,
            kind,
            node_args,
            node_kwargs,
            location=self.rec.source_map.innermost(sys._getframe(), stop=(self.stop_code,)),
        )
        if out is _FAILED:
            out = self._predict(node, error)
        self._add(node, out)
        return out

    def _leaf_forward(self, module: nn.Module, qualname: str, original: Any) -> Any:
        def forward(*args: Any, **kwargs: Any) -> Any:
            if self.depth > 0:
                return original(*args, **kwargs)
            self.depth += 1
            try:
                op = module_op(module)
                node_args, node_kwargs = self._arg(args), self._arg(kwargs)
                node = Node(
                    self.graph.unique_name(qualname),
                    op,
                    MODULE,
                    node_args,
                    node_kwargs,
                    spec=module_spec(module, op, self.counted),
                    location=built_at(self.rec.locations, module),
                    call_location=self.rec.source_map.innermost(
                        sys._getframe(), stop=(self.stop_code,)
                    ),
                )
                try:
                    out = original(*args, **kwargs)
                except Exception as exc:  # rejected arguments, or a shape error to report
                    out = self._predict(node, exc)
                self._add(node, out)
            finally:
                self.depth -= 1
            return out

        return forward

    def _predict(self, node: Node, error: Exception) -> Any:
        """For an op torch refused on meta tensors: the output its rule predicts, as meta
        tensors. When the rule finds an error but no output, recording stops there (_Stop);
        when there is no rule or no error (``bool(x.sum() > 0)`` depends on values, not
        sizes), torch's own error stands."""
        from ..propagate import propagate

        probe = LayerGraph("probe")
        for ref in node.refs():
            probe.add(Node(ref, "constant", CONSTANT, value=self.values[ref]))
        probe.add(node)
        probe.add(Node("output", "output", OUTPUT, (Ref(node.name),)))
        analysis = propagate(probe, strict=False)
        predicted = analysis.values.get(node.name)
        meta = _meta(predicted, self.device)
        if meta is not None:
            return meta
        if analysis.errors:
            # sizes the rule cannot know after the error (a failed cat's spatial sizes) are
            # taken from the op's first operand of the same rank, so that the forward runs on
            # and the layers after it are checked too; the graph keeps them unknown
            operands = [self.values[ref] for ref in node.refs()]
            meta = _meta(_stand_in(predicted, operands), self.device)
            if meta is not None:
                return meta
            self.graph.add(node)
            raise _Stop(Ref(node.name))
        raise error


_FAILED = object()


def _call_op(func: Any, args: tuple) -> tuple[str | None, str, tuple]:
    """(rule key, node kind, arguments in the operator's order) for a torch function; None
    for attribute reads and calls that are not ops (``x.shape``, ``x.dim()``)."""
    name = getattr(func, "__name__", "")
    if name == "__get__":
        owner = getattr(func, "__self__", None)
        attr = getattr(owner, "__name__", None)
        if attr is None:
            return None, FUNCTION, args
        return "builtins.getattr", FUNCTION, (args[0], attr)
    if name in _DUNDERS and getattr(torch.Tensor, name, None) is func:
        op, swapped = _DUNDERS[name]
        return op, FUNCTION, tuple(reversed(args)) if swapped else args
    if func in (getattr(torch.Tensor, name, None), getattr(torch._C.TensorBase, name, None)):
        return f"Tensor.{name}", METHOD, args
    return function_op(func), FUNCTION, args


def _has_tensor(value: Any) -> bool:
    if isinstance(value, torch.Tensor):
        return True
    if isinstance(value, (tuple, list)):
        return any(_has_tensor(v) for v in value)
    return False


@contextlib.contextmanager
def _materialised(module: nn.Module) -> Any:
    """The model (built on meta) with zero weights on CPU, in place (its layers keep their
    identity, which their source locations are keyed by); back on meta afterwards."""
    on_meta = any(t.device.type == "meta" for t in (*module.parameters(), *module.buffers()))
    if not on_meta:
        yield module
        return
    module.to_empty(device="cpu")
    with torch.no_grad():
        for t in (*module.parameters(), *module.buffers()):
            t.zero_()
    try:
        yield module
    finally:
        module.to("meta")


def _reads_values(failure: RecordingFailed) -> bool:
    """The meta forward failed because it needs tensor values, not because of a size."""
    text = str(failure)
    return "meta tensors" in text or "data-dependent" in text or "on meta" in text


def _stand_in(value: Any, operands: list[Any]) -> Any:
    """``value`` with each unknown size of a tensor replaced by the size at that position of
    the first operand tensor of the same rank (None when there is none)."""
    if isinstance(value, TensorValue):
        same = [o for o in operands if isinstance(o, TensorValue) and o.ndim == value.ndim]
        dims = []
        for i, d in enumerate(value.shape):
            if isinstance(d, int):
                dims.append(d)
            elif same and isinstance(same[0].shape[i], int):
                dims.append(same[0].shape[i])
            else:
                return None
        return value.with_shape(tuple(dims))
    if isinstance(value, (tuple, list)):
        items = [_stand_in(v, operands) for v in value]
        return None if any(i is None for i in items) else type(value)(items)
    return None


def _meta(value: Any, device: str = "meta") -> Any:
    """Tensors of ``value``'s shapes: empty on meta, zeros on CPU."""
    if isinstance(value, TensorValue):
        if not all(isinstance(d, int) and d >= 0 for d in value.shape):
            return None
        return torch.zeros(value.shape, dtype=getattr(torch, value.dtype), device=device)
    if isinstance(value, (tuple, list)):
        items = [_meta(v, device) for v in value]
        if any(i is None for i in items):
            return None
        return items if isinstance(value, list) else tuple(items)
    return None
