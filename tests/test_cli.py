"""The command line: every option and exit code, the JSON contract, and no tracebacks."""

from __future__ import annotations

import ast
import json
import os
import subprocess
import sys
import textwrap

import pytest
from click.testing import CliRunner

from shapecalc import __version__
from shapecalc import symbolic as sym
from shapecalc.cli import main

from .frontends.harness import model_path

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
QUICKSTART = os.path.join(ROOT, "examples", "seed_conv_unit.py")


def run(*args: str):
    return CliRunner().invoke(main, list(args), prog_name="shapecalc")


def assert_usage_error(result, pattern: str) -> None:
    assert result.exit_code == 2, result.output
    assert "Traceback" not in result.output + result.stderr
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith("shapecalc: error: ")
    assert pattern in lines[0], lines[0]


def write(tmp_path, name: str, source: str) -> str:
    path = tmp_path / name
    path.write_text(textwrap.dedent(source))
    return str(path)


# ------------------------------------------------------------------------------ running


def test_path_is_the_default_command():
    result = run(QUICKSTART, "-i", "2,3,32,32")
    assert result.exit_code == 0, result.output
    assert "(2, 6, 30, 30)" in result.output and "(2, 10)" in result.output
    assert result.output.startswith("ConvUnitNet from ")
    assert run("calc", QUICKSTART, "-i", "2,3,32,32").output == result.output


def test_options_may_come_before_the_path():
    assert run("--input", "1x3x32x32", QUICKSTART).exit_code == 0


def test_symbolic_input_prints_formulas_and_conditions():
    result = run(QUICKSTART, "-i", "B,3,H,W")
    assert result.exit_code == 0
    assert "(B, 6, H - 2, W - 2)" in result.output
    assert "conditions" in result.output and "(H - 10)//2 >= 0" in result.output
    # conditions another one implies (the first conv's H >= 3) are left out of the list
    assert "H >= 3" not in result.output and "H >= 4" not in result.output


def test_input_comes_from_the_files_comment():
    result = run(QUICKSTART)  # '# shapecalc: input=B,3,32,32'
    assert result.exit_code == 0
    assert "input x: (B, 3, 32, 32)" in result.output


def test_input_is_inferred_when_not_given():
    result = run(model_path("convunit.py"))
    assert result.exit_code == 0
    assert "input x: (B, 3, H, W)" in result.output


def test_several_inputs():
    result = run(model_path("comments.py:TwoInputs"), "-i", "2,3,8,8", "-i", "2,5:int64")
    assert result.exit_code == 0, result.output
    assert "inputs image: (2, 3, 8, 8), tokens: (2, 5)" in result.output


def test_every_model_of_a_file_is_shown():
    result = run(model_path("discovery.py"))
    assert result.exit_code == 0
    assert "Whole from" in result.output and "model from" in result.output


def test_model_with_arguments():
    result = run(model_path("resblk.py:ResBlk(64, 256)"), "-i", "1,64,8,8")
    assert result.exit_code == 0
    assert result.output.startswith("ResBlk(64, 256) from")
    assert "(1, 256, 8, 8)" in result.output


def test_version():
    result = run("--version")
    assert result.exit_code == 0 and __version__ in result.output


def test_python_dash_m():
    proc = subprocess.run(
        [sys.executable, "-m", "shapecalc", QUICKSTART, "-i", "1,3,32,32", "-f", "json"],
        capture_output=True,
        text=True,
        cwd=ROOT,
        env={**os.environ, "SHAPECALC_STRICT": "0"},
    )
    assert proc.returncode == 0, proc.stderr
    assert json.loads(proc.stdout)["models"][0]["output_shapes"] == [[1, 10]]


# ------------------------------------------------------------------------------ exit codes


def test_exit_1_when_the_analysis_finds_errors():
    result = run(model_path("rejected.py"), "-i", "1,3,32,32")
    assert result.exit_code == 1
    assert "SC202" in result.output and "SC106" in result.output


def test_exit_0_with_warnings_only():
    result = run(model_path("control_flow.py"), "-i", "1,3,32,32")
    assert result.exit_code == 0
    assert "SC001" in result.output


