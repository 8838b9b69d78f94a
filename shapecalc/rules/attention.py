"""Attention: nn.MultiheadAttention and F.scaled_dot_product_attention.

MultiheadAttention follows torch/nn/modules/activation.py (constructor) and
F.multi_head_attention_forward with its _mha_shape_check: query (L, N, E), key (S, N, kdim),
value (S, N, vdim) ((N, L, E) ... with batch_first; (L, E), (S, kdim), (S, vdim) unbatched);
output (L, N, E) in the query's layout, and attention weights (N, L, S') averaged over heads
or (N, num_heads, L, S') with average_attn_weights=False, None with need_weights=False;
S' = S + add_bias_kv + add_zero_attn.

scaled_dot_product_attention follows its documented reference implementation (the math
path): attn = query @ key.transpose(-2, -1) broadcasts the batch dims of query and key, the
mask is added to attn in place (so it broadcasts *to* attn's shape), and attn @ value
broadcasts with value's batch dims. enable_gqa repeats key and value heads (dim -3) up to the
query's.
"""

from __future__ import annotations

from typing import Any

from .. import symbolic as sym
from ..diagnostics import Fix
from ..symbolic import UNKNOWN, Dim
from ..values import TensorValue, format_shape
from . import bad, ok, shape_rule
from .elementwise import broadcast_two


def _fix(param: str, got: Any) -> Fix | None:
    return Fix(param, got, f"{param}={got}") if isinstance(got, int) else None


def check_heads(
    ctx: Any, embed_dim: Any, num_heads: Any, what: str = "embed_dim", heads: str = "num_heads"
) -> bool:
    """MultiheadAttention.__init__: both positive (ValueError), embed_dim divisible by
    num_heads ('embed_dim must be divisible by num_heads')."""
    if not isinstance(embed_dim, int) or not isinstance(num_heads, int):
        return True
    if embed_dim <= 0 or num_heads <= 0:
        ctx.report(
            "SC002",
            f"{ctx.layer}: {what} and {heads} must be greater than 0, got {what}="
            f"{embed_dim} and {heads}={num_heads}",
        )
        return False
    if embed_dim % num_heads:
        ctx.report(
            "SC217",
            f"{ctx.layer}: {what} ({embed_dim}) must be divisible by {heads} ({num_heads})",
        )
        return False
    return True


def _same(
    ctx: Any, got: Dim, want: Dim, code: str, message: str, fix_param: str | None = None
) -> bool:
    """False when got != want (reported, with a Fix of ``fix_param`` to ``got``); unknown
    records the constraint."""
    if got is UNKNOWN or want is UNKNOWN:
        return True
    fix = _fix(fix_param, got) if fix_param else None
    return ctx.check(sym.eq(got, want), code, message, fix=fix) is not False


def _same_dims(ctx: Any, got: tuple, want: tuple, code: str, message: str) -> bool:
    """``_same`` dim by dim; False (one finding) at the first dim that differs."""
    return all(_same(ctx, g, w, code, message) for g, w in zip(got, want))


def _check_mask_dtype(ctx: Any, mask: TensorValue, what: str) -> None:
    if mask.dtype != "bool" and not mask.is_floating:
        ctx.report("SC207", f"{ctx.layer}: {what} must be bool or floating point, got {mask.dtype}")


