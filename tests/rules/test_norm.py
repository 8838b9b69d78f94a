"""Normalisation layers against real torch: random configurations, channel counts that are
sometimes wrong on purpose, batch and spatial sizes down to one value, train and eval mode."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from shapecalc import symbolic as sym
from shapecalc.diagnostics import Severity

from ..difftest import (
    assert_agree,
    assert_symbolic_sound,
    errors,
    predicted_shapes,
    run_shapecalc,
    run_torch,
)

TRAINING_ONLY = ("more than 1 value per channel when training", "more than 1 spatial element")


def assert_agree_training(source: str, inputs: dict, mode_dependent: bool) -> None:
    """assert_agree, except that where torch refuses training-mode statistics over one value
    (and eval mode would run), shapecalc must warn (SC208) rather than report an error."""
    real = run_torch(source, inputs)
    if (
        mode_dependent
        and real.error is not None
        and any(m in str(real.error) for m in TRAINING_ONLY)
    ):
        analysis = run_shapecalc(source, inputs)
        assert "SC208" in [d.code for d in analysis.diagnostics], source
        # with two values per channel the statistics exist: shapecalc's errors must then be
        # exactly torch's, and the same as at one value
        shape = list(inputs["x"])
        shape[-1 if "InstanceNorm" in source else 0] = 2
        bigger = assert_agree(source, {**inputs, "x": tuple(shape)})
        assert sorted(errors(analysis)) == sorted(errors(bigger)), source
        assert predicted_shapes(analysis) == [tuple(inputs["x"])]
        return
    analysis = assert_agree(source, inputs)
    if real.error is None and "SC208" in [d.code for d in analysis.diagnostics]:
        # a warning only where the mode decides: eval mode, or a training forward that ran
        assert ".eval()" in source or "training=False" in source, source


def small_shape(draw, rank: int, channels: int) -> tuple:
    dims = [draw(st.integers(1, 3)) for _ in range(rank)]
    if rank >= 2:
        dims[1] = channels
    return tuple(dims)


@st.composite
def batch_norm_case(draw):
    n = draw(st.integers(1, 3))
    c = draw(st.integers(1, 4))
    affine = draw(st.booleans())
    track = draw(st.booleans())
    eval_ = draw(st.booleans())
    rank = draw(st.sampled_from({1: [2, 3, 4], 2: [4, 4, 3], 3: [5, 5, 4]}[n]))
    got = draw(st.sampled_from([c, c, c + 1]))
    shape = small_shape(draw, rank, got)
    layer = draw(st.sampled_from([f"BatchNorm{n}d", f"BatchNorm{n}d", "SyncBatchNorm"]))
    if layer == "SyncBatchNorm":
        eval_ = True  # on CPU SyncBatchNorm only runs in eval mode
    mode = ".eval()" if eval_ else ""
    source = f"nn.{layer}({c}, affine={affine}, track_running_stats={track}){mode}(x)"
    return source, shape, track


@given(batch_norm_case())
def test_batch_norm_matches_torch(case):
    # without running statistics, eval mode computes batch statistics too: not mode-dependent
    source, shape, track = case
    assert_agree_training(source, {"x": shape}, mode_dependent=track)


@st.composite
def instance_norm_case(draw):
    n = draw(st.integers(1, 3))
    c = draw(st.integers(1, 4))
    affine = draw(st.booleans())
    track = draw(st.booleans())
    mode = draw(st.sampled_from(["", ".eval()"]))
    rank = draw(st.sampled_from([n + 1, n + 2, n + 2, n + 3]))
    got = draw(st.sampled_from([c, c, c + 1]))
    dims = [draw(st.integers(1, 3)) for _ in range(rank)]
    dims[rank - n - 1] = got  # the channel dim: 0 unbatched, 1 batched
    source = f"nn.InstanceNorm{n}d({c}, affine={affine}, track_running_stats={track}){mode}(x)"
    return source, tuple(dims), track


@given(instance_norm_case())
def test_instance_norm_matches_torch(case):
    source, shape, track = case
    assert_agree_training(source, {"x": shape}, mode_dependent=track)


@st.composite
def group_norm_case(draw):
    groups = draw(st.integers(1, 3))
    channels = groups * draw(st.integers(1, 3)) + draw(st.sampled_from([0, 0, 0, 1]))
    got = draw(st.sampled_from([channels, channels, channels + groups, channels + 1]))
    rank = draw(st.sampled_from([1, 2, 3, 4]))
    dims = [draw(st.integers(1, 3)) for _ in range(rank)]
    if rank >= 2:
        dims[1] = got
    affine = draw(st.booleans())
    if draw(st.booleans()):
        source = f"nn.GroupNorm({groups}, {channels}, affine={affine})(x)"
    else:
        source = f"F.group_norm(x, {groups})"
    return source, tuple(dims)


@given(group_norm_case())
def test_group_norm_matches_torch(case):
    source, shape = case
    assert_agree(source, {"x": shape})


@st.composite
def layer_norm_case(draw):
    rank = draw(st.integers(1, 4))
    shape = tuple(draw(st.integers(1, 4)) for _ in range(rank))
    k = draw(st.integers(1, 3))
    normalized = list(shape[max(rank - k, 0) :])
    if draw(st.booleans()) and normalized:
        i = draw(st.integers(0, len(normalized) - 1))
        normalized[i] += 1  # wrong on purpose
    if len(normalized) < k and draw(st.booleans()):
        normalized = [2, *normalized]  # longer than the input
    as_int = len(normalized) == 1 and draw(st.booleans())
    ns = normalized[0] if as_int else tuple(normalized)
    form = draw(st.sampled_from(["ln", "rms", "F.ln", "F.rms"]))
    affine = draw(st.booleans())
    if form == "ln":
        source = f"nn.LayerNorm({ns!r}, elementwise_affine={affine})(x)"
    elif form == "rms":
        source = f"nn.RMSNorm({ns!r}, elementwise_affine={affine})(x)"
    elif form == "F.ln":
        source = f"F.layer_norm(x, {tuple(normalized)!r})"
    else:
        source = f"F.rms_norm(x, {list(normalized)!r})"
    return source, shape


@given(layer_norm_case())
def test_layer_norm_matches_torch(case):
    source, shape = case
    assert_agree(source, {"x": shape})


@st.composite
def functional_norm_case(draw):
    rank = draw(st.integers(1, 4))
    shape = tuple(draw(st.integers(1, 3)) for _ in range(rank))
    c = shape[1] if rank >= 2 else 1
    vec = lambda: draw(st.sampled_from([(c,), (c,), (c + 1,)]))  # noqa: E731
    kind = draw(st.sampled_from(["bn", "in", "lrn", "normalize"]))
    inputs = {"x": shape}
    if kind == "bn":
        training = draw(st.booleans())
        stats = draw(st.booleans())
        if stats:
            inputs.update(m=vec(), v=vec())
            args = "m, v"
        else:
            args = "None, None"
        if draw(st.booleans()):
            inputs["w"] = vec()
            args += ", w"
        source = f"F.batch_norm(x, {args}, training={training})"
    elif kind == "in":
        args = ""
        if draw(st.booleans()):
            inputs.update(m=vec(), v=vec())
            args = ", m, v"
        if draw(st.booleans()):
            inputs["w"] = vec()
            args += ", weight=w"
        source = f"F.instance_norm(x{args}, use_input_stats={draw(st.booleans())})"
    elif kind == "lrn":
        source = f"F.local_response_norm(x, {draw(st.integers(1, 4))})"
    else:
        source = f"F.normalize(x, dim={draw(st.integers(-3, 3))})"
    return source, inputs


@given(functional_norm_case())
def test_functional_norms_match_torch(case):
    source, inputs = case
    # a 1-D input fails the rank check whatever the mode
    mode_dependent = "training=True" in source and len(inputs["x"]) >= 2
    assert_agree_training(source, inputs, mode_dependent=mode_dependent)


@given(batch_norm_case(), st.data())
def test_batch_norm_symbolic_is_sound(case, data):
    source, shape, _ = case
    dims = {"x:0": ("B", shape[0])}
    if len(shape) > 2 and data.draw(st.booleans()):
        dims[f"x:{len(shape) - 1}"] = ("L", shape[-1])
    assert_symbolic_sound(source, {"x": shape}, dims)


def test_symbolic_batch_is_not_single_value():
    """(B, C) into BatchNorm1d: B could be 1, but a symbolic batch is neither a finding nor
    a constraint on the input."""
    from shapecalc.frontends.expression import graph_from_expression
    from shapecalc.propagate import propagate
    from shapecalc.values import TensorValue

    for source in ("nn.BatchNorm1d(8)(x)", "nn.GroupNorm(2, 8)(x)", "nn.InstanceNorm1d(8)(x)"):
        x = TensorValue((sym.symbol("B"), 8, sym.symbol("L")))
        analysis = propagate(graph_from_expression(source, {"x": x}))
        assert analysis.diagnostics == [] and analysis.constraints == [], source


def test_seed_batch_norm():
    """Seed tutorial, section 5: BatchNorm1d(16) on (100, 16, 784); a wrong num_features is SC203
    with a fix that names the channel count."""
    assert_agree("nn.BatchNorm1d(16)(x)", {"x": (100, 16, 784)})
    analysis = assert_agree("nn.BatchNorm2d(16)(x)", {"x": (100, 32, 28, 28)}, code="SC203")
    (diag,) = [d for d in analysis.diagnostics if d.severity == Severity.ERROR]
    assert diag.fix is not None and diag.fix.value == 32
