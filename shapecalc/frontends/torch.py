"""torch.nn.Module -> LayerGraph, by tracing the forward with torch.fx.

torch.nn layers stay leaves (one node each, their rule applies); containers (Sequential,
ModuleList, ...) and the user's own modules are traced through. Every node gets the source
location of the user's code: the line that built a layer, the forward line of an op.

When torch.fx cannot trace a forward (Python control flow on sizes or values), the graph has
no nodes but its inputs and ``graph.recorder`` is set: record.py records what one meta-tensor
forward executes at concrete input sizes.
"""

from __future__ import annotations

import builtins
import inspect
import math
import operator
import sys
import warnings
from collections.abc import Mapping
from typing import Any

import torch
import torch.fx as fx
import torch.nn as nn
import torch.nn.functional as F

from .. import symbolic as sym
from ..diagnostics import Diagnostic, Location, Severity
from ..graph import (
    CONSTANT,
    FUNCTION,
    INPUT,
    METHOD,
    MODULE,
    OUTPUT,
    LayerArgs,
    LayerGraph,
    LayerSpec,
    Node,
    Ref,
)
from ..rules import get_rule
from ..values import TensorValue
from .locations import SourceMap

CONTAINERS = (nn.Sequential, nn.ModuleList, nn.ModuleDict, nn.ParameterList, nn.ParameterDict)

# -------------------------------------------------------------------------------- modules


def is_torch_nn_class(cls: type) -> bool:
    module = getattr(cls, "__module__", "") or ""
    return module == "torch.nn" or module.startswith("torch.nn.")


def is_leaf(module: nn.Module) -> bool:
    """torch.nn layers are leaves, and so is a user subclass of one that keeps its forward;
    containers and everything else are traced through."""
    if isinstance(module, CONTAINERS):
        return False
    owner = next((k for k in type(module).__mro__ if "forward" in k.__dict__), nn.Module)
    return owner is not nn.Module and is_torch_nn_class(owner)


def module_op(module: nn.Module) -> str:
    """The rule key of a leaf: its class name, or that of the nearest torch.nn base class that
    has a module rule (``NonDynamicallyQuantizableLinear`` -> ``Linear``)."""
    for klass in type(module).__mro__:
        if klass is nn.Module:
            break
        if is_torch_nn_class(klass):
            rule = get_rule(klass.__name__)
            if rule is not None and rule.module:
                return klass.__name__
    return type(module).__name__


def _lazy_unknown(module: nn.Module) -> dict[str, Any]:
    """Lazy layers (LazyConv2d, LazyLinear) learn their input size at the first forward."""
    has = getattr(module, "has_uninitialized_params", None)
    if has is None or not has():
        return {}
    return {
        name: sym.UNKNOWN
        for name in ("in_channels", "in_features", "num_features")
        if hasattr(module, name)
    }


def _activation_name(activation: Any) -> Any:
    """A Transformer layer's activation as its constructor takes it: ``"relu"`` for F.relu, the
    module's arguments for an nn.GELU() (shown ``GELU()``), the callable's name otherwise."""
    if isinstance(activation, str):
        return activation
    if isinstance(activation, nn.Module):
        op = module_op(activation)
        return LayerArgs(op, module_params(activation, op))
    return getattr(activation, "__name__", repr(activation))


def _first_layer_activation(model: nn.Module) -> dict[str, Any]:
    layers = getattr(getattr(model, "encoder", None), "layers", None)
    if not layers or not hasattr(layers[0], "activation"):
        return {}
    return {"activation": _activation_name(layers[0].activation)}


# torch stores a few constructor arguments under other names (or only through what they built)
ADAPTERS: dict[str, Any] = {
    "MultiheadAttention": lambda m: {
        "bias": m.in_proj_bias is not None,
        "add_bias_kv": m.bias_k is not None,
        # torch stores kdim=None as embed_dim: shown as the user wrote it, both mean the same
        "kdim": None if m.kdim == m.embed_dim else m.kdim,
        "vdim": None if m.vdim == m.embed_dim else m.vdim,
    },
    "TransformerEncoderLayer": lambda m: {"activation": _activation_name(m.activation)},
    "TransformerDecoderLayer": lambda m: {"activation": _activation_name(m.activation)},
    "Transformer": _first_layer_activation,
}


