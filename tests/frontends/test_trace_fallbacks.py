"""Models fx cannot trace as they are: tensor factories given traced sizes (wrapped while
tracing), buffers sliced by an input size (traced again with buffers as graph attributes)
and submodules named like a GraphModule attribute (recorded instead). Each analysis runs
and finds the bug."""

from __future__ import annotations

import textwrap

import torch

import shapecalc

SLICED_BUFFER = """
import torch
import torch.nn as nn


class Pos(nn.Module):
    def __init__(self):
        super().__init__()
        self.register_buffer("pe", torch.zeros(1, 16, 8))
        self.fc = nn.Linear(8, 4)

    def forward(self, x):
        return self.fc(x + self.pe[:, : x.size(1)])
"""

META_SUBMODULE = """
import torch
import torch.nn as nn


class Fusion(nn.Module):
    def __init__(self):
        super().__init__()
        self.image = nn.Linear(6, 8)
        self.meta = nn.Linear(10, 8)

    def forward(self, image, meta):
        return torch.cat([self.image(image), self.meta(meta)], dim=1)
"""


INITIAL_STATE = """
import torch
import torch.nn as nn


class Cell(nn.Module):
    def __init__(self):
        super().__init__()
        self.hidden = 16
        self.gates = nn.Linear(8 + 16, 4 * 16)

    def forward(self, x):
        h = torch.zeros(x.size(0), self.hidden, device=x.device)
        c = torch.zeros_like(h) + torch.ones(x.shape[0], 16)
        i, f, o, g = self.gates(torch.cat([x, h], dim=1)).chunk(4, dim=1)
        return torch.sigmoid(o) * torch.tanh(torch.sigmoid(f) * c + torch.sigmoid(i) * g)
"""


BUILTINS_OF_SIZES = """
import torch
import torch.nn as nn


def keep_count(x, ratio):
    assert isinstance(ratio, float) and not isinstance(ratio, int)
    return int(x.shape[1] * (1 - ratio))


class Keep(nn.Module):
    def __init__(self):
        super().__init__()
        self.fc = nn.Linear(8, 4)

    def forward(self, x):
        k = keep_count(x, 0.5)
        n = len(x)
        return self.fc(x[:, :k]).sum(1) + torch.zeros(n, 4)
"""


def _write(tmp_path, source: str):  # noqa: ANN001, ANN202
    path = tmp_path / "model.py"
    path.write_text(textwrap.dedent(source))
    return str(path)


def test_a_buffer_sliced_by_an_input_size_traces_symbolically(tmp_path) -> None:  # noqa: ANN001
    path = _write(tmp_path, SLICED_BUFFER)
    analysis = shapecalc.analyze(path, "B,T,8")
    assert analysis.diagnostics == []  # no SC001: traced, not recorded at one size
    assert [str(c) for c in analysis.constraints] == ["T == min(T, 16)"]
    assert shapecalc.analyze(path, "2,20,8").errors[0].code == "SC301"


def test_a_submodule_named_meta_is_recorded(tmp_path) -> None:  # noqa: ANN001
    path = _write(tmp_path, META_SUBMODULE)
    analysis = shapecalc.analyze(path, "2,6", "2,12")
    assert [d.code for d in analysis.errors] == ["SC401"]
    assert analysis.errors[0].location.line == 10  # self.meta = nn.Linear(10, 8)
    assert analysis.output_shapes == [(2, 16)]


def test_factories_sized_by_the_input_trace(tmp_path) -> None:  # noqa: ANN001
    path = _write(tmp_path, INITIAL_STATE)
    analysis = shapecalc.analyze(path, "B,8")
    assert analysis.diagnostics == []  # traced, so symbolic
    assert [str(d) for d in analysis.output_shapes[0]] == ["B", "16"]
    (error,) = shapecalc.analyze(path, "2,9").errors
    assert (error.code, error.location.line) == ("SC401", 10)  # self.gates = nn.Linear(...)
    assert torch.zeros is torch._C._VariableFunctions.zeros  # restored after tracing


def test_int_and_len_of_traced_sizes_trace(tmp_path) -> None:  # noqa: ANN001
    path = _write(tmp_path, BUILTINS_OF_SIZES)
    analysis = shapecalc.analyze(path, "3,10,8")
    assert analysis.diagnostics == []
    assert analysis.output_shapes == [(3, 4)]
    assert analysis.graph.fx_module is not None  # traced, not recorded


NO_RULE_OP = """
import torch.nn as nn


class Upsample(nn.Module):
    def __init__(self):
        super().__init__()
        self.conv = nn.Conv2d(3, 4, 1)
        self.register_buffer("repeats", __import__("torch").tensor([1, 2, 1, 2]))

    def forward(self, x):
        y = self.conv(x).diff(dim=DIM)
        return y.masked_select(y > self.repeats[0])
"""


def test_an_op_without_a_rule_that_torch_rejects_is_an_error(tmp_path) -> None:  # noqa: ANN001
    """Run on meta tensors, then confirmed on CPU: SC113 at the op's line (non-strict mode,
    as users run it); the op after it is merely unchecked."""
    path = _write(tmp_path, NO_RULE_OP.replace("DIM", "4"))
    analysis = shapecalc.analyze(path, "2,3,8,8", strict=False)
    assert [(d.code, d.location.line) for d in analysis.errors] == [("SC113", 12)]
    assert "Dimension out of range" in analysis.errors[0].message