def mha_core(
    ctx: Any,
    query: TensorValue,
    key: TensorValue,
    value: TensorValue,
    key_padding_mask: Any,
    need_weights: Any,
    attn_mask: Any,
    average_attn_weights: Any,
    is_causal: Any,
    *,
    embed_dim: Any,
    num_heads: Any,
    add_bias_kv: bool,
    add_zero_attn: bool,
    kdim: Any,
    vdim: Any,
    batch_first: bool,
    names: tuple[str, str, str] = ("query", "key and value", "embed_dim"),
) -> tuple[TensorValue, TensorValue | None]:
    """(attn_output, attn_weights) with every check of multi_head_attention_forward.

    ``names``: how messages call the query, the key and value, and the embedding size (a
    Transformer layer's ``("tgt", "memory", "d_model")``). A key that *is* the query (self
    attention) is not checked twice."""
    q_name, kv_name, dim_name = names
    kdim = embed_dim if kdim is None else kdim
    vdim = embed_dim if vdim is None else vdim
    separate = not (_eq_int(kdim, embed_dim) and _eq_int(vdim, embed_dim))
    heads = num_heads if isinstance(num_heads, int) and num_heads > 0 else UNKNOWN

    if query.ndim not in (2, 3):
        ctx.report(
            "SC206",
            f"{ctx.layer}: {q_name} must be 2-D (unbatched) or 3-D (batched), got {query.ndim}-D "
            f"{query}",
        )
        out = query.with_shape((UNKNOWN,) * max(query.ndim - 1, 0) + (embed_dim,))
        return out, (query.with_shape((UNKNOWN,) * 3) if need_weights else None)
    batched = query.ndim == 3

    def seq_batch(t: TensorValue) -> tuple[Dim, Dim | None]:
        if not batched:
            return t.shape[0], None
        return (t.shape[1], t.shape[0]) if batch_first else (t.shape[0], t.shape[1])

    length, batch = seq_batch(query)
    for t in (query, key, value):
        if not t.is_floating:
            ctx.report("SC207", f"{ctx.layer} needs floating-point inputs, got {t.dtype}")
            break
    _same(
        ctx,
        query.shape[-1],
        embed_dim,
        "SC215",
        f"{ctx.layer} expects {q_name} of {dim_name}={embed_dim} features, got {query.shape[-1]}",
        dim_name,
    )
    ranks_ok = key.ndim == query.ndim and value.ndim == query.ndim
    if key is query and value is query:
        source = length
    elif not ranks_ok:
        kind = "batched (3-D)" if batched else "unbatched (2-D)"
        ctx.report(
            "SC219",
            f"{ctx.layer}: for a {kind} {q_name}, {kv_name} must be {query.ndim}-D, got "
            f"{key.ndim}-D and {value.ndim}-D",
        )
        source = UNKNOWN
    else:
        source, key_batch = seq_batch(key)
        if separate:
            # key's and value's sequence and batch dims must match (their features differ)
            _same_dims(
                ctx,
                value.shape[:-1],
                key.shape[:-1],
                "SC219",
                f"{ctx.layer}: key's sequence and batch dims {format_shape(key.shape[:-1])} "
                f"differ from value's {format_shape(value.shape[:-1])}",
            )
            for name, t, size in (("key", key, kdim), ("value", value, vdim)):
                param = f"{name[0]}dim"
                _same(
                    ctx,
                    t.shape[-1],
                    size,
                    "SC215",
                    f"{ctx.layer} expects {name} of {param}={size} features, got {t.shape[-1]}",
                    param,
                )
        else:
            _same_dims(
                ctx,
                value.shape,
                key.shape,
                "SC219",
                f"{ctx.layer}: key shape {key} does not match value shape {value}",
            )
            _same(
                ctx,
                key.shape[-1],
                embed_dim,
                "SC215",
                f"{ctx.layer} expects {kv_name} of {dim_name}={embed_dim} features, got "
                f"{key.shape[-1]}",
            )
        if batched:
            _same(
                ctx,
                key_batch,
                batch,
                "SC219",
                f"{ctx.layer}: {kv_name} have batch size {key_batch}, {q_name} {batch}",
            )
    if key_padding_mask is not None:
        _check_key_padding_mask(ctx, key_padding_mask, batched, batch, source)
    if attn_mask is not None:
        # with is_causal, no key padding mask and no weights, multi_head_attention_forward
        # drops attn_mask (the causal hint goes to SDPA) after checking its rank and dtype only
        dropped = bool(is_causal) and key_padding_mask is None and not need_weights
        _check_mha_attn_mask(ctx, attn_mask, batched, batch, heads, length, source, dropped)
    elif is_causal:
        ctx.report(
            "SC218",
            f"{ctx.layer}: is_causal=True needs an attn_mask (nn.Transformer."
            "generate_square_subsequent_mask builds one)",
        )
    out_shape = (
        ((batch, length, embed_dim) if batch_first else (length, batch, embed_dim))
        if batched
        else (length, embed_dim)
    )
    output = query.with_shape(out_shape)
    if not need_weights:
        return output, None
    keys = source + int(bool(add_bias_kv)) + int(bool(add_zero_attn))
    inner = (length, keys) if average_attn_weights else (heads, length, keys)
    return output, query.with_shape(((batch,) if batched else ()) + inner)


