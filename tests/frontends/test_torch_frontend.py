"""The torch frontend: graph structure, names, source locations, parameters, the seed's
DenseNet, the fallback recorder, rejected constructor arguments and the meta evaluator."""

from __future__ import annotations

import pytest
import torch
import torch.nn as nn
import torch.nn.functional as F

from shapecalc import analyze
from shapecalc import symbolic as sym
from shapecalc.analyze import analyze_loaded
from shapecalc.graph import CONSTANT, FUNCTION, INPUT, METHOD, MODULE
from shapecalc.inputs import parse_shape
from shapecalc.propagate import StrictModeError

from .harness import load_one, model_path


def where(name: str, snippet: str, at: str | None = None) -> tuple[int, int]:
    """1-based line and column, in a fixture file, of ``at`` (default: the snippet itself) on
    the first line holding ``snippet``."""
    with open(model_path(name)) as f:
        for number, line in enumerate(f, 1):
            if snippet in line:
                return number, line.index(at or snippet) + 1
    raise AssertionError(snippet)


def shape(analysis, name):
    return analysis.layer(name).value.shape


# ------------------------------------------------------------------------------- structure


def test_node_kinds_names_and_ops():
    graph = load_one(model_path("loops.py")).graph
    kinds = {n.name: (n.kind, n.op) for n in graph}
    assert kinds["x"] == (INPUT, "input")
    assert kinds["stem.0.0"] == (MODULE, "Conv2d")
    assert kinds["stem.0.1"] == (MODULE, "BatchNorm2d")
    assert kinds["stages.2.body.0"] == (MODULE, "Conv2d")
    assert kinds["cat"] == (FUNCTION, "torch.cat")
    assert kinds["adaptive_avg_pool2d"] == (FUNCTION, "F.adaptive_avg_pool2d")
    assert kinds["size"] == (METHOD, "Tensor.size")
    assert kinds["view"] == (METHOD, "Tensor.view")
    assert kinds["mul"] == (FUNCTION, "operator.mul")
    assert kinds["relu"] == (FUNCTION, "F.relu")
    # execution order: the three stages in their loop order, each with its residual add
    order = [n.name for n in graph]
    assert order.index("stages.0.body.0") < order.index("stages.1.body.0")
    assert order.index("stages.1.body.0") < order.index("stages.2.body.0")
    assert graph.fx_module is not None
    assert all(
        graph.fx_names[n.name] in {f.name for f in graph.fx_module.graph.nodes} for n in graph
    )


def test_layer_called_twice_shares_its_parameters():
    loaded = load_one(model_path("loops.py"))
    graph = loaded.graph
    assert graph["shared"].op == graph["shared_1"].op == "Conv2d"
    assert graph["shared"].spec.param_count == 32 * 32 * 9 + 32
    assert graph["shared_1"].spec.param_count == 0  # counted once
    total = sum(n.spec.param_count for n in graph if n.spec is not None)
    assert total == sum(p.numel() for p in loaded.build().parameters())


def test_constructor_arguments_are_read_back_from_the_module():
    graph = load_one(model_path("loops.py")).graph
    conv = graph["stages.0.body.0"].spec.params
    assert conv["in_channels"] == 16 and conv["out_channels"] == 16
    assert conv["kernel_size"] == (3, 3) and conv["padding"] == (1, 1)
    assert conv["bias"] is False  # a None bias Parameter reads as bias=False
    assert graph["down"].spec.params["stride"] == (2, 2)
    assert graph["head"].spec.params["bias"] is True


def test_get_attr_parameters_are_constants_with_their_counts():
    analysis = analyze(model_path("vit.py"), "2,3,32,32")
    graph = analysis.graph
    cls, pos = graph["cls_token"], graph["pos_embed"]
    assert cls.kind == pos.kind == CONSTANT
    assert cls.value.shape == (1, 1, 64) and cls.value.const
    assert pos.spec.param_count == 17 * 64
    assert shape(analysis, "cat") == (2, 17, 64)
    assert shape(analysis, "add") == (2, 17, 64)
    assert shape(analysis, "head") == (2, 10)
    assert analysis.total_params == sum(
        p.numel() for p in load_one(model_path("vit.py")).build().parameters()
    )


