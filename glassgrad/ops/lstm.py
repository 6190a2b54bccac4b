"""The LSTM layer as one fused op over the whole sequence, and the LSTM cell.

Per step (PyTorch's equations and gate order i, f, g, o)::

    a_t = x_t W_ih^T + b_ih + h_{t-1} W_hh^T + b_hh          (B, 4H)
    i = sigma(a_i)   f = sigma(a_f)   g = tanh(a_g)   o = sigma(a_o)
    c_t = f * c_{t-1} + i * g
    h_t = o * tanh(c_t)

Backward through time, with dh = dL/dh_t (from the output plus from step t+1)
and dc = dL/dc_t (from step t+1, or from c_T's gradient at the last step)::

    dc += dh * o * (1 - tanh(c_t)^2)
    da_i = dc * g * i (1 - i)          da_f = dc * c_{t-1} * f (1 - f)
    da_g = dc * i * (1 - g^2)          da_o = dh * tanh(c_t) * o (1 - o)
    dc_{t-1} = dc * f                  dh_{t-1} = da W_hh

and then dW_ih = da^T x, dW_hh = da^T h_{t-1}, db_ih = db_hh = sum of da,
dx = da W_ih over all steps at once. See ``recurrent.py`` for the layout.
"""

from __future__ import annotations

from typing import Any

from glassgrad import backend
from glassgrad.function import Context, Function
from glassgrad.ops.matmul import linear
from glassgrad.ops.recurrent import check_layer_args, gate_input_grad, gate_weight_grad
from glassgrad.tensor import Tensor, as_tensor


def _gate_scales(dtype: Any) -> tuple[Any, Any]:
    """Per-gate scale and shift, shaped (4, 1, 1), that turn ONE tanh over the four gate blocks into
    (sigma, sigma, tanh, sigma): sigma(a) = 0.5 tanh(a / 2) + 0.5, so the i, f, o blocks are scaled by
    0.5 before the tanh (folded into the weights) and by 0.5 after it, then shifted by 0.5."""
    xp = backend.xp
    scale = xp.asarray([0.5, 0.5, 1.0, 0.5], dtype=dtype).reshape(4, 1, 1)
    shift = xp.asarray([0.5, 0.5, 0.0, 0.5], dtype=dtype).reshape(4, 1, 1)
    return scale, shift


class LSTMLayer(Function):
    """One LSTM layer over a whole sequence (time-major); derivative in the module docstring.

    Inputs: x (T, B, in), h0 (B, H), c0 (B, H), w_ih (4H, in), w_hh (4H, H), optional b_ih, b_hh (4H,).
    Output: (T + 1, B, H): h_1 .. h_T, then c_T (``lstm_layer`` splits it).

    Layout: gates are kept gate-major, (4, T, B, H), so that each gate of a step is one
    contiguous (B, H) block; NumPy runs elementwise ops on such blocks several times faster
    than on the column slices of a torch-style (B, 4H) row.
    """

    @staticmethod
    def forward(ctx: Context, x: Any, h0: Any, c0: Any, w_ih: Any, w_hh: Any,
                b_ih: Any = None, b_hh: Any = None) -> Any:
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
        ctx.save_for_backward(x, w_ih, w_hh, gates, states, cells, tanh_c)
        return states[1:]

    @staticmethod
    def backward(ctx: Context, grad: Any) -> tuple[Any, ...]:
        xp = backend.xp
        x, w_ih, w_hh, gates, states, cells, tanh_c = ctx.saved
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
        need = ctx.needs_input_grad
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


def lstm_layer(x: Any, h0: Any, c0: Any, w_ih: Any, w_hh: Any, b_ih: Any = None,
               b_hh: Any = None) -> tuple[Tensor, Tensor, Tensor]:
    """One LSTM layer over a time-major sequence; h0/c0 may be None (zeros).

    Shape:
        x (T, B, in), h0 and c0 (B, H) -> output (T, B, H), h_n (B, H), c_n (B, H).
    """
    x = as_tensor(x)
    (h0, c0), weights = check_layer_args("lstm_layer", 4, x, [h0, c0], w_ih, w_hh, b_ih, b_hh)
    packed = LSTMLayer.apply(weights[0], h0, c0, *weights[1:])  # (T + 1, B, H)
    steps = x.shape[0]
    return packed[:steps], packed[steps - 1], packed[steps]


def lstm_cell(x: Any, h: Any, c: Any, w_ih: Any, w_hh: Any, b_ih: Any = None,
              b_hh: Any = None) -> tuple[Tensor, Tensor]:
    """One LSTM step (torch.nn.LSTMCell's math) as one fused op: x (B, in), h and c (B, H) -> (h', c')."""
    x = as_tensor(x)
    if x.ndim != 2:
        raise ValueError(f"lstm_cell: input must be (B, input_size), got shape {x.shape}")
    _, h_next, c_next = lstm_layer(x.reshape(1, *x.shape), h, c, w_ih, w_hh, b_ih, b_hh)
    return h_next, c_next


def lstm_reference(x: Any, h0: Any, c0: Any, w_ih: Any, w_hh: Any, b_ih: Any = None,
                   b_hh: Any = None) -> tuple[Tensor, Tensor, Tensor]:
    """The same layer built from elementary ops, step by step: slow, readable, the oracle for ``LSTMLayer``."""
    from glassgrad.ops.activation import sigmoid, tanh
    from glassgrad.ops.movement_join import stack

    x = as_tensor(x)
    hidden = as_tensor(w_hh).shape[1]
    h, c = as_tensor(h0), as_tensor(c0)
    outputs = []
    for t in range(x.shape[0]):
        a = linear(x[t], w_ih, b_ih) + linear(h, w_hh, b_hh)  # (B, 4H)
        i, f = sigmoid(a[:, :hidden]), sigmoid(a[:, hidden:2 * hidden])
        g, o = tanh(a[:, 2 * hidden:3 * hidden]), sigmoid(a[:, 3 * hidden:])
        c = f * c + i * g
        h = o * tanh(c)
        outputs.append(h)
    return stack(outputs, 0), h, c