def _eq_int(a: Any, b: Any) -> bool:
    return a is b or (isinstance(a, int) and isinstance(b, int) and a == b)


def _check_key_padding_mask(
    ctx: Any, mask: Any, batched: bool, batch: Dim | None, source: Dim
) -> None:
    if not isinstance(mask, TensorValue):
        return
    want = (batch, source) if batched else (source,)
    if mask.ndim != len(want):
        ctx.report(
            "SC218",
            f"{ctx.layer}: key_padding_mask must be {len(want)}-D {format_shape(want)} for a "
            f"{'batched' if batched else 'unbatched'} query, got {mask.ndim}-D {mask}",
        )
        return
    _check_mask_dtype(ctx, mask, "key_padding_mask")
    _same_dims(
        ctx,
        mask.shape,
        want,
        "SC218",
        f"{ctx.layer}: key_padding_mask must have shape {format_shape(want)} (batch, key "
        f"length), got {mask}",
    )


def _check_mha_attn_mask(
    ctx: Any,
    mask: Any,
    batched: bool,
    batch: Dim | None,
    heads: Dim,
    length: Dim,
    source: Dim,
    rank_only: bool = False,
) -> None:
    """2-D (L, S), or 3-D (N * num_heads, L, S) ((num_heads, L, S) for an unbatched query)."""
    if not isinstance(mask, TensorValue):
        return
    if mask.ndim == 2:
        want: tuple = (length, source)
    elif mask.ndim == 3:
        first = heads * batch if batched and heads is not UNKNOWN else heads
        want = (first if batched else heads, length, source)
    else:
        ctx.report("SC218", f"{ctx.layer}: attn_mask must be 2-D or 3-D, got {mask.ndim}-D {mask}")
        return
    _check_mask_dtype(ctx, mask, "attn_mask")
    if rank_only and (batched or mask.ndim == 2):
        return  # (_mha_shape_check checks an unbatched query's 3-D mask in any case)
    _same_dims(
        ctx,
        mask.shape,
        want,
        "SC218",
        f"{ctx.layer}: the {mask.ndim}-D attn_mask must have shape {format_shape(want)}, "
        f"got {mask}",
    )


