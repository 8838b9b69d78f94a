"""LayerGraph: the layer graph every frontend builds and every later stage reads.

Nodes are frozen values kept in execution (topological) order; edges are the ``Ref``s inside
their arguments. The networkx view (``LayerGraph.digraph``) is built on first use, so that a
DSL run that never needs graph algorithms does not pay networkx's import time.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Any

from .diagnostics import Location

INPUT, MODULE, FUNCTION, METHOD, CONSTANT, OUTPUT = (
    "input",
    "module",
    "function",
    "method",
    "constant",
    "output",
)


@dataclass(frozen=True)
class Ref:
    """A reference, inside a node's arguments, to the value another node produces."""

    node: str

    def __repr__(self) -> str:
        return f"%{self.node}"


@dataclass(frozen=True)
class LayerSpec:
    """A module's constructor arguments, by torch's own parameter names, and its parameters.

    ``rejected`` holds PyTorch's message when the constructor raised (the layer was kept as a
    shell with the user's arguments so the rest of the model can still be analysed).
    """

    params: Mapping[str, Any]
    param_count: int = 0
    trainable: int = 0
    rejected: str | None = None

    def __post_init__(self) -> None:
        object.__setattr__(self, "params", MappingProxyType(dict(self.params)))


class LayerArgs(dict):
    """A layer given as another layer's constructor argument (TransformerEncoder's
    encoder_layer and norm): a dict of its constructor arguments, as rules read it, that also
    knows the layer's op (``TransformerEncoderLayer``), as reports show it."""

    def __init__(self, op: str, params: Mapping[str, Any]) -> None:
        super().__init__(params)
        self.op = op

    def __reduce__(self) -> tuple:
        return (LayerArgs, (self.op, dict(self)))


@dataclass(frozen=True)
class Node:
    """One op in the graph.

    name: unique in the graph; a module's qualified name (``layer2.0.conv1``) or a readable
      name for functions, methods and operators (``view``, ``cat``, ``add_1``).
    op: the rule key: a torch.nn class name (``Conv2d``) or a call form (``F.conv2d``,
      ``torch.cat``, ``Tensor.view``, ``operator.add``).
    kind: input, module, function, method, constant or output.
    args, kwargs: forward-call arguments; graph values appear as ``Ref``.
    spec: for modules, the constructor arguments and parameter counts.
    location: the line that built the module, or the forward line of a call.
    value: a constant's value, or an input's default TensorValue.
    """

    name: str
    op: str
    kind: str
    args: tuple = ()
    kwargs: Mapping[str, Any] = field(default_factory=dict)
    spec: LayerSpec | None = None
    location: Location | None = None
    value: Any = None
    call_location: Location | None = None

    def __post_init__(self) -> None:
        object.__setattr__(self, "kwargs", MappingProxyType(dict(self.kwargs)))

    def refs(self) -> list[str]:
        """Names of the nodes whose values this node reads, in argument order."""
        out: list[str] = []
        _collect_refs(self.args, out)
        _collect_refs(tuple(self.kwargs.values()), out)
        return out


def _collect_refs(value: Any, out: list[str]) -> None:
    if isinstance(value, Ref):
        if value.node not in out:
            out.append(value.node)
    elif isinstance(value, (tuple, list)):
        for v in value:
            _collect_refs(v, out)
    elif isinstance(value, (dict, MappingProxyType)):
        for v in value.values():
            _collect_refs(v, out)
    elif isinstance(value, slice):
        _collect_refs((value.start, value.stop, value.step), out)


class GraphError(ValueError):
    pass


class LayerGraph:
    """An ordered DAG of Nodes. Add nodes in execution order; refs must point backwards."""

    def __init__(self, name: str = "model", source: str | None = None) -> None:
        self.name = name
        self.source = source
        self.notes: list[str] = []
        # set by the torch frontend, read by verify: the traced torch.fx.GraphModule and, for
        # each graph node, the name of the fx node it came from
        self.fx_module: Any = None
        self.fx_names: dict[str, str] = {}
        # set when torch.fx could not trace the model: recorder(inputs) returns a graph recorded
        # from one meta-tensor forward at those concrete input sizes
        self.recorder: Callable[[list[Any]], LayerGraph] | None = None
        # what the frontend found while building the graph (SC001 for a specialised graph)
        self.frontend_diagnostics: list[Any] = []
        # set by the DSL frontend, which propagates while it builds: prepared(inputs) hands
        # over that Analysis once when the inputs are the ones it was built with, else None
        self.prepared: Callable[[list[Any]], Any] | None = None
        self._nodes: dict[str, Node] = {}
        self._digraph = None

    def add(self, node: Node) -> Node:
        if node.name in self._nodes:
            raise GraphError(f"duplicate node name {node.name!r}")
        for ref in node.refs():
            if ref not in self._nodes:
                raise GraphError(f"node {node.name!r} reads {ref!r}, which is not defined yet")
        self._nodes[node.name] = node
        self._digraph = None
        return node

    def unique_name(self, base: str) -> str:
        """base, or base_1, base_2, ... the first that is not taken (fx's naming)."""
        if base not in self._nodes:
            return base
        i = 1
        while f"{base}_{i}" in self._nodes:
            i += 1
        return f"{base}_{i}"

    def __iter__(self) -> Iterator[Node]:
        return iter(self._nodes.values())

    def __len__(self) -> int:
        return len(self._nodes)

    def __getitem__(self, name: str) -> Node:
        return self._nodes[name]

    def __contains__(self, name: object) -> bool:
        return name in self._nodes

    @property
    def nodes(self) -> list[Node]:
        return list(self._nodes.values())

    @property
    def inputs(self) -> list[Node]:
        return [n for n in self._nodes.values() if n.kind == INPUT]

    @property
    def outputs(self) -> list[Node]:
        return [n for n in self._nodes.values() if n.kind == OUTPUT]

    def users(self, name: str) -> list[Node]:
        return [n for n in self._nodes.values() if name in n.refs()]

    @property
    def digraph(self):  # noqa: ANN201 - networkx is imported on first use
        """The graph as a networkx.DiGraph (node attribute ``node`` holds the Node)."""
        if self._digraph is None:
            import networkx as nx

            g = nx.DiGraph(name=self.name)
            for node in self._nodes.values():
                g.add_node(node.name, node=node)
                for ref in node.refs():
                    g.add_edge(ref, node.name)
            self._digraph = g
        return self._digraph