def test_models_are_built_on_the_meta_device():
    loaded = load_one(model_path("resblk.py"))
    convs = [n for n in loaded.graph if n.op == "Conv2d"]
    module = loaded.graph.fx_module.get_submodule("stem.0")
    assert module.weight.device.type == "meta"
    assert convs and loaded.build().stem[0].weight.device.type == "cpu"


# ----------------------------------------------------------------------------- locations


def test_layers_are_located_at_their_constructing_call():
    graph = load_one(model_path("loops.py")).graph
    loc = graph["down"].location
    assert (loc.line, loc.column) == where("loops.py", "nn.Conv2d(16, 32")
    assert loc.path == model_path("loops.py")
    # a layer inside a custom module: the line in that module's __init__
    loc = graph["stages.1.body.0"].location
    assert (loc.line, loc.column) == where("loops.py", "nn.Conv2d(channels")
    # nested Sequentials: each layer at its own column
    assert (graph["stem.0.1"].location.line, graph["stem.0.1"].location.column) == where(
        "loops.py", "nn.BatchNorm2d(16)"
    )


def test_forward_ops_are_located_at_their_forward_line():
    graph = load_one(model_path("loops.py")).graph
    assert (graph["cat"].location.line, graph["cat"].location.column) == where(
        "loops.py", "torch.cat("
    )
    assert (graph["view"].location.line, graph["view"].location.column) == where(
        "loops.py", "x = x.view(", "x.view("
    )
    assert (graph["size"].location.line, graph["size"].location.column) == where(
        "loops.py", "x = x.view(", "x.size(0)"
    )
    assert graph["mul"].location.column == where("loops.py", "x * 0.5")[1]
    # a layer's call site is its forward line
    assert graph["down"].call_location.line == where("loops.py", "x = self.down(x)")[0]


def test_relative_paths_stay_relative(monkeypatch):
    import os

    monkeypatch.chdir(os.path.dirname(model_path("loops.py")))
    graph = load_one("loops.py").graph
    assert graph["down"].location.path == "loops.py"
    assert graph["cat"].location.path == "loops.py"


# ------------------------------------------------------------------------- the seed DenseNet


def test_densenet_seed_shapes():
    analysis = analyze(model_path("densenet.py"), "1,1,96,96")
    assert len(analysis.graph) == 91
    assert shape(analysis, "0.3") == (1, 64, 24, 24)  # stem
    assert shape(analysis, "transition_block_0.3") == (1, 96, 12, 12)
    assert shape(analysis, "transition_block_1.3") == (1, 112, 6, 6)
    assert shape(analysis, "transition_block_2.3") == (1, 120, 3, 3)
    assert shape(analysis, "avg_pool2d") == (1, 248, 1, 1)
    assert shape(analysis, "fc.1") == (1, 10)
    shapes = {layer.value.shape for layer in analysis.layers if layer.shape is not None}
    for block in [(1, 192, 24, 24), (1, 224, 12, 12), (1, 240, 6, 6), (1, 248, 3, 3)]:
        assert block in shapes  # each dense block's last concatenation
    assert analysis.output_shapes == [(1, 10)]
    assert not [d for d in analysis.diagnostics if d.severity.name != "INFO"]


def test_densenet_global_pool_is_1x1_for_every_size():
    analysis = analyze(model_path("densenet.py"), "B,1,H,W")
    B = sym.symbol("B")
    assert shape(analysis, "avg_pool2d")[:2] == (B, 248)
    assert shape(analysis, "avg_pool2d")[2:] == (1, 1)
    assert analysis.output_shapes == [(B, 10)]
    assert not [d for d in analysis.diagnostics if d.severity.name == "ERROR"]


# ------------------------------------------------------------------------------- fallback


def test_untraceable_forward_is_recorded_at_the_given_size():
    analysis = analyze(model_path("control_flow.py"), "2,3,100,80")
    codes = {d.code: d for d in analysis.diagnostics}
    assert "SC001" in codes
    loc = codes["SC001"].location
    assert (loc.line, loc.column) == where("control_flow.py", "x.shape[-1] > 64")
    assert shape(analysis, "pool") == (2, 8, 50, 40)
    assert analysis.output_shapes == [(2, 4)]
    assert analysis.graph.fx_module is None


