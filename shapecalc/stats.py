"""Model statistics without running the model: parameters, multiply-accumulates (MACs), output
activation bytes per layer, and the forward pass's peak activation memory.

MACs follow torch.utils.flop_counter.FlopCounterMode, the counter PyTorch ships, at 1 MAC =
2 FLOPs: a layer's MACs are FlopCounterMode's FLOPs for the same call divided by two. Like it,
shapecalc counts matrix products and convolutions (mm/addmm/bmm/baddbmm/matmul/linear/einsum/
tensordot, Conv*d and ConvTranspose*d, scaled dot-product attention, RNN/GRU and their cells)
and nothing else: bias additions, normalisation, activations, pooling and elementwise ops are
0. Where FlopCounterMode counts 0 because aten has no formula for a kernel that does multiply
and accumulate (``mv``, ``dot``, ``addmv``, ``Bilinear``'s ``_trilinear``), or because CPU runs
a fused kernel it has no entry for (flash attention, the eval fast path of MultiheadAttention
and the Transformer layers, LSTM), shapecalc counts the real MACs: what FlopCounterMode counts
for the unfused ops (math-backend attention, training mode). Products without a sum
(``outer``, an elementwise einsum) are 0 in both.

MACs are per forward call and are formulas of the input symbols when the sizes are symbolic.
A MAC formula per op family lives in one registry (``@macs("Conv1d", "F.conv1d", ...)``):
adding an op is one decorated function here, next to nothing else.

Peak activation memory models inference (no autograd graph kept): nodes run in topological
order; a node's output is allocated when it runs, while its inputs are still alive; a tensor is
freed after its last consumer ran, except the model's outputs, which live to the end. Inputs
count as allocated from the start. Parameters and buffers are not activations and are not
counted. View ops (reshape/view/flatten/permute/transpose/getitem/..., Identity, Dropout in
eval) and in-place ops (``inplace=True``, ``add_``, ``+=``) allocate nothing: their result
shares the storage of their input, which then stays alive until the alias's last consumer.
``reshape`` and ``contiguous`` are taken as views (they copy only non-contiguous tensors).
"""

from __future__ import annotations

import operator
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from functools import reduce
from typing import Any

from . import symbolic as sym
from .calls import OpCall, bind
from .graph import CONSTANT, INPUT, OUTPUT, LayerGraph, Node
from .symbolic import Dim
from .values import TensorValue, contains_opaque, tensors_in

MacFn = Callable[[OpCall], Dim | None]
MACS: dict[str, MacFn] = {}

# bytes per element, by TensorValue.dtype (torch's element sizes)
DTYPE_BYTES = {
    "float64": 8, "double": 8, "float32": 4, "float": 4, "float16": 2, "half": 2,
    "bfloat16": 2, "complex128": 16, "cdouble": 16, "complex64": 8, "cfloat": 8,
    "complex32": 4, "int64": 8, "long": 8, "int32": 4, "int": 4, "int16": 2, "short": 2,
    "int8": 1, "uint8": 1, "bool": 1, "uint16": 2, "uint32": 4, "uint64": 8,
    "float8_e4m3fn": 1, "float8_e5m2": 1, "float8_e4m3fnuz": 1, "float8_e5m2fnuz": 1,
}  # fmt: skip


def macs(*ops: str) -> Callable[[MacFn], MacFn]:
    """Register ``fn(call) -> MACs`` (an int or symbolic Dim; None when unknown) for ``ops``."""

    def register(fn: MacFn) -> MacFn:
        for op in ops:
            if op in MACS:
                raise ValueError(f"two MAC formulas for {op!r}")
            MACS[op] = fn
        return fn

    return register


def prod(dims: Iterable[Dim]) -> Dim:
    return reduce(operator.mul, dims, 1)


def nbytes(value: Any) -> Dim:
    """Bytes of every tensor in a (nested) value; UNKNOWN when a size is unknown."""
    total: Dim = 0
    for t in tensors_in(value):
        total = total + prod(t.shape) * DTYPE_BYTES.get(t.dtype, 4)
    return total


def _known(x: Any) -> bool:
    return x is not None and x is not sym.UNKNOWN and not _has_unknown(x)


def _has_unknown(x: Any) -> bool:
    if x is sym.UNKNOWN:
        return True
    return isinstance(x, sym.Expr) and "?" in str(x)