@shape_rule(
    "MultiheadAttention",
    examples=[
        ok(
            "nn.MultiheadAttention(8, 2)(q, k, v)",
            [(5, 3, 8), (3, 5, 7)],
            q=(5, 3, 8),
            k=(7, 3, 8),
            v=(7, 3, 8),
        ),
        ok("nn.MultiheadAttention(16, 4, batch_first=True)(x, x, x)[0]", (2, 9, 16), x=(2, 9, 16)),
        ok(
            "nn.MultiheadAttention(8, 2, kdim=4, vdim=6)(q, k, v, average_attn_weights=False)[1]",
            (3, 2, 5, 7),
            q=(5, 3, 8),
            k=(7, 3, 4),
            v=(7, 3, 6),
        ),
        ok("nn.MultiheadAttention(8, 2)(x, x, x, need_weights=False)[1]", x=(5, 8)),
        ok(
            "nn.MultiheadAttention(8, 2, add_bias_kv=True, add_zero_attn=True)(q, k, k, "
            "attn_mask=m)[1]",
            (5, 9),
            q=(5, 8),
            k=(7, 8),
            m=(2, 5, 7),
        ),
        bad("nn.MultiheadAttention(10, 3)(x, x, x)", "SC217", x=(5, 3, 10)),
        bad("nn.MultiheadAttention(8, 2)(x, x, x)", "SC215", x=(5, 3, 12)),
        bad("nn.MultiheadAttention(8, 2, kdim=4)(q, k, k)", "SC215", q=(5, 3, 8), k=(7, 3, 8)),
        bad("nn.MultiheadAttention(8, 2)(q, k, v)", "SC219", q=(5, 3, 8), k=(7, 3, 8), v=(6, 3, 8)),
        bad("nn.MultiheadAttention(8, 2)(q, k, k)", "SC219", q=(5, 3, 8), k=(7, 2, 8)),
        bad("nn.MultiheadAttention(8, 2)(q, k, k)", "SC219", q=(5, 3, 8), k=(7, 8)),
        bad(
            "nn.MultiheadAttention(8, 2)(q, k, k, key_padding_mask=m)",
            "SC218",
            q=(5, 3, 8),
            k=(7, 3, 8),
            m=(3, 5),
            dtypes={"m": "bool"},
        ),
        bad(
            "nn.MultiheadAttention(8, 2)(q, k, k, attn_mask=m)",
            "SC218",
            q=(5, 3, 8),
            k=(7, 3, 8),
            m=(5, 5),
            dtypes={"m": "bool"},
        ),
        bad("nn.MultiheadAttention(8, 2)(x, x, x, is_causal=True)", "SC218", x=(5, 3, 8)),
        bad("nn.MultiheadAttention(8, 2)(x, x, x)", "SC206", x=(5, 3, 1, 8)),
    ],
)
def multihead_attention(
    ctx: Any,
    query: TensorValue,
    key: TensorValue,
    value: TensorValue,
    key_padding_mask: Any = None,
    need_weights: Any = True,
    attn_mask: Any = None,
    average_attn_weights: Any = True,
    is_causal: Any = False,
    *,
    embed_dim: Any,
    num_heads: Any,
    dropout: float = 0.0,
    bias: bool = True,
    add_bias_kv: bool = False,
    add_zero_attn: bool = False,
    kdim: Any = None,
    vdim: Any = None,
    batch_first: bool = False,
    device: Any = None,
    dtype: Any = None,
) -> tuple[TensorValue, TensorValue | None]:
    check_heads(ctx, embed_dim, num_heads)
    return mha_core(
        ctx,
        query,
        key,
        value,
        key_padding_mask,
        need_weights,
        attn_mask,
        average_attn_weights,
        is_causal,
        embed_dim=embed_dim,
        num_heads=num_heads,
        add_bias_kv=add_bias_kv,
        add_zero_attn=add_zero_attn,
        kdim=kdim,
        vdim=vdim,
        batch_first=batch_first,
    )


# ------------------------------------------------------------------ scaled_dot_product_attention


