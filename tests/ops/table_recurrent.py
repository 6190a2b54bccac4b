"""Op-table rows for the recurrent ops: the fused RNN / LSTM / GRU layers and their cells
(joined into ``OPS`` by op_table.py). torch's reference is its own cell function
(``torch.rnn_tanh_cell``, ``torch.lstm_cell``, ``torch.gru_cell``) stepped over time.
"""

from __future__ import annotations

from typing import Any

from hypothesis import strategies as st

from glassgrad import ops
from tests.ops.op_table import OpSpec
from tests.ops.strategies import Case, Domain, array

SMALL = Domain(-1.0, 1.0)  # weights: keeps the gates out of saturation, where gradients vanish


@st.composite
def recurrent_case(draw: st.DrawFn, gates: int, states: int, steps: bool) -> Case:
    """x (T, B, in) for a layer or (B, in) for a cell, ``states`` initial states (B, H), weights, biases."""
    batch, n_in, hidden = draw(st.integers(1, 2)), draw(st.integers(1, 3)), draw(st.integers(1, 3))
    x_shape = (draw(st.integers(1, 3)), batch, n_in) if steps else (batch, n_in)
    arrays = [draw(array(x_shape))] + [draw(array((batch, hidden))) for _ in range(states)]
    arrays += [draw(array((gates * hidden, n_in), SMALL)), draw(array((gates * hidden, hidden), SMALL))]
    if draw(st.booleans()):
        arrays += [draw(array((gates * hidden,), SMALL)), draw(array((gates * hidden,), SMALL))]
    return Case(tuple(arrays))


def _torch_layer(cell: str, states: int) -> Any:
    """torch's ``cell`` stepped over the time axis: (output (T, B, H), final states...)."""
    def run(t: Any, x: Any, *rest: Any) -> Any:
        state, weights = list(rest[:states]), rest[states:]
        outputs = []
        for step in range(x.shape[0]):
            answer = getattr(t, cell)(x[step], state[0] if states == 1 else tuple(state), *weights)
            state = [answer] if states == 1 else list(answer)
            outputs.append(state[0])
        return (t.stack(outputs), *state)
    return run


def _torch_cell(cell: str, states: int) -> Any:
    def run(t: Any, x: Any, *rest: Any) -> Any:
        state, weights = rest[:states], rest[states:]
        return getattr(t, cell)(x, state[0] if states == 1 else tuple(state), *weights)
    return run


ROWS: list[OpSpec] = [
    OpSpec("rnn_layer", ops.rnn_layer, _torch_layer("rnn_tanh_cell", 1), recurrent_case(1, 1, steps=True)),
    OpSpec("rnn_cell", ops.rnn_cell, _torch_cell("rnn_tanh_cell", 1), recurrent_case(1, 1, steps=False)),
    OpSpec("lstm_layer", ops.lstm_layer, _torch_layer("lstm_cell", 2), recurrent_case(4, 2, steps=True)),
    OpSpec("lstm_cell", ops.lstm_cell, _torch_cell("lstm_cell", 2), recurrent_case(4, 2, steps=False)),
    OpSpec("gru_layer", ops.gru_layer, _torch_layer("gru_cell", 1), recurrent_case(3, 1, steps=True)),
    OpSpec("gru_cell", ops.gru_cell, _torch_cell("gru_cell", 1), recurrent_case(3, 1, steps=False)),
]