# ------------------------------------------------------------------------ MAC formulas
# Each formula mirrors the FlopCounterMode formula of the aten op the call lowers to
# (torch/utils/flop_counter.py): mm_flop, bmm_flop, conv_flop_count, sdpa_flop_count.


def _out(call: OpCall) -> TensorValue | None:
    ts = tensors_in(call.out)
    return ts[0] if ts else None


@macs("Conv1d", "Conv2d", "Conv3d")
def conv_module(call: OpCall) -> Dim | None:
    # conv_flop_count: batch * prod(w_shape) * prod(out spatial); w = (out, in/groups, *k)
    out = _out(call)
    if out is None:
        return None
    kernel = _ntuple(call.get("kernel_size"), int(call.op[-2]))
    return prod(out.shape) * (call.get("in_channels") // call.get("groups", 1)) * prod(kernel)


@macs("ConvTranspose1d", "ConvTranspose2d", "ConvTranspose3d")
def conv_transpose_module(call: OpCall) -> Dim | None:
    # transposed: batch * prod(w_shape) * prod(input spatial); w = (in, out/groups, *k)
    x = call.first
    if x is None:
        return None
    kernel = _ntuple(call.get("kernel_size"), int(call.op[-2]))
    return prod(x.shape) * (call.get("out_channels") // call.get("groups", 1)) * prod(kernel)


@macs(
    "LazyLinear", "LazyConv1d", "LazyConv2d", "LazyConv3d",
    "LazyConvTranspose1d", "LazyConvTranspose2d", "LazyConvTranspose3d",
)  # fmt: skip
def lazy_module(call: OpCall) -> Dim | None:
    """A lazy layer's MACs are its eager layer's, with the size it learns from its input
    (in_features: the last dim; in_channels: dim 1, or dim 0 unbatched; rules/lazy.py)."""
    x = call.first
    if x is None or not x.ndim:
        return None
    eager = call.op.removeprefix("Lazy")
    if eager == "Linear":
        learnt = {"in_features": x.shape[-1]}
    else:
        learnt = {"in_channels": x.shape[1] if x.ndim == int(eager[-2]) + 2 else x.shape[0]}
    node = replace(call.node, op=eager)
    return MACS[eager](
        OpCall(node, {**call.args, **learnt}, call.out, call.positional, call.inputs)
    )


@macs("F.conv1d", "F.conv2d", "F.conv3d", "torch.conv1d", "torch.conv2d", "torch.conv3d")
def conv_functional(call: OpCall) -> Dim | None:
    out, w = _out(call), call.tensor("weight")
    if out is None or w is None:
        return None
    return prod(out.shape) * prod(w.shape[1:])


@macs(
    "F.conv_transpose1d", "F.conv_transpose2d", "F.conv_transpose3d",
    "torch.conv_transpose1d", "torch.conv_transpose2d", "torch.conv_transpose3d",
)  # fmt: skip
def conv_transpose_functional(call: OpCall) -> Dim | None:
    x, w = call.first, call.tensor("weight")
    if x is None or w is None:
        return None
    return prod(x.shape) * prod(w.shape[1:])


@macs("Linear")
def linear_module(call: OpCall) -> Dim | None:
    # addmm / mm over the flattened leading dims: rows * in * out
    out = _out(call)
    return None if out is None else prod(out.shape) * call.get("in_features")


@macs("F.linear")
def linear_functional(call: OpCall) -> Dim | None:
    out, w = _out(call), call.tensor("weight")
    if out is None or w is None:
        return None
    return prod(out.shape) * w.shape[-1]


@macs("Bilinear")
def bilinear_module(call: OpCall) -> Dim | None:
    # FlopCounterMode counts 0 (aten._trilinear has no formula); these are the real MACs
    out = _out(call)
    return (
        None
        if out is None
        else prod(out.shape) * call.get("in1_features") * call.get("in2_features")
    )


@macs("F.bilinear")
def bilinear_functional(call: OpCall) -> Dim | None:
    out, w = _out(call), call.tensor("weight")
    if out is None or w is None:
        return None
    return prod(out.shape) * w.shape[1] * w.shape[2]


def _contracted(a: TensorValue | None) -> Dim | None:
    """The length of the contracted dim of a matrix product's left operand."""
    if a is None or a.ndim == 0:
        return None
    return a.shape[-1]


def _product(left: str) -> MacFn:
    def formula(call: OpCall) -> Dim | None:
        # mm_flop / bmm_flop: every output element is one dot product of length k
        out, k = _out(call), _contracted(call.tensor(left))
        if out is None or k is None:
            return None
        return prod(out.shape) * k

    return formula


for _ops, _left in (
    (("operator.matmul", "torch.matmul", "Tensor.matmul", "Tensor.__matmul__"), "input"),
    (("torch.mm", "Tensor.mm", "torch.bmm", "Tensor.bmm"), "input"),
    (("torch.mv", "Tensor.mv", "torch.dot", "Tensor.dot", "Tensor.vdot", "torch.vdot"), "input"),
    (("torch.inner", "Tensor.inner"), "input"),
    (("torch.addmm", "Tensor.addmm", "Tensor.addmm_"), "mat1"),
    (("torch.addmv", "Tensor.addmv", "Tensor.addmv_"), "mat"),
    (("torch.baddbmm", "Tensor.baddbmm", "Tensor.baddbmm_"), "batch1"),
):
    macs(*_ops)(_product(_left))


@macs("Tensor.__rmatmul__")
def rmatmul(call: OpCall) -> Dim | None:
    out, k = _out(call), _contracted(call.tensor("other"))
    return None if out is None or k is None else prod(out.shape) * k


@macs("torch.addbmm", "Tensor.addbmm", "Tensor.addbmm_")
def addbmm(call: OpCall) -> Dim | None:
    # the batched product is summed over the batch: b * n * p * k
    b1 = call.tensor("batch1")
    if b1 is None or b1.ndim != 3 or _out(call) is None:
        return None
    return prod(_out(call).shape) * b1.shape[0] * b1.shape[2]


@macs("torch.tensordot")
def tensordot(call: OpCall) -> Dim | None:
    out, a, dims = _out(call), call.tensor("a"), call.get("dims", 2)
    if out is None or a is None:
        return None
    if isinstance(dims, int):
        axes = list(range(a.ndim - dims, a.ndim))
    elif isinstance(dims, (tuple, list)) and len(dims) == 2:
        first = dims[0]
        axes = [first] if isinstance(first, int) else list(first)
    else:
        return None
    if not axes:
        return 0  # an outer product: no accumulation (and FlopCounterMode counts 0)
    return prod(out.shape) * prod(a.shape[i] for i in axes)


@macs("torch.einsum")
def einsum(call: OpCall) -> Dim | None:
    """Two operands: output elements times the product of the summed-over labels' sizes (what
    the bmm it lowers to costs); 0 without a summed label. One operand: 0 (a sum or a
    permutation). Three or more: not counted (the cost depends on the contraction order)."""
    from .rules.matmul import _ELLIPSIS, EinsumError, parse_einsum

    args = call.positional
    if not args or not isinstance(args[0], str):
        return None
    ops = [t for t in args[1:] if isinstance(t, TensorValue)]
    if len(args) == 2 and isinstance(args[1], (list, tuple)):
        ops = [t for t in args[1] if isinstance(t, TensorValue)]
    out = _out(call)
    if out is None:
        return None
    if len(ops) == 1:
        return 0
    if len(ops) != 2:
        return None
    try:
        terms, output = parse_einsum(args[0], 2)
    except EinsumError:
        return None
    sizes: dict[str, Dim] = {}
    for term, t in zip(terms, ops):
        labels = [s for s in term if s != _ELLIPSIS]
        if _ELLIPSIS in term:
            i = term.index(_ELLIPSIS)
            before, after = term[:i], term[i + 1 :]
            pairs = list(zip(before, t.shape)) + list(zip(after, t.shape[t.ndim - len(after) :]))
        else:
            pairs = list(zip(labels, t.shape))
        for s, d in pairs:
            if not (isinstance(d, int) and d == 1 and s in sizes):
                sizes[s] = d
    used = [s for term in terms for s in term if s != _ELLIPSIS]
    kept = set(output) if output is not None else {s for s in used if used.count(s) == 1}
    # a summed label of size 1 sums nothing: torch.einsum then multiplies elementwise
    summed = [s for s in sizes if s not in kept and sizes[s] != 1]
    if not summed:
        return 0
    return prod(out.shape) * prod(sizes[s] for s in summed)


@macs("F.scaled_dot_product_attention")
def sdpa(call: OpCall) -> Dim | None:
    # sdpa_flop_count: q @ k^T (b*h*s_q*s_k*d) plus attn @ v (b*h*s_q*s_k*d_v)
    q, k, v = call.tensor("query"), call.tensor("key"), call.tensor("value")
    if q is None or k is None or v is None:
        return None
    rows = prod(q.shape[:-1])
    return rows * k.shape[-2] * q.shape[-1] + rows * k.shape[-2] * v.shape[-1]


@macs("MultiheadAttention")
def multihead_attention(call: OpCall) -> Dim | None:
    """F.multi_head_attention_forward: the q, k, v projections (linear), the two attention
    products (bmm, or sdpa) and the output projection."""
    q, k, v = call.tensor("query"), call.tensor("key"), call.tensor("value")
    e = call.get("embed_dim")
    if q is None or k is None or v is None or not isinstance(e, int):
        return None
    kdim = call.get("kdim") or e
    vdim = call.get("vdim") or e
    lq, lk = prod(q.shape[:-1]), prod(k.shape[:-1])
    s_k = k.shape[1] if call.get("batch_first") and k.ndim == 3 else k.shape[0]
    projections = lq * e * e + lk * kdim * e + lk * vdim * e + lq * e * e
    return projections + 2 * lq * s_k * e


def _seq_len(x: TensorValue, batch_first: bool) -> Dim:
    return x.shape[1] if batch_first and x.ndim == 3 else x.shape[0]


def _attention_macs(queries: Dim, q_len: Dim, keys: Dim, k_len: Dim, e: Dim) -> Dim:
    """MultiheadAttention with kdim = vdim = embed_dim: four projections and two products."""
    return 2 * queries * e * e + 2 * keys * e * e + 2 * queries * k_len * e


@macs("TransformerEncoderLayer")
def encoder_layer(call: OpCall) -> Dim | None:
    """Self-attention and the feed-forward block, as FlopCounterMode counts them in training
    mode; in eval PyTorch may take a fused fast path that it counts as 0 (shapecalc counts the
    real MACs)."""
    x, e, ff = call.tensor("src"), call.get("d_model"), call.get("dim_feedforward")
    if x is None or not isinstance(e, int) or not isinstance(ff, int):
        return None
    tokens, length = prod(x.shape[:-1]), _seq_len(x, call.get("batch_first"))
    return _attention_macs(tokens, length, tokens, length, e) + 2 * tokens * e * ff


@macs("TransformerDecoderLayer")
def decoder_layer(call: OpCall) -> Dim | None:
    x, memory = call.tensor("tgt"), call.tensor("memory")
    e, ff = call.get("d_model"), call.get("dim_feedforward")
    if x is None or memory is None or not isinstance(e, int) or not isinstance(ff, int):
        return None
    first = call.get("batch_first")
    tokens, length = prod(x.shape[:-1]), _seq_len(x, first)
    mem_tokens, mem_length = prod(memory.shape[:-1]), _seq_len(memory, first)
    return (
        _attention_macs(tokens, length, tokens, length, e)
        + _attention_macs(tokens, length, mem_tokens, mem_length, e)
        + 2 * tokens * e * ff
    )


def _stack(call: OpCall, layer_key: str, fn: MacFn, inputs: dict) -> Dim | None:
    layer, count = call.get(layer_key), call.get("num_layers")
    if not isinstance(layer, Mapping) or not isinstance(count, int):
        return None
    inner = OpCall(call.node, {**layer, **inputs}, None)
    one = fn(inner)
    return None if one is None else count * one


@macs("TransformerEncoder")
def encoder_stack(call: OpCall) -> Dim | None:
    """num_layers copies of its encoder_layer (a final norm counts 0)."""
    return _stack(call, "encoder_layer", encoder_layer, {"src": call.tensor("src")})


@macs("TransformerDecoder")
def decoder_stack(call: OpCall) -> Dim | None:
    inputs = {"tgt": call.tensor("tgt"), "memory": call.tensor("memory")}
    return _stack(call, "decoder_layer", decoder_layer, inputs)


@macs("Transformer")
def transformer(call: OpCall) -> Dim | None:
    """The encoder over src, then the decoder over tgt with the encoder's output (src's
    shape) as memory."""
    src, tgt = call.tensor("src"), call.tensor("tgt")
    layer = {k: call.get(k) for k in ("d_model", "nhead", "dim_feedforward", "batch_first")}
    enc = encoder_layer(OpCall(call.node, {**layer, "src": src}, None))
    dec = decoder_layer(OpCall(call.node, {**layer, "tgt": tgt, "memory": src}, None))
    n_enc, n_dec = call.get("num_encoder_layers"), call.get("num_decoder_layers")
    if enc is None or dec is None or not isinstance(n_enc, int) or not isinstance(n_dec, int):
        return None
    return n_enc * enc + n_dec * dec


_GATES = {"RNN": 1, "GRU": 3, "LSTM": 4, "RNNCell": 1, "GRUCell": 3, "LSTMCell": 4}


@macs("RNN", "GRU", "LSTM")
def recurrent(call: OpCall) -> Dim | None:
    """Per token, layer and direction: the gates' input and hidden projections (and LSTM's
    output projection when proj_size > 0). FlopCounterMode counts RNN and GRU exactly so on
    CPU (they run as addmm/mm); it counts 0 for LSTM, whose CPU kernel is fused, and shapecalc
    counts LSTM's real MACs."""
    x = call.tensor("input")
    hidden, layers = call.get("hidden_size"), call.get("num_layers", 1)
    if x is None or x.ndim not in (2, 3) or not isinstance(hidden, int):
        return None
    gates = _GATES[call.op]
    proj = call.get("proj_size", 0) or 0
    state = proj or hidden
    dirs = 2 if call.get("bidirectional") else 1
    tokens = prod(x.shape[:-1])
    total: Dim = 0
    width = call.get("input_size")
    for _ in range(layers):
        per_token = gates * hidden * (width + state) + (hidden * proj if proj else 0)
        total = total + dirs * per_token * tokens
        width = state * dirs
    return total


@macs("RNNCell", "GRUCell", "LSTMCell")
def recurrent_cell(call: OpCall) -> Dim | None:
    x = call.tensor("input")
    hidden = call.get("hidden_size")
    if x is None or not isinstance(hidden, int):
        return None
    rows = x.shape[0] if x.ndim == 2 else 1
    return rows * _GATES[call.op] * hidden * (call.get("input_size") + hidden)


def _ntuple(value: Any, n: int) -> tuple:
    if isinstance(value, (tuple, list)):
        return tuple(value)
    return (value,) * n


# ----------------------------------------------------------------------------- the walk


@dataclass(frozen=True)
class LayerStats:
    """One graph node's numbers. ``macs`` is None when they cannot be known (an unknown
    input); ``output_bytes`` counts the node's output tensors whether or not they alias."""

    name: str
    op: str
    scope: str
    params: int
    trainable: int
    macs: Dim | None
    output_bytes: Dim | None
    allocates: bool


@dataclass(frozen=True)
class ModelStats:
    layers: list[LayerStats]
    params: int
    trainable: int
    macs: Dim
    macs_complete: bool  # False when some layer's MACs are unknown (then ``macs`` is a floor)
    input_bytes: Dim | None
    output_bytes: Dim | None  # the model's outputs
    activation_bytes: Dim | None  # every allocated activation, inputs included
    peak_bytes: Dim | None
    uncounted: list[str] = field(default_factory=list)

    def layer(self, name: str) -> LayerStats:
        for s in self.layers:
            if s.name == name:
                return s
        raise KeyError(name)

    def to_dict(self) -> dict:
        return {
            "params": self.params,
            "trainable_params": self.trainable,
            "macs": json_count(self.macs),
            "macs_complete": self.macs_complete,
            "input_bytes": json_count(self.input_bytes),
            "output_bytes": json_count(self.output_bytes),
            "activation_bytes": json_count(self.activation_bytes),
            "peak_activation_bytes": json_count(self.peak_bytes),
        }


def json_count(x: Any) -> int | str | None:
    if x is None or not _known(x):
        return None
    return x if isinstance(x, int) else str(x)


# ops whose result shares its input's storage (torch documents these as views, or they return
# their input itself); method forms of in-place ops end in "_"
VIEW_OPS = frozenset(
    f"{prefix}.{name}"
    for prefix in ("Tensor", "torch")
    for name in (
        "view", "view_as", "reshape", "reshape_as", "flatten", "ravel", "squeeze", "unsqueeze",
        "permute", "transpose", "swapaxes", "swapdims", "movedim", "moveaxis", "t", "expand",
        "expand_as", "narrow", "select", "split", "split_with_sizes", "chunk", "unbind",
        "tensor_split", "unflatten", "contiguous", "detach", "broadcast_to", "as_strided",
        "diagonal", "real", "imag", "view_as_real", "view_as_complex", "requires_grad_",
    )  # fmt: skip
) | {
    "operator.getitem", "Identity", "Flatten", "Unflatten", "Dropout", "Dropout1d",
    "Dropout2d", "Dropout3d", "AlphaDropout", "FeatureAlphaDropout", "F.dropout",
    "F.dropout1d", "F.dropout2d", "F.dropout3d", "F.alpha_dropout", "F.feature_alpha_dropout",
    "operator.iadd", "operator.isub", "operator.imul", "operator.itruediv",
    "Tensor.__iadd__", "Tensor.__isub__", "Tensor.__imul__", "Tensor.__itruediv__",
}  # fmt: skip


def is_alias(node: Node) -> bool:
    """The node's output shares the storage of its first tensor argument (a view, an
    in-place op, or a layer that returns its input in eval mode)."""
    if node.op in VIEW_OPS:
        return True
    if node.op.startswith("Tensor.") and node.op.endswith("_") and not node.op.endswith("__"):
        return True
    if node.kwargs.get("inplace") is True:
        return True
    return bool(node.spec is not None and node.spec.params.get("inplace") is True)


def scope_of(graph: LayerGraph, node: Node) -> str:
    """The qualified name of the module whose forward ran ``node`` (the node's own name for a
    layer); "" for the model's own forward."""
    stack = _module_stack(graph, node)
    if stack:
        return next(reversed(stack))
    return node.name if node.kind == "module" else ""


def _module_stack(graph: LayerGraph, node: Node) -> Mapping[str, Any] | None:
    fx_module = getattr(graph, "fx_module", None)
    if fx_module is None:
        return None
    fx_nodes = graph.__dict__.setdefault(
        "_shapecalc_fx_nodes", {n.name: n for n in fx_module.graph.nodes}
    )
    fx_node = fx_nodes.get(graph.fx_names.get(node.name, ""))
    return None if fx_node is None else fx_node.meta.get("nn_module_stack")


def module_class(graph: LayerGraph, scope: str) -> str | None:
    """The class name of the module at ``scope`` (from fx's module stack), if known."""
    for node in graph:
        stack = _module_stack(graph, node)
        if stack and scope in stack:
            entry = stack[scope]
            cls = entry[1] if isinstance(entry, tuple) else entry
            return getattr(cls, "__name__", str(cls))
    return None


def compute(analysis: Any) -> ModelStats:
    """Every node's numbers and the model's totals, from a finished Analysis."""
    graph: LayerGraph = analysis.graph
    values: Mapping[str, Any] = analysis.values
    layers: list[LayerStats] = []
    total_macs: Dim = 0
    complete = True
    uncounted: list[str] = []
    for node in graph:
        if node.kind == OUTPUT:
            continue
        spec = node.spec
        params = spec.param_count if spec else 0
        trainable = spec.trainable if spec else 0
        inferred = analysis.inferred.get(node.name)  # a lazy layer, once materialised
        if inferred is not None and inferred.param_count:
            params += inferred.param_count
            trainable += inferred.param_count
        count = node_macs(node, values)
        if count is None:
            complete = False
            uncounted.append(node.name)
        else:
            total_macs = total_macs + count
        value = values.get(node.name)
        if contains_opaque(value):
            size: Dim | None = None
        else:
            size = nbytes(value) if tensors_in(value) and node.kind != CONSTANT else 0
        layers.append(
            LayerStats(
                node.name,
                node.op,
                scope_of(graph, node),
                params,
                trainable,
                count,
                size if size is not None and _known(size) else None,
                node.kind != CONSTANT and not is_alias(node) and bool(tensors_in(value)),
            )
        )
    params = sum(s.params for s in layers)
    trainable = sum(s.trainable for s in layers)
    inputs = [values.get(n.name) for n in graph if n.kind == INPUT]
    outs = [values.get(n.name) for n in graph.outputs]
    activation, peak = peak_memory(graph, values, analysis.assumptions.bounds)
    return ModelStats(
        layers,
        params,
        trainable,
        total_macs,
        complete,
        _maybe(nbytes(inputs)),
        _maybe(nbytes(outs)),
        activation,
        peak,
        uncounted,
    )


def _maybe(x: Dim) -> Dim | None:
    return x if _known(x) else None


def node_macs(node: Node, values: Mapping[str, Any]) -> Dim | None:
    """The node's MACs: 0 for ops without a formula, None when a formula's inputs are
    unknown."""
    fn = MACS.get(node.op)
    if fn is None or node.kind in (INPUT, CONSTANT, OUTPUT):
        return 0
    call = bind(node, values)
    if _out(call) is None and not tensors_in(call.out):
        return None
    try:
        count = fn(call)
    except (TypeError, ValueError, IndexError, AttributeError):
        return None
    return count if count is not None and _known(count) else None


def peak_memory(
    graph: LayerGraph, values: Mapping[str, Any], bounds: Mapping[str, Any] | None = None
) -> tuple[Dim | None, Dim | None]:
    """(bytes of every activation allocated, the largest simultaneous total) for one
    inference forward, under the model in this module's docstring."""
    nodes = [n for n in graph if n.kind != OUTPUT]
    storage: dict[str, str] = {}  # node -> the node that allocated its storage
    size: dict[str, Dim] = {}
    for node in nodes:
        value = values.get(node.name)
        if node.kind != CONSTANT and contains_opaque(value):
            return None, None  # an output of unknown shape
        if node.kind == CONSTANT or not tensors_in(value):
            continue
        refs = [r for r in node.refs() if r in storage]
        if node.kind != INPUT and is_alias(node) and refs:
            storage[node.name] = storage[refs[0]]
        else:
            storage[node.name] = node.name
            b = nbytes(value)
            if not _known(b):
                return None, None
            size[node.name] = b
    # last step at which each storage is read (outputs: never freed)
    order = {n.name: i for i, n in enumerate(nodes)}
    last: dict[str, int] = {s: order[s] for s in size}
    for node in nodes:
        for r in node.refs():
            if r in storage:
                s = storage[r]
                last[s] = max(last[s], order[node.name])
    for out in graph.outputs:
        for r in out.refs():
            if r in storage:
                last[storage[r]] = len(nodes)
    inputs = [n.name for n in nodes if n.kind == INPUT and n.name in size]
    live: Dim = sum((size[s] for s in inputs), 0)
    peak_terms: list[Dim] = [live]
    total: Dim = live
    free_at: dict[int, list[str]] = {}
    for s, i in last.items():
        free_at.setdefault(i, []).append(s)
    for i, node in enumerate(nodes):
        if node.name in size and node.kind != INPUT:
            live = live + size[node.name]
            total = total + size[node.name]
            peak_terms.append(live)
        for s in free_at.get(i, ()):
            live = live - size[s]
    return total, _max(peak_terms, bounds)


def _max(terms: Sequence[Dim], bounds: Mapping[str, Any] | None = None) -> Dim:
    """The largest term for every input size allowed (``bounds``: the analysis's intervals
    for the symbols, so that ``H >= 3`` lets a term that needs it dominate)."""
    ints = [t for t in terms if isinstance(t, int)]
    exprs: list[Dim] = []
    for t in terms:
        if not isinstance(t, int) and t not in exprs:
            exprs.append(t)
    if not exprs:
        return max(ints)
    if ints:
        exprs.append(max(ints))
    if bounds and len(exprs) <= 200:
        kept: list[Dim] = []
        for t in exprs:
            if any(sym.decide(sym.ge(k, t), bounds) is True for k in kept):
                continue
            kept = [k for k in kept if sym.decide(sym.ge(t, k), bounds) is not True]
            kept.append(t)
        exprs = kept
    return sym.maximum(*exprs)


def evaluate(x: Dim | None, env: Mapping[str, int]) -> int | None:
    """A statistic at concrete sizes."""
    if x is None:
        return None
    return x if isinstance(x, int) else sym.evaluate(x, env)
