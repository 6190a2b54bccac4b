"""ONNX mappings of the fused whole-sequence recurrent ops: one LSTM, GRU or RNN node per layer.

torch (and glassgrad) stack the gates' weights in the order i, f, g, o (LSTM) and r, z, n
(GRU); ONNX wants i, o, f, c and z, r, h. The weights stay as the state_dict holds them
(initializers named by their keys); Split and Concat nodes reorder the gate blocks, and
Unsqueeze adds ONNX's leading "num_directions" axis of 1.

    ONNX LSTM:  W (1, 4H, in), R (1, 4H, H), B (1, 8H) = [W biases, R biases],
                initial_h / initial_c (1, B, H) -> Y (T, 1, B, H), Y_h, Y_c (1, B, H)
    GRU:        linear_before_reset = 1 is torch's rule n = tanh(W_in x + b_in + r * (W_hn h + b_hn)).
"""

from __future__ import annotations

from glassgrad.onnx.registry import OpCall, maps, ops_module

gru = ops_module("gru")
lstm = ops_module("lstm")
rnn = ops_module("rnn")

LSTM_ORDER = [0, 3, 1, 2]  # ONNX (i, o, f, c) from torch's (i, f, g, o)
GRU_ORDER = [1, 0, 2]      # ONNX (z, r, h) from torch's (r, z, n)


def _regate(c: OpCall, name: str, hidden: int, order: list[int]) -> str:
    """Reorder the gate blocks (each ``hidden`` rows along axis 0) of a stacked weight or bias."""
    if order == sorted(order):
        return name
    blocks = c.g.add("Split", [name, c.g.ints([hidden] * len(order))], outputs=len(order), axis=0)
    return c.g.add("Concat", [blocks[k] for k in order], axis=0)


def _weights(c: OpCall, first: int, hidden: int, order: list[int]) -> list[str]:
    """[W, R, B] (B is '' when the layer has no bias) from inputs w_ih, w_hh, b_ih, b_hh at ``first``."""
    g = c.g
    w_ih, w_hh, *biases = c.inputs[first:]
    weights = [g.unsqueeze(_regate(c, w, hidden, order), [0]) for w in (w_ih, w_hh)]
    if biases:
        both = g.add("Concat", [_regate(c, b, hidden, order) for b in biases], axis=0)  # (2 * G * H,)
        weights.append(g.unsqueeze(both, [0]))
    else:
        weights.append("")
    return weights


@maps(lstm.LSTMLayer)
def lstm_layer(c: OpCall) -> str:
    """Inputs x, h0, c0, w_ih, w_hh[, b_ih, b_hh]; output (T + 1, B, H): h_1 .. h_T, then c_T."""
    g = c.g
    hidden = c.shape(4)[1]
    w, r, b = _weights(c, 3, hidden, LSTM_ORDER)
    h0, c0 = g.unsqueeze(c.inputs[1], [0]), g.unsqueeze(c.inputs[2], [0])  # (1, B, H)
    y, _, c_last = g.add("LSTM", [c.inputs[0], w, r, b, "", h0, c0], outputs=3, hidden_size=hidden)
    return g.add("Concat", [g.squeeze(y, [1]), c_last], axis=0)  # (T + 1, B, H)


@maps(gru.GRULayer)
def gru_layer(c: OpCall) -> str:
    """Inputs x, h0, w_ih, w_hh[, b_ih, b_hh]; output h_1 .. h_T, (T, B, H)."""
    g = c.g
    hidden = c.shape(3)[1]
    w, r, b = _weights(c, 2, hidden, GRU_ORDER)
    y, _ = g.add("GRU", [c.inputs[0], w, r, b, "", g.unsqueeze(c.inputs[1], [0])], outputs=2,
                 hidden_size=hidden, linear_before_reset=1)
    return g.squeeze(y, [1])


@maps(rnn.RNNLayer)
def rnn_layer(c: OpCall) -> str:
    """Inputs x, h0, w_ih, w_hh[, b_ih, b_hh]; output h_1 .. h_T, (T, B, H); tanh or relu."""
    g = c.g
    hidden = c.shape(3)[1]
    w, r, b = _weights(c, 2, hidden, [0])
    activation = "Relu" if c.params["nonlinearity"] == "relu" else "Tanh"
    y, _ = g.add("RNN", [c.inputs[0], w, r, b, "", g.unsqueeze(c.inputs[1], [0])], outputs=2,
                 hidden_size=hidden, activations=[activation])
    return g.squeeze(y, [1])
