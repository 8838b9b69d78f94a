"""Recurrent layers: RNN, LSTM, GRU and their cells RNNCell, LSTMCell, GRUCell.

Shapes follow the torch.nn docs and torch/nn/modules/rnn.py (RNNBase.__init__,
check_forward_args, forward): input (L, N, H_in), (N, L, H_in) with batch_first, or unbatched
(L, H_in); output (L, N, D * H_out) in the input's layout, h_n (D * num_layers, N, H_out) in
every layout (batch_first does not apply to hidden states), LSTM's c_n
(D * num_layers, N, hidden_size); D = 2 when bidirectional; H_out = proj_size when set (LSTM),
else hidden_size. A cell takes (N, H_in) or (H_in,) and a state (N, hidden_size) or
(hidden_size,).
"""

from __future__ import annotations

from typing import Any

from .. import symbolic as sym
from ..diagnostics import Fix
from ..values import TensorValue, format_shape
from . import bad, ok, shape_rule

UNKNOWN = sym.UNKNOWN


# ------------------------------------------------------------------------------ shared checks


def check_input_size(ctx: Any, got: Any, input_size: Any) -> None:
    """The input's last dim against input_size (SC215), with the fix that makes them agree."""
    fix = Fix("input_size", got, f"input_size={got}") if isinstance(got, int) else None
    ctx.check(
        sym.eq(got, input_size),
        "SC215",
        f"{ctx.layer} expects input_size={input_size} features, got {got}",
        fix=fix,
    )


def check_floating(ctx: Any, x: TensorValue, what: str = "input") -> None:
    """Recurrent weights are floating point: an integer or bool input is rejected (2.13:
    'RNN input dtype (torch.int64) does not match weight dtype')."""
    if not x.is_floating:
        ctx.report("SC207", f"{ctx.layer} needs a floating-point {what}, got {x.dtype}")


def _positive_int(ctx: Any, name: str, value: Any) -> bool:
    if not isinstance(value, int) or isinstance(value, bool) or value <= 0:
        ctx.report("SC002", f"{ctx.layer}: {name} must be a positive integer, got {value!r}")
        return False
    return True


def check_constructor(
    ctx: Any,
    input_size: Any,
    hidden_size: Any,
    num_layers: Any,
    dropout: Any,
    proj_size: Any,
    nonlinearity: str | None = None,
) -> bool:
    """RNNBase.__init__'s argument checks (ValueError in torch): SC002."""
    good = _positive_int(ctx, "input_size", input_size)
    good = _positive_int(ctx, "hidden_size", hidden_size) and good
    good = _positive_int(ctx, "num_layers", num_layers) and good
    if not isinstance(dropout, (int, float)) or isinstance(dropout, bool) or not 0 <= dropout <= 1:
        ctx.report("SC002", f"{ctx.layer}: dropout must be a number in [0, 1], got {dropout!r}")
        good = False
    if not isinstance(proj_size, int) or proj_size < 0:
        ctx.report("SC002", f"{ctx.layer}: proj_size must be 0 or positive, got {proj_size!r}")
        good = False
    elif proj_size and isinstance(hidden_size, int) and proj_size >= hidden_size:
        ctx.report(
            "SC002",
            f"{ctx.layer}: proj_size ({proj_size}) must be smaller than hidden_size "
            f"({hidden_size})",
        )
        good = False
    return _check_nonlinearity(ctx, nonlinearity) and good


def _check_nonlinearity(ctx: Any, nonlinearity: str | None) -> bool:
    """RNN / RNNCell: 'Unknown nonlinearity' (SC002) unless tanh or relu."""
    if nonlinearity is not None and nonlinearity not in ("tanh", "relu"):
        ctx.report(
            "SC002", f"{ctx.layer}: nonlinearity must be 'tanh' or 'relu', got {nonlinearity!r}"
        )
        return False
    return True


def _check_state(ctx: Any, state: Any, want: tuple, what: str, batched: bool, rank: int) -> None:
    """One initial state against its expected shape: rank first (torch: 'For batched 3-D
    input, hx should also be 3-D'), then every dim ('Expected hidden size ...')."""
    if not isinstance(state, TensorValue):
        ctx.report("SC216", f"{ctx.layer}: {what} must be a tensor, got {state!r}")
        return
    if state.ndim != len(want):
        kind = f"batched {rank}-D" if batched else f"unbatched {rank - 1}-D"
        ctx.report(
            "SC216",
            f"{ctx.layer}: for {kind} input, {what} must be {len(want)}-D "
            f"{format_shape(want)}, got {state.ndim}-D {state}",
        )
        return
    for got, expected in zip(state.shape, want):
        if expected is UNKNOWN:
            continue
        decided = ctx.check(
            sym.eq(got, expected),
            "SC216",
            f"{ctx.layer} expects {what} of shape {format_shape(want)}, got {state}",
        )
        if decided is False:
            return


