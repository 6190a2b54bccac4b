"""One LSTM layer with a projected hidden state (torch's ``LSTM(proj_size=P)``), composed of ops step by step.

Each step is torch's LSTM step with the hidden state multiplied by ``W_hr`` (P, H) before it is output and
fed back:

    i, f, g, o = sigma, sigma, tanh, sigma of  x_t W_ih^T + b_ih + h_{t-1} W_hh^T + b_hh   (W_hh: (4H, P))
    c_t = f * c_{t-1} + i * g,    h_t = (o * tanh(c_t)) W_hr^T                            (h_t: (B, P))

The gradient is that of the composition (every op here has its own backward).
"""

from __future__ import annotations

from glassgrad import backend, ops
from glassgrad.tensor import Tensor


def projected_lstm_layer(x: Tensor, h0: Tensor | None, c0: Tensor | None, w_ih: Tensor, w_hh: Tensor,
                         *rest: Tensor) -> tuple[Tensor, Tensor, Tensor]:
    """x (T, B, in), h0 (B, P) and c0 (B, H) or None (zeros); weights as torch's, ``rest`` =
    (b_ih, b_hh, w_hr) or (w_hr,) -> output (T, B, P), h_n (B, P), c_n (B, H)."""
    *biases, w_hr = rest
    hidden, batch = w_hr.shape[1], x.shape[1]
    h = Tensor(backend.xp.zeros((batch, w_hr.shape[0]), dtype=x.dtype)) if h0 is None else h0
    c = Tensor(backend.xp.zeros((batch, hidden), dtype=x.dtype)) if c0 is None else c0
    inputs = ops.matmul(x, w_ih.t())  # (T, B, 4H): every step's input term at once
    if biases:
        inputs = inputs + (biases[0] + biases[1])
    outputs = []
    for t in range(x.shape[0]):
        gates = inputs[t] + ops.matmul(h, w_hh.t())
        i, f, g, o = (gates[:, k * hidden:(k + 1) * hidden] for k in range(4))
        c = ops.sigmoid(f) * c + ops.sigmoid(i) * ops.tanh(g)
        h = ops.matmul(ops.sigmoid(o) * ops.tanh(c), w_hr.t())
        outputs.append(h)
    return ops.stack(outputs, 0), h, c

