"""Transformer layers: TransformerEncoderLayer, TransformerDecoderLayer, TransformerEncoder,
TransformerDecoder and Transformer.

They keep the shape of their (target) input; what can go wrong is in their attention blocks
(torch/nn/modules/transformer.py calls MultiheadAttention with need_weights=False), so the
checks are MultiheadAttention's: src / tgt / memory of d_model features, masks of (L, S) or
(N * nhead, L, S), key padding masks of (N, S), is_causal only with a mask, memory batched like
tgt. Transformer.forward itself checks that src and tgt have the same batch and d_model
features. The stacks run a deep copy of one layer num_layers times, so checking the layer once
checks them all (and the optional final norm is a LayerNorm over the trailing dims).

The torch frontend gives a container's layer (``encoder_layer``, ``norm``) as that module's own
constructor arguments (a dict); ``sources`` say where torch keeps arguments it does not store
under their own names.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from .. import symbolic as sym
from ..values import TensorValue, format_shape
from . import bad, ok, shape_rule
from .attention import check_heads, mha_core

_LAYER_SOURCES = {
    "d_model": "self_attn.embed_dim",
    "nhead": "self_attn.num_heads",
    "dim_feedforward": "linear1.out_features",
    "dropout": "dropout.p",
    "layer_norm_eps": "norm1.eps",
    "batch_first": "self_attn.batch_first",
    "bias": "linear1.bias",
}


def _attention(
    ctx: Any,
    query: TensorValue,
    key: TensorValue,
    padding_mask: Any,
    mask: Any,
    is_causal: Any,
    d_model: Any,
    nhead: Any,
    batch_first: bool,
    names: tuple[str, str, str],
) -> None:
    mha_core(
        ctx,
        query,
        key,
        key,
        padding_mask,
        False,
        mask,
        True,
        bool(is_causal),
        embed_dim=d_model,
        num_heads=nhead,
        add_bias_kv=False,
        add_zero_attn=False,
        kdim=None,
        vdim=None,
        batch_first=batch_first,
        names=names,
    )


def encoder_layer_core(
    ctx: Any,
    src: TensorValue,
    src_mask: Any,
    src_key_padding_mask: Any,
    is_causal: Any,
    d_model: Any,
    nhead: Any,
    batch_first: bool,
) -> TensorValue:
    """Self-attention over src, then the feed-forward block: src's shape."""
    names = ("src", "src", "d_model")
    _attention(
        ctx, src, src, src_key_padding_mask, src_mask, is_causal, d_model, nhead, batch_first, names
    )
    return _declared(src, d_model)


def _declared(x: TensorValue, d_model: Any) -> TensorValue:
    """A layer's output: its input's shape with d_model features (the size its last
    Linear produces), so that a wrong input width is one error, not one more per layer after
    it."""
    return x.with_shape((*x.shape[:-1], d_model)) if x.ndim else x


def decoder_layer_core(
    ctx: Any,
    tgt: TensorValue,
    memory: TensorValue,
    tgt_mask: Any,
    memory_mask: Any,
    tgt_key_padding_mask: Any,
    memory_key_padding_mask: Any,
    tgt_is_causal: Any,
    memory_is_causal: Any,
    *,
    d_model: Any,
    nhead: Any,
    batch_first: bool,
) -> TensorValue:
    """Self-attention over tgt, attention from tgt to memory, feed-forward: tgt's shape.
    The arguments after memory are the decoder's forward arguments, in their order."""
    blocks = (
        (tgt, tgt_key_padding_mask, tgt_mask, tgt_is_causal, "tgt"),
        (memory, memory_key_padding_mask, memory_mask, memory_is_causal, "memory"),
    )
    for key, padding_mask, mask, is_causal, key_name in blocks:
        names = ("tgt", key_name, "d_model")
        _attention(ctx, tgt, key, padding_mask, mask, is_causal, d_model, nhead, batch_first, names)
    return _declared(tgt, d_model)


