"""Loading: PATH specs, model discovery, selection, input comments, inference, and the errors a
user sees for files that fail to import or build."""

from __future__ import annotations

import sys
import textwrap
import types

import pytest

from shapecalc import analyze
from shapecalc import symbolic as sym
from shapecalc.analyze import analyze_loaded, choose_inputs
from shapecalc.frontends import FrontendError, LoadedModel
from shapecalc.frontends.loader import load, parse_spec, read_input_comments
from shapecalc.graph import LayerGraph, Node
from shapecalc.values import TensorValue

from .harness import load_one, model_path

B, C, H, W, L, D, T = (sym.symbol(n) for n in "BCHWLDT")


# ----------------------------------------------------------------------------- PATH specs


@pytest.mark.parametrize(
    "spec, path, name, args, kwargs",
    [
        ("model.py", "model.py", None, (), {}),
        ("model.py:Net", "model.py", "Net", (), {}),
        ("model.py:ResBlk(64, 256)", "model.py", "ResBlk", (64, 256), {}),
        (
            "dir/m.py:make(8, act='relu', dims=(1, 2))",
            "dir/m.py",
            "make",
            (8,),
            {"act": "relu", "dims": (1, 2)},
        ),
        ("m.py:pkg.Net", "m.py", "pkg.Net", (), {}),
    ],
)
def test_parse_spec(spec, path, name, args, kwargs):
    ps = parse_spec(spec)
    assert (ps.path, ps.name, ps.args, ps.kwargs) == (path, name, args, kwargs)


@pytest.mark.parametrize("spec", ["m.py:Net(64,", "m.py:Net(__import__('os'))", "m.py:Net(*a)"])
def test_malformed_arguments_are_rejected_without_evaluating(spec):
    with pytest.raises(FrontendError, match="malformed arguments"):
        parse_spec(spec)


# ------------------------------------------------------------------------------ discovery


def test_discovery_finds_classes_and_instances_but_not_parts():
    names = [m.name for m in load(model_path("discovery.py"))]
    # Part is used inside Whole; head is model[2]; NeedsArgs needs arguments
    assert names == ["Whole", "model"]


def test_discovery_excludes_parts_of_a_module_level_model():
    assert [m.name for m in load(model_path("densenet.py"))] == ["net"]
    assert [m.name for m in load(model_path("resblk.py"))] == ["ResNetTiny"]


@pytest.mark.parametrize(
    "spec, name, out",
    [
        ("discovery.py:Part", "Part", (B, 8)),
        ("discovery.py:model", "model", (B, 2)),
        ("discovery.py:head", "head", (B, 2)),
        ("discovery.py:make_model", "make_model", (B, 3)),
        ("discovery.py:make_wide(32, classes=5)", "make_wide(32, classes=5)", (B, 5)),
        ("discovery.py:NeedsArgs(16)", "NeedsArgs(16)", (B, 16)),
    ],
)
def test_selection_by_name(spec, name, out):
    loaded = load_one(model_path(spec))
    assert loaded.name == name
    assert analyze_loaded(loaded).output_shapes == [out]
    assert loaded.build() is not None


def test_selection_errors_are_clear():
    with pytest.raises(FrontendError, match="has no 'Missing'.*Whole, model"):
        load(model_path("discovery.py:Missing"))
    with pytest.raises(FrontendError, match="instance; it takes no arguments"):
        load(model_path("discovery.py:model(3)"))
    with pytest.raises(FrontendError, match="missing 1 required positional argument"):
        load(model_path("discovery.py:NeedsArgs"))


def test_analyze_with_a_path_of_several_models_names_them():
    with pytest.raises(FrontendError, match=r"2 models \(Whole, model\).*discovery.py:Whole"):
        analyze(model_path("discovery.py"))


def test_build_returns_a_real_cpu_model():
    for loaded in load(model_path("discovery.py")):
        model = loaded.build()
        assert all(p.device.type == "cpu" for p in model.parameters())


# --------------------------------------------------------------------------- input shapes


@pytest.mark.parametrize(
    "name, shape, dtype",
    [
        ("FirstConv1d", (B, 4, L), "float32"),
        ("FirstConv2d", (B, 3, H, W), "float32"),  # through x / 255 and a ReLU
        ("FirstConv3d", (B, 2, D, H, W), "float32"),
        ("FirstConvTranspose2d", (B, 8, H, W), "float32"),
        ("FirstLinear", (B, 20), "float32"),  # through a Dropout
        ("FirstEmbedding", (B, T), "int64"),
        ("FirstBatchNorm1d", (B, 16, L), "float32"),
        ("FirstBatchNorm2d", (B, 16, H, W), "float32"),
        ("FirstBatchNorm3d", (B, 4, D, H, W), "float32"),
        ("FirstLayerNorm", (B, T, 32), "float32"),
        ("FirstRNN", (T, B, 10), "float32"),
        ("FirstLSTM", (B, T, 10), "float32"),
        ("FirstGRU", (B, T, 10), "float32"),
        ("FirstAttention", (B, T, 16), "float32"),
    ],
)
def test_input_is_inferred_from_the_first_layer(name, shape, dtype):
    loaded = load_one(model_path(f"inference.py:{name}"))
    (value,) = choose_inputs(loaded, [])
    assert value == TensorValue(shape, dtype)


