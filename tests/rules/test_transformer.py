"""Differential tests for the Transformer layers and stacks: random configurations, inputs and
masks (sometimes wrong on purpose) against real torch."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from ..difftest import assert_agree, assert_symbolic_sound


def _near(draw, value: int) -> int:
    return draw(st.sampled_from([value] * 5 + [value + 1, max(value - 1, 1)]))


@st.composite
def transformer_case(draw):
    kind = draw(
        st.sampled_from(
            ["TransformerEncoderLayer", "TransformerDecoderLayer", "Encoder", "Decoder", "Full"]
        )
    )
    nhead = draw(st.integers(1, 3))
    d_model = nhead * draw(st.integers(1, 3)) + (1 if draw(st.integers(0, 9)) == 0 else 0)
    batch_first = draw(st.booleans())
    batched = draw(st.sampled_from([True, True, False]))
    n, t, s = draw(st.integers(1, 3)), draw(st.integers(1, 4)), draw(st.integers(1, 4))

    def seq(length: int, features: int, batch: int = n) -> tuple:
        if not batched:
            return (length, features)
        return (batch, length, features) if batch_first else (length, batch, features)

    layer_args = f"{d_model}, {nhead}, 8, batch_first={batch_first}"
    inputs: dict[str, tuple] = {}
    dtypes: dict[str, str] = {}
    extra = ""
    decoder = kind in ("TransformerDecoderLayer", "Decoder", "Full")
    inputs["x"] = seq(t, _near(draw, d_model))
    if decoder:
        inputs["m"] = seq(s, _near(draw, d_model), _near(draw, n))
    # the target's self-attention mask and key padding mask ...
    self_mask, self_pad, self_causal = {
        "TransformerEncoderLayer": ("src_mask", "src_key_padding_mask", "is_causal"),
        "Encoder": ("mask", "src_key_padding_mask", "is_causal"),
        "TransformerDecoderLayer": ("tgt_mask", "tgt_key_padding_mask", "tgt_is_causal"),
        "Decoder": ("tgt_mask", "tgt_key_padding_mask", "tgt_is_causal"),
        "Full": ("tgt_mask", "tgt_key_padding_mask", "tgt_is_causal"),
    }[kind]
    if draw(st.booleans()):
        inputs["a"] = (_near(draw, t), _near(draw, t))
        extra += f", {self_mask}=a"
    if draw(st.booleans()):
        inputs["p"] = ((_near(draw, n),) if batched else ()) + (_near(draw, t),)
        dtypes["p"] = "bool"
        extra += f", {self_pad}=p"
    if draw(st.integers(0, 5)) == 0:
        extra += f", {self_causal}=True"
    # ... and, with a memory, the memory mask and memory key padding mask
    if decoder and draw(st.booleans()):
        inputs["b"] = (_near(draw, t), _near(draw, s))
        extra += ", memory_mask=b"
    if decoder and draw(st.booleans()):
        inputs["q"] = ((_near(draw, n),) if batched else ()) + (_near(draw, s),)
        dtypes["q"] = "bool"
        extra += ", memory_key_padding_mask=q"
    layers = draw(st.sampled_from([1, 2, 2, 0]))
    if kind == "Encoder":
        call = f"nn.TransformerEncoder(nn.TransformerEncoderLayer({layer_args}), {layers})(x"
    elif kind == "Decoder":
        call = f"nn.TransformerDecoder(nn.TransformerDecoderLayer({layer_args}), {layers})(x, m"
    elif kind == "Full":
        call = (
            f"nn.Transformer({d_model}, {nhead}, {layers}, {draw(st.integers(1, 2))}, 8, "
            f"batch_first={batch_first})(m, x"
        )
    else:
        call = f"nn.{kind}({layer_args})(x" + (", m" if decoder else "")
    return call + extra + ")", inputs, dtypes


@given(transformer_case())
def test_transformer_layers_match_torch(case):
    source, inputs, dtypes = case
    assert_agree(source, inputs, dtypes)


@given(transformer_case())
def test_transformer_symbolic_is_sound(case):
    source, inputs, dtypes = case
    x = inputs["x"]
    symbols = {"x:0": ("A", x[0])}
    if len(x) == 3:
        symbols["x:1"] = ("Z", x[1])
    assert_symbolic_sound(source, inputs, symbols, dtypes)