@shape_rule(
    "TransformerEncoderLayer",
    sources=_LAYER_SOURCES,
    examples=[
        ok("nn.TransformerEncoderLayer(16, 4, 32)(x)", (7, 2, 16), x=(7, 2, 16)),
        ok(
            "nn.TransformerEncoderLayer(8, 2, 16, batch_first=True)(x, src_key_padding_mask=m)",
            (3, 5, 8),
            x=(3, 5, 8),
            m=(3, 5),
            dtypes={"m": "bool"},
        ),
        ok("nn.TransformerEncoderLayer(8, 2, 16, activation='gelu')(x)", (5, 8), x=(5, 8)),
        bad("nn.TransformerEncoderLayer(16, 4)(x)", "SC215", x=(7, 2, 12)),
        bad("nn.TransformerEncoderLayer(10, 3)(x)", "SC217", x=(7, 2, 10)),
        bad("nn.TransformerEncoderLayer(8, 2, 16)(x, src_mask=m)", "SC218", x=(5, 3, 8), m=(5, 4)),
        bad("nn.TransformerEncoderLayer(8, 2, 16)(x, is_causal=True)", "SC218", x=(5, 3, 8)),
        bad("nn.TransformerEncoderLayer(8, 2, 16)(x)", "SC206", x=(5, 3, 2, 8)),
    ],
)
def transformer_encoder_layer(
    ctx: Any,
    src: TensorValue,
    src_mask: Any = None,
    src_key_padding_mask: Any = None,
    is_causal: Any = False,
    *,
    d_model: Any,
    nhead: Any,
    dim_feedforward: Any = 2048,
    dropout: float = 0.1,
    activation: Any = "relu",
    layer_norm_eps: float = 1e-5,
    batch_first: bool = False,
    norm_first: bool = False,
    bias: bool = True,
    device: Any = None,
    dtype: Any = None,
) -> TensorValue:
    check_heads(ctx, d_model, nhead, "d_model", "nhead")
    return encoder_layer_core(
        ctx, src, src_mask, src_key_padding_mask, is_causal, d_model, nhead, batch_first
    )


@shape_rule(
    "TransformerDecoderLayer",
    sources=_LAYER_SOURCES,
    examples=[
        ok("nn.TransformerDecoderLayer(8, 2, 16)(t, m)", (5, 3, 8), t=(5, 3, 8), m=(7, 3, 8)),
        ok(
            "nn.TransformerDecoderLayer(8, 2, 16, batch_first=True)(t, m, memory_mask=a)",
            (3, 5, 8),
            t=(3, 5, 8),
            m=(3, 7, 8),
            a=(5, 7),
        ),
        bad("nn.TransformerDecoderLayer(8, 2, 16)(t, m)", "SC219", t=(5, 3, 8), m=(7, 2, 8)),
        bad("nn.TransformerDecoderLayer(8, 2, 16)(t, m)", "SC219", t=(5, 3, 8), m=(7, 8)),
        bad("nn.TransformerDecoderLayer(8, 2, 16)(t, m)", "SC215", t=(5, 3, 8), m=(7, 3, 6)),
        bad(
            "nn.TransformerDecoderLayer(8, 2, 16)(t, m, memory_mask=a)",
            "SC218",
            t=(5, 3, 8),
            m=(7, 3, 8),
            a=(7, 5),
        ),
    ],
)
def transformer_decoder_layer(
    ctx: Any,
    tgt: TensorValue,
    memory: TensorValue,
    tgt_mask: Any = None,
    memory_mask: Any = None,
    tgt_key_padding_mask: Any = None,
    memory_key_padding_mask: Any = None,
    tgt_is_causal: Any = False,
    memory_is_causal: Any = False,
    *,
    d_model: Any,
    nhead: Any,
    dim_feedforward: Any = 2048,
    dropout: float = 0.1,
    activation: Any = "relu",
    layer_norm_eps: float = 1e-5,
    batch_first: bool = False,
    norm_first: bool = False,
    bias: bool = True,
    device: Any = None,
    dtype: Any = None,
) -> TensorValue:
    check_heads(ctx, d_model, nhead, "d_model", "nhead")
    masks = (tgt_mask, memory_mask, tgt_key_padding_mask, memory_key_padding_mask)
    causal = (tgt_is_causal, memory_is_causal)
    return decoder_layer_core(
        ctx, tgt, memory, *masks, *causal, d_model=d_model, nhead=nhead, batch_first=batch_first
    )


# ---------------------------------------------------------------------------------- stacks


def _layer(ctx: Any, layer: Any, what: str) -> Mapping[str, Any] | None:
    """The stacked layer's constructor arguments, when shapecalc knows that layer."""
    if isinstance(layer, Mapping) and "d_model" in layer and "nhead" in layer:
        return layer
    ctx.report(
        "SC901",
        f"{ctx.layer}: its {what} is not a torch.nn {what.title().replace('_', '')}; shapes "
        "after it are not checked",
    )
    return None


def _stacked(ctx: Any, layer: Any, num_layers: Any, what: str) -> dict[str, Any] | None:
    """The arguments the stacked layer's rule takes from its constructor (d_model, nhead,
    batch_first), or None when the stack has no layer shapecalc knows."""
    # a stack of no layers has no layer to read (the torch frontend finds none)
    if not _check_num_layers(ctx, num_layers):
        return None
    args = _layer(ctx, layer, what)
    if args is None:
        return None
    return {
        "d_model": args["d_model"],
        "nhead": args["nhead"],
        "batch_first": bool(args.get("batch_first", False)),
    }