def test_untraceable_forward_with_symbols_is_specialised_to_representative_sizes():
    analysis = analyze(model_path("control_flow.py"), "B,3,H,W")
    assert [v.shape for v in analysis.inputs] == [(1, 3, 224, 224)]
    assert shape(analysis, "pool") == (1, 8, 112, 112)
    assert analysis.symbols == []
    # with no input at all, it is inferred from the first layer, then specialised
    inferred = analyze(model_path("control_flow.py"))
    assert [v.shape for v in inferred.inputs] == [(1, 3, 224, 224)]


def test_rejected_constructor_arguments_are_reported_at_the_constructing_line():
    analysis = analyze(model_path("rejected.py"), "B,3,H,W")
    found = {(d.code, d.location.line, d.location.column) for d in analysis.diagnostics}
    assert ("SC202", *where("rejected.py", "nn.Conv2d(3, 8, 3, groups=2)")) in found
    assert ("SC106", *where("rejected.py", 'nn.Conv2d(8, 16, 3, padding="same"')) in found
    graph = analysis.graph
    assert "divisible by groups" in graph["conv1"].spec.rejected
    assert graph["conv1"].spec.params["groups"] == 2
    assert graph["conv2"].spec.rejected
    # the rest of the model is analysed
    assert analysis.output_shapes == [(sym.symbol("B"), 10)]


def test_rejected_layers_can_still_be_recorded():
    class Untraceable(nn.Module):
        def __init__(self):
            super().__init__()
            self.conv = nn.Conv2d(3, 8, 3, groups=2)
            self.fc = nn.Linear(8, 2)

        def forward(self, x):
            if x.shape[1] == 3:
                x = self.conv(x)
            return self.fc(x.mean(dim=(2, 3)))

    from shapecalc.frontends.loader import BuildContext
    from shapecalc.frontends.locations import SourceMap

    context = BuildContext(SourceMap())
    with context.active("meta"):
        model = Untraceable()
    assert model.conv.__dict__["_shapecalc_rejected"]
    analysis = analyze(model, "1,3,16,16", strict=False)
    codes = [d.code for d in analysis.diagnostics]
    assert "SC202" in codes and "SC001" in codes
    assert analysis.output_shapes == [(1, 2)]


# -------------------------------------------------------------------- ops without a rule


class _NoRule(nn.Module):
    def __init__(self):
        super().__init__()
        self.fc = nn.Linear(6, 4)

    def forward(self, x):
        return self.fc(torch.fft.rfft(x).abs())


def test_op_without_rule_is_evaluated_on_meta_tensors_in_concrete_mode():
    analysis = analyze(_NoRule(), "2,10", strict=False)
    warnings = [d for d in analysis.diagnostics if d.code == "SC901"]
    assert warnings and "meta tensors" in warnings[0].message
    assert analysis.output_shapes == [(2, 4)]


def test_op_without_rule_is_opaque_at_symbolic_sizes():
    analysis = analyze(_NoRule(), "B,10", strict=False)
    assert "SC901" in [d.code for d in analysis.diagnostics]
    assert analysis.output_shapes == [None]


def test_op_without_rule_fails_in_strict_mode():
    with pytest.raises(StrictModeError):
        analyze(_NoRule(), "2,10", strict=True)


# ------------------------------------------------------------------ modules given directly


def test_an_nn_module_instance_can_be_analysed():
    class Net(nn.Module):
        def __init__(self):
            super().__init__()
            self.conv = nn.Conv2d(1, 4, 3)

        def forward(self, x, scale=None):
            return F.relu(self.conv(x))

    analysis = analyze(Net())
    assert [v.shape for v in analysis.inputs] == [
        (sym.symbol("B"), 1, sym.symbol("H"), sym.symbol("W"))
    ]
    assert shape(analysis, "conv")[1] == 4
    assert analysis.graph["scale"].kind == CONSTANT


def test_user_subclass_of_a_layer_is_a_leaf_under_its_base_rule():
    class MyConv(nn.Conv2d):
        pass

    class Net(nn.Module):
        def __init__(self):
            super().__init__()
            self.conv = MyConv(3, 5, 3)

        def forward(self, x):
            return self.conv(x)

    graph = analyze(Net(), "1,3,8,8").graph
    assert graph["conv"].kind == MODULE and graph["conv"].op == "Conv2d"