# ------------------------------------------------------------------------- sequence layers


def recurrent_core(
    ctx: Any,
    x: TensorValue,
    hx: Any,
    *,
    lstm: bool,
    input_size: Any,
    hidden_size: Any,
    num_layers: Any,
    batch_first: bool,
    bidirectional: bool,
    proj_size: Any = 0,
) -> Any:
    """The shared rule of RNN, LSTM and GRU: (output, h_n), LSTM (output, (h_n, c_n))."""
    d = 2 if bidirectional else 1
    # an invalid proj_size (reported by check_constructor) falls back to hidden_size
    valid_proj = (
        isinstance(proj_size, int)
        and 0 < proj_size
        and (not isinstance(hidden_size, int) or proj_size < hidden_size)
    )
    h_out = proj_size if valid_proj else hidden_size
    layers = d * num_layers if isinstance(num_layers, int) else UNKNOWN

    def result(seq: tuple, batch: tuple) -> Any:
        h_n = x.with_shape((layers, *batch, h_out))
        if lstm:
            return x.with_shape(seq), (h_n, x.with_shape((layers, *batch, hidden_size)))
        return x.with_shape(seq), h_n

    if x.ndim not in (2, 3):
        ctx.report(
            "SC206",
            f"{ctx.layer} expects a 2-D (unbatched) or 3-D (batched) input, got {x.ndim}-D {x}",
        )
        return result((UNKNOWN, UNKNOWN, d * h_out), (UNKNOWN,))
    batched = x.ndim == 3
    if batched:
        length, batch = (x.shape[1], x.shape[0]) if batch_first else (x.shape[0], x.shape[1])
    else:
        length, batch = x.shape[0], None
    check_floating(ctx, x)
    check_input_size(ctx, x.shape[-1], input_size)
    # torch: 'Expected sequence length to be larger than 0 in RNN'
    ctx.check(
        sym.ge(length, 1),
        "SC102",
        f"{ctx.layer} needs a sequence of at least one step, got length {length}",
    )
    batch_dims = (batch,) if batched else ()
    if hx is not None:
        h_shape = (layers, *batch_dims, h_out)
        if lstm:
            if not isinstance(hx, (tuple, list)) or len(hx) != 2:
                ctx.report(
                    "SC216",
                    f"{ctx.layer} takes its initial state as a tuple (h_0, c_0), got {hx!r}",
                )
            else:
                _check_state(ctx, hx[0], h_shape, "h_0", batched, 3)
                c_shape = (layers, *batch_dims, hidden_size)
                _check_state(ctx, hx[1], c_shape, "c_0", batched, 3)
        else:
            _check_state(ctx, hx, h_shape, "h_0", batched, 3)
    out_features = d * h_out
    if batched:
        seq = (batch, length, out_features) if batch_first else (length, batch, out_features)
    else:
        seq = (length, out_features)
    return result(seq, batch_dims)


def _sequence(
    ctx: Any,
    x: TensorValue,
    hx: Any,
    lstm: bool,
    input_size: Any,
    hidden_size: Any,
    num_layers: Any,
    dropout: Any,
    batch_first: bool,
    bidirectional: bool,
    proj_size: Any = 0,
    nonlinearity: str | None = None,
) -> Any:
    """RNN, LSTM, GRU: their constructor's checks, then ``recurrent_core``."""
    check_constructor(ctx, input_size, hidden_size, num_layers, dropout, proj_size, nonlinearity)
    return recurrent_core(
        ctx,
        x,
        hx,
        lstm=lstm,
        input_size=input_size,
        hidden_size=hidden_size,
        num_layers=num_layers,
        batch_first=batch_first,
        bidirectional=bidirectional,
        proj_size=proj_size,
    )


