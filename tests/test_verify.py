"""shapecalc verify: predictions checked against real CPU forwards.

The zoo test runs the verifier over every example model at the sizes it chooses (the minimum,
the next valid size, a seeded random one and one below the minimum), so a rule that drifts
away from PyTorch fails here. The other tests inject wrong rules and broken models and check
what the verifier says and its exit codes.
"""

from __future__ import annotations

import dataclasses
import json
import textwrap
from collections.abc import Iterator

import pytest
import torch
from click.testing import CliRunner

from shapecalc.cli import main
from shapecalc.frontends.loader import load
from shapecalc.rules import REGISTRY, get_rule
from shapecalc.verify import (
    SizeCase,
    VerifyError,
    activation_bytes,
    parse_memory,
    parse_sizes,
    verify,
    verify_loaded,
)

from .examples.zoo import ZOO, ZooModel
from .frontends.harness import model_path

CONV_UNIT = "examples/seed_conv_unit.py"


@pytest.fixture(scope="module", autouse=True)
def one_torch_thread() -> Iterator[None]:
    """Small forwards: intra-op threads only add synchronisation cost on a shared machine."""
    threads = torch.get_num_threads()
    torch.set_num_threads(1)
    yield
    torch.set_num_threads(threads)


@pytest.fixture(autouse=True)
def repo_root(monkeypatch: pytest.MonkeyPatch) -> None:
    import os

    monkeypatch.chdir(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))


def run(*args: str):
    return CliRunner().invoke(main, list(args), prog_name="shapecalc")


def write(tmp_path, name: str, source: str) -> str:
    path = tmp_path / name
    path.write_text(textwrap.dedent(source))
    return str(path)


def zoo_model(entry: ZooModel):
    return next(m for m in load(str(entry.path)) if m.name == entry.model)


def shape_at(entry: ZooModel, case: SizeCase) -> tuple[int, ...]:
    values = case.values
    return tuple(int(n) if n.isdigit() else values[n] for n in entry.spec.split(","))


# --------------------------------------------------------------------------------- the zoo


@pytest.mark.parametrize("entry", ZOO, ids=lambda entry: entry.id)
def test_every_example_verifies_clean(entry: ZooModel):
    """Every layer agrees with torch at every size chosen, and torch rejects exactly the
    sizes shapecalc rejects. The minimum found is the zoo's, and the size below it is not in
    the zoo's domain."""
    v = verify_loaded(zoo_model(entry), [entry.spec], random_sizes=1, seed=0)
    bad = [line for r in v.disagreements for line in (r.torch_error, *map(str, r.mismatches))]
    assert v.ok, bad
    assert all(r.ran for r in v.results)
    ran_ok = [r for r in v.results if r.torch_ok]
    assert ran_ok and all(r.compared >= 2 for r in ran_ok)
    spatial = [n for n in v.symbols if n != "B"]
    if not spatial:
        assert [r.case.why for r in v.results] == ["given"]
        return
    whys = [r.case.why for r in v.results]
    assert whys[:2] == ["minimum", "next"] and "random" in whys
    for r in v.results:
        assert entry.in_domain(shape_at(entry, r.case)) == r.torch_ok, r.case
    minimum = v.results[0]
    if entry.domain != "True":
        assert whys[-1] == "below minimum"
        assert not v.results[-1].torch_ok
    else:
        assert set(minimum.case.values[n] for n in spatial) == {1}


# ------------------------------------------------------------------------- wrong rules


def _patched(monkeypatch: pytest.MonkeyPatch, op: str, fn) -> None:
    rule = get_rule(op)
    monkeypatch.setitem(REGISTRY, op, dataclasses.replace(rule, fn=fn(rule.fn)))


def _one_too_wide(original):
    def wrong(ctx, *args, **kwargs):
        out = original(ctx, *args, **kwargs)
        return out.with_shape((*out.shape[:-1], out.shape[-1] + 1))

    return wrong


def test_a_wrong_rule_fails_and_names_the_layer(monkeypatch):
    _patched(monkeypatch, "MaxPool2d", _one_too_wide)
    v = verify(CONV_UNIT, "1,3,32,32")
    assert not v.ok
    (result,) = v.results
    first = result.mismatches[0]
    assert first.name == "conv_unit.1" and first.op == "MaxPool2d"
    assert first.predicted == "(1, 6, 15, 16)" and first.actual == "(1, 6, 15, 15)"
    assert first.where == "examples/seed_conv_unit.py:19"
    result = run("verify", CONV_UNIT, "-i", "1,3,32,32")
    assert result.exit_code == 1, result.output
    assert (
        "examples/seed_conv_unit.py:19: SC920 MaxPool2d 'conv_unit.1' at input (1, 3, 32, 32): "
        "shapecalc predicts (1, 6, 15, 16), torch gives (1, 6, 15, 15)"
    ) in result.output
    assert "DISAGREE" in result.output


