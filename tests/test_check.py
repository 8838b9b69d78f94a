"""``shapecalc check``: every exit code and option, suppressions, configuration, directories,
--fix, the rule docs, and golden files for each output format.

Regenerate the golden files with ``SHAPECALC_UPDATE_GOLDEN=1 python -m pytest
tests/test_check.py -k golden``.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import shutil
import textwrap
import tokenize
from pathlib import Path

import pytest
from click.testing import CliRunner

from shapecalc import __version__
from shapecalc.check import CheckOptions, check, is_selected
from shapecalc.cli import main
from shapecalc.codes import CODES
from shapecalc.config import path_matches

ROOT = Path(__file__).resolve().parents[1]
MODELS = Path("tests/models/check")  # relative to ROOT: the paths findings show
BUGGY = "examples/buggy/resnet.py"
GOLDEN = ROOT / "tests" / "golden"


@pytest.fixture(autouse=True)
def _at_root(monkeypatch):
    monkeypatch.chdir(ROOT)


def run(*args: str, cwd: Path | None = None):
    if cwd is not None:
        os.chdir(cwd)
    return CliRunner().invoke(main, ["check", *args], prog_name="shapecalc")


def findings(result) -> list[tuple[str, int, str]]:
    """(path, line, code) of every finding line of a text report."""
    out = []
    for line in result.stdout.splitlines()[:-1]:
        where, code = line.split(": ")[0:2]
        path, lineno, _col = where.rsplit(":", 2)
        out.append((path, int(lineno), code.split()[0]))
    return out


def assert_exit_2(result, pattern: str) -> None:
    assert result.exit_code == 2, result.output
    assert "Traceback" not in result.output
    assert "shapecalc: error: " in result.stderr and pattern in result.stderr, result.stderr


def write(directory: Path, name: str, source: str) -> Path:
    path = directory / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(textwrap.dedent(source))
    return path


# ------------------------------------------------------------------------------- exit codes


def test_clean_model_exits_0():
    result = run(str(MODELS / "clean.py"))
    assert result.exit_code == 0, result.output
    assert result.stdout == "All checks passed; checked 1 model in 1 file.\n"


def test_three_independent_bugs_are_exactly_three_findings():
    result = run(BUGGY)
    assert result.exit_code == 1
    assert findings(result) == [(BUGGY, 31, "SC301"), (BUGGY, 40, "SC201"), (BUGGY, 42, "SC401")]
    assert result.stdout.splitlines()[-1] == (
        "Found 3 findings (3 errors); checked 1 model in 1 file; 2 fixable with --fix."
    )


def test_text_lines_are_ruff_style():
    line = run(BUGGY).stdout.splitlines()[1]
    assert line == (
        f"{BUGGY}:40:23: SC201 [error] Conv2d 'layer3' expects 64 input channels, got 128"
    )


def test_missing_path_exits_2():
    assert_exit_2(run("no/such/model.py"), "no such file or directory: no/such/model.py")


def test_unknown_format_exits_2():
    assert_exit_2(run(BUGGY, "--format", "xml"), "unknown format 'xml'")


def test_unknown_select_code_exits_2():
    result = run(BUGGY, "--select", "SC299")
    assert result.exit_code == 2 and "SC299" in result.output


def test_malformed_input_exits_2():
    assert_exit_2(run(BUGGY, "--input", "1,x!,3"), "invalid --input")


def test_named_file_without_a_model_exits_2():
    assert_exit_2(run(str(MODELS / "helpers.py")), "no models found in")


def test_file_that_cannot_be_checked_exits_2_but_others_are_reported(tmp_path):
    broken = write(tmp_path, "broken.py", "import torch\nimport no_such_module_here\n")
    result = run(str(broken), BUGGY)
    assert_exit_2(result, "ModuleNotFoundError")
    assert len(findings(result)) == 3  # the other file is still checked
    assert "1 file could not be checked" in result.stdout


def test_a_model_that_cannot_be_built_is_a_finding_at_the_line_that_raised(tmp_path):
    write(
        tmp_path,
        "attention.py",
        """\
        import torch
        import torch.nn as nn

        class Attention(nn.Module):
            def __init__(self):
                super().__init__()
                self.weight = nn.Parameter(torch.empty(10, -3))

            def forward(self, x):
                return x @ self.weight
        """,
    )
    write(tmp_path, "syntax.py", "import torch\n\nclass Net(:\n    pass\n")
    result = run("attention.py", "syntax.py", cwd=tmp_path)
    assert result.exit_code == 1, result.output
    assert findings(result) == [("attention.py", 7, "SC003"), ("syntax.py", 3, "SC003")]
    assert "RuntimeError: Trying to create tensor with negative dimension -3" in result.stdout
    assert "(while building Attention)" in result.stdout


def test_a_walked_script_that_raises_on_import_is_skipped(tmp_path):
    write(
        tmp_path,
        "train.py",
        """\
        import sys

        import torch

        print("training...")
        sys.exit(3)
        """,
    )
    result = run(".", "--format", "json", cwd=tmp_path)
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["summary"]["files"] == 0  # and nothing else printed
    named = run("train.py", "--format", "json")
    assert [f["code"] for f in json.loads(named.stdout)["findings"]] == ["SC003"]


def test_what_the_users_code_prints_stays_out_of_the_report(tmp_path):
    shutil.copy(ROOT / MODELS / "clean.py", tmp_path / "noisy.py")
    with open(tmp_path / "noisy.py", "a") as f:
        f.write("\nprint('hello from the model file')\nprint('and stderr', file=sys.stderr)\n")
    (tmp_path / "noisy.py").write_text("import sys\n" + (tmp_path / "noisy.py").read_text())
    result = run("noisy.py", "--format", "json", cwd=tmp_path)
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["summary"]["models"] == 1
    assert "hello" not in result.output


def test_model_whose_input_cannot_be_inferred_exits_2():
    assert_exit_2(run(str(MODELS / "two_inputs.py")), "cannot infer the shape of input 'extra'")


def test_exit_zero():
    assert run(BUGGY, "--exit-zero").exit_code == 0
    assert run("no/such/file.py", "--exit-zero").exit_code == 2


def test_no_traceback_on_internal_error(monkeypatch):
    import importlib

    def boom(*_args, **_kwargs):
        raise KeyError("boom")

    monkeypatch.setattr(importlib.import_module("shapecalc.analyze"), "best_analysis", boom)
    result = run(str(MODELS / "clean.py"))
    assert_exit_2(result, "internal error while analysing tests/models/check/clean.py:Clean")


# --------------------------------------------------------------------- select, ignore, fail-on


@pytest.mark.parametrize(
    ("args", "codes"),
    [
        (("--select", "SC2"), ["SC201"]),
        (("--select", "SC201,SC401"), ["SC201", "SC401"]),
        (("--select", "SC201", "--select", "SC3"), ["SC301", "SC201"]),
        (("--ignore", "SC3"), ["SC201", "SC401"]),
        (("--ignore", "SC201,SC401"), ["SC301"]),
        (("--select", "SC2", "--ignore", "SC201"), []),
        (("--select", "SC201", "--ignore", "SC2"), ["SC201"]),  # the more specific wins
        (("--select", "ALL", "--ignore", "SC"), []),
        (("--select", "sc4"), ["SC401"]),
    ],
)
def test_select_and_ignore(args, codes):
    result = run(BUGGY, *args)
    assert [code for _p, _l, code in findings(result)] == codes
    assert result.exit_code == (1 if codes else 0)


def test_is_selected_most_specific_wins_and_ties_ignore():
    assert is_selected("SC201", ["SC"], [])
    assert not is_selected("SC201", ["SC2"], ["SC2"])
    assert is_selected("SC201", ["SC201"], ["SC2"])
    assert not is_selected("SC201", ["SC2"], ["SC20"])
    assert not is_selected("SC201", ["SC4"], [])


def test_fail_on():
    path = str(MODELS / "suppressed.py")  # 1 error, 2 warnings
    assert run(path, "--ignore", "SC201").exit_code == 0  # warnings only
    assert run(path, "--ignore", "SC201", "--fail-on", "warning").exit_code == 1
    assert run(path, "--ignore", "SC201", "--fail-on", "error").exit_code == 0
    assert run(path, "--fail-on", "panic").exit_code == 2


def test_fail_on_info(tmp_path):
    write(
        tmp_path,
        "strided.py",
        """\
        # shapecalc: input=1,3,32
        import torch.nn as nn

        model = nn.Sequential(nn.Conv1d(3, 8, 1, stride=2))
        """,
    )
    result = run("strided.py", cwd=tmp_path)
    assert findings(result) == [("strided.py", 4, "SC110")]
    assert result.exit_code == 0
    assert run("strided.py", "--fail-on", "info").exit_code == 1


# --------------------------------------------------------------------------- suppressions


def test_suppressions_and_unused_suppressions():
    path = str(MODELS / "suppressed.py")
    result = run(path)
    assert findings(result) == [(path, 20, "SC902"), (path, 21, "SC201"), (path, 26, "SC902")]
    lines = result.stdout.splitlines()
    assert "no SC201 finding on this line; SC999 is not a shapecalc code" in lines[0]
    assert "'# shapecalc: ignore' suppresses nothing" in lines[2]
    # a, b (bare), c (the call's last line, by prefix) and fc (prefix) are suppressed; the
    # text inside a string is not a comment
    assert result.stdout.splitlines()[-1].startswith("Found 3 findings (1 error, 2 warnings)")


def test_unused_suppressions_can_be_ignored_and_deselected_codes_still_count_as_used():
    path = str(MODELS / "suppressed.py")
    assert [c for _p, _l, c in findings(run(path, "--ignore", "SC902"))] == ["SC201"]
    # SC401 is not selected, yet the comment on fc still matches its finding: not unused
    assert [c for _p, _l, c in findings(run(path, "--select", "SC902"))] == ["SC902", "SC902"]


# ------------------------------------------------------------------------------ directories


def test_columns_count_characters_not_bytes(tmp_path):
    source = (ROOT / MODELS / "fixable.py").read_text()
    source = source.replace("self.conv2 = nn.Conv2d(", "self.conv2 = (nn.Conv2d(  # ü\n")
    source = source.replace("padding=1)\n        self.pool", "padding=1))\n        self.pool")
    source = source.replace("self.conv2 = (", "self.größe = self.conv2 = (")
    (tmp_path / "m.py").write_text(source)
    line = source.splitlines()[12]
    column = line.index("nn.Conv2d") + 1  # 36 characters, 38 bytes
    assert len(line[: column - 1].encode()) + 1 == column + 2
    result = run("m.py", cwd=tmp_path)
    assert result.stdout.splitlines()[0].startswith(f"m.py:13:{column}: SC201 ")
    doc = json.loads(run("m.py", "--format", "sarif").stdout)
    region = doc["runs"][0]["results"][0]["locations"][0]["physicalLocation"]["region"]
    assert region["startColumn"] == column
    assert doc["runs"][0]["columnKind"] == "unicodeCodePoints"
    assert run("m.py", "--fix").stdout.endswith("fixed 2.\n")  # byte offsets for the rewrite
    (tmp_path / "s.py").write_text(
        "import torch.nn as nn\n\nä = nn.Linear(2, 3)  # shapecalc: ignore\n"
    )
    assert run("s.py").stdout.startswith("s.py:3:22: SC902 ")


def test_directory_walk(tmp_path):
    for directory in ("sub", ".hidden", "__pycache__", "venv", "env"):
        (tmp_path / directory).mkdir()
    shutil.copy(ROOT / BUGGY, tmp_path / "buggy.py")
    shutil.copy(ROOT / MODELS / "clean.py", tmp_path / "sub" / "clean.py")
    shutil.copy(ROOT / MODELS / "helpers.py", tmp_path / "helpers.py")  # no model: skipped
    write(tmp_path, "script.py", "raise SystemExit('never imported: no torch')\n")
    for skipped in (".hidden", "__pycache__", "venv", "env"):
        shutil.copy(ROOT / BUGGY, tmp_path / skipped / "b.py")
    (tmp_path / "env" / "pyvenv.cfg").write_text("home = /usr\n")
    result = run(".", cwd=tmp_path)
    assert result.exit_code == 1, result.output
    assert {p for p, _l, _c in findings(result)} == {"buggy.py"}
    assert result.stdout.splitlines()[-1].endswith(
        "checked 2 models in 2 files; 2 fixable with --fix."
    )


def test_directory_walk_imports_package_modules_with_relative_imports(tmp_path):
    package = tmp_path / "proj" / "models"
    package.mkdir(parents=True)
    (tmp_path / "proj" / "__init__.py").write_text("")
    (package / "__init__.py").write_text("")
    write(
        package,
        "layers.py",
        """\
        import torch.nn as nn


        def block(cin: int, cout: int) -> nn.Module:
            return nn.Sequential(nn.Conv2d(cin, cout, 3, padding=1), nn.ReLU())
        """,
    )
    write(
        package,
        "net.py",
        """\
        # shapecalc: input=1,3,16,16
        import torch.nn as nn

        from .layers import block


        class Net(nn.Module):
            def __init__(self):
                super().__init__()
                self.a = block(3, 8)
                self.b = nn.Conv2d(4, 8, 3)

            def forward(self, x):
                return self.b(self.a(x))
        """,
    )
    result = run(".", cwd=tmp_path)
    assert findings(result) == [("proj/models/net.py", 11, "SC201")], result.output


def test_directory_paths_keep_the_given_prefix():
    result = run("examples/buggy")
    assert {p for p, _l, _c in findings(result)} == {BUGGY}


def test_jobs_give_the_same_output_in_the_same_order():
    args = ("examples/buggy", str(MODELS / "suppressed.py"), str(MODELS / "clean.py"))
    one = run(*args)
    two = run(*args, "-j", "2")
    assert two.exit_code == one.exit_code == 1
    assert two.stdout == one.stdout


def test_skip_non_models_for_pre_commit(tmp_path):
    write(tmp_path, "setup.py", "raise SystemExit('must not be imported')\n")
    result = run("--skip-non-models", str(tmp_path / "setup.py"), str(MODELS / "helpers.py"), BUGGY)
    assert result.exit_code == 1, result.output
    assert result.stdout.splitlines()[-1].endswith(
        "checked 1 model in 1 file; 2 fixable with --fix."
    )
    alone = run("--skip-non-models", str(MODELS / "helpers.py"))
    assert alone.exit_code == 0 and alone.stdout.startswith("All checks passed")


def test_the_default_path_is_the_current_directory(tmp_path):
    shutil.copy(ROOT / BUGGY, tmp_path / "buggy.py")
    result = run(cwd=tmp_path)
    assert result.exit_code == 1 and len(findings(result)) == 3


def test_a_model_picked_by_name():
    result = run(f"{MODELS / 'suppressed.py'}:Suppressed", str(MODELS / "clean.py") + ":Clean")
    # only a file checked whole reports its unused suppressions
    assert [c for _p, _l, c in findings(result)] == ["SC201"]


def test_the_example_zoo_has_no_error(monkeypatch):
    monkeypatch.setenv("SHAPECALC_STRICT", "0")  # ops without a rule are warnings here
    result = run("examples", "--ignore", "SC901")
    assert result.exit_code == 1  # examples/buggy/
    assert {p for p, _l, _c in findings(result)} == {BUGGY}


# ------------------------------------------------------------------------------------ inputs


def test_symbolic_inputs_make_a_pinned_size_a_condition_not_an_error():
    path = str(MODELS / "symbolic_fc.py")  # '# shapecalc: input=B,3,H,W'
    assert run(path).exit_code == 0
    wrong = run(path, "--input", "1,3,28,28")
    assert findings(wrong) == [(path, 14, "SC401")]
    assert run(path, "--input", "1,3,32,32").exit_code == 0


def test_inputs_from_the_command_line():
    path = str(MODELS / "two_inputs.py")
    assert run(path, "-i", "1,3,8,8", "-i", "1,5").exit_code == 0
    assert findings(run(path, "-i", "1,3,8,8", "-i", "1,6")) == [(path, 11, "SC401")]


def test_inputs_in_json_say_where_they_came_from():
    doc = json.loads(run(str(MODELS / "clean.py"), "--format", "json").stdout)
    assert doc["models"] == [
        {
            "path": "tests/models/check/clean.py",
            "name": "Clean",
            "inputs": ["B,3,32,32"],
            "inputs_from": "comment",
        }
    ]


def test_each_class_takes_the_input_comment_above_it(monkeypatch):
    monkeypatch.setenv("SHAPECALC_STRICT", "0")  # BatchNorm may have no rule yet
    doc = json.loads(run("examples/seed_batchnorm.py", "--format", "json").stdout)
    assert [(m["name"], m["inputs"]) for m in doc["models"]] == [
        ("BatchNorm1dExample", ["B,16,L"]),
        ("BatchNorm2dExample", ["B,16,H,W"]),
    ]


def test_successive_input_comments_are_one_declaration(tmp_path):
    shutil.copy(ROOT / MODELS / "two_inputs.py", tmp_path / "two.py")
    source = (tmp_path / "two.py").read_text()
    (tmp_path / "two.py").write_text(
        source.replace(
            "import torch\n",
            "# shapecalc: input=1,3,8,8\n# shapecalc: input=1,5\nimport torch\n",
            1,
        )
    )
    doc = json.loads(run("two.py", "--format", "json", cwd=tmp_path).stdout)
    assert doc["models"][0]["inputs"] == ["1,3,8,8", "1,5"]


# ------------------------------------------------------------------------------------ config


def _project(tmp_path: Path, config: str) -> Path:
    shutil.copy(ROOT / BUGGY, tmp_path / "buggy.py")
    shutil.copy(ROOT / MODELS / "two_inputs.py", tmp_path / "two.py")
    shutil.copy(ROOT / MODELS / "symbolic_fc.py", tmp_path / "sym.py")
    (tmp_path / "pyproject.toml").write_text(textwrap.dedent(config))
    return tmp_path


def test_config_select_ignore_and_inputs(tmp_path):
    project = _project(
        tmp_path,
        """\
        [tool.shapecalc]
        select = ["SC2", "SC4"]
        ignore = ["SC401"]

        [tool.shapecalc.inputs]
        "two.py" = ["1,3,8,8", "1,5"]
        "sym.py:SymbolicFC" = "2,3,28,28"
        """,
    )
    result = run(".", cwd=project)
    assert findings(result) == [("buggy.py", 40, "SC201")]  # SC301 unselected, SC401 ignored
    doc = json.loads(run(".", "--format", "json").stdout)
    assert {m["name"]: (m["inputs"], m["inputs_from"]) for m in doc["models"]} == {
        "BuggyResNet": (["B,3,32,32"], "comment"),
        "TwoInputs": (["1,3,8,8", "1,5"], "config"),
        "SymbolicFC": (["2,3,28,28"], "config"),
    }
    # the command line overrides: --select replaces select, --ignore adds to ignore
    assert [c for _p, _l, c in findings(run(".", "--select", "SC3"))] == ["SC301"]
    assert [c for _p, _l, c in findings(run(".", "--select", "SC", "--ignore", "SC2"))] == ["SC301"]
    assert_exit_2(run(".", "--input", "1,3,32,32"), "two.py:TwoInputs: cannot infer")
    assert run(".", "--isolated").exit_code == 2  # two.py's inputs cannot be inferred


def test_config_fail_on_and_per_file_ignores(tmp_path):
    project = _project(
        tmp_path,
        """\
        [tool.shapecalc]
        fail-on = "warning"
        exclude = ["two.py", "sym.py"]
        per-file-ignores = {"buggy*.py" = ["SC2", "SC3", "SC4"]}
        """,
    )
    write(
        project,
        "warn.py",
        "import torch.nn as nn\n\nmodel = nn.Linear(3, 4)  # shapecalc: ignore\n",
    )
    result = run(".", cwd=project)
    assert findings(result) == [("warn.py", 3, "SC902")]
    assert result.exit_code == 1  # fail-on warning
    assert run(".", "--fail-on", "error").exit_code == 0


def test_per_file_ignores_follow_the_file_a_finding_is_in(tmp_path):
    write(
        tmp_path,
        "blocks.py",
        """\
        import torch.nn as nn


        def head() -> nn.Module:
            return nn.Linear(10, 2)
        """,
    )
    write(
        tmp_path,
        "net.py",
        """\
        # shapecalc: input=1,3,4,4
        import torch.nn as nn
        from blocks import head


        class Net(nn.Module):
            def __init__(self):
                super().__init__()
                self.conv = nn.Conv2d(3, 4, 1)
                self.head = head()

            def forward(self, x):
                return self.head(self.conv(x).flatten(1))
        """,
    )
    assert findings(run(".", cwd=tmp_path)) == [("blocks.py", 5, "SC401")]
    (tmp_path / "pyproject.toml").write_text(
        '[tool.shapecalc]\nper-file-ignores = {"blocks.py" = ["SC4"], "net.py" = ["SC2"]}\n'
    )
    result = run(".")
    assert result.exit_code == 0 and findings(result) == []


def test_config_is_found_from_the_checked_paths(tmp_path):
    project = _project(tmp_path, '[tool.shapecalc]\nignore = ["SC"]\n')
    result = run(str(project / "buggy.py"))  # run from the repository root
    assert result.exit_code == 0 and findings(result) == []


def test_explicit_config_file(tmp_path):
    config = write(tmp_path, "other.toml", '[tool.shapecalc]\nselect = ["SC401"]\n')
    result = run(BUGGY, "--config", str(config))
    assert [c for _p, _l, c in findings(result)] == ["SC401"]
    assert_exit_2(run(BUGGY, "--config", str(tmp_path / "missing.toml")), "no such config file")


@pytest.mark.parametrize(
    ("config", "message"),
    [
        ('[tool.shapecalc]\nselct = ["SC2"]\n', "unknown key 'selct'"),
        ('[tool.shapecalc]\nselect = ["SC777"]\n', "'SC777' is not a shapecalc code"),
        ('[tool.shapecalc]\nfail-on = "fatal"\n', "fail-on must be error, warning or info"),
        ("[tool.shapecalc\n", "pyproject.toml"),
        ('[tool.shapecalc.inputs]\n"buggy.py" = "1,3,x!"\n', "invalid input"),
    ],
)
def test_bad_config_exits_2(tmp_path, config, message):
    project = _project(tmp_path, config)
    assert_exit_2(run("buggy.py", cwd=project), message)


def test_path_globs():
    assert path_matches("tests/models/a.py", "tests/*")
    assert path_matches("tests/models/a.py", "tests/")
    assert path_matches("tests/models/a.py", "a.py")
    assert path_matches("a.py", "**/a.py")
    assert path_matches("models/legacy", "models/legacy")
    assert not path_matches("models/a.py", "tests/*")


# ---------------------------------------------------------------------------------- formats


def test_json_format():
    doc = json.loads(run(BUGGY, "--format", "json").stdout)
    assert doc["version"] == 1
    assert [(f["code"], f["name"], f["line"]) for f in doc["findings"]] == [
        ("SC301", "broadcast-mismatch", 31),
        ("SC201", "in-channels-mismatch", 40),
        ("SC401", "in-features-mismatch", 42),
    ]
    assert doc["findings"][1]["fix"] == {"param": "in_channels", "value": 128}
    assert doc["summary"]["error"] == 3 and doc["summary"]["exit_code"] == 1


def test_github_format():
    lines = run(BUGGY, "--format", "github").stdout.splitlines()
    assert lines[1] == (
        f"::error file={BUGGY},line=40,col=23,endLine=40,title=SC201::"
        "Conv2d 'layer3' expects 64 input channels, got 128"
    )
    assert all(line.startswith("::error ") for line in lines)


def test_github_format_escapes_and_levels():
    from shapecalc.diagnostics import Diagnostic, Location, Severity
    from shapecalc.report.check.github import annotation

    diag = Diagnostic("SC902", Severity.WARNING, "50%\nnext", None, Location("a,b:c.py", 3, 1))
    assert annotation(diag) == "::warning file=a%2Cb%3Ac.py,line=3,col=1,title=SC902::50%25%0Anext"
    info = Diagnostic("SC110", Severity.INFO, "m", None, Location("x.py", 1, 2))
    assert annotation(info).startswith("::notice ")


def test_sarif_format():
    doc = json.loads(run(BUGGY, "--format", "sarif").stdout)
    assert doc["version"] == "2.1.0"
    run_ = doc["runs"][0]
    rules = run_["tool"]["driver"]["rules"]
    assert [r["id"] for r in rules] == ["SC201", "SC301", "SC401"]
    assert rules[0]["name"] == CODES["SC201"].name
    assert rules[0]["shortDescription"]["text"] == CODES["SC201"].summary
    assert "## Why is this bad?" in rules[0]["help"]["text"]
    results = run_["results"]
    assert [(r["ruleId"], r["level"]) for r in results] == [
        ("SC301", "error"),
        ("SC201", "error"),
        ("SC401", "error"),
    ]
    for r in results:
        assert rules[r["ruleIndex"]]["id"] == r["ruleId"]
        location = r["locations"][0]["physicalLocation"]
        assert location["artifactLocation"]["uri"] == BUGGY
        assert location["region"]["startLine"] > 0 and location["region"]["startColumn"] > 0
    assert run_["invocations"] == [{"executionSuccessful": True}]


def test_sarif_fingerprints_are_stable_across_runs_and_line_moves(tmp_path):
    shutil.copy(ROOT / BUGGY, tmp_path / "model.py")

    def prints():
        doc = json.loads(run("model.py", "--format", "sarif", cwd=tmp_path).stdout)
        return [
            (r["partialFingerprints"]["shapecalc/v1"], r["locations"][0]["physicalLocation"])
            for r in doc["runs"][0]["results"]
        ]

    first = prints()
    assert prints() == first
    source = (tmp_path / "model.py").read_text()
    (tmp_path / "model.py").write_text("# a new first line\n" + source)
    moved = prints()
    assert [f for f, _ in moved] == [f for f, _ in first]
    assert [loc["region"]["startLine"] for _, loc in moved] == [
        loc["region"]["startLine"] + 1 for _, loc in first
    ]
    assert len({f for f, _ in first}) == 3
    expected = hashlib.sha256(
        "\0".join(
            (
                "SC201",
                "model.py",
                "layer3",
                "Conv2d 'layer3' expects 64 input channels, got 128",
            )
        ).encode()
    ).hexdigest()[:32]
    assert first[1][0] == expected


def test_sarif_reports_files_that_could_not_be_checked(tmp_path):
    broken = write(tmp_path, "broken.py", "import torch\nimport no_such_module_here\n")
    doc = json.loads(run(str(broken), "--format", "sarif").stdout)
    invocation = doc["runs"][0]["invocations"][0]
    assert invocation["executionSuccessful"] is False
    text = invocation["toolExecutionNotifications"][0]["message"]["text"]
    assert "ModuleNotFoundError" in text


GOLDEN_RUNS = {
    "text": ("--format", "text"),
    "json": ("--format", "json"),
    "github": ("--format", "github"),
    "sarif": ("--format", "sarif"),
}


@pytest.mark.parametrize("fmt", sorted(GOLDEN_RUNS))
def test_golden(fmt):
    result = run(BUGGY, str(MODELS / "suppressed.py"), str(MODELS / "clean.py"), *GOLDEN_RUNS[fmt])
    assert result.exit_code == 1
    got = result.stdout.replace(f'"version": "{__version__}"', '"version": "<version>"')
    path = GOLDEN / f"check.{fmt}"
    if os.environ.get("SHAPECALC_UPDATE_GOLDEN"):
        path.write_text(got)
    assert got == path.read_text(), f"{path} is out of date (SHAPECALC_UPDATE_GOLDEN=1)"


# -------------------------------------------------------------------------------------- fix


def _crlf_model(tmp_path: Path) -> Path:
    """fixable.py with CRLF line ends, a non-ASCII comment and odd spacing: only the two
    literals may change."""
    source = (ROOT / MODELS / "fixable.py").read_text()
    source = source.replace(
        "        self.pool = nn.MaxPool2d(4)",
        "        self.pool   =   nn.MaxPool2d( 4 )  # größe: ÷4 — unchanged",
    )
    path = tmp_path / "fixable.py"
    path.write_bytes(source.replace("\n", "\r\n").encode())
    return path


def test_fix_rewrites_only_the_literals(tmp_path):
    path = _crlf_model(tmp_path)
    before = path.read_bytes()
    result = run("fixable.py", "--fix", cwd=tmp_path)
    assert result.exit_code == 0, result.output
    assert result.stdout == "All checks passed; checked 1 model in 1 file; fixed 2.\n"
    after = path.read_bytes()
    expected = before.replace(b"in_channels=8,", b"in_channels=16,").replace(
        b"            1000,  #", b"            2048,  #"
    )
    assert after == expected and after != before


def test_fixed_model_runs_in_torch(tmp_path):
    import importlib.util

    import torch

    path = _crlf_model(tmp_path)
    spec = importlib.util.spec_from_file_location("fixable_before", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    with pytest.raises(RuntimeError):
        module.Fixable()(torch.rand(2, 3, 32, 32))
    run("fixable.py", "--fix", cwd=tmp_path)
    spec = importlib.util.spec_from_file_location("fixable_after", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    assert module.Fixable()(torch.rand(2, 3, 32, 32)).shape == (2, 10)


def test_without_fix_nothing_is_written(tmp_path):
    path = _crlf_model(tmp_path)
    before = path.read_bytes()
    for fmt in ("text", "json", "github", "sarif"):
        run("fixable.py", "--format", fmt, cwd=tmp_path)
    assert path.read_bytes() == before


def test_fix_reports_what_remains(tmp_path):
    shutil.copy(ROOT / BUGGY, tmp_path / "buggy.py")
    result = run("buggy.py", "--fix", cwd=tmp_path)
    assert result.exit_code == 1
    assert findings(result) == [("buggy.py", 31, "SC301")]  # the shortcut needs a human
    assert result.stdout.splitlines()[-1].endswith("; fixed 2.")
    source = (tmp_path / "buggy.py").read_text()
    assert "nn.Conv2d(128, 256, 3, stride=2, padding=1)" in source
    assert "nn.Linear(256, num_classes)" in source
    doc = json.loads(run("buggy.py", "--format", "json").stdout)
    assert doc["fixed"] == [] and len(doc["findings"]) == 1


def test_fix_in_parallel_and_twice(tmp_path):
    shutil.copy(ROOT / BUGGY, tmp_path / "a.py")
    shutil.copy(ROOT / MODELS / "fixable.py", tmp_path / "b.py")
    result = run(".", "--fix", "-j", "2", cwd=tmp_path)
    assert findings(result) == [("a.py", 31, "SC301")]
    assert result.stdout.splitlines()[-1].endswith("; fixed 4.")
    fixed = {p.name: p.read_bytes() for p in tmp_path.glob("*.py")}
    again = run(".", "--fix")
    assert again.stdout.splitlines()[-1].endswith("; fixed 0.")
    assert {p.name: p.read_bytes() for p in tmp_path.glob("*.py")} == fixed


def test_fix_in_json_lists_the_rewrites(tmp_path):
    shutil.copy(ROOT / BUGGY, tmp_path / "buggy.py")
    doc = json.loads(run("buggy.py", "--fix", "--format", "json", cwd=tmp_path).stdout)
    assert [(f["line"], f["param"], f["old"], f["new"]) for f in doc["fixed"]] == [
        (40, "in_channels", 64, 128),
        (42, "in_features", 512, 256),
    ]


def test_fix_leaves_a_literal_that_is_right_for_some_layers_alone(tmp_path):
    shutil.copy(ROOT / MODELS / "loop.py", tmp_path / "loop.py")
    before = (tmp_path / "loop.py").read_bytes()
    result = run("loop.py", "--fix", cwd=tmp_path)
    assert result.exit_code == 1 and findings(result) == [("loop.py", 15, "SC201")]
    assert result.stdout.splitlines()[-1].endswith("; fixed 0.")
    assert (tmp_path / "loop.py").read_bytes() == before


def test_fix_respects_select_and_suppressions(tmp_path):
    shutil.copy(ROOT / BUGGY, tmp_path / "buggy.py")
    run("buggy.py", "--fix", "--select", "SC4", cwd=tmp_path)
    source = (tmp_path / "buggy.py").read_text()
    assert "nn.Linear(256, num_classes)" in source
    assert "nn.Conv2d(64, 256, 3, stride=2, padding=1)" in source  # SC201 not selected


def test_fix_leaves_suppressed_findings_alone(tmp_path):
    shutil.copy(ROOT / MODELS / "suppressed.py", tmp_path / "s.py")
    before = (tmp_path / "s.py").read_text()
    result = run("s.py", "--fix", cwd=tmp_path)
    assert result.stdout.splitlines()[-1].endswith("; fixed 1.")
    after = (tmp_path / "s.py").read_text()
    assert after == before.replace(
        "self.e = nn.Conv2d(4, 8, 3, padding=1)", "self.e = nn.Conv2d(8, 8, 3, padding=1)"
    )


def test_fix_skips_expressions_and_names(tmp_path):
    shutil.copy(ROOT / MODELS / "two_inputs.py", tmp_path / "two.py")
    before = (tmp_path / "two.py").read_bytes()
    result = run("two.py", "-i", "1,3,8,8", "-i", "1,6", "--fix", cwd=tmp_path)
    assert findings(result) == [("two.py", 11, "SC401")]  # 4 * 8 * 8 + 5 is not a literal
    assert (tmp_path / "two.py").read_bytes() == before


def test_fix_source_positional_and_keyword():
    from shapecalc.check import FixSite
    from shapecalc.diagnostics import Location
    from shapecalc.fix import fix_source

    source = b"a = nn.Linear(10, 3)\nb = torch.nn.Conv2d(3, 8, kernel_size=3, in_channels=4)\n"
    sites = [
        FixSite((), Location("m.py", 1, 5), "Linear", "in_features", 12),
        FixSite((), Location("m.py", 2, 5), "Conv2d", "in_channels", 16),
        FixSite((), Location("m.py", 2, 5), "Linear", "in_features", 99),  # not that callee
    ]
    out, applied = fix_source(source, sites)
    assert (
        out == b"a = nn.Linear(12, 3)\nb = torch.nn.Conv2d(3, 8, kernel_size=3, in_channels=16)\n"
    )
    assert [(a.old, a.new) for a in applied] == [(10, 12), (4, 16)]


# -------------------------------------------------------------------------- rule and rules


def _cli(*args: str):
    return CliRunner().invoke(main, list(args), prog_name="shapecalc")


def test_rule_prints_the_doc():
    result = _cli("rule", "SC201")
    assert result.exit_code == 0
    assert result.stdout == CODES["SC201"].doc()
    assert _cli("rule", "sc201").stdout == result.stdout
    assert _cli("rule", CODES["SC201"].name).stdout == result.stdout


def test_rule_json():
    doc = json.loads(_cli("rule", "SC902", "--format", "json").stdout)
    assert doc["code"] == "SC902" and doc["severity"] == "warning"
    assert set(doc) == {"code", "name", "severity", "summary", "what", "why", "example", "instead"}


def test_unknown_rule_exits_2_with_a_suggestion():
    result = _cli("rule", "SC2011")
    assert result.exit_code == 2
    assert "unknown code 'SC2011'" in result.stderr and "did you mean SC201" in result.stderr
    name = CODES["SC401"].name
    assert f"did you mean SC401 ({name})" in _cli("rule", name[:-2]).stderr


def test_rules_lists_every_code():
    result = _cli("rules")
    assert result.exit_code == 0
    lines = result.stdout.splitlines()
    assert lines[0].split() == ["code", "name", "severity", "summary"]
    listed = [line.split()[0] for line in lines[2:]]
    assert listed == sorted(CODES)
    doc = json.loads(_cli("rules", "--format", "json").stdout)
    assert [d["code"] for d in doc] == sorted(CODES)


# ----------------------------------------------------------------------------- Python API


def test_check_api():
    result = check([BUGGY], CheckOptions(select=("SC4",)))
    assert [d.code for d in result.findings] == ["SC401"]
    assert result.exit_code() == 1 and result.exit_code(exit_zero=True) == 0


# ------------------------------------------------------------------------------ pre-commit


def test_pre_commit_hooks_run_shapecalc_check():
    import shlex

    yaml = pytest.importorskip("yaml")
    hooks = {h["id"]: h for h in yaml.safe_load((ROOT / ".pre-commit-hooks.yaml").read_text())}
    assert set(hooks) == {"shapecalc-check", "shapecalc-check-scn"}
    assert hooks["shapecalc-check"]["types"] == ["python"]
    assert hooks["shapecalc-check-scn"]["files"] == r"\.scn$"
    for hook in hooks.values():
        assert hook["language"] == "python"
        command = shlex.split(hook["entry"])
        assert command[:2] == ["shapecalc", "check"]
        # pre-commit appends the staged files
        result = CliRunner().invoke(main, [*command[1:], BUGGY, str(MODELS / "helpers.py")])
        assert result.exit_code == (1 if "--skip-non-models" in command else 2), result.output


# --------------------------------------------------------------------------- the corpus

BUG_CORPUS = sorted((ROOT / "tests" / "models" / "bugs").glob("*.py"))
CLEAN_CORPUS = sorted((ROOT / "tests" / "models" / "clean").glob("*.py"))
_EXPECT = re.compile(r"#\s*expect:\s*(SC\d{3}(?:\s*,\s*SC\d{3})*)\s*$")


def expected_findings(path: Path) -> set[tuple[int, str]]:
    """(line, code) from the corpus's ``# expect: SC201`` comments."""
    out = set()
    with open(path, "rb") as f:
        for tok in tokenize.tokenize(f.readline):
            m = _EXPECT.search(tok.string) if tok.type == tokenize.COMMENT else None
            if m:
                out |= {(tok.start[0], code.strip()) for code in m.group(1).split(",")}
    return out