@pytest.mark.parametrize("spec", ["2,,3", "2,3.5", "B,3,H-1,W", "2,3:complex7"])
def test_exit_2_malformed_input(spec):
    assert_usage_error(run(QUICKSTART, "-i", spec), f"invalid --input '{spec}'")


def test_exit_2_missing_file():
    assert_usage_error(run("nope.py"), "no such file: nope.py")


def test_exit_2_unknown_model_name():
    assert_usage_error(run(model_path("discovery.py:Nope")), "has no 'Nope'")


def test_exit_2_import_failure_names_the_users_line(tmp_path):
    path = write(tmp_path, "bad.py", "import torch.nn as nn\nmodel = nn.Linear(3, 2\n")
    assert_usage_error(run(path), "bad.py:2:")
    path = write(tmp_path, "bad2.py", "import torch.nn as nn\n\nmodel = nn.Linear(3, undefined)\n")
    assert_usage_error(run(path), "bad2.py:3:22: NameError: name 'undefined' is not defined")


def test_exit_2_build_failure(tmp_path):
    path = write(
        tmp_path,
        "bad.py",
        """\
        import torch.nn as nn


        class Net(nn.Module):
            def __init__(self):
                super().__init__()
                self.fc = nn.Linear(3, 2)
                self.table = {}["missing"]

            def forward(self, x):
                return self.fc(x)
        """,
    )
    assert_usage_error(run(path), "bad.py:8:")


def test_exit_2_nothing_to_infer(tmp_path):
    path = write(
        tmp_path,
        "shapeless.py",
        """\
        import torch.nn as nn


        class Net(nn.Module):
            def forward(self, x):
                return x.flatten(1)
        """,
    )
    assert_usage_error(run(path), "pass --input")


def test_exit_2_no_models(tmp_path):
    assert_usage_error(run(write(tmp_path, "empty.py", "X = 1\n")), "no models found")


def test_exit_2_dsl_file_without_a_model(tmp_path):
    path = write(tmp_path, "arch.scn", "x = 1\n")
    assert_usage_error(run(path), "no model in this file")


def test_exit_2_internal_error_names_the_model(monkeypatch):
    api = sys.modules["shapecalc.analyze"]  # the package attribute is the function

    def broken(*args, **kwargs):
        raise KeyError("boom")

    monkeypatch.setattr(api, "propagate", broken)
    result = run(QUICKSTART, "-i", "1,3,32,32")
    assert result.exit_code == 2
    assert "Traceback" not in result.stderr
    assert result.stderr.startswith("shapecalc: internal error while analysing ")
    assert "ConvUnitNet" in result.stderr and "KeyError" in result.stderr


def test_exit_2_unknown_option():
    result = run(QUICKSTART, "--nope")
    assert result.exit_code == 2 and "Traceback" not in result.output


# ---------------------------------------------------------------------------- formats


def test_text_format_prints_compiler_style_diagnostics():
    result = run(model_path("rejected.py"), "-i", "1,3,32,32", "--format", "text")
    assert result.exit_code == 1
    lines = result.output.strip().splitlines()
    assert lines and all(line.count(":") >= 3 for line in lines)
    path = model_path("rejected.py")
    assert any(line.startswith(f"{path}:10:22: SC202 ") for line in lines)


def test_json_contract():
    result = run(model_path("resblk.py"), "-i", "B,3,H,W", "--format", "json")
    assert result.exit_code == 0, result.output
    doc = json.loads(result.output)
    assert set(doc) == {"version", "models"} and doc["version"] == 1
    (model,) = doc["models"]
    assert set(model) == {
        "name",
        "source",
        "input_shapes",
        "output_shapes",
        "layers",
        "constraints",
        "diagnostics",
        "valid_inputs",
        "fc",
    }
    assert model["name"] == "ResNetTiny"
    assert model["source"] == model_path("resblk.py")
    assert model["input_shapes"] == [["B", 3, "H", "W"]]
    assert model["output_shapes"] == [["B", 10]]
    for layer in model["layers"]:
        assert set(layer) == {"name", "op", "output_shape", "params", "location"}
        assert isinstance(layer["params"], int)
        if layer["location"] is not None:
            assert set(layer["location"]) == {"path", "line"}
    env = {"B": 2, "H": 37, "W": 29}
    for layer in model["layers"]:
        for d in layer["output_shape"] or []:
            if isinstance(d, str):  # a Python integer expression over the symbols
                assert isinstance(eval(compile(ast.parse(d, mode="eval"), "d", "eval"), env), int)
    for c in model["constraints"]:
        assert isinstance(eval(compile(ast.parse(c, mode="eval"), "c", "eval"), env), bool)
    conv = next(layer for layer in model["layers"] if layer["name"] == "stem.0")
    assert conv["op"] == "Conv2d" and conv["params"] == 16 * 3 * 9 + 16
    assert conv["location"]["line"] == 31


