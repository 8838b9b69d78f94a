"""``shapecalc graph``: DOT and Mermaid content, merges and errors drawn, rendered pictures
when Graphviz is installed, and usage errors."""

from __future__ import annotations

import os
import re
import shutil
import textwrap

import pytest
from click.testing import CliRunner

from shapecalc.cli import main

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
CONV_UNIT = os.path.join(ROOT, "examples", "seed_conv_unit.py")
DENSE = os.path.join(ROOT, "examples", "seed_denseblock.py")
HAS_DOT = shutil.which("dot") is not None

BROKEN = """
import torch.nn as nn

# shapecalc: input=1,3,16,16
class Net(nn.Module):
    def __init__(self):
        super().__init__()
        self.a = nn.Conv2d(3, 8, 3, padding=1)
        self.b = nn.Conv2d(4, 8, 3, padding=1)
        self.c = nn.Conv2d(3, 8, 1)

    def forward(self, x):
        return self.b(self.a(x)) + self.c(x)
"""


def run(*args: str):
    return CliRunner().invoke(main, list(args), prog_name="shapecalc")


@pytest.fixture
def broken(tmp_path) -> str:
    path = tmp_path / "broken.py"
    path.write_text(textwrap.dedent(BROKEN))
    return str(path)


def dot_nodes(text: str) -> dict[str, str]:
    """node id -> its attribute text."""
    return dict(re.findall(r'^\s*"(\w+)" \[(.*)\];$', text, re.M))


def dot_edges(text: str) -> list[tuple[str, str]]:
    return re.findall(r'^\s*"(\w+)" -> "(\w+)";$', text, re.M)


def test_dot_shows_op_and_shape_of_every_node():
    result = run("graph", CONV_UNIT, "-i", "2,3,32,32")
    assert result.exit_code == 0, result.output
    text = result.output
    assert text.startswith("digraph shapecalc {")
    nodes = dot_nodes(text)
    assert len(nodes) == 8  # input, 6 layers, output
    assert 'label="conv_unit.0\\nConv2d(3, 6, kernel_size=5, padding=1)\\n(2, 6, 30, 30)"' in text
    assert "(2, 10)" in nodes["n7"] and "shape=ellipse" in nodes["n7"]
    assert dot_edges(text) == [(f"n{i}", f"n{i + 1}") for i in range(7)]


def test_merges_have_an_edge_from_each_input_and_errors_are_red(broken):
    result = run("graph", broken)
    assert result.exit_code == 1  # the model has an error; the diagram is still printed
    text = result.output
    nodes = dot_nodes(text)
    name_of = {i: re.search(r'label="(\w+)', a).group(1) for i, a in nodes.items()}
    ids = {v: k for k, v in name_of.items()}
    assert (ids["b"], ids["add"]) in dot_edges(text)
    assert (ids["c"], ids["add"]) in dot_edges(text)
    assert 'fillcolor="#dbeafe"' in nodes[ids["add"]]  # merges are shaded
    assert "color=red" in nodes[ids["b"]] and "SC201" in nodes[ids["b"]]
    assert "red" not in nodes[ids["a"]] and "red" not in nodes[ids["c"]]


def test_mermaid(broken):
    result = run("graph", broken, "--format", "mermaid")
    text = result.output
    assert text.startswith("flowchart TD\n")
    ids = dict(re.findall(r'^\s*(\w+)\(?\["(\w+)<br/>', text, re.M))
    ids = {name: i for i, name in ids.items()}
    assert f"{ids['b']} --> {ids['add']}" in text and f"{ids['c']} --> {ids['add']}" in text
    assert re.search(rf"class {ids['b']} error;", text)
    assert "SC201" in text
    assert "classDef error fill:#fde8e8,stroke:#dc2626" in text


def test_mermaid_file_from_suffix(tmp_path):
    out = tmp_path / "model.mmd"
    result = run("graph", CONV_UNIT, "-o", str(out))
    assert result.exit_code == 0 and result.output == ""
    assert out.read_text().startswith("flowchart TD")


def test_mermaid_markdown_file_is_a_fenced_block(tmp_path):
    out = tmp_path / "model.md"
    result = run("graph", CONV_UNIT, "-o", str(out))
    assert result.exit_code == 0 and result.output == ""
    text = out.read_text()
    assert text.startswith("```mermaid\nflowchart TD\n") and text.endswith("\n```\n")


def test_dot_file_and_several_models_as_clusters(tmp_path):
    two = tmp_path / "two.py"
    two.write_text(
        "import torch.nn as nn\n\n# shapecalc: input=1,4\n"
        "class A(nn.Module):\n"
        "    def __init__(self):\n        super().__init__()\n        self.fc = nn.Linear(4, 2)\n"
        "    def forward(self, x):\n        return self.fc(x)\n\n"
        "class B(A):\n    pass\n"
    )
    out = tmp_path / "models.gv"
    result = run("graph", str(two), "-o", str(out))
    assert result.exit_code == 0, result.output
    text = out.read_text()
    assert text.count("subgraph cluster_") == 2
    assert 'label="A";' in text and 'label="B";' in text
    assert len(dot_nodes(text)) == 6 and len(dot_edges(text)) == 4


@pytest.mark.skipif(not HAS_DOT, reason="Graphviz's dot is not installed")
@pytest.mark.parametrize("suffix, magic", [(".svg", b"<svg"), (".png", b"\x89PNG")])
def test_rendered_picture(tmp_path, broken, suffix, magic):
    out = tmp_path / f"broken{suffix}"
    result = run("graph", broken, "-o", str(out))
    assert result.exit_code == 1
    data = out.read_bytes()
    assert magic in data[:400]
    if suffix == ".svg":
        text = data.decode()
        assert "SC201" in text and 'stroke="red"' in text
        assert text.count('class="edge"') == 6


@pytest.mark.skipif(not HAS_DOT, reason="Graphviz's dot is not installed")
def test_rendered_zoo_model(tmp_path, monkeypatch):
    """The seed's dense block (its BatchNorm layers evaluated on meta tensors if their rule is
    missing: not strict, as a user runs it): every concatenation is drawn."""
    monkeypatch.setenv("SHAPECALC_STRICT", "0")
    out = tmp_path / "dense.svg"
    result = run("graph", DENSE, "-o", str(out), "-i", "1,3,8,8")
    assert result.exit_code == 0, result.output
    text = out.read_text()
    assert text.count('class="node"') == 14  # input, 12 layers and ops, output
    assert "(1, 23, 8, 8)" in text


def test_no_graphviz_is_a_usage_error(tmp_path, monkeypatch):
    monkeypatch.setattr(shutil, "which", lambda name: None)
    result = run("graph", CONV_UNIT, "-o", str(tmp_path / "x.svg"))
    assert result.exit_code == 2
    assert "Graphviz" in result.stderr and "Traceback" not in result.output


def test_usage_errors(tmp_path):
    result = run("graph", CONV_UNIT, "-o", str(tmp_path / "x.unknown"))
    assert result.exit_code == 2 and "--format" in result.stderr
    result = run("graph", CONV_UNIT, "--format", "png")
    assert result.exit_code == 2 and "-o" in result.stderr