def module_params(module: nn.Module, op: str) -> dict[str, Any]:
    """The layer's constructor arguments by the rule's parameter names, read back from the
    module's attributes (or from where the rule's ``sources`` say torch keeps them); missing
    ones take the parameter's default. A submodule found there stands for its own
    constructor arguments (a dict), as rules of composite layers expect."""
    rule = get_rule(op)
    if rule is None or not rule.module or rule.init is None:
        return _plain_attributes(module)
    shell = "_shapecalc_rejected" in module.__dict__  # holds the user's arguments as given
    special = dict(ADAPTERS[op](module)) if op in ADAPTERS and not shell else {}
    special.update(_lazy_unknown(module))
    sources = {} if shell else getattr(rule, "sources", None) or {}
    params: dict[str, Any] = {}
    for name, p in rule.init.parameters.items():
        if p.kind in (p.VAR_POSITIONAL, p.VAR_KEYWORD):
            continue
        if name in special:
            params[name] = special[name]
            continue
        missing = sym.UNKNOWN if p.default is p.empty else p.default
        try:
            value = _attribute(module, sources.get(name, name))
        except AttributeError:
            params[name] = missing
            continue
        if inspect.ismethod(value):
            params[name] = missing
        elif isinstance(value, nn.Module):
            sub = module_op(value)
            params[name] = LayerArgs(sub, module_params(value, sub))
        elif isinstance(p.default, bool) and (value is None or isinstance(value, torch.Tensor)):
            params[name] = value is not None  # ``bias``: a Parameter or None
        else:
            params[name] = convert_constant(value)
    return params


def _attribute(module: nn.Module, path: str) -> Any:
    value: Any = module
    for part in path.split("."):
        value = getattr(value, part)
    return value


def _plain_attributes(module: nn.Module) -> dict[str, Any]:
    """A layer without a rule: its public plain attributes (num_features, eps, ...), which are
    its constructor arguments for most torch.nn layers."""
    plain = (int, float, str, bool, tuple, type(None))
    return {
        k: convert_constant(v)
        for k, v in vars(module).items()
        if not k.startswith("_") and k != "training" and isinstance(v, plain)
    }


def module_spec(module: nn.Module, op: str, counted: set[int]) -> LayerSpec:
    """Constructor arguments and the layer's parameters (each parameter is counted once in a
    graph: a layer called twice, or a weight tied to another layer, counts at its first use)."""
    total = trainable = 0
    for p in module.parameters():
        if id(p) in counted or isinstance(p, nn.parameter.UninitializedParameter):
            continue  # shared, or a lazy layer's parameter whose size is not known yet
        counted.add(id(p))
        total += p.numel()
        trainable += p.numel() if p.requires_grad else 0
    rejected = module.__dict__.get("_shapecalc_rejected")
    return LayerSpec(module_params(module, op), total, trainable, rejected)


def parameter_spec(value: Any, counted: set[int]) -> LayerSpec | None:
    """The parameter count of a parameter read directly in forward (a class token), once."""
    if (
        not isinstance(value, nn.Parameter)
        or isinstance(value, nn.parameter.UninitializedParameter)
        or id(value) in counted
    ):
        return None
    counted.add(id(value))
    n = value.numel()
    return LayerSpec({}, n, n if value.requires_grad else 0)


# ------------------------------------------------------------------------------- constants


def dtype_name(dtype: torch.dtype) -> str:
    return str(dtype).removeprefix("torch.")


def tensor_value(t: torch.Tensor, const: bool = False) -> TensorValue:
    return TensorValue(tuple(int(d) for d in t.shape), dtype_name(t.dtype), const)


def convert_constant(value: Any) -> Any:
    """torch-specific constants to plain values: dtypes as ``"float32"``, torch.Size as a
    tuple, devices, layouts and memory formats as strings, tensors as const TensorValues."""
    if isinstance(value, torch.Tensor):
        return tensor_value(value, const=True)
    if isinstance(value, torch.Size):
        return tuple(int(d) for d in value)
    if isinstance(value, torch.dtype):
        return dtype_name(value)
    if isinstance(value, (torch.device, torch.memory_format, torch.layout)):
        return str(value)
    if isinstance(value, tuple):
        converted = tuple(convert_constant(v) for v in value)
        return type(value)(*converted) if _is_namedtuple(value) else converted
    if isinstance(value, list):
        return [convert_constant(v) for v in value]
    if isinstance(value, dict):
        return {k: convert_constant(v) for k, v in value.items()}
    if isinstance(value, slice):
        return slice(*(convert_constant(v) for v in (value.start, value.stop, value.step)))
    return value