def test_json_shapes_evaluate_like_the_concrete_analysis():
    symbolic = json.loads(run(QUICKSTART, "-i", "B,3,H,W", "-f", "json").output)["models"][0]
    concrete = json.loads(run(QUICKSTART, "-i", "2,3,32,32", "-f", "json").output)["models"][0]
    env = {"B": 2, "H": 32, "W": 32}
    for s_layer, c_layer in zip(symbolic["layers"], concrete["layers"]):
        got = [d if isinstance(d, int) else eval(d, dict(env)) for d in s_layer["output_shape"]]
        assert got == c_layer["output_shape"]


def test_json_diagnostics():
    result = run(model_path("rejected.py"), "-i", "1,3,32,32", "-f", "json")
    model = json.loads(result.output)["models"][0]
    diag = next(d for d in model["diagnostics"] if d["code"] == "SC202")
    assert set(diag) == {"code", "severity", "message", "layer", "location"}
    assert diag["severity"] == "error" and diag["layer"] == "conv1"
    assert diag["location"] == {"path": model_path("rejected.py"), "line": 10, "column": 22}


def test_json_nested_and_opaque_shapes():
    from shapecalc.report.json_report import shape
    from shapecalc.values import TensorValue

    t = TensorValue((2, sym.symbol("T"), sym.UNKNOWN))
    assert shape(t) == [2, "T", None]
    assert shape((t, (t, t))) == [[2, "T", None], [[2, "T", None], [2, "T", None]]]
    assert shape(3) is None


# ------------------------------------------------------------------------------ README


def readme_examples() -> list[tuple[str, str]]:
    """(command, pasted output) for every ``$ shapecalc ...`` line of the README's console
    blocks."""
    with open(os.path.join(ROOT, "README.md")) as f:
        text = f.read()
    examples = []
    for block in text.split("```console\n")[1:]:
        body = block.split("```", 1)[0]
        for chunk in body.split("$ ")[1:]:
            command, _, output = chunk.partition("\n")
            if command.startswith("shapecalc "):
                examples.append((command, output))
    return examples


@pytest.mark.parametrize(
    "command, expected", [pytest.param(c, e, id=c) for c, e in readme_examples()]
)
def test_readme_shell_examples_print_what_the_readme_shows(command, expected, monkeypatch):
    import shlex

    monkeypatch.chdir(ROOT)
    result = CliRunner().invoke(main, shlex.split(command)[1:], prog_name="shapecalc")
    assert result.output == expected, f"README example '$ {command}' is out of date"


def test_readme_has_shell_examples():
    assert len(readme_examples()) >= 3


def test_help_lists_the_calculator():
    result = run("--help")
    assert result.exit_code == 0 and "calc" in result.output
    result = run("calc", "--help")
    assert result.exit_code == 0 and "--input" in result.output and "--format" in result.output


def test_a_forward_that_calls_sys_exit_is_an_input_error_not_our_exit(tmp_path):
    path = tmp_path / "exits.py"
    path.write_text(
        "import sys\nimport torch.nn as nn\n\n\nclass Net(nn.Module):\n"
        "    def __init__(self):\n        super().__init__()\n        self.fc = nn.Linear(4, 2)\n\n"
        "    def forward(self, x):\n        sys.exit(3)\n        return self.fc(x)\n"
    )
    for args in ([str(path)], ["check", str(path)]):
        result = run(*args, "-i", "1,4")
        assert result.exit_code == 2, result.output
        assert "SystemExit: 3" in result.output and f"{path}:11" in result.output
