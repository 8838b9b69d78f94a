"""shapecalc fc and the solver's API: the in_features a Linear receives, the edit that makes
it right, the sizes it fits, the valid input domain, SC904 when no size is valid."""

from __future__ import annotations

import json
import textwrap
from pathlib import Path

import pytest
from click.testing import CliRunner

import shapecalc
from shapecalc.cli import main
from shapecalc.solve_fc import symbolic_inputs
from shapecalc.values import TensorValue

ROOT = Path(__file__).resolve().parents[1]
SEED = "examples/seed_conv_unit.py"
LENET = "examples/lenet5.py"


def run(*args: str):
    return CliRunner().invoke(main, list(args), prog_name="shapecalc")


@pytest.fixture(autouse=True)
def _at_root(monkeypatch):
    monkeypatch.chdir(ROOT)


def model_file(tmp_path: Path, body: str, name: str = "model.py") -> str:
    path = tmp_path / name
    path.write_text(
        "import torch\nimport torch.nn as nn\nimport torch.nn.functional as F\n\n"
        + textwrap.dedent(body)
    )
    return str(path)


CONV_THEN_LINEAR = """
class Net(nn.Module):
    def __init__(self):
        super().__init__()
        self.conv = nn.Conv2d(3, 16, 5)
        self.pool = nn.MaxPool2d(2, 2)
        self.fc = nn.Linear(in_features=400, out_features=10)

    def forward(self, x):
        x = self.pool(self.conv(x))
        return self.fc(torch.flatten(x, 1))
"""


def test_the_seeds_question_is_answered():
    result = run("fc", SEED)
    assert result.exit_code == 0, result.output
    assert "in_features  6*((H - 8)//2)*((W - 8)//2), with H = 32, W = 32: 864" in result.output
    assert "declared     864 (right)" in result.output
    assert "right for    H in {32, 33} and W in {32, 33}" in result.output
    assert "smallest input  (1, 3, 32, 32)" in result.output


def test_a_wrong_in_features_gets_its_edit_and_exit_1():
    result = run("fc", LENET, "-i", "1,1,28,28")
    assert result.exit_code == 1, result.output
    assert "declared     400 (wrong)" in result.output
    edit = "examples/lenet5.py:29: nn.Linear(16 * 5 * 5, 120) -> nn.Linear(256, 120)"
    assert f"edit         {edit}" in result.output


def test_want_lists_the_sizes_that_give_it():
    result = run("fc", LENET, "-i", "1,1,28,28", "--want", "256")
    assert "256 for      28 <= H <= 31 and 28 <= W <= 31" in result.output
    result = run("fc", SEED, "--want", "2704")  # 2704 is not a multiple of 6 channels
    assert "2704 for     no input size" in result.output


def test_keyword_in_features_is_edited(tmp_path):
    path = model_file(tmp_path, CONV_THEN_LINEAR)
    result = run("fc", path, "-i", "2,3,32,32")
    assert result.exit_code == 1
    assert "nn.Linear(in_features=400, out_features=10) -> " in result.output
    assert "nn.Linear(in_features=3136, out_features=10)" in result.output  # 16 * 14 * 14
    (fc,) = shapecalc.analyze(path, (2, 3, 32, 32)).fc_sizes()
    assert (fc.value, fc.declared, fc.ok) == (3136, 400, False)
    assert str(fc.formula) == "16*((H - 4)//2)*((W - 4)//2)"
    assert {"H": 14, "W": 14} in fc.right  # 16 * 5 * 5 = 400
    assert {"H": 15, "W": 14} in fc.right and {"H": 16, "W": 14} not in fc.right


def test_functional_linear_is_sized_without_an_edit(tmp_path):
    path = model_file(
        tmp_path,
        """
        class Net(nn.Module):
            def __init__(self):
                super().__init__()
                self.w = nn.Parameter(torch.randn(10, 48))

            def forward(self, x):
                return F.linear(torch.flatten(F.max_pool2d(x, 2), 1), self.w)
        """,
    )
    (fc,) = shapecalc.analyze(path, (1, 3, 8, 8)).fc_sizes()
    assert (fc.op, fc.value, fc.declared, fc.ok, fc.edit) == ("linear", 48, 48, True, None)
    assert str(fc.formula) == "3*(H//2)*(W//2)"


def test_linear_on_a_fixed_size_is_not_listed_unless_asked(tmp_path):
    path = model_file(
        tmp_path,
        """
        class Net(nn.Module):
            def __init__(self):
                super().__init__()
                self.conv = nn.Conv2d(3, 16, 3)
                self.pool = nn.AdaptiveAvgPool2d(2)
                self.fc1 = nn.Linear(64, 10)
                self.fc2 = nn.Linear(10, 5)

            def forward(self, x):
                return self.fc2(self.fc1(torch.flatten(self.pool(self.conv(x)), 1)))
        """,
    )
    analysis = shapecalc.analyze(path, "B,3,H,W")
    assert analysis.fc_sizes() == []  # the adaptive pool fixes what the Linears receive
    every = analysis.fc_sizes(every=True)
    assert [(f.layer, f.value, f.ok) for f in every] == [("fc1", 64, True), ("fc2", 10, True)]