def built_at(locations: Mapping[nn.Module, Location], module: nn.Module) -> Location | None:
    """Where ``module`` was constructed (None for an unhashable module class)."""
    try:
        return locations.get(module)
    except TypeError:
        return None


def _is_namedtuple(value: Any) -> bool:
    return isinstance(value, tuple) and hasattr(type(value), "_fields")


# ------------------------------------------------------------------------------- call names

_OPERATOR_MODULES = ("_operator", "operator")


def function_op(target: Any) -> str:
    """The rule key of an fx call_function target: ``F.relu``, ``torch.cat``,
    ``operator.add``, ``builtins.getattr``, ``math.sqrt``, ``Tensor.add``; else
    ``<module>.<name>``. Among several spellings of one function (F.conv2d is torch.conv2d)
    the first that has a rule wins."""
    name = getattr(target, "__name__", None) or repr(target)
    module = getattr(target, "__module__", None) or ""
    candidates: list[str] = []
    if getattr(F, name, None) is target or module == "torch.nn.functional":
        candidates.append(f"F.{name}")
    if (
        getattr(torch, name, None) is target
        or module.startswith("torch._C._VariableFunctions")
        or module == "torch.functional"
    ):
        candidates.append(f"torch.{name}")
    if module in _OPERATOR_MODULES or getattr(operator, name, None) is target:
        candidates.append(f"operator.{name}")
    if getattr(builtins, name, None) is target:
        candidates.append(f"builtins.{name}")
    if getattr(math, name, None) is target:
        candidates.append(f"math.{name}")
    if getattr(torch.Tensor, name, None) is target:
        candidates.append(f"Tensor.{name}")
    if not candidates:
        return f"{module}.{name}" if module else name
    return next((c for c in candidates if get_rule(c) is not None), candidates[0])


# ---------------------------------------------------------------------------------- tracing