@shape_rule(
    "RNN",
    examples=[
        ok("nn.RNN(10, 20)(x)", [(5, 3, 20), (1, 3, 20)], x=(5, 3, 10)),
        ok(
            "nn.RNN(4, 6, num_layers=2, bidirectional=True)(x)[1]",
            (4, 6),
            x=(7, 4),
        ),
        ok("nn.RNN(4, 6, 2, batch_first=True)(x, h)[0]", (3, 5, 6), x=(3, 5, 4), h=(2, 3, 6)),
        bad("nn.RNN(10, 20)(x)", "SC215", x=(5, 3, 12)),
        bad("nn.RNN(4, 6, 2)(x, h)", "SC216", x=(5, 3, 4), h=(1, 3, 6)),
        bad("nn.RNN(4, 6)(x, h)", "SC216", x=(5, 3, 4), h=(1, 6)),
        bad("nn.RNN(4, 6)(x)", "SC206", x=(5, 3, 2, 4)),
        bad("nn.RNN(4, 6)(x)", "SC102", x=(0, 3, 4)),
        bad("nn.RNN(4, 6, nonlinearity='gelu')(x)", "SC002", x=(5, 3, 4)),
        bad("nn.RNN(4, 6)(x)", "SC207", x=(5, 4), dtypes={"x": "int64"}),
    ],
)
def rnn(
    ctx: Any,
    input: TensorValue,
    hx: Any = None,
    *,
    input_size: Any,
    hidden_size: Any,
    num_layers: Any = 1,
    nonlinearity: str = "tanh",
    bias: bool = True,
    batch_first: bool = False,
    dropout: float = 0.0,
    bidirectional: bool = False,
    device: Any = None,
    dtype: Any = None,
) -> Any:
    args = (input_size, hidden_size, num_layers, dropout, batch_first, bidirectional)
    return _sequence(ctx, input, hx, False, *args, nonlinearity=nonlinearity)


@shape_rule(
    "LSTM",
    examples=[
        ok("nn.LSTM(10, 20, batch_first=True)(x)[0]", (3, 5, 20), x=(3, 5, 10)),
        ok(
            "nn.LSTM(4, 6, 2, proj_size=3, bidirectional=True)(x)",
            [(5, 2, 6), (4, 2, 3), (4, 2, 6)],
            x=(5, 2, 4),
        ),
        ok("nn.LSTM(4, 6)(x, (h, c))[1][1]", (1, 6), x=(5, 4), h=(1, 6), c=(1, 6)),
        bad("nn.LSTM(10, 20)(x)", "SC215", x=(5, 3, 20)),
        bad(
            "nn.LSTM(4, 6, proj_size=3)(x, (h, c))", "SC216", x=(5, 2, 4), h=(1, 2, 6), c=(1, 2, 6)
        ),
        bad("nn.LSTM(4, 6)(x, (h, c))", "SC216", x=(5, 2, 4), h=(1, 2, 6), c=(1, 6)),
        bad("nn.LSTM(4, 6)(x, h)", "SC216", x=(5, 2, 4), h=(1, 2, 6)),
        bad("nn.LSTM(4, 6, proj_size=6)(x)", "SC002", x=(5, 2, 4)),
    ],
)
def lstm(
    ctx: Any,
    input: TensorValue,
    hx: Any = None,
    *,
    input_size: Any,
    hidden_size: Any,
    num_layers: Any = 1,
    bias: bool = True,
    batch_first: bool = False,
    dropout: float = 0.0,
    bidirectional: bool = False,
    proj_size: Any = 0,
    device: Any = None,
    dtype: Any = None,
) -> Any:
    args = (input_size, hidden_size, num_layers, dropout, batch_first, bidirectional)
    return _sequence(ctx, input, hx, True, *args, proj_size=proj_size)


@shape_rule(
    "GRU",
    examples=[
        ok("nn.GRU(10, 20, batch_first=True)(x)[0]", (3, 5, 20), x=(3, 5, 10)),
        ok("nn.GRU(4, 6, 3, bidirectional=True)(x, h)[1]", (6, 2, 6), x=(5, 2, 4), h=(6, 2, 6)),
        bad("nn.GRU(10, 20)(x)", "SC215", x=(3, 5, 20)),
        bad("nn.GRU(4, 6, batch_first=True)(x, h)", "SC216", x=(3, 5, 4), h=(1, 5, 6)),
        bad("nn.GRU(4, 6, dropout=1.5)(x)", "SC002", x=(3, 5, 4)),
    ],
)
def gru(
    ctx: Any,
    input: TensorValue,
    hx: Any = None,
    *,
    input_size: Any,
    hidden_size: Any,
    num_layers: Any = 1,
    bias: bool = True,
    batch_first: bool = False,
    dropout: float = 0.0,
    bidirectional: bool = False,
    device: Any = None,
    dtype: Any = None,
) -> Any:
    args = (input_size, hidden_size, num_layers, dropout, batch_first, bidirectional)
    return _sequence(ctx, input, hx, False, *args)