@shape_rule(
    "F.scaled_dot_product_attention",
    examples=[
        ok(
            "F.scaled_dot_product_attention(q, k, v)",
            (2, 3, 5, 6),
            q=(2, 3, 5, 8),
            k=(2, 3, 7, 8),
            v=(2, 3, 7, 6),
        ),
        ok(
            "F.scaled_dot_product_attention(q, k, v)",
            (2, 3, 5, 6),
            q=(2, 3, 5, 8),
            k=(3, 7, 8),
            v=(1, 3, 7, 6),
        ),
        ok(
            "F.scaled_dot_product_attention(q, k, v, attn_mask=m)",
            (2, 3, 5, 6),
            q=(2, 3, 5, 8),
            k=(2, 3, 7, 8),
            v=(2, 3, 7, 6),
            m=(2, 1, 1, 7),
            dtypes={"m": "bool"},
        ),
        ok(
            "F.scaled_dot_product_attention(q, k, v, enable_gqa=True)",
            (2, 6, 5, 6),
            q=(2, 6, 5, 8),
            k=(2, 2, 7, 8),
            v=(2, 3, 7, 6),
        ),
        bad(
            "F.scaled_dot_product_attention(q, k, v)",
            "SC219",
            q=(2, 3, 5, 8),
            k=(2, 3, 7, 6),
            v=(2, 3, 7, 6),
        ),
        bad(
            "F.scaled_dot_product_attention(q, k, v)",
            "SC219",
            q=(2, 3, 5, 8),
            k=(2, 3, 7, 8),
            v=(2, 3, 6, 6),
        ),
        bad(
            "F.scaled_dot_product_attention(q, k, v)",
            "SC219",
            q=(2, 3, 5, 8),
            k=(4, 3, 7, 8),
            v=(4, 3, 7, 6),
        ),
        bad(
            "F.scaled_dot_product_attention(q, k, v, enable_gqa=True)",
            "SC217",
            q=(2, 6, 5, 8),
            k=(2, 4, 7, 8),
            v=(2, 4, 7, 6),
        ),
        bad(
            "F.scaled_dot_product_attention(q, k, v, attn_mask=m)",
            "SC218",
            q=(3, 5, 8),
            k=(3, 7, 8),
            v=(3, 7, 6),
            m=(2, 3, 5, 7),
        ),
        bad(
            "F.scaled_dot_product_attention(q, k, k, attn_mask=m, is_causal=True)",
            "SC218",
            q=(3, 5, 8),
            k=(3, 7, 8),
            m=(5, 7),
        ),
        bad("F.scaled_dot_product_attention(x, x, x)", "SC206", x=(8,)),
        bad(
            "F.scaled_dot_product_attention(q, k, k)",
            "SC207",
            q=(2, 4),
            k=(3, 4),
            dtypes={"q": "float64"},
        ),
    ],
)
def scaled_dot_product_attention(
    ctx: Any,
    query: TensorValue,
    key: TensorValue,
    value: TensorValue,
    attn_mask: Any = None,
    dropout_p: float = 0.0,
    is_causal: bool = False,
    scale: Any = None,
    enable_gqa: bool = False,
) -> TensorValue:
    tensors = {"query": query, "key": key, "value": value}
    short = [f"{n} ({t.ndim}-D)" for n, t in tensors.items() if t.ndim < 2]
    if short:
        ctx.report(
            "SC206",
            f"{ctx.layer}: query, key and value must be at least 2-D, got {', '.join(short)}",
        )
        return query.with_shape((UNKNOWN,) * max(query.ndim, 2))
    dtypes = {t.dtype for t in tensors.values()}
    if len(dtypes) > 1:
        ctx.report(
            "SC207",
            f"{ctx.layer}: query, key and value must have one dtype, got {query.dtype}, "
            f"{key.dtype} and {value.dtype}",
        )
    if isinstance(attn_mask, TensorValue) and attn_mask.dtype not in (
        "bool",
        "float32",
        query.dtype,
    ):
        ctx.report(
            "SC207",
            f"{ctx.layer}: attn_mask must be bool, float32 or the query's dtype "
            f"({query.dtype}), got {attn_mask.dtype}",
        )
    if any(isinstance(d, int) and d == 0 for d in query.shape):
        # an empty query returns an empty result before any other check (ATen
        # scaled_dot_product_attention)
        return query.with_shape((*query.shape[:-1], value.shape[-1]))
    if len(dtypes) == 1 and not query.is_floating:
        ctx.report("SC207", f"{ctx.layer} needs floating-point inputs, got {query.dtype}")
    length, head_dim = query.shape[-2:]
    source = key.shape[-2]
    _same(
        ctx,
        key.shape[-1],
        head_dim,
        "SC219",
        f"{ctx.layer}: query and key must have the same last dim, got {query} and {key}",
    )
    # (torch 2.13's CPU flash kernel skips this check for 4-D inputs with one head size and
    # returns a result; every other path raises. It is reported whichever kernel runs.)
    _same(
        ctx,
        value.shape[-2],
        source,
        "SC219",
        f"{ctx.layer}: key and value must have the same length (dim -2), got {key} and {value}",
    )
    k_batch, v_batch = key.shape[:-2], value.shape[:-2]
    if enable_gqa:
        grouped = _gqa(ctx, query, key, value)
        if grouped is None:
            return query.with_shape((UNKNOWN,) * query.ndim)
        k_batch, v_batch = grouped
    attn_batch = broadcast_two(ctx, query.shape[:-2], k_batch, "SC219", "query and key ")
    attn = (*attn_batch, length, source)
    if attn_mask is not None:
        _check_sdpa_mask(ctx, attn_mask, attn, is_causal)
    out_batch = broadcast_two(ctx, attn_batch, v_batch, "SC219", "the attention and value ")
    return query.with_shape((*out_batch, length, value.shape[-1]))