class LeafTracer(fx.Tracer):
    """A torch.fx Tracer that keeps torch.nn layers as leaves and records, on each node, the
    user's source line and column."""

    def __init__(
        self,
        source_map: SourceMap,
        proxy_buffers: bool = False,
        inputs: list[TensorValue] | None = None,
    ) -> None:
        super().__init__()
        self.source_map = source_map
        self.proxy_buffer_attributes = proxy_buffers
        # concrete inputs of known rank (the recorder's retry): sizes' lengths are known
        self.ranks = _SizeLengths(inputs) if inputs is not None else None

    def is_leaf_module(self, m: nn.Module, module_qualified_name: str) -> bool:
        return is_leaf(m)

    def call_module(self, m: nn.Module, forward: Any, args: Any, kwargs: Any) -> Any:
        if self.ranks is not None and self.ranks.running:
            return forward(*args, **kwargs)
        return super().call_module(m, forward, args, kwargs)

    def getattr(self, attr: str, attr_val: Any, parameter_proxy_cache: dict) -> Any:
        if self.ranks is not None and self.ranks.running:  # a parameter, not its proxy
            return attr_val
        return super().getattr(attr, attr_val, parameter_proxy_cache)

    def trace(self, root: Any, concrete_args: Any = None) -> fx.Graph:
        """Factories given traced sizes (``torch.zeros(x.size(0), self.hidden)``, an RNN's
        initial state) become graph nodes: torch's argument parser rejects a Proxy among
        the sizes before fx can see the call."""
        originals = {name: getattr(torch, name) for name in _SIZE_FACTORIES}
        for name, fn in originals.items():
            setattr(torch, name, self._factory(fn))
        patched = self._patch_builtins(root)
        proxy_len = fx.Proxy.__len__
        # list(x.chunk(2, 1)) asks for len first
        fx.Proxy.__len__ = _piece_len(proxy_len, self)
        try:
            return super().trace(root, concrete_args)
        finally:
            fx.Proxy.__len__ = proxy_len
            for name, fn in originals.items():
                setattr(torch, name, fn)
            for namespace, name, old in patched:
                if old is _MISSING:
                    namespace.pop(name, None)
                else:
                    namespace[name] = old

    def _patch_builtins(self, root: Any) -> list[tuple[dict, str, Any]]:
        """int(), float(), len(), max() and min() of traced sizes (``int(L * (1 - ratio))``,
        ``int(windows.shape[0] / n)``) become graph nodes: in the user's modules, while
        tracing, these names resolve to stand-ins that record the call when given a Proxy
        and otherwise are the builtins (isinstance(k, int) still works)."""
        if not isinstance(root, nn.Module):
            return []
        names = {type(m).__module__ for m in root.modules()}
        patched = []
        for module_name in sorted(names):
            module = sys.modules.get(module_name)
            if module is None or module_name.split(".")[0] == "torch":
                continue
            namespace = vars(module)
            for name, stand_in in (
                ("int", _traced_type(builtins.int, self)),
                ("float", _traced_type(builtins.float, self)),
                ("len", self._len),
                ("max", self._extreme(builtins.max)),
                ("min", self._extreme(builtins.min)),
            ):
                patched.append((namespace, name, namespace.get(name, _MISSING)))
                namespace[name] = stand_in
        return patched

    def iter(self, obj: fx.Proxy) -> Any:
        """Iterating the pieces of a chunk or split whose count the code fixes
        (``list(x.chunk(2, 1))``, ``for part in x.split([a, b], 1)``): one getitem per
        piece. fx itself only unpacks into a fixed number of names (``a, b = ...``)."""
        count = _piece_count(obj.node, self)
        if count is None:
            return super().iter(obj)
        return iter([obj[i] for i in range(count)])

    def _len(self, obj: Any) -> Any:
        """len() of a traced tensor or size is recorded; of a Python list of traced tensors
        (``for i in range(1, len(feats))``) it is the list's length."""
        if isinstance(obj, fx.Proxy):
            return self.create_proxy("call_function", _LEN, (obj,), {})
        return _LEN(obj)

    def _extreme(self, fn: Any) -> Any:
        """max() / min() given traced sizes (``max(h, w)``) are recorded: comparing proxies
        would need their values."""

        def extreme(*args: Any, **kwargs: Any) -> Any:
            if not kwargs and _holds_proxy(args):
                return self.create_proxy("call_function", fn, args, {})
            return fn(*args, **kwargs)

        return extreme

    def _factory(self, fn: Any) -> Any:
        def factory(*args: Any, **kwargs: Any) -> Any:
            if _holds_proxy((args, kwargs)):
                return self.create_proxy("call_function", fn, args, kwargs)
            return fn(*args, **kwargs)

        return factory

    def create_node(self, kind: str, target: Any, args: Any, kwargs: Any, *rest: Any, **kw: Any):  # noqa: ANN201
        node = super().create_node(kind, target, args, kwargs, *rest, **kw)
        if kind not in ("placeholder", "output"):
            node.meta["shapecalc_location"] = self.source_map.innermost(
                sys._getframe(1), stop=(fx.Tracer.trace.__code__,)
            )
        return node


def _piece_len(original: Any, tracer: LeafTracer) -> Any:
    def length(proxy: fx.Proxy) -> int:
        count = _piece_count(proxy.node, tracer)
        return original(proxy) if count is None else count

    return length


def _piece_count(node: fx.Node, tracer: LeafTracer | None = None) -> int | None:
    """How many tensors a chunk / split node returns when its arguments say so without the
    input's size: chunk(n) of a dim that n divides, split with a list of sizes. (A chunk of
    a size n does not divide may return fewer pieces: its getitem rule reports the index.)
    Or how many sizes a traced size holds (``b, c, *s = x.shape``, ``*x.size()[2:]``) when
    the inputs' ranks are known: one getitem per dim."""
    if tracer is not None and tracer.ranks is not None:
        length = tracer.ranks.length(node, tracer)
        if length is not None:
            return length
    if node.op == "call_method":
        name = node.target
    elif node.op == "call_function" and node.target in (torch.chunk, torch.split):
        name = node.target.__name__
    else:
        return None
    args = list(node.args[1:])
    if name == "chunk":
        chunks = node.kwargs.get("chunks", args[0] if args else None)
        return chunks if isinstance(chunks, int) and chunks > 0 else None
    if name in ("split", "split_with_sizes"):
        key = "split_size_or_sections" if node.op == "call_function" else "split_size"
        sizes = node.kwargs.get(key, node.kwargs.get("split_sizes", args[0] if args else None))
        return len(sizes) if isinstance(sizes, (list, tuple)) else None
    return None