# ----------------------------------------------------------------------------------- cells


def cell_core(
    ctx: Any, x: TensorValue, hx: Any, input_size: Any, hidden_size: Any, lstm: bool
) -> Any:
    """RNNCell / GRUCell: (N, hidden_size); LSTMCell: (h', c'), both (N, hidden_size).

    torch (RNNCellBase and the aten cell checks): the input is 1-D or 2-D ('Expected input to
    be 1D or 2D'); an unbatched input and its state get a batch dim of 1; then 'input has
    inconsistent input_size', 'Input batch size N doesn't match hidden0 batch size M',
    'hidden0 has inconsistent hidden_size'."""
    if x.ndim not in (1, 2):
        ctx.report(
            "SC206",
            f"{ctx.layer} expects a 1-D (unbatched) or 2-D (batched) input, got {x.ndim}-D {x}",
        )
        out = x.with_shape((UNKNOWN, hidden_size))
        return (out, out) if lstm else out
    batched = x.ndim == 2
    check_floating(ctx, x)
    check_input_size(ctx, x.shape[-1], input_size)
    want = (x.shape[0], hidden_size) if batched else (hidden_size,)
    if hx is not None:
        if lstm and (not isinstance(hx, (tuple, list)) or len(hx) != 2):
            ctx.report("SC216", f"{ctx.layer} takes its state as a tuple (h_0, c_0), got {hx!r}")
        else:
            states = list(hx) if lstm else [hx]
            for i, state in enumerate(states):
                _check_state(ctx, state, want, "h_0" if i == 0 else "c_0", batched, 2)
    out = x.with_shape(want)
    return (out, out) if lstm else out


@shape_rule(
    "RNNCell",
    examples=[
        ok("nn.RNNCell(10, 20)(x)", (3, 20), x=(3, 10)),
        ok("nn.RNNCell(4, 6, nonlinearity='relu')(x, h)", (6,), x=(4,), h=(6,)),
        bad("nn.RNNCell(10, 20)(x)", "SC215", x=(3, 12)),
        bad("nn.RNNCell(4, 6)(x, h)", "SC216", x=(3, 4), h=(2, 6)),
        bad("nn.RNNCell(4, 6)(x, h)", "SC216", x=(4,), h=(1, 6)),
        bad("nn.RNNCell(4, 6)(x)", "SC206", x=(2, 3, 4)),
    ],
)
def rnn_cell(
    ctx: Any,
    input: TensorValue,
    hx: Any = None,
    *,
    input_size: Any,
    hidden_size: Any,
    bias: bool = True,
    nonlinearity: str = "tanh",
    device: Any = None,
    dtype: Any = None,
) -> Any:
    _check_nonlinearity(ctx, nonlinearity)
    return cell_core(ctx, input, hx, input_size, hidden_size, lstm=False)


@shape_rule(
    "LSTMCell",
    "GRUCell",
    examples=[
        ok("nn.LSTMCell(10, 20)(x)", [(3, 20), (3, 20)], x=(3, 10)),
        ok("nn.LSTMCell(4, 6)(x, (h, c))[0]", (2, 6), x=(2, 4), h=(2, 6), c=(2, 6)),
        bad("nn.LSTMCell(4, 6)(x)", "SC215", x=(2, 5)),
        bad("nn.LSTMCell(4, 6)(x, (h, c))", "SC216", x=(2, 4), h=(2, 6), c=(2, 5)),
        ok("nn.GRUCell(10, 20)(x)", (3, 20), x=(3, 10)),
        bad("nn.GRUCell(10, 20)(x)", "SC215", x=(3, 12)),
        bad("nn.GRUCell(4, 6)(x, h)", "SC216", x=(3, 4), h=(3, 5)),
    ],
)
def lstm_gru_cell(
    ctx: Any,
    input: TensorValue,
    hx: Any = None,
    *,
    input_size: Any,
    hidden_size: Any,
    bias: bool = True,
    device: Any = None,
    dtype: Any = None,
) -> Any:
    return cell_core(ctx, input, hx, input_size, hidden_size, lstm=ctx.op == "LSTMCell")