def test_json_output(tmp_path):
    result = run("fc", LENET, "-i", "1,1,28,28", "--want", "256", "--format", "json")
    assert result.exit_code == 1
    doc = json.loads(result.output)
    (model,) = doc["models"]
    assert model["symbols"] == {"B": 1, "H": 28, "W": 28}
    (fc,) = model["linears"]
    assert fc["value"] == 256 and fc["declared"] == 400 and fc["ok"] is False
    assert fc["edit"].endswith("-> nn.Linear(256, 120)")
    assert fc["formula"] == "16*((H - 12)//4)*((W - 12)//4)"
    assert "32 <= H <= 35 and 32 <= W <= 35" in fc["right_for"]
    assert model["valid_inputs"]["smallest"] == [[1, 1, 32, 32]]


def test_input_errors_exit_2():
    assert run("fc", SEED, "-i", "1,3,x-,4").exit_code == 2
    assert run("fc", "no/such/file.py").exit_code == 2


def test_no_size_is_sc904_naming_the_layers(tmp_path):
    path = model_file(
        tmp_path,
        """
        class Conflict(nn.Module):
            def __init__(self):
                super().__init__()
                self.pool = nn.MaxPool2d(2)
                self.conv = nn.Conv2d(3, 3, 3, stride=2)
                self.up = nn.Upsample(scale_factor=2)

            def forward(self, x):
                a = self.pool(x) + self.conv(x)  # needs H odd
                b = torch.cat([x, self.up(self.pool(x))], 1)  # needs H even
                return a, b
        """,
    )
    analysis = shapecalc.analyze(path, "B,3,H,W")
    (sc904,) = [d for d in analysis.diagnostics if d.code == "SC904"]
    assert "add" in sc904.message and "cat" in sc904.message
    assert analysis.domain().empty and analysis.min_input() is None
    result = run(path, "-i", "B,3,H,W")
    assert result.exit_code == 1 and "valid inputs  no input size" in result.output


def test_domain_and_min_input_api():
    analysis = shapecalc.analyze(SEED, "B,3,H,W")
    domain = analysis.domain()
    assert analysis.min_input() == (1, 3, 32, 32)
    assert {"H": 26, "W": 40} in domain and {"H": 26, "W": 26} not in domain
    assert 26 in domain["H"] and 28 not in domain["H"] and domain["H"].coupled == ("W",)
    assert domain["B"].min == 1 and domain["B"].max == float("inf")
    table = analysis.table()
    assert "valid inputs    H in {32, 33} and W in {32, 33}" in table
    assert "fc              fc: in_features = 6*((H - 8)//2)*((W - 8)//2), declared 864" in table


def test_calculator_json_has_the_solved_facts():
    doc = json.loads(run(SEED, "-i", "B,3,H,W", "-f", "json").output)
    (model,) = doc["models"]
    assert model["valid_inputs"]["smallest"] == [[1, 3, 32, 32]]
    assert model["valid_inputs"]["symbols"]["H"]["min"] == 10
    assert model["fc"] == [
        {"layer": "fc", "formula": "6*((H - 8)//2)*((W - 8)//2)", "declared": 864}
    ]
    concrete = json.loads(run(SEED, "-i", "2,3,32,32", "-f", "json").output)["models"][0]
    assert concrete["valid_inputs"] is None and concrete["fc"] == []


def test_concrete_sizes_become_symbols():
    inputs, at = symbolic_inputs(
        [TensorValue((2, 3, 32, 40)), TensorValue((2, 7), "int64"), TensorValue((2, 16, 5))]
    )
    assert [str(t) for t in inputs] == ["(B, 3, H, W)", "(B, T2)", "(B, 16, L3)"]
    assert at == {"B": 2, "H": 32, "W": 40, "T2": 7, "L3": 5}


def test_an_undecided_domain_says_so(tmp_path):
    """x.view(-1, 400) ties the batch to H and W by a divisibility that has no end: the
    solver stops, says how far it got, and gives no smallest input."""
    path = model_file(
        tmp_path,
        """
        class ViewNet(nn.Module):
            def __init__(self):
                super().__init__()
                self.conv = nn.Conv2d(3, 16, 5)
                self.pool = nn.MaxPool2d(2, 2)
                self.fc = nn.Linear(16 * 5 * 5, 10)

            def forward(self, x):
                return self.fc(self.pool(self.conv(x)).view(-1, 16 * 5 * 5))
        """,
    )
    analysis = shapecalc.analyze(path, "B,3,H,W")
    domain = analysis.domain()
    assert not domain.exact and not domain.empty
    assert analysis.min_input() is None
    assert {"B": 1, "H": 14, "W": 14} in domain  # 16 * 5 * 5 = 400 elements: one row
    table = analysis.table()
    assert "larger sizes not decided" in table and "smallest found" in table