class _SizeLengths:
    """The length of a traced size, from running the graph traced so far on meta tensors at
    concrete inputs of the analysed ranks: only ranks are read from it (a torch.Size's length
    is its tensor's ndim), so the graph stays symbolic in every size."""

    def __init__(self, inputs: list[TensorValue]) -> None:
        self.inputs = inputs
        self.env: dict[fx.Node, Any] = {}
        self.interpreter: fx.Interpreter | None = None
        self.broken = False
        self.running = False

    def length(self, node: fx.Node, tracer: fx.Tracer) -> int | None:
        if self.broken:
            return None
        self.running = True  # fx's patched Module.__call__ runs these modules plainly
        try:
            value = self._value(node, tracer)
        except Exception:  # noqa: BLE001 - the length stays unknown: fx's own error follows
            self.broken = True
            return None
        finally:
            self.running = False
        return _LEN(value) if isinstance(value, torch.Size) else None

    def _value(self, node: fx.Node, tracer: fx.Tracer) -> Any:
        if self.interpreter is None:
            self.interpreter = fx.Interpreter(
                _on_meta(tracer.root), garbage_collect_values=False, graph=tracer.graph
            )
        interpreter = self.interpreter
        interpreter.env = self.env
        placeholders = 0
        for n in tracer.graph.nodes:
            if n.op == "placeholder":
                placeholders += 1
            if n in self.env:
                continue
            if n.op == "placeholder":
                if placeholders <= _LEN(self.inputs):
                    self.env[n] = _device_value(self.inputs[placeholders - 1], "meta")
                else:
                    self.env[n] = n.args[0]  # a forward parameter's default
            else:
                self.env[n] = interpreter.run_node(n)
            if n is node:
                break
        return self.env[node]


# the builtin itself: a class defined where __name__ is unset (a doctest) has the module
# "builtins", whose len is the stand-in while tracing
_LEN = builtins.len
_SIZE_FACTORIES = ("zeros", "ones", "empty", "full", "rand", "randn", "randint")
_MISSING = object()


def _traced_type(cls: type, tracer: fx.Tracer) -> type:
    """A stand-in for int or float: calling it with a Proxy records builtins.int(x); as a
    type in isinstance / issubclass it is the builtin."""

    class Meta(type):
        def __instancecheck__(self, obj: Any) -> bool:
            return isinstance(obj, cls)

        def __subclasscheck__(self, sub: type) -> bool:
            return issubclass(sub, cls)

    def new(_stand_in: type, *args: Any, **kwargs: Any) -> Any:
        if _holds_proxy((args, kwargs)):
            return tracer.create_proxy("call_function", cls, args, kwargs)
        return cls(*args, **kwargs)

    return Meta(cls.__name__, (), {"__new__": new})


def _holds_proxy(value: Any) -> bool:
    if isinstance(value, fx.Proxy):
        return True
    if isinstance(value, (tuple, list)):
        return any(_holds_proxy(v) for v in value)
    if isinstance(value, dict):
        return any(_holds_proxy(v) for v in value.values())
    return False


class TraceFailure(Exception):
    """torch.fx could not trace the forward; ``location`` is the user's line where it
    stopped."""

    def __init__(self, message: str, location: Location | None) -> None:
        super().__init__(message)
        self.location = location


def trace(
    module: nn.Module, source_map: SourceMap, inputs: list[TensorValue] | None = None
) -> fx.GraphModule:
    """fx keeps buffers as concrete tensors (Python code may branch on their values); when
    that fails, buffers become graph attributes, so that slicing one by a size of the input
    traces (a positional table ``self.pe[:, : x.size(1)]``, a causal mask
    ``self.mask[:T, :T]``); when both fail, the first failure is the one reported."""
    try:
        return _trace(module, source_map, False, inputs)
    except TraceFailure as failure:
        try:
            return _trace(module, source_map, True, inputs)
        except TraceFailure:
            raise failure from None


