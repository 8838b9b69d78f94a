"""Sequence models through the torch frontend: recurrent layers and their tuple outputs,
attention with masks, transformer containers built from other modules (a single node each),
and grouped-query scaled_dot_product_attention. Every layer agrees with a real CPU forward at
several sizes, and the symbolic analysis agrees at each."""

from __future__ import annotations

import pytest

from shapecalc.analyze import analyze_loaded
from shapecalc.inputs import parse_shape
from shapecalc.report.table import render

from .harness import assert_agrees, assert_symbolic_agrees, load_one, model_path

CASES = [
    (
        "Tagger",
        [["1,5,12"], ["3,2,12"], ["2,9,12"]],
        ["B,T,12"],
        [{"B": 1, "T": 5}, {"B": 3, "T": 2}],
    ),
    (
        "GRUEncoder",
        [["5,3,6"], ["1,1,6"], ["7,2,6"]],
        ["T,B,6"],
        [{"B": 3, "T": 5}, {"B": 1, "T": 1}],
    ),
    (
        "MaskedAttention",
        [["2,5,16", "2,7,6", "2,7"], ["1,1,16", "1,3,6", "1,3"]],
        ["B,L,16", "B,S,6", "B,S"],
        [{"B": 2, "L": 5, "S": 7}, {"B": 1, "L": 1, "S": 3}],
    ),
    (
        "Seq2Seq",
        [["9,2,16", "5,2,16"], ["3,1,16", "4,1,16"]],
        ["S,B,16", "T,B,16"],
        [{"S": 9, "B": 2, "T": 5}, {"S": 3, "B": 1, "T": 4}],
    ),
    (
        "EncoderViT",
        [["1,3,32,32"], ["2,3,32,32"], ["3,3,35,39"]],
        ["B,3,32,32"],
        [{"B": 1}, {"B": 3}],
    ),
    (
        "SDPABlock",
        [["2,9,32"], ["1,1,32"]],
        ["B,T,32"],
        [{"B": 2, "T": 9}, {"B": 1, "T": 1}],
    ),
]


def _concrete():
    for name, sizes, _symbolic, _env in CASES:
        for inputs in sizes:
            yield pytest.param(name, inputs, id=f"{name}-{'+'.join(inputs)}")


@pytest.mark.parametrize("name, inputs", list(_concrete()))
def test_every_layer_agrees_with_torch(name, inputs):
    loaded = load_one(model_path(f"sequence.py:{name}"))
    assert_agrees(loaded, [parse_shape(s) for s in inputs])


@pytest.mark.parametrize(
    "name, symbolic, sizes", [pytest.param(c[0], c[2], c[3], id=c[0]) for c in CASES]
)
def test_symbolic_analysis_agrees_at_each_size(name, symbolic, sizes):
    loaded = load_one(model_path(f"sequence.py:{name}"))
    assert_symbolic_agrees(loaded, [parse_shape(s) for s in symbolic], sizes)


def test_a_stack_is_one_node_showing_its_layer():
    loaded = load_one(model_path("sequence.py:EncoderViT"))
    analysis = analyze_loaded(loaded, [parse_shape("B,3,32,32")])
    encoder = analysis.layer("encoder")
    assert encoder.op == "TransformerEncoder"
    assert str(encoder.value) == "(B, 17, 32)"
    assert (
        "TransformerEncoder(TransformerEncoderLayer(32, 4, dim_feedforward=64, "
        "activation='gelu', batch_first=True), 2, norm=LayerNorm" in render(analysis)
    )


@pytest.mark.parametrize("shape", ["2,7,8", "1,3,8"])
def test_recorded_model_with_tuple_outputs_agrees_with_torch(shape):
    loaded = load_one(model_path("sequence.py:Branchy"))
    analysis = assert_agrees(loaded, [parse_shape(shape)])
    assert "SC001" in [d.code for d in analysis.diagnostics]


@pytest.mark.parametrize(
    "name, inputs, code",
    [
        ("Tagger", ["2,7,10"], "SC215"),
        ("MaskedAttention", ["2,5,16", "2,7,6", "2,6:bool"], "SC218"),
        ("MaskedAttention", ["2,5,16", "3,7,6", "3,7:bool"], "SC219"),
        ("Seq2Seq", ["9,2,16", "5,3,16"], "SC219"),
        ("EncoderViT", ["1,3,64,64"], "SC301"),
    ],
)
def test_errors_are_found_in_sequence_models(name, inputs, code):
    loaded = load_one(model_path(f"sequence.py:{name}"))
    analysis = analyze_loaded(loaded, [parse_shape(s) for s in inputs])
    assert code in [d.code for d in analysis.diagnostics]


@pytest.mark.parametrize(
    "name, inputs, layer",
    [("RejectedHeads", "2,5,64", "attn"), ("RejectedEncoder", "5,2,10", "encoder")],
)
def test_rejected_attention_layers_are_reported_once_and_analysed(name, inputs, layer):
    loaded = load_one(model_path(f"sequence.py:{name}"))
    analysis = analyze_loaded(loaded, [parse_shape(inputs)])
    assert [d.code for d in analysis.diagnostics] == ["SC217"]
    diag = analysis.diagnostics[0]
    assert diag.layer == layer and diag.location is not None
    assert analysis.output_shapes[0] is not None


@pytest.mark.parametrize(
    "name, shape",
    [("EncoderViT", "(B, 3, H, W)"), ("RejectedEncoder", "(T, B, 10)"), ("Seq2Seq", "(S, B, 16)")],
)
def test_first_input_inferred_or_declared(name, shape):
    from shapecalc.frontends.infer import infer_inputs

    loaded = load_one(model_path(f"sequence.py:{name}"))
    first = loaded.inputs[0] if loaded.inputs else infer_inputs(loaded.graph)[0]
    assert str(first) == shape