def _check_num_layers(ctx: Any, num_layers: Any) -> bool:
    """A stack of no layers fails in forward ('index 0 is out of range')."""
    if isinstance(num_layers, int) and num_layers >= 1:
        return True
    ctx.report("SC002", f"{ctx.layer}: num_layers must be at least 1, got {num_layers!r}")
    return False


def _check_norm(ctx: Any, x: TensorValue, norm: Any) -> None:
    """The stack's final norm, a LayerNorm over x's trailing dims (SC205)."""
    if not isinstance(norm, Mapping) or "normalized_shape" not in norm:
        return
    shape = norm["normalized_shape"]
    shape = (shape,) if isinstance(shape, int) else tuple(shape)
    tail = x.shape[len(x.shape) - len(shape) :] if len(shape) <= x.ndim else None
    message = f"{ctx.layer}: its norm expects trailing dims {format_shape(shape)}, got input {x}"
    if tail is None:
        ctx.report("SC205", message)
        return
    for got, want in zip(tail, shape):
        if ctx.check(sym.eq(got, want), "SC205", message) is False:
            return


@shape_rule(
    "TransformerEncoder",
    sources={"encoder_layer": "layers.0"},
    examples=[
        ok(
            "nn.TransformerEncoder(nn.TransformerEncoderLayer(16, 4, 32), 2)(x)",
            (7, 2, 16),
            x=(7, 2, 16),
        ),
        ok(
            "nn.TransformerEncoder(nn.TransformerEncoderLayer(8, 2, 16, batch_first=True), 3)"
            "(x, mask=m, is_causal=True)",
            (2, 5, 8),
            x=(2, 5, 8),
            m=(5, 5),
        ),
        bad(
            "nn.TransformerEncoder(nn.TransformerEncoderLayer(16, 4, 32), 2)(x)",
            "SC215",
            x=(7, 2, 8),
        ),
        bad(
            "nn.TransformerEncoder(nn.TransformerEncoderLayer(8, 2, 16), 2)"
            "(x, src_key_padding_mask=m)",
            "SC218",
            x=(5, 3, 8),
            m=(3, 4),
            dtypes={"m": "bool"},
        ),
        bad(
            "nn.TransformerEncoder(nn.TransformerEncoderLayer(8, 2, 16), 0)(x)",
            "SC002",
            x=(5, 3, 8),
        ),
    ],
)
def transformer_encoder(
    ctx: Any,
    src: TensorValue,
    mask: Any = None,
    src_key_padding_mask: Any = None,
    is_causal: Any = None,
    *,
    encoder_layer: Any,
    num_layers: Any,
    norm: Any = None,
    enable_nested_tensor: bool = True,
    mask_check: bool = True,
) -> Any:
    layer = _stacked(ctx, encoder_layer, num_layers, "encoder_layer")
    if layer is not None:
        src = transformer_encoder_layer(ctx, src, mask, src_key_padding_mask, is_causal, **layer)
        _check_norm(ctx, src, norm)
    return src


@shape_rule(
    "TransformerDecoder",
    sources={"decoder_layer": "layers.0"},
    examples=[
        ok(
            "nn.TransformerDecoder(nn.TransformerDecoderLayer(8, 2, 16), 2)(t, m)",
            (5, 3, 8),
            t=(5, 3, 8),
            m=(7, 3, 8),
        ),
        bad(
            "nn.TransformerDecoder(nn.TransformerDecoderLayer(8, 2, 16), 2)(t, m)",
            "SC219",
            t=(5, 3, 8),
            m=(7, 2, 8),
        ),
        bad(
            "nn.TransformerDecoder(nn.TransformerDecoderLayer(8, 2, 16), 2)(t, m, tgt_mask=a)",
            "SC218",
            t=(5, 3, 8),
            m=(7, 3, 8),
            a=(5, 7),
        ),
    ],
)
def transformer_decoder(
    ctx: Any,
    tgt: TensorValue,
    memory: TensorValue,
    tgt_mask: Any = None,
    memory_mask: Any = None,
    tgt_key_padding_mask: Any = None,
    memory_key_padding_mask: Any = None,
    tgt_is_causal: Any = None,
    memory_is_causal: Any = False,
    *,
    decoder_layer: Any,
    num_layers: Any,
    norm: Any = None,
) -> Any:
    layer = _stacked(ctx, decoder_layer, num_layers, "decoder_layer")
    if layer is not None:
        masks = (tgt_mask, memory_mask, tgt_key_padding_mask, memory_key_padding_mask)
        causal = (tgt_is_causal, memory_is_causal)
        tgt = transformer_decoder_layer(ctx, tgt, memory, *masks, *causal, **layer)
        _check_norm(ctx, tgt, norm)
    return tgt