def test_second_input_gets_its_own_symbols():
    graph = LayerGraph("two")
    from shapecalc.frontends.infer import infer_inputs
    from shapecalc.graph import MODULE, LayerSpec, Ref

    graph.add(Node("a", "input", "input"))
    graph.add(Node("b", "input", "input"))
    for i, ref in enumerate("ab"):
        spec = LayerSpec({"in_channels": 3, "out_channels": 4, "kernel_size": 3})
        graph.add(Node(f"conv{i}", "Conv2d", MODULE, (Ref(ref),), spec=spec))
    assert [v.shape for v in infer_inputs(graph)] == [
        (B, 3, H, W),
        (B, 3, sym.symbol("H2"), sym.symbol("W2")),
    ]


def test_uninferable_input_asks_for_input():
    import torch.nn as nn

    class Reshaper(nn.Module):
        def forward(self, x):
            return x.flatten(1)

    with pytest.raises(FrontendError, match="pass --input"):
        analyze(Reshaper())


def test_input_comments():
    comments = read_input_comments(model_path("comments.py"))
    assert [v.shape for v in comments[None]] == [(2, 3, 32, 32)]
    assert [v.shape for v in comments["TwoInputs"]] == [(B, 3, H, W), (B, T)]
    assert comments["TwoInputs"][1].dtype == "int64"
    one, two = load(model_path("comments.py"))
    assert analyze_loaded(one).inputs[0].shape == (2, 3, 32, 32)
    assert len(analyze_loaded(two).inputs) == 2


def test_given_inputs_override_comments():
    loaded = load_one(model_path("comments.py:OneInput"))
    assert analyze_loaded(loaded, [TensorValue((1, 3, 10, 10))]).output_shapes == [(1, 8, 8, 8)]


def test_a_bad_input_comment_is_a_clear_error(tmp_path):
    path = tmp_path / "m.py"
    path.write_text("import torch.nn as nn\n# shapecalc: input=2,,3\nmodel = nn.Linear(3, 2)\n")
    with pytest.raises(FrontendError, match=r"m.py:2:1: bad input comment"):
        load(str(path))


def test_too_many_inputs_is_an_error():
    loaded = load_one(model_path("discovery.py:Whole"))
    with pytest.raises(FrontendError, match="takes 1 input"):
        choose_inputs(loaded, [TensorValue((1, 4)), TensorValue((1, 4))])


# ------------------------------------------------------------------------- broken files


def _write(tmp_path, name: str, source: str) -> str:
    path = tmp_path / name
    path.write_text(textwrap.dedent(source))
    return str(path)


def test_syntax_error_names_file_line_and_column(tmp_path):
    path = _write(tmp_path, "broken.py", "import torch\ndef f(:\n    pass\n")
    with pytest.raises(FrontendError, match=r"broken.py:2:\d+: SyntaxError"):
        load(path)


def test_import_error_names_the_users_line(tmp_path):
    path = _write(
        tmp_path, "broken.py", "import torch.nn as nn\n\nx = 1\nmodel = nn.Linaer(3, 2)\n"
    )
    with pytest.raises(
        FrontendError, match=r"broken.py:4:9: AttributeError: .*Linaer.*while importing"
    ):
        load(path)


def test_build_error_names_the_users_line(tmp_path):
    path = _write(
        tmp_path,
        "broken.py",
        """\
        import torch.nn as nn


        class Net(nn.Module):
            def __init__(self):
                super().__init__()
                self.fc = nn.Linear(3, 2)
                raise RuntimeError("no weights here")

            def forward(self, x):
                return self.fc(x)
        """,
    )
    with pytest.raises(
        FrontendError,
        match=r"broken.py:8:\d+: RuntimeError: no weights here \(while building Net\)",
    ):
        load(path)


def test_forward_that_fails_everywhere_is_a_clear_error(tmp_path):
    path = _write(
        tmp_path,
        "broken.py",
        """\
        import torch.nn as nn


        class Net(nn.Module):
            def __init__(self):
                super().__init__()
                self.fc = nn.Linear(3, 2)

            def forward(self, x):
                return self.fc(x) + self.missing
        """,
    )
    (loaded,) = load(path)
    with pytest.raises(FrontendError, match=r"broken.py:10:\d+: AttributeError"):
        analyze_loaded(loaded, [TensorValue((1, 3))])


def test_a_file_without_models(tmp_path):
    path = _write(tmp_path, "empty.py", "X = 1\n")
    with pytest.raises(FrontendError, match="no models found"):
        load(path)


def test_missing_file_and_directory(tmp_path):
    with pytest.raises(FrontendError, match="no such file"):
        load(str(tmp_path / "nope.py"))
    with pytest.raises(FrontendError, match="is a directory"):
        load(str(tmp_path))