def test_analysis_at_two_inputs_by_comment():
    loaded = load_one(model_path("comments.py:TwoInputs"))
    analysis = analyze_loaded(loaded)
    assert [tuple(map(str, v.shape)) for v in analysis.inputs] == [
        ("B", "3", "H", "W"),
        ("B", "T"),
    ]
    assert analysis.output_shapes == [(sym.symbol("B"), 32)]


def test_inputs_given_as_tensors_tuples_and_values():
    model = nn.Linear(4, 2)
    assert analyze(model, torch.zeros(3, 4)).output_shapes == [(3, 2)]
    assert analyze(model, (5, 4)).output_shapes == [(5, 2)]
    assert analyze(model, ("N", 4)).output_shapes == [(sym.symbol("N"), 2)]
    assert analyze(model, parse_shape("7,4")).output_shapes == [(7, 2)]


# ------------------------------------------------------------------------------ constants


def test_torch_constants_become_plain_values():
    from shapecalc.frontends.torch import convert_constant

    assert convert_constant(torch.float16) == "float16"
    assert convert_constant(torch.Size([2, 3])) == (2, 3)
    assert convert_constant(torch.device("cpu")) == "cpu"
    assert convert_constant(torch.channels_last) == "torch.channels_last"
    assert convert_constant([torch.int64, (torch.Size([1]), slice(None, 2))]) == [
        "int64",
        ((1,), slice(None, 2)),
    ]
    value = convert_constant(torch.zeros(2, 5, dtype=torch.int32))
    assert value.shape == (2, 5) and value.dtype == "int32" and value.const


def test_dtype_arguments_reach_the_graph_as_names():
    class Cast(nn.Module):
        def forward(self, x):
            return x.to(torch.float16).contiguous(memory_format=torch.channels_last)

    graph = analyze(Cast(), "1,3,4,4").graph
    assert graph["to"].args[1:] == ("float16",)
    assert graph["contiguous"].kwargs["memory_format"] == "torch.channels_last"


# ------------------------------------------------------------------- recording failures


def test_forward_that_depends_on_tensor_values_is_recorded_from_zeros():
    """No meta forward can decide ``if x.sum() > 0``: the recording runs on CPU with zero
    inputs and says so; its shapes are those of the branch zeros take."""

    class ValueBranch(nn.Module):
        def __init__(self):
            super().__init__()
            self.fc = nn.Linear(4, 2)

        def forward(self, x):
            if x.sum() > 0:
                return self.fc(x)
            return x

    analysis = analyze(ValueBranch(), "1,4")
    (sc001,) = analysis.diagnostics
    assert sc001.code == "SC001" and "CPU forward of zeros" in sc001.message
    assert analysis.output_shapes == [(1, 4)]


def test_recording_stops_where_no_output_can_be_predicted():
    class BadThenMore(nn.Module):
        def __init__(self):
            super().__init__()
            self.conv = nn.Conv2d(3, 8, 3)
            self.fc = nn.Linear(8, 2)

        def forward(self, x):
            if x.shape[1] == 4:
                x = self.conv(x)  # 4 channels into Conv2d(3, ...): torch raises
            return self.fc(x.mean(dim=(2, 3)))

    analysis = analyze(BadThenMore(), "1,4,8,8")
    codes = [d.code for d in analysis.diagnostics]
    assert "SC201" in codes and "SC001" in codes
    assert analysis.layer("conv").shape == (1, 8, 6, 6)  # the declared output, recording goes on
    assert analysis.output_shapes == [(1, 2)]


def test_a_rejected_layer_reports_at_its_line_even_without_a_specific_rule_check():
    class Negative(nn.Module):
        def __init__(self):
            super().__init__()
            self.fc = nn.Linear(4, -2)

        def forward(self, x):
            return self.fc(x)

    from shapecalc.frontends.loader import BuildContext
    from shapecalc.frontends.locations import SourceMap

    with BuildContext(SourceMap()).active("meta"):
        model = Negative()
    analysis = analyze(model, "1,4")
    assert model.fc.__dict__["_shapecalc_rejected"]
    errors = [d for d in analysis.diagnostics if d.severity.name == "ERROR"]
    assert errors and errors[0].layer == "fc"