def _trace(
    module: nn.Module,
    source_map: SourceMap,
    proxy_buffers: bool,
    inputs: list[TensorValue] | None = None,
) -> fx.GraphModule:
    tracer = LeafTracer(source_map, proxy_buffers, inputs)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            graph = tracer.trace(module)
            # GraphModule copies the user's attributes onto its own; a submodule named like
            # one of GraphModule's (``self.meta = nn.Linear(...)``) makes that fail
            return fx.GraphModule(tracer.root, graph, type(module).__name__)
    except (Exception, SystemExit) as exc:  # TraceError, TypeError on Proxy, sys.exit() ...
        raise TraceFailure(
            f"{type(exc).__name__}: {exc}", source_map.from_traceback(exc.__traceback__)
        ) from exc


def graph_from_module(
    module: nn.Module,
    name: str,
    source: str | None = None,
    source_map: SourceMap | None = None,
    locations: Mapping[nn.Module, Location] | None = None,
) -> LayerGraph:
    """Trace ``module`` into a LayerGraph. When fx cannot trace it, the graph holds only the
    forward's inputs and ``graph.recorder`` records a graph at concrete sizes (record.py)."""
    source_map = source_map or SourceMap()
    locations = locations if locations is not None else {}
    try:
        gm = trace(module, source_map)
    except TraceFailure as failure:
        from .record import Recorder

        graph = LayerGraph(name, source)
        for arg in forward_inputs(module):
            graph.add(Node(arg, "input", INPUT))
        graph.recorder = Recorder(module, name, source, source_map, locations, failure)
        return graph
    graph = _FxConverter(gm, module, name, source, locations).convert()
    graph.frontend_diagnostics.extend(unused_rejections(module, graph, locations))
    return graph


def unused_rejections(
    module: nn.Module, graph: LayerGraph, locations: Mapping[nn.Module, Location]
) -> list[Diagnostic]:
    """SC002 for layers PyTorch refuses to build that the forward never calls: no node
    reports them, yet the model cannot be built."""
    called = {node.name for node in graph if node.kind == MODULE}
    out = []
    for qualified, sub in module.named_modules():
        message = sub.__dict__.get("_shapecalc_rejected")
        if message is None or qualified in called or _inside_called(qualified, called):
            continue  # a called layer's own rule reports it (a Transformer's attention)
        out.append(
            Diagnostic(
                "SC002",
                Severity.ERROR,
                f"{type(sub).__name__} '{qualified}': PyTorch rejects its arguments: {message} "
                "(the forward never calls it, but the model cannot be built)",
                qualified,
                built_at(locations, sub),
            )
        )
    return out


def _inside_called(qualified: str, called: set[str]) -> bool:
    parts = qualified.split(".")
    return any(".".join(parts[:i]) in called for i in range(1, len(parts)))


def forward_inputs(module: nn.Module) -> list[str]:
    """Names of the forward's tensor inputs: parameters without a default."""
    sig = inspect.signature(module.forward)
    return [
        p.name
        for p in sig.parameters.values()
        if p.kind in (p.POSITIONAL_ONLY, p.POSITIONAL_OR_KEYWORD) and p.default is p.empty
    ]


