"""Error recovery in the walk: one finding per layer and code, and no follow-on errors from
the value a failed op hands on (issue 4: "after an error, propagation continues with the
layer's declared output, and no follow-on errors are invented")."""

from __future__ import annotations

from shapecalc import symbolic as sym

from .difftest import errors, run_shapecalc, run_torch


def test_a_layer_too_small_in_two_dims_is_one_error() -> None:
    analysis = run_shapecalc("nn.MaxPool2d(2)(x)", {"x": (1, 4, 1, 1)})
    assert errors(analysis) == ["SC101"]
    (diag,) = analysis.diagnostics
    assert "spatial dim 0" in diag.message and "spatial dim 1" in diag.notes[0]
    assert run_torch("nn.MaxPool2d(2)(x)", {"x": (1, 4, 1, 1)}).error is not None


def test_each_layer_is_its_own_finding() -> None:
    source = "torch.cat([nn.MaxPool2d(2)(x), nn.MaxPool2d(3)(x)], 1)"
    assert errors(run_shapecalc(source, {"x": (1, 4, 1, 1)})) == ["SC101", "SC101"]


def test_groups_dividing_neither_channel_count_is_one_error() -> None:
    assert errors(run_shapecalc("F.conv2d(x, w, groups=4)", {"x": (1, 6, 5, 5), "w": (6, 1, 3, 3)}))


def test_a_failed_view_does_not_fail_the_views_after_it() -> None:
    """The heads x head_dim split is wrong (5 x 10 for 48 features); merging the heads back
    with the input's own sizes is right once the split is fixed, so it is not reported."""
    source = "x.view(2, 7, 5, 10).transpose(1, 2).transpose(1, 2).reshape(2, 7, 48)"
    inputs = {"x": (2, 7, 48)}
    assert errors(run_shapecalc(source, inputs)) == ["SC402"]
    assert run_torch(source, inputs).error is not None


def test_a_failed_view_keeps_the_sizes_carried_over_from_its_input() -> None:
    """x.view(1, 64) on (1, 64, 2, 2): both sizes are the input's leading ones and stay,
    so a later view that is wrong on its own is still reported; its own new size (2) is
    what its fix changes, so it becomes unknown."""
    source = "x.view(1, 64).transpose(0, 1).view(64, 2)"
    analysis = run_shapecalc(source, {"x": (1, 64, 2, 2)})
    assert errors(analysis) == ["SC402", "SC402"]
    assert analysis.output_shapes[0][0] == 64
    assert analysis.output_shapes[0][1] is sym.UNKNOWN


def test_a_mismatched_operand_is_blamed_once() -> None:
    """The torchvision DenseNet pattern: a feature map with the wrong size is concatenated in
    every later layer and once more at the end; torch stops at the first concatenation,
    and shapecalc reports that one only."""
    source = "torch.cat([x, y], 1).sum() + torch.cat([x, y, x], 1).sum()"
    inputs = {"x": (1, 2, 4, 4), "y": (1, 2, 3, 3)}
    assert errors(run_shapecalc(source, inputs)) == ["SC302"]
    assert run_torch(source, inputs).error is not None


def test_blame_is_per_kind_of_mismatch() -> None:
    """An operand blamed at a concatenation is still checked by an add."""
    source = "torch.cat([x, y], 1).sum() + (x + z).sum()"
    inputs = {"x": (1, 2, 4, 4), "y": (1, 2, 3, 3), "z": (1, 3, 4, 4)}
    assert errors(run_shapecalc(source, inputs)) == ["SC302", "SC301"]


def test_pixel_shuffle_channels_after_an_error_are_not_guessed() -> None:
    """12 channels under PixelShuffle(3): the fix changes the conv before it or the factor;
    the conv after it (built for 3 channels) is not blamed for the rounded-down 1."""
    source = "nn.Conv2d(3, 3, 3)(nn.PixelShuffle(3)(x))"
    assert errors(run_shapecalc(source, {"x": (1, 12, 4, 4)})) == ["SC105"]
    source = "nn.Conv2d(48, 8, 1)(nn.PixelUnshuffle(4)(x))"
    analysis = run_shapecalc(source, {"x": (1, 3, 30, 32)})
    assert errors(analysis) == ["SC105"]
    assert analysis.output_shapes[0][2] is sym.UNKNOWN and analysis.output_shapes[0][3] == 8


def test_an_unbatched_input_with_the_wrong_channels_leaves_later_sizes_open() -> None:
    """(8, 28, 28) into Conv2d(1, ...): torch reads one 8-channel image; the author meant a
    batch of 8 grey images. The flatten(1) + Linear after it is right for that batch."""
    source = "nn.Linear(4 * 26 * 26, 10)(nn.Conv2d(1, 4, 3)(x).flatten(1))"
    assert errors(run_shapecalc(source, {"x": (8, 28, 28)})) == ["SC201"]
    batched = "nn.Linear(4 * 26 * 26, 10)(nn.Conv2d(2, 4, 3)(x).flatten(1))"
    assert errors(run_shapecalc(batched, {"x": (8, 1, 28, 28)})) == ["SC201"]
    assert run_torch(source, {"x": (8, 28, 28)}).error is not None


def test_a_forgotten_transpose_in_attention_is_one_error() -> None:
    """``q @ k`` for ``q @ k.transpose(-2, -1)``: both operands end in the head size, so the
    intended scores are (T, T) and the ``@ v`` after them is right once that is fixed."""
    source = "torch.softmax(x @ y, -1) @ y"
    inputs = {"x": (2, 4, 10, 16), "y": (2, 4, 10, 16)}
    analysis = run_shapecalc(source, inputs)
    assert errors(analysis) == ["SC304"]
    assert analysis.output_shapes == [(2, 4, 10, 16)]
    assert run_torch(source, inputs).error is not None
    assert run_torch("torch.softmax(x @ y.mT, -1) @ y", inputs).error is None


def test_a_product_with_unrelated_inner_sizes_has_unknown_columns() -> None:
    for source in ("(x @ y) @ z", "torch.mm(x, y).mm(z)"):
        analysis = run_shapecalc(source, {"x": (2, 3), "y": (4, 5), "z": (6, 7)})
        assert errors(analysis) == ["SC304"]
        assert analysis.output_shapes[0][1] == 7


def test_a_transformer_stack_with_the_wrong_width_hands_on_d_model() -> None:
    """The encoder's input is 32 wide for d_model=64: one error at the stack; the Linear
    after it, sized for d_model, is right once the input is."""
    stack = "nn.TransformerEncoder(nn.TransformerEncoderLayer(64, 4, 128, batch_first=True), 2)"
    for source in (
        f"nn.Linear(64, 9)({stack}(x))",
        "nn.Linear(64, 9)(nn.Transformer(64, 4, 1, 1, 32, batch_first=True)(x, x))",
    ):
        analysis = run_shapecalc(source, {"x": (2, 5, 32)})
        assert errors(analysis) == ["SC215"], source
        assert analysis.output_shapes == [(2, 5, 9)]
        assert run_torch(source, {"x": (2, 5, 32)}).error is not None