# ----------------------------------------------------------------------------- Transformer


@shape_rule(
    "Transformer",
    sources={
        "num_encoder_layers": "encoder.num_layers",
        "num_decoder_layers": "decoder.num_layers",
        "dim_feedforward": "encoder.layers.0.linear1.out_features",
        "dropout": "encoder.layers.0.dropout.p",
        "layer_norm_eps": "encoder.norm.eps",
        "norm_first": "encoder.layers.0.norm_first",
        "bias": "encoder.layers.0.linear1.bias",
    },
    examples=[
        ok("nn.Transformer(8, 2, 1, 1, 16)(s, t)", (5, 3, 8), s=(7, 3, 8), t=(5, 3, 8)),
        ok(
            "nn.Transformer(8, 2, 2, 1, 16, batch_first=True)(s, t, tgt_mask=m)",
            (3, 5, 8),
            s=(3, 7, 8),
            t=(3, 5, 8),
            m=(5, 5),
        ),
        ok("nn.Transformer(8, 2, 1, 1, 16)(s, t)", (5, 8), s=(7, 8), t=(5, 8)),
        bad("nn.Transformer(8, 2, 1, 1, 16)(s, t)", "SC219", s=(7, 3, 8), t=(5, 2, 8)),
        bad("nn.Transformer(8, 2, 1, 1, 16)(s, t)", "SC215", s=(7, 3, 8), t=(5, 3, 6)),
        bad("nn.Transformer(8, 3, 1, 1, 16)(s, t)", "SC217", s=(7, 3, 8), t=(5, 3, 8)),
        bad("nn.Transformer(8, 2, 0, 1, 16)(s, t)", "SC002", s=(7, 3, 8), t=(5, 3, 8)),
    ],
)
def transformer(
    ctx: Any,
    src: TensorValue,
    tgt: TensorValue,
    src_mask: Any = None,
    tgt_mask: Any = None,
    memory_mask: Any = None,
    src_key_padding_mask: Any = None,
    tgt_key_padding_mask: Any = None,
    memory_key_padding_mask: Any = None,
    src_is_causal: Any = None,
    tgt_is_causal: Any = None,
    memory_is_causal: Any = False,
    *,
    d_model: Any = 512,
    nhead: Any = 8,
    num_encoder_layers: Any = 6,
    num_decoder_layers: Any = 6,
    dim_feedforward: Any = 2048,
    dropout: float = 0.1,
    activation: Any = "relu",
    custom_encoder: Any = None,
    custom_decoder: Any = None,
    layer_norm_eps: float = 1e-5,
    batch_first: bool = False,
    norm_first: bool = False,
    bias: bool = True,
    device: Any = None,
    dtype: Any = None,
) -> TensorValue:
    check_heads(ctx, d_model, nhead, "d_model", "nhead")
    # Transformer.forward: 'the batch number of src and tgt must be equal' (a batched src's
    # batch dim against the same dim of tgt), 'the feature number of src and tgt must be equal
    # to d_model'
    b = 0 if batch_first else 1
    if src.ndim == 3 and tgt.ndim > b:
        ctx.check(
            sym.eq(src.shape[b], tgt.shape[b]),
            "SC219",
            f"{ctx.layer}: src and tgt must have the same batch size, got {src} and {tgt}",
        )
    for name, x in (("src", src), ("tgt", tgt)):
        if x.ndim:
            ctx.check(
                sym.eq(x.shape[-1], d_model),
                "SC215",
                f"{ctx.layer} expects {name} of d_model={d_model} features, got {x.shape[-1]}",
            )
    encoder = custom_encoder is None and _check_num_layers(ctx, num_encoder_layers)
    decoder = custom_decoder is None and _check_num_layers(ctx, num_decoder_layers)
    memory = src
    if encoder:
        memory = encoder_layer_core(
            ctx, src, src_mask, src_key_padding_mask, src_is_causal, d_model, nhead, batch_first
        )
    if decoder:
        masks = (tgt_mask, memory_mask, tgt_key_padding_mask, memory_key_padding_mask)
        causal = (tgt_is_causal, memory_is_causal)
        return decoder_layer_core(
            ctx, tgt, memory, *masks, *causal, d_model=d_model, nhead=nhead, batch_first=batch_first
        )
    return _declared(tgt, d_model)