class _FxConverter:
    def __init__(
        self,
        gm: fx.GraphModule,
        module: nn.Module,
        name: str,
        source: str | None,
        locations: Mapping[nn.Module, Location],
    ) -> None:
        self.gm = gm
        self.root = module
        self.graph = LayerGraph(name, source)
        self.graph.fx_module = gm
        self.locations = locations
        self.names: dict[str, str] = {}  # fx node name -> graph node name
        self.counted: set[int] = set()
        self.param_names = {id(p): n for n, p in module.named_parameters(remove_duplicate=False)}

    def convert(self) -> LayerGraph:
        for fx_node in self.gm.graph.nodes:
            node = getattr(self, f"_{fx_node.op}")(fx_node)
            self.graph.add(node)
            self.names[fx_node.name] = node.name
            self.graph.fx_names[node.name] = fx_node.name
        return self.graph

    def arg(self, value: Any) -> Any:
        if isinstance(value, fx.Node):
            return Ref(self.names[value.name])
        if isinstance(value, (tuple, list)) and not isinstance(value, torch.Size):
            items = [self.arg(v) for v in value]
            return items if isinstance(value, list) else tuple(items)
        if isinstance(value, dict):
            return {k: self.arg(v) for k, v in value.items()}
        if isinstance(value, slice):
            return slice(*(self.arg(v) for v in (value.start, value.stop, value.step)))
        return convert_constant(value)

    def _node(self, fx_node: fx.Node, op: str, kind: str, name: str, **extra: Any) -> Node:
        return Node(
            self.graph.unique_name(name),
            op,
            kind,
            self.arg(tuple(fx_node.args)),
            self.arg(dict(fx_node.kwargs)),
            **extra,
        )

    def _placeholder(self, fx_node: fx.Node) -> Node:
        name = self.graph.unique_name(fx_node.name)
        if fx_node.args:  # a forward parameter with a default (mask=None): a constant
            return Node(name, "constant", CONSTANT, value=self.arg(fx_node.args[0]))
        return Node(name, "input", INPUT)

    def _get_attr(self, fx_node: fx.Node) -> Node:
        value: Any = self.gm
        for part in str(fx_node.target).split("."):
            value = getattr(value, part)
        spec = parameter_spec(value, self.counted)
        return Node(
            self.graph.unique_name(str(fx_node.target)),
            "constant",
            CONSTANT,
            value=convert_constant(value),
            spec=spec,
            location=fx_node.meta.get("shapecalc_location"),
        )

    def _call_module(self, fx_node: fx.Node) -> Node:
        module = self.gm.get_submodule(str(fx_node.target))
        op = module_op(module)
        return self._node(
            fx_node,
            op,
            MODULE,
            str(fx_node.target),
            spec=module_spec(module, op, self.counted),
            location=built_at(self.locations, module),
            call_location=fx_node.meta.get("shapecalc_location"),
        )

    def _call_function(self, fx_node: fx.Node) -> Node:
        return self._node(
            fx_node,
            function_op(fx_node.target),
            FUNCTION,
            fx_node.name,
            location=fx_node.meta.get("shapecalc_location"),
        )

    def _call_method(self, fx_node: fx.Node) -> Node:
        return self._node(
            fx_node,
            f"Tensor.{fx_node.target}",
            METHOD,
            fx_node.name,
            location=fx_node.meta.get("shapecalc_location"),
        )

    def _output(self, fx_node: fx.Node) -> Node:
        return Node(self.graph.unique_name("output"), "output", OUTPUT, self.arg(fx_node.args))


# ------------------------------------------------------------------- meta-tensor evaluation


class MetaFallback:
    """propagate's ``fallback`` for ops without a rule, in concrete mode: run the fx node's
    target on meta tensors of the input sizes. ``evaluated`` lists the nodes it answered for
    (they get SC901: the op was evaluated, not checked)."""

    def __init__(self, graph: LayerGraph) -> None:
        self.graph = graph
        self.evaluated: list[Node] = []
        self.failed: list[tuple[Node, str]] = []  # torch raises at these sizes: SC113
        gm = graph.fx_module
        self.fx_nodes = {n.name: n for n in gm.graph.nodes} if gm is not None else {}

    def __call__(self, node: Node, args: tuple, kwargs: Mapping[str, Any]) -> Any:
        recorded = getattr(self.graph, "recorded", None)
        if recorded is not None:  # a recorded graph: torch already gave this node's output
            value = recorded.get(node.name)
            if value is not None:
                self.evaluated.append(node)
            return value
        fx_node = self.fx_nodes.get(self.graph.fx_names.get(node.name, ""))
        if fx_node is None or not _all_concrete((args, kwargs)):
            return None
        try:
            out = self._run(fx_node, args, kwargs, "meta")
        except Exception as exc:  # the op fails on meta tensors: SC901, or SC113 below
            if isinstance(exc, (RuntimeError, IndexError, ValueError)) and not isinstance(
                exc, NotImplementedError
            ):
                self._confirm_on_cpu(node, fx_node, args, kwargs)
            return None
        self.evaluated.append(node)
        return from_torch(out)

    def _run(self, fx_node: fx.Node, args: tuple, kwargs: Mapping[str, Any], device: str) -> Any:
        real_args = _to_device(tuple(fx_node.args), args, device)
        real_kwargs = _to_device(dict(fx_node.kwargs), dict(kwargs), device)
        if fx_node.op == "call_module":
            # eval mode: shapes don't depend on it, and training-only checks (BatchNorm's
            # "more than 1 value per channel") are not shape errors
            module = self.graph.fx_module.get_submodule(str(fx_node.target))
            fn: Any = _EvalCall(_on_meta(module) if device == "meta" else _on_cpu(module))
        elif fx_node.op == "call_method":
            fn = getattr(real_args[0], str(fx_node.target))
            real_args = real_args[1:]
        else:
            fn = fx_node.target
        with torch.no_grad(), warnings.catch_warnings():
            warnings.simplefilter("ignore")
            return fn(*real_args, **real_kwargs)

    def _confirm_on_cpu(
        self, node: Node, fx_node: fx.Node, args: tuple, kwargs: Mapping[str, Any]
    ) -> None:
        """Meta kernels can fail where CPU does not (no meta kernel, data-dependent output):
        the failure is an error only when the op also raises on real CPU tensors of those
        sizes (zeros; uninitialised weights for a layer)."""
        try:
            self._run(fx_node, args, kwargs, "cpu")
        except (RuntimeError, IndexError, ValueError) as exc:
            if not isinstance(exc, NotImplementedError):
                first = str(exc).strip().splitlines()[0] if str(exc).strip() else ""
                self.failed.append((node, f"{type(exc).__name__}: {first}"))
        except Exception:  # noqa: BLE001 - anything else is not a shape error
            pass