def test_an_op_that_only_fails_on_meta_is_not_an_error(tmp_path) -> None:  # noqa: ANN001
    """masked_select has no meta kernel (its size depends on the data); on CPU it runs, so
    nothing is reported beyond 'not checked'."""
    path = _write(tmp_path, NO_RULE_OP.replace("DIM", "2"))
    analysis = shapecalc.analyze(path, "2,3,8,8", strict=False)
    assert analysis.errors == []
    assert {d.code for d in analysis.diagnostics} == {"SC901"}


ITERATED_PIECES = """
import torch
import torch.nn as nn


class CSP(nn.Module):
    def __init__(self):
        super().__init__()
        self.conv = nn.Conv2d(4, 4, 3, padding=1)
        self.head = nn.Conv2d(20, 8, 1)

    def forward(self, x):
        y = list(x.chunk(2, 1))
        y.extend(self.conv(y[-1]) for _ in range(2))
        parts = [p * 2 for p in torch.split(x, [2, 6], dim=1)]
        z = torch.cat(y + parts, 1)
        return self.head(z[:, : len(x.split([3, 5], 1)) * 10])
"""


def test_chunks_and_splits_of_a_fixed_count_iterate(tmp_path) -> None:  # noqa: ANN001
    """list(x.chunk(2, 1)) (YOLOv8's C2f) and a loop over split pieces trace symbolically."""
    path = _write(tmp_path, ITERATED_PIECES)
    analysis = shapecalc.analyze(path, "B,8,H,W")
    assert analysis.diagnostics == []
    assert analysis.graph.fx_module is not None  # traced, not recorded
    assert [str(d) for d in analysis.output_shapes[0]] == ["B", "8", "H", "W"]
    errors = shapecalc.analyze(path, "2,6,5,5").errors  # two chunks of 3 into a conv of 4
    assert errors[0].code == "SC201"
    assert torch.fx.Proxy.__len__.__module__ == "torch.fx.proxy"  # restored after tracing


RECORDED_AFTER_A_FAILED_CAT = """
import torch
import torch.nn as nn
import torch.nn.functional as F


class Net(nn.Module):
    def __init__(self):
        super().__init__()
        self.a = nn.Conv2d(3, 16, 3, padding=1)
        self.b = nn.Conv2d(32, 16, 3, padding=1)
        self.fc = nn.Linear(100, 10)

    def forward(self, x):
        x = x if x.size(-1) > 0 else -x  # torch.fx cannot branch on a traced size
        x = self.a(x)
        y = torch.cat([x, F.max_pool2d(x, 2)], 1)
        x = self.b(y)
        return self.fc(x.flatten(1))
"""


def test_recording_goes_on_past_an_error_with_unknown_sizes(tmp_path) -> None:  # noqa: ANN001
    """The failed cat's spatial sizes are unknown to its rule; the recording stands in the
    first operand's so that the layers after it are recorded and checked too (the conv's
    channels are known: 32, which it expects), and the analysis keeps them unknown."""
    path = _write(tmp_path, RECORDED_AFTER_A_FAILED_CAT)
    analysis = shapecalc.analyze(path, "2,3,16,16")
    assert [(d.code, d.location.line) for d in analysis.errors] == [("SC302", 17)]
    assert analysis.output_shapes == [(2, 10)]
    assert {d.code for d in analysis.diagnostics} == {"SC001", "SC302"}
    broken = _write(tmp_path, RECORDED_AFTER_A_FAILED_CAT.replace("(32, 16", "(24, 16"))
    found = [(d.code, d.location.line) for d in shapecalc.analyze(broken, "2,3,16,16").errors]
    assert found == [("SC302", 17), ("SC201", 11)]


READS_VALUES = """
import torch.nn as nn


class Gated(nn.Module):
    def __init__(self):
        super().__init__()
        self.conv = nn.Conv2d(3, 8, 3, padding=1)
        self.bn = nn.BatchNorm2d(WIDTH)
        self.fc = nn.Linear(8, 4)

    def forward(self, x):
        x = self.bn(self.conv(x))
        if x.abs().sum() > 0:  # reads values: no meta forward can decide it
            x = x * 2
        return self.fc(x.mean((2, 3)))
"""


def test_a_forward_that_reads_values_is_recorded_on_cpu(tmp_path) -> None:  # noqa: ANN001
    """Meta tensors have no values: the recording is retried with zero weights and inputs
    on CPU, at the same sizes, and errors are still found on their lines."""
    clean = shapecalc.analyze(_write(tmp_path, READS_VALUES.replace("WIDTH", "8")), "2,3,8,8")
    assert clean.errors == [] and clean.output_shapes == [(2, 4)]
    (sc001,) = clean.diagnostics
    assert sc001.code == "SC001" and "CPU forward of zeros" in sc001.message
    buggy = shapecalc.analyze(_write(tmp_path, READS_VALUES.replace("WIDTH", "6")), "2,3,8,8")
    assert [(d.code, d.location.line) for d in buggy.errors] == [("SC203", 9)]
    assert buggy.output_shapes == [(2, 4)]
