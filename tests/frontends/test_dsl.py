"""The DSL frontend: syntax, names and locations, blocks, loops, fill-ins, errors, limits,
export, and that analysing a .scn file imports no torch."""

from __future__ import annotations

import inspect
import os
import subprocess
import sys
import textwrap

import pytest
import torch
import torch.nn as nn
from click.testing import CliRunner

from shapecalc import symbolic as sym
from shapecalc.analyze import analyze_loaded
from shapecalc.cli import main
from shapecalc.export import ExportError, export_models
from shapecalc.frontends import FrontendError, dsl_eval
from shapecalc.frontends import dsl_layers as L
from shapecalc.frontends.dsl import build_models, load_models
from shapecalc.frontends.loader import load
from shapecalc.graph import MODULE
from shapecalc.values import TensorValue

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))


@pytest.fixture
def scn(tmp_path):
    """Write a DSL file and return its path."""

    def write(text: str, name: str = "model.scn") -> str:
        path = tmp_path / name
        path.write_text(textwrap.dedent(text))
        return str(path)

    return write


def one(path: str):
    (model,) = load_models(path)
    return model


def error(path: str) -> str:
    with pytest.raises(FrontendError) as info:
        load(path)
    return str(info.value)


CONV_UNIT = """\
def Net():
    x = Input(B, 3, 32, 32)
    x = x >> Conv2d(3, 6, 5, padding=1) >> MaxPool2d(2, 2)
    x = flatten(x, 1)
    return x >> Linear(..., 10)
"""


# ------------------------------------------------------------------------------ the basics


def test_conv_unit_names_locations_and_fill(scn) -> None:
    path = scn(CONV_UNIT)
    model = one(path)
    nodes = {n.name: n for n in model.graph}
    assert list(nodes) == ["x", "conv2d", "maxpool2d", "flatten", "linear", "output"]
    assert nodes["conv2d"].location.line == 3 and nodes["conv2d"].location.column == 14
    assert nodes["linear"].location.line == 5
    assert nodes["flatten"].location.path == path
    assert nodes["linear"].spec.params["in_features"] == 6 * 15 * 15
    assert model.inputs == [TensorValue((sym.symbol("B"), 3, 32, 32))]
    analysis = analyze_loaded(model)
    assert analysis.output_shapes == [(sym.symbol("B"), 10)]
    assert analysis.total_params == 456 + 1350 * 10 + 10


def test_call_forms_agree(scn) -> None:
    """`Layer(...)(x)`, `x >> Layer(...)`, a bound layer and `nn.`/`F.`/`torch.` prefixes."""
    forms = [
        "y = Conv2d(3, 6, 5)(x)\n    y = relu(y)",
        "y = x >> Conv2d(3, 6, 5) >> relu()",
        "conv = nn.Conv2d(3, 6, 5)\n    y = F.relu(conv(x))",
        "y = torch.relu(x >> Conv2d(3, 6, 5))",
        "y = (x >> Conv2d(3, 6, 5)).relu()",
        "y = x >> Conv2d(3, 6, 5) >> relu",
    ]
    shapes = set()
    for i, form in enumerate(forms):
        path = scn(
            f"def Net():\n    x = Input(2, 3, 9, 9)\n    {form}\n    return y\n", f"m{i}.scn"
        )
        shapes.add(tuple(analyze_loaded(one(path)).output_shapes[0]))
    assert shapes == {(2, 6, 5, 5)}