def test_a_false_alarm_is_a_disagreement(monkeypatch):
    def alarming(original):
        def wrong(ctx, *args, **kwargs):
            ctx.report("SC401", f"{ctx.layer} is wrong (injected)")
            return original(ctx, *args, **kwargs)

        return wrong

    _patched(monkeypatch, "Linear", alarming)
    result = run("verify", CONV_UNIT, "-i", "B,3,H,W", "--random", "0")
    assert result.exit_code == 1, result.output
    assert "SC921 at H=W=32: shapecalc reports SC401" in result.output
    assert "torch runs the forward" in result.output


def test_a_missed_error_is_a_disagreement(monkeypatch):
    def lenient(original):
        def wrong(ctx, input, *args, **kwargs):
            return original(ctx, input.with_shape((*input.shape[:-1], 864)), *args, **kwargs)

        return wrong

    _patched(monkeypatch, "Linear", lenient)
    result = run("verify", CONV_UNIT, "-i", "1,3,28,28")
    assert result.exit_code == 1, result.output
    assert "SC921 at input (1, 3, 28, 28): shapecalc finds no error, torch raises" in (
        result.output
    )
    assert "RuntimeError: mat1 and mat2 shapes cannot be multiplied" in result.output


def test_calc_verify_marks_the_table(monkeypatch):
    result = run(CONV_UNIT, "-i", "B,3,H,W", "--verify")
    assert result.exit_code == 0, result.output
    assert result.output.rstrip().splitlines()[-1] == (
        "verified against torch at (H, W) = (32, 32), (33, 33), (32, 33), (33, 32), "
        "(31, 31) rejected"
    )
    assert result.output.startswith("ConvUnitNet from examples/seed_conv_unit.py")
    _patched(monkeypatch, "MaxPool2d", _one_too_wide)
    result = run(CONV_UNIT, "-i", "2,3,32,32", "--verify")
    assert result.exit_code == 1
    assert "SC920 MaxPool2d 'conv_unit.1'" in result.output
    assert "torch DISAGREES at 1 of 1 sizes" in result.output


def test_calc_verify_json():
    result = run(CONV_UNIT, "-i", "1,3,32,32", "--verify", "-f", "json")
    assert result.exit_code == 0, result.output
    (model,) = json.loads(result.output)["models"]
    assert model["output_shapes"] == [[1, 10]]
    assert model["verification"]["ok"] is True
    assert model["verification"]["sizes"][0]["verdict"] == "ok"


# --------------------------------------------------------------------------- exit codes


def test_verify_exit_0_and_json():
    result = run("verify", CONV_UNIT, "-i", "B,3,H,W", "--random", "1", "-f", "json")
    assert result.exit_code == 0, result.output
    (model,) = json.loads(result.output)["models"]
    assert model["ok"] is True and model["device"] == "cpu"
    sizes = model["sizes"]
    assert [s["chosen_as"] for s in sizes] == ["minimum", "next", "random", "below minimum"]
    assert sizes[0]["sizes"] == {"B": 1, "H": 32, "W": 32}
    assert sizes[0]["inputs"] == [[1, 3, 32, 32]] and sizes[0]["layers_compared"] == 7
    below = sizes[-1]
    assert below["verdict"] == "rejected" and below["torch_error"].startswith("examples/")
    assert [d["code"] for d in below["predicted_errors"]] == ["SC401"]


@pytest.mark.parametrize(
    "args, message",
    [
        (["--sizes", "Q=3"], "--sizes sets Q, but the input"),
        (["--sizes", "H=0"], "sizes are positive integers"),
        (["--sizes", "H"], "invalid --sizes 'H'"),
        (["--sizes", "H=1,2", "--sizes", "W=1,2,3"], "give one size or 3"),
        (["--max-memory", "lots"], "invalid memory size 'lots'"),
        (["--device", "warp9"], "invalid --device 'warp9'"),
    ],
)
def test_usage_errors_exit_2(args, message):
    result = run("verify", CONV_UNIT, "-i", "B,3,H,W", *args)
    assert result.exit_code == 2, result.output
    assert "Traceback" not in result.output
    assert result.stderr.startswith("shapecalc: error: ") and message in result.stderr