def test_construction_that_fails_on_meta_is_retried_on_cpu(tmp_path):
    path = _write(
        tmp_path,
        "needs_data.py",
        """\
        import torch
        import torch.nn as nn


        class Net(nn.Module):
            def __init__(self):
                super().__init__()
                width = int(torch.ones(1).sum().item()) * 4
                self.fc = nn.Linear(width, 2)

            def forward(self, x):
                return self.fc(x)
        """,
    )
    (loaded,) = load(path)
    assert analyze_loaded(loaded).inputs[0].shape == (B, 4)


def test_sys_path_is_restored_and_the_files_directory_importable(tmp_path):
    _write(
        tmp_path, "helpers.py", "import torch.nn as nn\ndef block():\n    return nn.Linear(2, 3)\n"
    )
    path = _write(tmp_path, "main.py", "from helpers import block\nmodel = block()\n")
    before = list(sys.path)
    (loaded,) = load(path)
    assert sys.path == before
    assert loaded.graph["output"] is not None


# ------------------------------------------------------------------------------- DSL files


def test_scn_files_without_the_dsl_frontend(tmp_path, monkeypatch):
    path = _write(tmp_path, "arch.scn", "x = Input(1, 3, 8, 8)\n")
    monkeypatch.setitem(sys.modules, "shapecalc.frontends.dsl", None)
    import shapecalc.frontends as frontends

    monkeypatch.delattr(frontends, "dsl", raising=False)  # once imported, the package holds it
    with pytest.raises(FrontendError, match=r"\.scn files need the DSL frontend"):
        load(path)


def test_scn_files_go_to_the_dsl_frontend(tmp_path, monkeypatch):
    path = _write(tmp_path, "arch.scn", "anything\n")
    graph = LayerGraph("Arch", path)
    fake = types.ModuleType("shapecalc.frontends.dsl")

    def load_models(p, name=None):  # the DSL builds only the model picked
        models = [LoadedModel("Arch", p, graph), LoadedModel("Other", p, graph)]
        chosen = [m for m in models if name in (None, m.name)]
        if not chosen:
            raise FrontendError(f"{p} has no model {name!r}")
        return chosen

    fake.load_models = load_models
    import shapecalc.frontends as frontends

    monkeypatch.setitem(sys.modules, "shapecalc.frontends.dsl", fake)
    monkeypatch.setattr(frontends, "dsl", fake, raising=False)
    assert [m.name for m in load(path)] == ["Arch", "Other"]
    assert [m.name for m in load(f"{path}:Other")] == ["Other"]
    with pytest.raises(FrontendError, match="no model 'Nope'"):
        load(f"{path}:Nope")


def test_input_is_inferred_from_a_functional_layers_weight():
    import torch
    import torch.nn as nn
    import torch.nn.functional as F

    class FunctionalConv(nn.Module):
        def __init__(self):
            super().__init__()
            self.weight = nn.Parameter(torch.zeros(8, 2, 3, 3))

        def forward(self, x):
            return F.conv2d(x, self.weight, groups=2)

    class FunctionalLinear(nn.Module):
        def __init__(self):
            super().__init__()
            self.weight = nn.Parameter(torch.zeros(5, 7))

        def forward(self, x):
            return F.linear(x, self.weight)

    assert analyze(FunctionalConv()).inputs[0].shape == (B, 4, H, W)
    assert analyze(FunctionalLinear()).inputs[0].shape == (B, 7)


def test_a_guessed_input_takes_the_rank_the_forward_needs():
    """A Linear-first block that unpacks ``b, t, d = x.shape``: the first guess (B, 64)
    fails the unpacking, (B, T, 64) does not; a genuine bug is still reported at the
    guess that fits, and a Linear-first MLP keeps (B, F)."""
    import torch.nn as nn

    class Block(nn.Module):
        def __init__(self, width=64):
            super().__init__()
            self.qkv = nn.Linear(64, 3 * 64)
            self.out = nn.Linear(width, 64)

        def forward(self, x):
            b, t, d = x.shape
            q, k, v = self.qkv(x).view(b, t, 3, d).unbind(2)
            return self.out((q @ k.transpose(1, 2)).softmax(-1) @ v)

    class MLP(nn.Module):
        def __init__(self):
            super().__init__()
            self.fc = nn.Sequential(nn.Linear(10, 20), nn.ReLU(), nn.Linear(20, 3))

        def forward(self, x):
            return self.fc(x)

    clean = analyze(Block())
    assert clean.errors == [] and [str(d) for d in clean.output_shapes[0]] == ["B", "T", "64"]
    assert [d.code for d in analyze(Block(width=32)).errors] == ["SC401"]
    assert [str(d) for d in analyze(MLP()).output_shapes[0]] == ["B", "3"]
    assert [d.code for d in analyze(Block(), "2,64").errors] == ["SC406"]  # given: kept