@pytest.mark.skipif(not BUG_CORPUS, reason="the model corpus (tests/models/bugs) is not here")
def test_check_reports_the_corpus_errors_on_their_lines_and_no_error_on_clean_models():
    paths = [str(p.relative_to(ROOT)) for p in BUG_CORPUS + CLEAN_CORPUS]
    doc = json.loads(run(*paths, "--format", "json", "-j", "2").stdout)
    assert doc["errors"] == []
    got: dict[str, set] = {}
    errors: dict[str, set] = {}
    for f in doc["findings"]:
        got.setdefault(f["path"], set()).add((f["line"], f["code"]))
        if f["severity"] == "error":
            errors.setdefault(f["path"], set()).add((f["line"], f["code"]))
    for path in BUG_CORPUS:
        rel = str(path.relative_to(ROOT))
        expected = expected_findings(path)
        assert expected <= got.get(rel, set()), rel
        assert errors.get(rel, set()) <= expected, rel
    for path in CLEAN_CORPUS:
        assert str(path.relative_to(ROOT)) not in errors


def test_nothing_passed_when_a_file_could_not_be_checked(tmp_path):
    """'All checks passed' only when every file was checked."""
    broken = write(tmp_path, "broken.py", "import torch\nimport no_such_module_here\n")
    result = run(str(broken))
    assert_exit_2(result, "ModuleNotFoundError")
    assert result.stdout.startswith("No findings; checked 0 models in 0 files; 1 file could not")