class _EvalCall:
    def __init__(self, module: nn.Module) -> None:
        self.module = module

    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        with eval_mode(self.module):
            return self.module(*args, **kwargs)


class eval_mode:
    """Puts a module tree in eval mode and restores each module's own flag afterwards."""

    def __init__(self, module: nn.Module) -> None:
        self.module = module
        self.flags: list[tuple[nn.Module, bool]] = []

    def __enter__(self) -> None:
        self.flags = [(m, m.training) for m in self.module.modules()]
        self.module.eval()

    def __exit__(self, *exc: Any) -> None:
        for m, flag in self.flags:
            m.training = flag


def _all_concrete(value: Any) -> bool:
    if isinstance(value, TensorValue):
        return all(isinstance(d, int) for d in value.shape)
    if isinstance(value, (tuple, list)):
        return all(_all_concrete(v) for v in value)
    if isinstance(value, dict):
        return all(_all_concrete(v) for v in value.values())
    return not isinstance(value, sym.Expr) and value is not sym.UNKNOWN


def _to_device(original: Any, resolved: Any, device: str = "meta") -> Any:
    """The fx argument structure with each graph value replaced: tensors by meta tensors (or
    zeros on CPU), sizes by the resolved ints; torch constants (dtypes, devices) kept."""
    if isinstance(original, fx.Node):
        return _device_value(resolved, device)
    if isinstance(original, (tuple, list)) and not isinstance(original, torch.Size):
        items = [_to_device(o, r, device) for o, r in zip(original, resolved)]
        return items if isinstance(original, list) else tuple(items)
    if isinstance(original, dict):
        return {k: _to_device(v, resolved[k], device) for k, v in original.items()}
    if isinstance(original, slice):
        return slice(
            *(
                _to_device(o, r, device)
                for o, r in zip(
                    (original.start, original.stop, original.step),
                    (resolved.start, resolved.stop, resolved.step),
                )
            )
        )
    return original


def _device_value(value: Any, device: str) -> Any:
    if isinstance(value, TensorValue):
        dtype = getattr(torch, value.dtype)
        if device == "meta":
            return torch.empty(value.shape, dtype=dtype, device="meta")
        return torch.zeros(value.shape, dtype=dtype)
    if isinstance(value, (tuple, list)):
        return type(value)(_device_value(v, device) for v in value)
    return value


def _on_cpu(module: nn.Module) -> nn.Module:
    if all(t.device.type == "cpu" for t in (*module.parameters(), *module.buffers())):
        return module
    import copy

    return copy.deepcopy(module).to_empty(device="cpu")


def _on_meta(module: nn.Module) -> nn.Module:
    if all(t.device.type == "meta" for t in (*module.parameters(), *module.buffers())):
        return module
    import copy

    return copy.deepcopy(module).to("meta")


def from_torch(value: Any) -> Any:
    """A torch result as shapecalc values (tensors as TensorValues, sizes as tuples)."""
    if isinstance(value, torch.Tensor):
        return tensor_value(value)
    if isinstance(value, torch.Size):
        return tuple(int(d) for d in value)
    if isinstance(value, (tuple, list)):
        items = [from_torch(v) for v in value]
        return items if isinstance(value, list) else tuple(items)
    return convert_constant(value)