def _gqa(
    ctx: Any, query: TensorValue, key: TensorValue, value: TensorValue
) -> tuple[tuple, tuple] | None:
    """enable_gqa: key and value heads (dim -3) are repeated up to the query's; each must
    divide it ('Number of heads in key and value must divide the number of heads in query')."""
    if min(query.ndim, key.ndim, value.ndim) < 3:
        ctx.report(
            "SC206",
            f"{ctx.layer}: enable_gqa=True needs query, key and value with a heads dim "
            f"(at least 3-D), got {query.ndim}-D, {key.ndim}-D and {value.ndim}-D",
        )
        return None
    heads = query.shape[-3]
    out = []
    for name, t in (("key", key), ("value", value)):
        kv_heads = t.shape[-3]
        batch = list(t.shape[:-2])
        if (
            ctx.check(
                sym.divisible(heads, kv_heads),
                "SC217",
                f"{ctx.layer}: the {name}'s {kv_heads} heads must divide the query's {heads}",
            )
            is not False
        ):
            batch[-1] = heads
        out.append(tuple(batch))
    return out[0], out[1]


def _check_sdpa_mask(ctx: Any, mask: Any, attn: tuple, is_causal: bool) -> None:
    if not isinstance(mask, TensorValue):
        return
    if is_causal:
        ctx.report("SC218", f"{ctx.layer}: an explicit attn_mask cannot be used with is_causal")
    if mask.ndim < 2:
        ctx.report("SC218", f"{ctx.layer}: attn_mask must be at least 2-D, got {mask}")
        return
    # the mask is added to attn (..., L, S) in place: it broadcasts to attn's shape exactly
    message = (
        f"{ctx.layer}: attn_mask {mask} does not broadcast to the attention's shape "
        f"{format_shape(attn)} (batch..., L, S)"
    )
    if mask.ndim > len(attn):
        ctx.report("SC218", message)
        return
    for m, a in zip(reversed(mask.shape), reversed(attn)):
        if m == 1 or m is UNKNOWN or a is UNKNOWN:
            continue
        if ctx.check(sym.eq(m, a), "SC218", message) is False:
            return


# ------------------------------------------------------------------------------------ masks


@shape_rule(
    "torch.triu",
    "torch.tril",
    "Tensor.triu",
    "Tensor.tril",
    "Tensor.triu_",
    "Tensor.tril_",
    examples=[
        ok("torch.triu(x, diagonal=1)", (5, 5), x=(5, 5)),
        ok("x.tril(-1)", (2, 3, 4), x=(2, 3, 4)),
        ok("torch.triu(torch.full((4, 4), -1e9), diagonal=1)", (4, 4)),
        bad("torch.tril(x)", "SC206", x=(5,)),
    ],
)
def triangle(ctx: Any, input: TensorValue, diagonal: Any = 0, *, out: Any = None) -> TensorValue:
    """The upper / lower triangle of the last two dims (causal masks: Transformer.
    generate_square_subsequent_mask is torch.triu(torch.full((n, n), -inf), diagonal=1)); the
    shape is kept; torch: 'triu: input tensor must have at least 2 dimensions'."""
    if input.ndim < 2:
        ctx.report("SC206", f"{ctx.layer} needs an input of at least 2 dimensions, got {input}")
    return input