def test_blocks_are_named_by_their_call(scn) -> None:
    path = scn(
        """\
        def ResBlk(x, ch_in, ch_out, stride=1):
            conv1 = Conv2d(ch_in, ch_out, 3, stride=stride, padding=1)
            out = x >> conv1 >> relu()
            extra = x
            if ch_out != ch_in or stride != 1:
                extra = x >> Conv2d(ch_in, ch_out, 1, stride=stride)
            return extra + out

        def Net():
            x = Input(B, 16, H, W)
            res1 = ResBlk(x, 16, 32)
            x = ResBlk(res1, 32, 32)
            x = x >> ResBlk(32, 64, stride=2)
            return x
        """
    )
    model = one(path)
    names = [n.name for n in model.graph if n.kind == MODULE]
    assert names == [
        "res1.conv1",
        "res1.conv2d",
        "resblk.conv1",
        "resblk_1.conv1",
        "resblk_1.conv2d",
    ]
    analysis = analyze_loaded(model)
    H, W = sym.symbol("H"), sym.symbol("W")
    assert analysis.output_shapes == [(sym.symbol("B"), 64, (H - 1) // 2 + 1, (W - 1) // 2 + 1)]


def test_shared_layer_counts_once_and_exports_once(scn) -> None:
    path = scn(
        """\
        def Net():
            x = Input(2, 8)
            fc = Linear(8, 8)
            return fc(fc(x))
        """
    )
    model = one(path)
    assert [n.name for n in model.graph if n.kind == MODULE] == ["fc", "fc_1"]
    assert analyze_loaded(model).total_params == 72
    module = model.build()
    assert [name for name, _ in module.named_modules()] == ["", "fc"]
    assert module(torch.rand(2, 8)).shape == (2, 8)


def test_loops_lists_ifs_arithmetic_and_constants(scn) -> None:
    path = scn(
        """\
        WIDTHS = [8, "M", 16, "M"]  # a VGG-style plan

        def Net():
            x = Input(1, 3, 16, 16)
            feats = []
            for w in WIDTHS:
                if w == "M":
                    feats.append(x)
                    x = x >> MaxPool2d(2)
                else:
                    x = x >> Conv2d(..., w, 3, padding=1)
            for i, n in enumerate((1, 2)):
                x = x >> Conv2d(..., 16 * n + i % 2 - (3 // 2) ** 2 + 1, 1)
            x = x if len(feats) == 2 else feats[0]
            return x, feats[-1]
        """
    )
    analysis = analyze_loaded(one(path))
    assert analysis.output_shapes == [(1, 33, 4, 4), (1, 16, 8, 8)]


def test_unet_style_zip_reversed_and_pop(scn) -> None:
    path = scn(
        """\
        WIDTHS = [4, 8]

        def Net():
            x = Input(1, 3, 16, 16)
            skips = []
            for w in WIDTHS:
                x = x >> Conv2d(..., w, 3, padding=1)
                skips.append(x)
                x = x >> MaxPool2d(2)
            for w, skip in zip(reversed(WIDTHS), reversed(skips)):
                x = cat([skip, x >> ConvTranspose2d(..., w, 2, stride=2)], dim=1)
            last = skips.pop()
            first = skips.pop(0)
            return x, last, first
        """
    )
    analysis = analyze_loaded(one(path))
    assert analysis.output_shapes == [(1, 8, 16, 16), (1, 8, 8, 8), (1, 4, 16, 16)]


def test_underscore_is_a_throwaway_name(scn) -> None:
    path = scn(
        """\
        def Net():
            x = Input(2, 5, 8)
            for _ in range(2):
                x = x >> Linear(8, 8)
            out, _ = LSTM(8, 4, batch_first=True)(x)
            _ = Linear(4, 3)
            return _(out)
        """
    )
    model = one(path)
    assert analyze_loaded(model).output_shapes == [(2, 5, 3)]
    assert "_" not in model.graph and "linear_2" in model.graph  # no module named `_`
    assert "self.linear_2 = nn.Linear(4, 3)" in export_models(path)


def test_int_round_and_nn_functional(scn) -> None:
    path = scn(
        """\
        ALPHA = 0.75

        def Net():
            x = Input(B, 3, 8, 8)
            x = x >> Conv2d(3, int(32 * ALPHA), 3) >> Conv2d(..., round(10 * ALPHA), 1)
            b = int(x.size(0))
            return nn.functional.relu(x).view(b, -1)
        """
    )
    assert analyze_loaded(one(path)).output_shapes == [(sym.symbol("B"), 8 * 6 * 6)]


def test_a_layer_given_to_a_layer(scn) -> None:
    path = scn(
        """\
        def Net():
            x = Input(10, 2, 32)
            layer = TransformerEncoderLayer(32, 4, dim_feedforward=64)
            x = TransformerEncoder(layer, num_layers=2, norm=LayerNorm(32))(x)
            return TransformerDecoder(TransformerDecoderLayer(32, 2, 16), 1)(x, x)
        """
    )
    model = one(path)
    analysis = analyze_loaded(model)
    module = model.build()
    out = module(torch.rand(10, 2, 32))
    assert analysis.output_shapes == [tuple(out.shape)] == [(10, 2, 32)]
    assert analysis.total_params == sum(p.numel() for p in module.parameters())
    assert "nn.TransformerEncoder(nn.TransformerEncoderLayer(32, 4, dim_feedforward=64), 2, " in (
        export_models(path)
    )


def test_input_sizes_are_the_models_not_a_blocks(scn) -> None:
    path = scn(
        """\
        def Head(x):
            return x.view(B, -1)

        def Net():
            x = Input(B, 3, 8, 8)
            return Head(x)
        """
    )
    assert "'B' is not defined in a block: B names a size of the model's Input; read it" in (
        error(path)
    )
    assert "(x.shape[0]) or pass it in" in error(path)


def test_values_and_indices_of_a_reduction(scn) -> None:
    path = scn(
        """\
        def Net():
            x = Input(2, 3, 5)
            return torch.max(x, 1).values, x.topk(2, dim=-1).indices, x.sort(dim=1)[0]
        """
    )
    model = one(path)
    assert analyze_loaded(model).output_shapes == [(2, 5), (2, 3, 2), (2, 3, 5)]
    outs = model.build()(torch.rand(2, 3, 5))
    assert [tuple(o.shape) for o in outs] == [(2, 5), (2, 3, 2), (2, 3, 5)]
    with pytest.raises(FrontendError, match="attribute .values is not allowed"):
        load(scn("def Net():\n    x = Input(2, 3)\n    return x.values\n", "plain.scn"))
    lstm = "def Net():\n    x = Input(2, 3, 4)\n    return LSTM(4, 5)(x).values\n"
    with pytest.raises(FrontendError, match="attribute .values is not allowed"):
        load(scn(lstm, "lstm.scn"))  # a plain tuple has no .values in torch


def test_input_sizes_as_one_tuple(scn) -> None:
    path = scn(
        """\
        def Net():
            x = Input((B, 3, H, 4))
            y = Input([2, 5], dtype="int64")
            return x.view(B, -1), y
        """
    )
    b, h = sym.symbol("B"), sym.symbol("H")
    assert analyze_loaded(one(path)).output_shapes == [(b, 12 * h), (2, 5)]


def test_a_block_called_like_a_layer_says_how_to_call_it(scn) -> None:
    blocks = """\
        def ResBlk(x, cin, cout, stride=1):
            return x >> Conv2d(cin, cout, 3, stride=stride, padding=1)

        def Make(cin, cout):
            return Conv2d(cin, cout, 1)

        def Net():
            x = Input(2, 3, 8, 8)
    """
    for call in ("ResBlk(3, 8)(x)", "ResBlk(3, 8, 1)(x)"):
        text = error(scn(blocks + f"        return {call}\n"))
        assert "(ResBlk is a block: give it the tensor first, ResBlk(x, ...), or chain it" in text
    text = error(scn(blocks + "        return x >> ResBlk(x, 3, 8)\n"))
    assert "in a chain the tensor on the left is ResBlk's first argument" in text
    assert analyze_loaded(one(scn(blocks + "        return Make(3, 8)(x)\n"))).output_shapes == [
        (2, 8, 8, 8)
    ]


def test_comparing_tensors_makes_a_mask(scn) -> None:
    path = scn(
        """\
        def Net():
            x = Input(2, 3, 4)
            y = torch.where(x > 0.5, x, -x)
            return y.masked_fill(x == 0, 1.0), 2 <= x
        """
    )
    model = one(path)
    assert analyze_loaded(model).output_shapes == [(2, 3, 4), (2, 3, 4)]
    assert "gt = x > 0.5" in export_models(path)
    a, b = model.build()(torch.rand(2, 3, 4))
    assert a.shape == b.shape == (2, 3, 4) and b.dtype == torch.bool


def test_numpy_axis_is_torch_dim(scn) -> None:
    path = scn(
        """\
        def Net():
            x = Input(2, 3, 4, 5)
            return x.mean(axis=1), torch.sum(x, axis=(2, 3)), cat([x, x], axis=1)
        """
    )
    assert analyze_loaded(one(path)).output_shapes == [(2, 4, 5), (2, 3), (2, 6, 4, 5)]
    assert "x.mean(dim=1)" in export_models(path)  # torch takes both names


def test_sizes_are_graph_values_so_global_pools_stay_symbolic(scn) -> None:
    path = scn(
        """\
        def Net():
            x = Input(B, 4, H, W)
            x = avg_pool2d(x, kernel_size=x.shape[2:])
            return x.view(x.size(0), -1) >> Linear(..., 3)
        """
    )
    analysis = analyze_loaded(one(path))
    assert analysis.output_shapes == [(sym.symbol("B"), 3)]
    assert analyze_loaded(one(path), [TensorValue((2, 4, 7, 5))]).output_shapes == [(2, 3)]


def test_symbolic_fill_in_is_kept_and_export_asks_for_numbers(scn) -> None:
    path = scn(
        """\
        def Net():
            x = Input(B, 3, H, 8)
            return flatten(x >> Conv2d(3, 2, 3), 1) >> Linear(..., 10)
        """
    )
    model = one(path)
    fc = model.graph["linear"]
    assert fc.spec.params["in_features"] == 2 * (sym.symbol("H") - 2) * 6
    assert analyze_loaded(model).output_shapes == [(sym.symbol("B"), 10)]
    with pytest.raises(ExportError, match=r"in_features = .* \(or a `# shapecalc: input=` comment"):
        export_models(path)
    (note,) = analyze_loaded(model).diagnostics
    assert (note.code, note.layer, note.location.line) == ("SC010", "linear", 3)


def test_fill_in_reads_the_right_axis(scn) -> None:
    path = scn(
        """\
        def Net():
            x = Input(5, 9, 9)  # unbatched (C, H, W)
            y = x >> Conv2d(..., 4, 3)
            z = Input(2, 7, 3)
            return y, z >> ConvTranspose1d(..., 2, 2), z >> Linear(..., 1)
        """
    )
    model = one(path)
    assert model.graph["conv2d"].spec.params["in_channels"] == 5
    assert model.graph["convtranspose1d"].spec.params["in_channels"] == 7
    assert model.graph["linear"].spec.params["in_features"] == 3


def test_channel_dim_rule() -> None:
    assert L._channel_dim("BatchNorm1d", 2) == 1  # (N, C)
    assert L._channel_dim("BatchNorm1d", 3) == 1  # (N, C, L)
    assert L._channel_dim("Conv2d", 3) == 0  # unbatched
    assert L._channel_dim("Conv3d", 5) == 1
    assert L._channel_dim("GroupNorm", 4) == 1
    assert L._channel_dim("InstanceNorm2d", 3) == 0


# every constructor the counter knows, against torch's own parameter count
COUNTED = [
    ("Conv1d", (4, 6, 3), {}),
    ("Conv2d", (4, 6, (3, 2)), {"groups": 2, "bias": False}),
    ("Conv3d", (2, 3, 2), {}),
    ("ConvTranspose2d", (4, 6, 3), {"groups": 2}),
    ("Linear", (5, 7), {}),
    ("Linear", (5, 7), {"bias": False}),
    ("Bilinear", (3, 4, 5), {}),
    ("BatchNorm1d", (6,), {}),
    ("BatchNorm2d", (6,), {"affine": False}),
    ("InstanceNorm2d", (6,), {}),
    ("InstanceNorm2d", (6,), {"affine": True}),
    ("GroupNorm", (2, 6), {}),
    ("LayerNorm", ((4, 5),), {}),
    ("LayerNorm", (5,), {"bias": False}),
    ("Embedding", (10, 3), {}),
    ("PReLU", (), {"num_parameters": 4}),
    ("RNN", (3, 5), {"nonlinearity": "relu"}),
    ("LSTM", (3, 5), {"num_layers": 2, "bidirectional": True}),
    ("LSTM", (3, 5), {"proj_size": 2}),
    ("GRU", (3, 5), {"bias": False}),
    ("MultiheadAttention", (8, 2), {}),
    ("MultiheadAttention", (8, 2), {"kdim": 3, "vdim": 5, "add_bias_kv": True}),
    ("TransformerEncoderLayer", (8, 2, 16), {}),
    ("TransformerEncoderLayer", (8, 2), {"bias": False}),
    ("TransformerDecoderLayer", (8, 2, 16), {}),
    ("TransformerDecoderLayer", (8, 2, 16), {"bias": False}),
    ("ReLU", (), {}),
    ("MaxPool2d", (2,), {}),
]


@pytest.mark.parametrize("op,args,kwargs", COUNTED, ids=[c[0] for c in COUNTED])
def test_param_count_matches_torch(op: str, args: tuple, kwargs: dict) -> None:
    cls = getattr(nn, op)
    module = cls(*args, **kwargs)
    bound = inspect.signature(cls).bind(*args, **kwargs)
    bound.apply_defaults()
    params = dict(bound.arguments)
    if "args" in params:  # RNN(*args, **kwargs): the module keeps its arguments as attributes
        params = {k: v for k, v in vars(module).items() if not k.startswith("_")}
    want = sum(p.numel() for p in module.parameters())
    assert L.param_count(op, params) == want


# -------------------------------------------------------------------------------- models


def test_many_models_per_file_and_picking_one(scn) -> None:
    path = scn(CONV_UNIT + "\n\ndef Small():\n    x = Input(1, 4)\n    return x >> Linear(4, 2)\n")
    assert [m.name for m in load(path)] == ["Net", "Small"]
    (small,) = load(f"{path}:Small")
    assert analyze_loaded(small).output_shapes == [(1, 2)]
    assert "has no model 'Nope'" in error(f"{path}:Nope")


def test_picking_a_model_builds_only_that_one(scn) -> None:
    broken = "\n\ndef Broken():\n    x = Input(1, 4)\n    return x >> Linear(4, 2 / 1)\n"
    path = scn(CONV_UNIT + broken)
    assert [m.name for m in load(f"{path}:Net")] == ["Net"]  # Broken's error does not stop Net
    assert "class Net" in export_models(f"{path}:Net")
    assert "got 2.0" in error(path) and "got 2.0" in error(f"{path}:Broken")
    assert "has no model 'Nope' (models: Net, Broken)" in error(f"{path}:Nope")
    for args in (["export", f"{path}:Net"], ["export", path, "--name", "Net"]):
        result = CliRunner().invoke(main, args)
        assert result.exit_code == 0 and "class Net" in result.output, result.output


def test_input_directive_overrides_the_declared_shape(scn) -> None:
    path = scn("# shapecalc: model=Net input=2,3,64,64\n" + CONV_UNIT)
    model = one(path)
    assert model.inputs == [TensorValue((2, 3, 64, 64))]
    assert model.graph["linear"].spec.params["in_features"] == 6 * 31 * 31


def test_token_inputs_take_a_dtype(scn) -> None:
    path = scn(
        """\
        def Net():
            x = Input(B, T, dtype="int64")
            y = Input(B, T, dtype=torch.long)
            return x + y
        """
    )
    model = one(path)
    assert [v.dtype for v in model.inputs] == ["int64", "int64"]


def test_findings_point_at_dsl_lines(scn) -> None:
    path = scn(
        """\
        def Net():
            x = Input(2, 3, 8, 8)
            x = x >> Conv2d(4, 8, 3)
            return x
        """
    )
    analysis = analyze_loaded(one(path))
    (diag,) = analysis.errors
    assert diag.code == "SC201"
    assert (diag.location.path, diag.location.line, diag.location.column) == (path, 3, 14)


# -------------------------------------------------------------------------------- errors

ERRORS = [
    ("x = x >> Conv2D(3, 6, 5)", "name 'Conv2D' is not defined (did you mean 'Conv2d'?)", 14),
    ("x = x >> Conv2d(3, 6, kernal_size=5)", "no argument 'kernal_size' (did you mean", 14),
    ("x = x >> nn.Conv2D(3, 6, 5)", "unknown layer 'nn.Conv2D' (did you mean 'Conv2d'?)", 14),
    ("x = x >> Conv2d(3, 6)", "missing a required argument: 'kernel_size'", 14),
    ("x = x >> Conv2d(3, ..., 5)", "out_channels cannot be filled in", 14),
    ("x = F.rleu(x)", "unknown op 'F.rleu' (did you mean 'relu'?)", 9),
    ("x = x.veiw(2, -1)", "unknown tensor method .veiw() (did you mean 'view'?)", 9),
    ("x = x.weight", "attribute .weight is not allowed", 9),
    ("x = open('/etc/passwd')", "Python's open is not part of the DSL", 9),
    ("x = eval('1')", "Python's eval is not part of the DSL", 9),
    ("x = 3(x)", "a int is not callable", 9),
    ("x = y", "name 'y' is not defined", 9),
    ("x = cat([x, x], dimm=1)", "cat", 9),
    ("x = x >> 3", "right side of >> must be", 14),
    ("x = x >> Bilinear(4, 4, 5)", "Bilinear takes input1, input2; missing input2", 14),
    ("x = Linear(..., 3)(x.shape)", "called on a tensor", 9),
    (
        "x = max_pool2d(x.shape, 2)",
        "max_pool2d takes a tensor as its input, not the size (2, 3, H, 4)",
        9,
    ),
    ("x = Linear(4, 3)(2)", "called on a tensor", 9),
    ("x = x >> MaxPool2d(x.shape[2])", "not a fixed number", 24),
    ("x = x[..., 0] + relu(...)", "`...` is filled in only as a layer argument", 21),
    ("for i in range(H):\n        pass", "depends on a size that is not a fixed number (H)", 14),
    ("for i in range(Q):\n        pass", "name 'Q' is not defined", 20),
    ("if x.shape[2] > 3:\n        pass", "depends on a size that is not a fixed number", 8),
    ("x = x >> Conv2d(3, 6.5, 3)", "out_channels must be a whole number, got 6.5", 14),
    ("x = x >> Conv2d(3, 6, 3, groups=0)", "groups must be at least 1, got 0", 14),
    ("x = x >> Linear(..., None)", "out_features must be a whole number, got None", 14),
    ("x = x >> Conv2d(True, 6, 3)", "in_channels must be a whole number, got True", 14),
    ("x = x >> Sequential(ReLU())", "Sequential is not part of the DSL", 14),
    ("x = reversed(x)", "a tensor cannot be used as a sequence", 9),
    ("x = zip([1], 2)", "zip() takes tuples, lists or ranges", 9),
    ("x = [].pop()", "pop from an empty list", 9),
    ("x = [1].pop(x)", "a tensor cannot be used as a index", 17),
    ("x = x >> Conv2d(3, 64 / 2, 3)", "got 32.0 (divide with // for a whole number", 14),
    ("x = int(x)", "int() takes a number, not a tensor", 9),
    ("x = round(1, 2)", "round() takes one number", 9),
    ("x = Linear(x.shape[2], 3)(x)", "not a fixed number (H): write `...` for a size", 16),
    ("x = adaptive_avgpool2d(x, 1)", "(did you mean 'adaptive_avg_pool2d'?)", 9),
    ("x = x >> Conv2d(ReLU(), 6, 3)", "Conv2d's in_channels cannot be a layer (ReLU)", 14),
    (
        "x = TransformerEncoder(TransformerEncoderLayer(..., 2), 1)(x)",
        "cannot fill in `...`: write its d_model as a number",
        28,
    ),
    ("x = input(2, 3)", "Python's input is not part of the DSL (did you mean 'Input'?)", 9),
    ("x = x >> Linear(4, 4, bias=false)", "'false' is not defined (did you mean 'False'?)", 32),
    ("x = interpolate(x, scale=2)", "argument 'scale' (did you mean 'scale_factor'?)", 9),
    ("x = {'a': 1}", "dicts are not part of the DSL; a config is a list or tuple", 9),
    ("x = zip(range(10**9), range(10**9))", "sequence too long", 9),
    ("x = reversed(range(10**9))", "sequence too long", 9),
    ("x = int(1e308 * 10)", "int(): cannot convert float infinity to integer", 9),
    ("x = self.conv(x)", "there is no self in the DSL: a model is its forward", 9),
    ("self.conv = Conv2d(3, 8, 3)", "there is no self in the DSL: a model is its forward", 5),
    ("x = 2 ** 100", "exponent out of range", 9),
    ("x = 1 // 0", "division by zero", 9),
    ("x = Input(B, 3)", "", 9),
]


@pytest.mark.parametrize("line,message,col", ERRORS, ids=[e[0] for e in ERRORS])
def test_semantic_errors_point_at_the_line(scn, line: str, message: str, col: int) -> None:
    source = f"def Net():\n    x = Input(2, 3, H, 4)\n    {line}\n    return x\n"
    path = scn(source)
    if line.startswith("x = Input"):  # a second input is fine: the model has two
        assert len(one(path).graph.inputs) == 2
        return
    text = error(path)
    first, src, caret = text.splitlines()[:3]
    assert first.startswith(f"{path}:3:{col}: "), text
    assert message in first
    assert src.strip() == line.splitlines()[0].strip()
    assert caret.strip().startswith("^") and caret.index("^") == col + 3


HOSTILE = [
    "x = __import__('os').system('touch {marker}')",
    "import os\nos.system('touch {marker}')",
    "from os import system",
    "x = ().__class__.__bases__[0].__subclasses__()",
    "x = exec(\"open('{marker}', 'w')\")",
    "x = eval(\"__import__('os')\")",
    "x = open('{marker}', 'w')",
    "f = lambda: 0",
    "x = [c for c in 'abc']",
    "x = getattr(x, '__class__')",
    "class A:\n    pass",
    "while True:\n    pass",
    "with open('{marker}') as f:\n    pass",
    "x = x._modules",
    "global x",
    "x = f'{{x}}'",
    "x = {{'a': 1}}",
    "x = x.__dict__",
    "try:\n    pass\nexcept Exception:\n    pass",
    "_x = 1",
    "x = _.__class__",
]


@pytest.mark.parametrize("body", HOSTILE)
def test_hostile_files_are_rejected_with_exit_2(scn, tmp_path, body: str) -> None:
    marker = tmp_path / "pwned"
    inner = textwrap.indent(body.format(marker=marker), "    ")
    path = scn(f"def Net():\n    x = Input(1, 3)\n{inner}\n    return x\n")
    top = scn(body.format(marker=marker) + "\n" + CONV_UNIT, "top.scn")
    for p in (path, top):
        result = CliRunner().invoke(main, [p])
        assert result.exit_code == 2, result.output
        assert "shapecalc: error: " in result.output and "Traceback" not in result.output
        assert f"{p}:" in result.output
    assert not marker.exists()


def test_syntax_error_has_a_caret(scn) -> None:
    path = scn("def Net():\n    x = Input(1, 3\n    return x\n")
    first = error(path).splitlines()[0]
    assert first.startswith(f"{path}:2:") and "syntax error" in first


def test_no_model_and_no_return(scn) -> None:
    assert "no model in this file" in error(scn("def blk(x):\n    return x\n"))
    assert "has no `return`" in error(scn("def Net():\n    x = Input(1, 3)\n", "b.scn"))
    assert "has no input" in error(scn("def Net():\n    return 3\n", "c.scn"))
    top = scn("x = Input(1, 3)\n" + CONV_UNIT, "d.scn")
    assert "Input(...) belongs in a model" in error(top)
    assert "only `def` blocks and constants" in error(
        scn("for i in range(2):\n    pass\n", "e.scn")
    )


def test_limits_stop_runaway_files(scn, monkeypatch) -> None:
    monkeypatch.setattr(dsl_eval, "MAX_NODES", 500)
    monkeypatch.setattr(dsl_eval, "MAX_STEPS", 5000)
    body = "def Net():\n    x = Input(1, 3)\n    for i in range(10**9):\n        {}\n    return x\n"
    assert "more than 500 nodes" in error(scn(body.format("x = x >> ReLU()")))
    assert "more than 5,000 steps" in error(scn(body.format("pass"), "b.scn"))
    rec = "def rec(x):\n    return rec(x)\n\ndef Net():\n    x = Input(1, 3)\n    return rec(x)\n"
    assert "nest more than 50 deep" in error(scn(rec, "c.scn"))


def test_deep_nesting_is_an_error_not_a_crash(scn) -> None:
    deep = "def Net():\n    x = Input(1, 3)\n    y = " + "-" * 5000 + "1\n    return x\n"
    result = CliRunner().invoke(main, [scn(deep)])
    assert result.exit_code in (0, 2) and "Traceback" not in result.output


# -------------------------------------------------------------------------------- export


def test_export_command_writes_a_runnable_module(scn, tmp_path) -> None:
    path = scn(CONV_UNIT + "\n\ndef Small():\n    x = Input(1, 4)\n    return x >> Linear(4, 2)\n")
    out = tmp_path / "net.py"
    result = CliRunner().invoke(main, ["export", path, "-o", str(out)])
    assert result.exit_code == 0 and result.output == f"wrote {out}\n"
    namespace: dict = {}
    exec(compile(out.read_text(), str(out), "exec"), namespace)
    net = namespace["Net"]()
    assert net(torch.rand(2, 3, 32, 32)).shape == (2, 10)
    assert "nn.Linear(1350, 10)" in out.read_text()
    assert "\n        return linear\n\n\nclass Small(nn.Module):" in out.read_text()
    only = CliRunner().invoke(main, ["export", path, "--name", "Small"])
    assert only.exit_code == 0 and "class Small" in only.output and "class Net" not in only.output
    missing = CliRunner().invoke(main, ["export", path, "--name", "Nope"])
    assert missing.exit_code == 2 and "no model 'Nope'" in missing.output
    not_dsl = CliRunner().invoke(main, ["export", os.path.join(ROOT, "examples", "lenet5.py")])
    assert not_dsl.exit_code == 2
    picked = CliRunner().invoke(main, ["export", f"{path}:Small"])  # as other commands take it
    assert picked.exit_code == 0 and picked.output == only.output
    clash = CliRunner().invoke(main, ["export", f"{path}:Small", "--name", "Net"])
    assert clash.exit_code == 2 and "--name says 'Net'" in clash.output


def test_export_of_a_sketch_with_shape_errors_lists_them_and_exits_1(scn, tmp_path) -> None:
    path = scn(
        """\
        def Net():
            x = Input(1, 3, 32, 32)
            return x >> Conv2d(3, 6, 5) >> flatten(1) >> Linear(100, 10)
        """
    )
    out = tmp_path / "net.py"
    result = CliRunner().invoke(main, ["export", path, "-o", str(out)])
    assert result.exit_code == 1
    assert "SC401" in result.output and "expects 100 input features, got 4704" in result.output
    assert "nn.Linear(100, 10)" in out.read_text()  # written as the sketch says


def test_exported_names_are_the_dsl_names(scn) -> None:
    path = scn(
        """\
        def blk(x, c):
            forward = Conv2d(..., c, 1)  # named like an nn.Module method
            return x >> forward

        def Net():
            x = Input(1, 2, 4, 4)
            b1 = blk(x, 3)
            return blk(b1, 4)
        """
    )
    model = one(path)
    names = [n.name for n in model.graph if n.kind == MODULE]
    assert names == ["b1.forward_1", "blk.forward_1"]
    module = model.build()
    assert [n for n, _ in module.named_modules()][1:] == [
        "b1",
        "b1.forward_1",
        "blk",
        "blk.forward_1",
    ]
    assert module(torch.rand(1, 2, 4, 4)).shape == (1, 4, 4, 4)


# ------------------------------------------------------------------------------- imports

RUNNER = """
import sys, runpy
sys.argv = ["shapecalc", *sys.argv[1:]]
try:
    runpy.run_module("shapecalc", run_name="__main__")
except SystemExit as exc:
    code = exc.code
heavy = sorted({m.split(".")[0] for m in sys.modules} & {"torch", "sympy", "networkx"})
print("HEAVY", heavy, code)
"""


@pytest.mark.parametrize(
    "args,shown",
    [
        (["examples/seed_conv_unit.scn"], "Linear(864, 10)"),
        (["check", "examples/seed_resblk.scn"], "All checks passed"),
        (["export", "examples/seed_conv_unit.scn"], "nn.Linear(864, 10)"),
    ],
)
def test_analysing_a_dsl_file_imports_no_torch(args: list[str], shown: str) -> None:
    out = subprocess.run(
        [sys.executable, "-c", RUNNER, *args],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert "HEAVY [] 0" in out.stdout, out.stdout + out.stderr
    assert shown in out.stdout + out.stderr


def test_build_models_on_text(scn) -> None:
    path = scn(CONV_UNIT)
    (model,) = build_models(path, CONV_UNIT.replace("10)", "5)"))
    assert model.graph["linear"].spec.params["out_features"] == 5


def test_the_analysis_made_while_building_is_what_propagate_gives() -> None:
    """The DSL propagates while it builds; analyze_loaded reuses that analysis (once, at the
    declared inputs, outside strict mode), so it must equal a fresh propagation."""
    import glob

    from shapecalc.propagate import propagate
    from shapecalc.report.table import render

    checked = 0
    for path in sorted(glob.glob(os.path.join(ROOT, "examples", "*.scn"))):
        try:
            models = load_models(path)
        except FrontendError as exc:  # a torch.nn layer whose rule is not there yet
            name = str(exc).split("name '")[-1].split("'")[0]
            assert "is not defined" in str(exc) and hasattr(nn, name), str(exc)
            continue
        checked += 1
        for model in models:
            fresh = propagate(model.graph, model.inputs, strict=False)
            reused = analyze_loaded(model, strict=False)
            assert model.graph.prepared is None  # handed over once
            assert render(reused) == render(fresh)
            assert reused.diagnostics == fresh.diagnostics
            assert reused.constraints == fresh.constraints
            assert reused.values == fresh.values
    assert checked >= 3


def test_names_in_loops_and_pruned_size_reads(scn) -> None:
    path = scn(
        """\
        def unit(x, c):
            return x >> Conv2d(x.shape[1], c, 1)

        def Net():
            x = Input(1, 2, 4, 4)
            for i in range(2):
                y = unit(x, 3)
                x = cat([x, y], 1)
            x = unit(x, 5)
            return x
        """
    )
    model = one(path)
    names = [n.name for n in model.graph]
    # x.shape[1] was read while building (Conv2d's in_channels): no size nodes remain
    assert names == ["x", "y.conv2d", "cat", "y_1.conv2d", "cat_1", "unit.conv2d", "output"]
    assert analyze_loaded(model).output_shapes == [(1, 5, 4, 4)]


def test_errors_inside_blocks_name_the_calls(scn) -> None:
    path = scn(
        """\
        def blk(x, c):
            return x >> Conv2d(..., c, 3, strid=2)

        def Net():
            x = Input(1, 3, 8, 8)
            y = x >> blk(4)
            return blk(y, 4)
        """
    )
    lines = error(path).splitlines()
    assert lines[0].startswith(f"{path}:2:17: Conv2d has no argument 'strid'")
    assert lines[3] == f"  in blk(...) called at {path}:6:14"
    model_lines = [n.location.line for n in one(scn(CONV_UNIT, "ok.scn")).graph]
    assert model_lines == [2, 3, 3, 4, 5, 5]  # the output is the return line


def test_input_symbols_are_the_input_sizes(scn) -> None:
    path = scn(
        """\
        def Net():
            x = Input(B, 3, H, W)
            return x.view(B, 3, H * W).mean(2).reshape(B, -1) >> Linear(3, 5)
        """
    )
    model = one(path)
    assert [n.name for n in model.graph][:7] == ["x", "shape", "B", "shape_1", "H", "shape_2", "W"]
    B = sym.symbol("B")
    assert analyze_loaded(model).output_shapes == [(B, 5)]
    assert analyze_loaded(model, [TensorValue((2, 3, 4, 6))]).output_shapes == [(2, 5)]
    assert model.build()(torch.rand(2, 3, 4, 6)).shape == (2, 5)


def test_check_and_fix_work_on_a_sketch(scn) -> None:
    path = scn(
        """\
        def Net():
            x = Input(2, 3, 8, 8)
            x = x >> Conv2d(4, 8, 3, padding=1)
            return flatten(x, 1) >> Linear(100, 10)
        """
    )
    found = CliRunner().invoke(main, ["check", path])
    assert found.exit_code == 1
    assert f"{path}:3:14: SC201" in found.output and f"{path}:4:29: SC401" in found.output
    fixed = CliRunner().invoke(main, ["check", "--fix", path])
    assert fixed.exit_code == 0, fixed.output
    text = open(path).read()
    assert "Conv2d(3, 8, 3, padding=1)" in text and "Linear(512, 10)" in text


def test_constants_build_on_each_other_and_models_do_not_share_lists(scn) -> None:
    path = scn(
        """\
        BASE = 4
        WIDTHS = [BASE, BASE * 2]

        def A():
            x = Input(1, 2)
            WIDTHS.append(16)
            return x >> Linear(..., WIDTHS[-1])

        def B():
            x = Input(1, 2)
            return x >> Linear(..., WIDTHS[-1])
        """
    )
    a, b = load_models(path)
    assert analyze_loaded(a).output_shapes == [(1, 16)]
    assert analyze_loaded(b).output_shapes == [(1, 8)]
