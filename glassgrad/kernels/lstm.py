"""Fast kernel for the LSTM layer: gate-major blocks, one tanh for all four gates, in-place passes.

The readable twin is ``LSTMLayer``'s plain path in ``glassgrad/ops/lstm.py`` (the gate formulas
as NumPy expressions, docs/derivations/recurrent.md). This kernel computes the same numbers:

- gates are kept GATE-MAJOR, (4, T, B, H), so each gate of a step is one contiguous (B, H)
  block (NumPy's elementwise ops run several times faster on those than on column slices of a
  (B, 4H) row);
- sigma(a) = 0.5 tanh(a / 2) + 0.5, so ONE tanh over the four blocks gives (sigma, sigma, tanh,
  sigma) once the i, f, o blocks are scaled by 0.5 before (folded into the weights) and by 0.5
  after it, then shifted by 0.5;
- every elementwise step writes into a preallocated array (no temporaries per step), and the
  recurrent product is one (B, H) @ (H, 4H) GEMM per step.
"""

from __future__ import annotations

from typing import Any

from glassgrad import backend
from glassgrad.ops.recurrent import gate_input_grad, gate_weight_grad


def _gate_scales(dtype: Any) -> tuple[Any, Any]:
    """Per-gate scale and shift, shaped (4, 1, 1), that turn ONE tanh over the four gate blocks into
    (sigma, sigma, tanh, sigma): sigma(a) = 0.5 tanh(a / 2) + 0.5, so the i, f, o blocks are scaled by
    0.5 before the tanh (folded into the weights) and by 0.5 after it, then shifted by 0.5."""
    xp = backend.xp
    scale = xp.asarray([0.5, 0.5, 1.0, 0.5], dtype=dtype).reshape(4, 1, 1)
    shift = xp.asarray([0.5, 0.5, 0.0, 0.5], dtype=dtype).reshape(4, 1, 1)
    return scale, shift


def lstm_forward(x: Any, h0: Any, c0: Any, w_ih: Any, w_hh: Any, b_ih: Any = None,
                 b_hh: Any = None) -> tuple[Any, tuple[Any, ...]]:
    """(h_1 .. h_T then c_T as (T + 1, B, H), the arrays to keep for ``lstm_backward``)."""
    xp = backend.xp
    steps, batch, n_in = x.shape
    hidden = w_hh.shape[1]
    scale, shift = _gate_scales(x.dtype)
    # input part for all steps, 4 GEMMs: (T*B, in) @ (4, in, H) -> (4, T*B, H)
    gates = xp.matmul(x.reshape(steps * batch, n_in), w_ih.reshape(4, hidden, n_in).transpose(0, 2, 1))
    if b_ih is not None:
        gates += (b_ih + b_hh).reshape(4, 1, hidden)
    gates *= scale
    gates = gates.reshape(4, steps, batch, hidden)  # (4, T, B, H)
    w_hh_scaled = (w_hh.reshape(4, hidden, hidden) * scale).reshape(4 * hidden, hidden)
    w_hh_scaled_t = xp.ascontiguousarray(w_hh_scaled.T)  # (H, 4H)
    states = xp.empty((steps + 2, batch, hidden), dtype=x.dtype)  # h_0 .. h_T, then c_T
    cells = xp.empty((steps + 1, batch, hidden), dtype=x.dtype)  # c_0 .. c_T
    tanh_c = xp.empty((steps, batch, hidden), dtype=x.dtype)
    states[0], cells[0] = h0, c0
    hw = xp.empty((batch, 4 * hidden), dtype=x.dtype)  # one GEMM per step (threads better than 4 small ones)
    hw_blocks = hw.reshape(batch, 4, hidden).transpose(1, 0, 2)  # (4, B, H) view of it
    ig = xp.empty((batch, hidden), dtype=x.dtype)
    for t in range(steps):
        a = gates[:, t]  # (4, B, H), pre-scaled pre-activations
        xp.matmul(states[t], w_hh_scaled_t, out=hw)  # (B, H) @ (H, 4H)
        a += hw_blocks
        xp.tanh(a, out=a)
        a *= scale
        a += shift
        i, f, g, o = a  # the activated gates, each (B, H)
        xp.multiply(f, cells[t], out=cells[t + 1])
        xp.multiply(i, g, out=ig)
        cells[t + 1] += ig
        xp.tanh(cells[t + 1], out=tanh_c[t])
        xp.multiply(o, tanh_c[t], out=states[t + 1])
    states[steps + 1] = cells[steps]
    return states[1:], (x, w_ih, w_hh, gates, states, cells, tanh_c)


def lstm_backward(saved: tuple[Any, ...], grad: Any, need: tuple[bool, ...]) -> tuple[Any, ...]:
    """Gradients of (x, h0, c0, w_ih, w_hh[, b_ih, b_hh]) from ``lstm_forward``'s saved arrays;
    ``need`` is the op's needs_input_grad."""
    xp = backend.xp
    x, w_ih, w_hh, gates, states, cells, tanh_c = saved
    steps, batch, hidden = tanh_c.shape
    n_in = x.shape[2]
    dt = x.dtype
    da = xp.empty((4, steps, batch, hidden), dtype=dt)  # d loss / d gate pre-activations
    dh = xp.zeros((batch, hidden), dtype=dt)  # carried back from step t+1
    dc = grad[steps].astype(dt, copy=True)  # dL/dc_T
    dh_t = xp.empty_like(dh)
    tmp = xp.empty_like(dh)
    da_rows = xp.empty((batch, 4, hidden), dtype=dt)  # one step of da as torch-layout rows (B, 4H)
    for t in range(steps - 1, -1, -1):
        i, f, g, o = gates[:, t]
        di, df, dg, do = da[:, t]
        tc = tanh_c[t]
        xp.add(grad[t], dh, out=dh_t)
        # dc += dh * o * (1 - tanh(c)^2)
        xp.multiply(tc, tc, out=tmp)
        xp.subtract(1, tmp, out=tmp)
        tmp *= o
        tmp *= dh_t
        dc += tmp
        # da_i = dc g i (1 - i);  da_f = dc c_{t-1} f (1 - f)
        xp.subtract(1, i, out=di)
        di *= i
        di *= g
        di *= dc
        xp.subtract(1, f, out=df)
        df *= f
        df *= cells[t]
        df *= dc
        # da_g = dc i (1 - g^2);  da_o = dh tanh(c) o (1 - o)
        xp.multiply(g, g, out=dg)
        xp.subtract(1, dg, out=dg)
        dg *= i
        dg *= dc
        xp.subtract(1, o, out=do)
        do *= o
        do *= tc
        do *= dh_t
        dc *= f
        da_rows[...] = da[:, t].transpose(1, 0, 2)
        xp.matmul(da_rows.reshape(batch, 4 * hidden), w_hh, out=dh)
    da3 = da.reshape(4, steps * batch, hidden)  # (4, T*B, H)
    dx = dw_ih = dw_hh = None
    if need[0]:
        dx = gate_input_grad(da3, w_ih).reshape(x.shape)
    if need[3]:
        dw_ih = gate_weight_grad(da3, x.reshape(steps * batch, n_in))
    if need[4]:
        dw_hh = gate_weight_grad(da3, states[:steps].reshape(steps * batch, hidden))
    grads = (dx, dh if need[1] else None, dc if need[2] else None, dw_ih, dw_hh)
    if len(need) == 5:
        return grads
    db = da3.sum(axis=1).reshape(4 * hidden) if need[5] or need[6] else None
    return grads + (db, db)