def test_missing_file_exit_2():
    result = run("verify", "no/such/model.py")
    assert result.exit_code == 2 and "no such file" in result.stderr


def test_a_model_that_cannot_run_exits_2_with_a_clear_message(tmp_path):
    path = write(
        tmp_path,
        "reads.py",
        """\
        import torch.nn as nn

        class Reads(nn.Module):
            def __init__(self):
                super().__init__()
                self.fc = nn.Linear(4, 2)

            def forward(self, x):
                scale = open("missing-calibration.txt").read()
                return self.fc(x) * float(scale)
        """,
    )
    result = run("verify", path, "-i", "2,4")
    assert result.exit_code == 2, result.output
    assert "Traceback" not in result.output
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1
    assert lines[0].startswith("shapecalc: error: cannot run Reads on cpu at ")
    assert "reads.py:9: FileNotFoundError" in lines[0]
    assert "missing-calibration.txt" in lines[0]


def test_cuda_only_code_exits_2(tmp_path):
    path = write(
        tmp_path,
        "gpu.py",
        """\
        import torch
        import torch.nn as nn

        class Gpu(nn.Module):
            def __init__(self):
                super().__init__()
                self.fc = nn.Linear(4, 2)

            def forward(self, x):
                return self.fc(x.cuda())
        """,
    )
    if torch.cuda.is_available():
        pytest.skip("this machine has CUDA")
    result = run("verify", path, "-i", "2,4")
    assert result.exit_code == 2, result.output
    assert "cannot run Gpu on cpu" in result.stderr and "gpu.py:10" in result.stderr


def test_unavailable_device_falls_back_to_cpu_and_says_so():
    if torch.cuda.is_available():
        pytest.skip("this machine has CUDA")
    result = run("verify", CONV_UNIT, "-i", "1,3,32,32", "--device", "cuda")
    assert result.exit_code == 0, result.output
    assert "device cuda is not available here; running on cpu" in result.output


def test_a_model_torch_refuses_to_build_agrees_with_sc002():
    result = run("verify", model_path("rejected.py"), "-i", "1,3,32,32")
    assert result.exit_code == 0, result.output
    assert "(while building)" not in result.output  # the table shows the error's type
    v = verify(model_path("rejected.py"), "1,3,32,32")
    (r,) = v.results
    assert not r.predicted_ok and not r.torch_ok and r.agrees
    assert r.torch_error.endswith("(while building)")


def test_a_model_fx_cannot_trace_is_checked_through_hooks():
    v = verify(model_path("control_flow.py:SizeBranch"), "B,3,H,W", sizes={"H": [70]})
    assert v.ok, [m for r in v.results for m in r.mismatches]
    given = v.results[0]
    assert given.case.why == "given" and given.case.values["H"] == 70
    assert given.compared == 4  # conv, pool (taken at 70 > 64), fc and the output


def test_lazy_layers_are_rebuilt_for_each_size():
    """Lazy layers fix their sizes at their first forward: every size gets a fresh model."""
    v = verify(model_path("lazy.py"), "B,C,H,W")
    assert len([r for r in v.results if r.ran]) >= 3
    assert v.ok, [m for r in v.results for m in r.mismatches]


# ------------------------------------------------------------------------------ memory


def test_memory_estimate_is_the_activations():
    from shapecalc import analyze

    analysis = analyze(CONV_UNIT, "1,3,32,32")
    floats = 3 * 32 * 32 + 6 * 30 * 30 + 6 * 15 * 15 + 6 * 13 * 13 + 6 * 12 * 12 + 864 + 10
    assert activation_bytes(analysis) == 4 * floats


def test_sizes_above_the_memory_cap_are_skipped():
    result = run(
        "verify", model_path("control_flow.py:SizeBranch"), "-i", "B,3,H,W",
        "--sizes", "H=2000", "--random", "0", "--max-memory", "1MB",
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    assert (
        "H=W=2000 skipped: needs about 259.4 MiB of activations, above the 1.0 MiB cap "
        "(--max-memory)"
    ) in result.output
    assert "verified against torch at (H, W) = (1, 1), (2, 2)" in result.output


def test_every_size_skipped_is_said():
    result = run("verify", CONV_UNIT, "-i", "1,3,32,32", "--max-memory", "100")
    assert result.exit_code == 0
    assert "not verified against torch: every size was skipped" in result.output


def test_random_sizes_shrink_under_the_cap():
    v = verify(model_path("control_flow.py:SizeBranch"), "B,3,H,W", random_sizes=3, max_memory=3000)
    assert all(r.ran and r.memory <= 3000 for r in v.results)
    assert any("replaced by smaller ones" in note for note in v.notes)


# --------------------------------------------------------------------------- the rest


def test_progress_bar_only_for_more_than_three_forwards():
    calls = []

    class Bar:
        def __enter__(self):
            return self

        def __exit__(self, *exc):
            return None

        def update(self, n):
            calls.append(n)

    def progress(length):
        calls.append(("length", length))
        return Bar()

    verify(CONV_UNIT, "B,3,H,W", random_sizes=2, progress=progress)
    assert calls == [("length", 5), 1, 1, 1, 1, 1]
    calls.clear()
    verify(CONV_UNIT, "1,3,32,32", progress=progress)
    assert calls == []


def test_seeded_sizes_repeat():
    a = verify(model_path("control_flow.py:SizeBranch"), "B,3,H,W", seed=7)
    b = verify(model_path("control_flow.py:SizeBranch"), "B,3,H,W", seed=7)
    assert [r.case for r in a.results] == [r.case for r in b.results]


def test_batch_from_sizes():
    v = verify(CONV_UNIT, "B,3,H,W", sizes={"B": [2]}, random_sizes=0)
    assert [r.inputs[0].shape for r in v.results] == [
        (2, 3, 32, 32),
        (2, 3, 33, 33),
        (2, 3, 31, 31),
    ]
    assert v.results[0].case.label == "B=2, H=W=32"


def test_parsers():
    assert parse_sizes(["H=32,64 B=2", "W=5;H=64"]) == {"H": [32, 64], "B": [2], "W": [5]}
    assert parse_memory("512MB") == 512 * 1024**2
    assert parse_memory("2GiB") == 2 * 1024**3
    assert parse_memory("1.5k") == 1536
    assert parse_memory("100") == 100
    with pytest.raises(VerifyError):
        parse_memory("-3")


def test_a_model_whose_weights_exceed_the_cap_is_not_built(tmp_path):
    path = write(
        tmp_path,
        "wide.py",
        """\
        import torch.nn as nn

        class Wide(nn.Module):
            def __init__(self):
                super().__init__()
                self.fc = nn.Linear(1024, 1024)

            def forward(self, x):
                return self.fc(x)
        """,
    )
    v = verify(path, "1,1024", max_memory=1024**2)
    (r,) = v.results
    assert (
        r.skipped == "the parameters alone need about 4.0 MiB, above the 1.0 MiB cap (--max-memory)"
    )


@pytest.mark.parametrize(
    "answer", [{"B": 1, "H": 33, "W": 33}, (1, 3, 33, 33), [(1, 3, 33, 33)]], ids=str
)
def test_the_solvers_minimum_is_preferred_when_there_is_one(monkeypatch, answer):
    """solve.py's Analysis.min_input() (a shape, a list of shapes; or symbol values)."""
    from shapecalc.propagate import Analysis

    monkeypatch.setattr(Analysis, "min_input", lambda self: answer, raising=False)
    v = verify(CONV_UNIT, "B,3,H,W", random_sizes=0)
    # 33 is valid, so it is taken; no larger square is (the Linear pins H and W to 32 or 33)
    assert [(r.case.why, r.case.values["H"]) for r in v.results] == [
        ("minimum", 33), ("below minimum", 32)
    ]  # fmt: skip
    assert v.ok


TWICE = """\
import torch.nn as nn
import torch.nn.functional as F

class Twice(nn.Module):
    def __init__(self):
        super().__init__()
        self.conv = nn.Conv2d(4, 4, 3, padding=1)
        self.pool = nn.MaxPool2d(2)

    def forward(self, x):
        x = self.pool(self.conv(x))
        if x.shape[-1] > 4:  # torch.fx cannot trace this: the graph is recorded per size
            x = self.pool(self.conv(x))
        return F.relu(x)
"""


def test_a_recorded_graph_compares_every_call_of_a_layer(tmp_path, monkeypatch):
    path = write(tmp_path, "twice.py", TWICE)
    v = verify(path, "B,4,H,W", sizes={"H": [16]}, random_sizes=0)
    assert v.ok
    assert v.results[0].compared == 5  # conv, pool, conv_1, pool_1 and the output
    _patched(monkeypatch, "MaxPool2d", _one_too_wide)
    v = verify(path, "B,4,H,W", sizes={"H": [16]}, random_sizes=0)
    names = [m.name for m in v.results[0].mismatches]
    assert names[:3] == ["pool", "conv_1", "pool_1"]
    assert v.results[0].mismatches[0].where.endswith("twice.py:8")
