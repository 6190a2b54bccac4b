"""The GRU layer as one fused op over the whole sequence, and the GRU cell.

Per step (PyTorch's equations and gate order r, z, n)::

    u_t = x_t W_ih^T + b_ih          (B, 3H)   input part, all steps in one GEMM
    v_t = h_{t-1} W_hh^T + b_hh      (B, 3H)   hidden part, one GEMM per step
    r = sigma(u_r + v_r)     z = sigma(u_z + v_z)
    n = tanh(u_n + r * v_n)
    h_t = (1 - z) * n + z * h_{t-1}

Backward through time, with dh = dL/dh_t (from the output plus from step t+1)::

    da_n = dh * (1 - z) * (1 - n^2)          (d pre-activation of n)
    da_z = dh * (h_{t-1} - n) * z (1 - z)
    da_r = da_n * v_n * r (1 - r)
    du = (da_r, da_z, da_n)                  dv = (da_r, da_z, da_n * r)
    dh_{t-1} = dh * z + dv W_hh

and then dW_ih = du^T x, db_ih = sum du, dW_hh = dv^T h_{t-1}, db_hh = sum dv,
dx = du W_ih over all steps at once.
"""

from __future__ import annotations

from typing import Any

from glassgrad import backend
from glassgrad.function import Context, Function
from glassgrad.ops.matmul import linear
from glassgrad.ops.recurrent import check_layer_args, gate_input_grad, gate_weight_grad, sigmoid_
from glassgrad.tensor import Tensor, as_tensor


class GRULayer(Function):
    """One GRU layer over a whole sequence (time-major); derivative in the module docstring.

    Inputs: x (T, B, in), h0 (B, H), w_ih (3H, in), w_hh (3H, H), optional b_ih, b_hh (3H,).
    Output: h_1 .. h_T, (T, B, H).

    Layout: gate-major, (3, T, B, H), so each gate of a step is one contiguous (B, H) block
    (NumPy's elementwise ops are several times faster on those than on column slices).
    """

    @staticmethod
    def forward(ctx: Context, x: Any, h0: Any, w_ih: Any, w_hh: Any, b_ih: Any = None, b_hh: Any = None) -> Any:
        xp = backend.xp
        steps, batch, n_in = x.shape
        hidden = w_hh.shape[1]
        # u for all steps, 3 GEMMs: (T*B, in) @ (3, in, H) -> (3, T*B, H); becomes (r, z, n) in place
        gates = xp.matmul(x.reshape(steps * batch, n_in), w_ih.reshape(3, hidden, n_in).transpose(0, 2, 1))
        if b_ih is not None:
            gates += b_ih.reshape(3, 1, hidden)
        gates = gates.reshape(3, steps, batch, hidden)  # (3, T, B, H)
        hidden_part = xp.empty_like(gates)  # v_t for every step (3, T, B, H)
        states = xp.empty((steps + 1, batch, hidden), dtype=x.dtype)  # h_0 .. h_T
        states[0] = h0
        w_hh_blocks = xp.ascontiguousarray(w_hh.reshape(3, hidden, hidden).transpose(0, 2, 1))  # (3, H, H)
        b_hh_blocks = None if b_hh is None else b_hh.reshape(3, 1, hidden)
        tmp = xp.empty((batch, hidden), dtype=x.dtype)
        for t in range(steps):
            a, v = gates[:, t], hidden_part[:, t]  # (3, B, H) each
            xp.matmul(states[t], w_hh_blocks, out=v)
            if b_hh_blocks is not None:
                v += b_hh_blocks
            rz = a[:2]
            rz += v[:2]
            sigmoid_(rz)
            r, z, n = a
            xp.multiply(r, v[2], out=tmp)
            n += tmp
            xp.tanh(n, out=n)
            # h_t = n + z * (h_{t-1} - n)
            xp.subtract(states[t], n, out=tmp)
            tmp *= z
            xp.add(n, tmp, out=states[t + 1])
        ctx.save_for_backward(x, w_ih, w_hh, gates, hidden_part, states)
        return states[1:]

    @staticmethod
    def backward(ctx: Context, grad: Any) -> tuple[Any, ...]:
        xp = backend.xp
        x, w_ih, w_hh, gates, hidden_part, states = ctx.saved
        _, steps, batch, hidden = gates.shape
        n_in = x.shape[2]
        du = xp.empty_like(gates)  # d loss / d input part u (3, T, B, H)
        dv = xp.empty_like(gates)  # d loss / d hidden part v (3, T, B, H)
        dh = xp.zeros((batch, hidden), dtype=x.dtype)
        dh_t = xp.empty_like(dh)
        tmp = xp.empty_like(dh)
        dv_rows = xp.empty((batch, 3, hidden), dtype=x.dtype)  # one step of dv as torch-layout rows (B, 3H)
        for t in range(steps - 1, -1, -1):
            r, z, n = gates[:, t]
            dr, dz, dn = du[:, t]
            xp.add(grad[t], dh, out=dh_t)
            # da_n = dh (1 - z)(1 - n^2)
            xp.multiply(n, n, out=dn)
            xp.subtract(1, dn, out=dn)
            xp.subtract(1, z, out=tmp)
            dn *= tmp
            dn *= dh_t
            # da_z = dh (h_prev - n) z (1 - z)
            xp.subtract(1, z, out=dz)
            dz *= z
            xp.subtract(states[t], n, out=tmp)
            dz *= tmp
            dz *= dh_t
            # da_r = da_n v_n r (1 - r)
            xp.subtract(1, r, out=dr)
            dr *= r
            dr *= hidden_part[2, t]
            dr *= dn
            e = dv[:, t]
            e[:2] = du[:2, t]
            xp.multiply(dn, r, out=e[2])
            # dh_{t-1} = dh z + dv W_hh
            dv_rows[...] = e.transpose(1, 0, 2)
            xp.matmul(dv_rows.reshape(batch, 3 * hidden), w_hh, out=dh)
            xp.multiply(dh_t, z, out=tmp)
            dh += tmp
        need = ctx.needs_input_grad
        du3 = du.reshape(3, steps * batch, hidden)  # (3, T*B, H)
        dv3 = dv.reshape(3, steps * batch, hidden)
        dx = dw_ih = dw_hh = None
        if need[0]:
            dx = gate_input_grad(du3, w_ih).reshape(x.shape)
        if need[2]:
            dw_ih = gate_weight_grad(du3, x.reshape(steps * batch, n_in))
        if need[3]:
            dw_hh = gate_weight_grad(dv3, states[:steps].reshape(steps * batch, hidden))
        grads = (dx, dh if need[1] else None, dw_ih, dw_hh)
        if len(need) == 4:
            return grads
        db_ih = du3.sum(axis=1).reshape(3 * hidden) if need[4] else None
        db_hh = dv3.sum(axis=1).reshape(3 * hidden) if need[5] else None
        return grads + (db_ih, db_hh)


def gru_layer(x: Any, h0: Any, w_ih: Any, w_hh: Any, b_ih: Any = None, b_hh: Any = None) -> tuple[Tensor, Tensor]:
    """One GRU layer over a time-major sequence; h0 may be None (zeros).

    Shape:
        x (T, B, in), h0 (B, H) -> output (T, B, H), h_n (B, H).
    """
    x = as_tensor(x)
    (h0,), weights = check_layer_args("gru_layer", 3, x, [h0], w_ih, w_hh, b_ih, b_hh)
    output = GRULayer.apply(weights[0], h0, *weights[1:])  # (T, B, H)
    return output, output[x.shape[0] - 1]


def gru_cell(x: Any, h: Any, w_ih: Any, w_hh: Any, b_ih: Any = None, b_hh: Any = None) -> Tensor:
    """One GRU step (torch.nn.GRUCell's math) as one fused op: x (B, in), h (B, H) -> h' (B, H)."""
    x = as_tensor(x)
    if x.ndim != 2:
        raise ValueError(f"gru_cell: input must be (B, input_size), got shape {x.shape}")
    _, h_next = gru_layer(x.reshape(1, *x.shape), h, w_ih, w_hh, b_ih, b_hh)
    return h_next


def gru_reference(x: Any, h0: Any, w_ih: Any, w_hh: Any, b_ih: Any = None,
                  b_hh: Any = None) -> tuple[Tensor, Tensor]:
    """The same layer built from elementary ops, step by step: slow, readable, the oracle for ``GRULayer``."""
    from glassgrad.ops.activation import sigmoid, tanh
    from glassgrad.ops.movement_join import stack

    x = as_tensor(x)
    hidden = as_tensor(w_hh).shape[1]
    h = as_tensor(h0)
    outputs = []
    for t in range(x.shape[0]):
        u = linear(x[t], w_ih, b_ih)  # (B, 3H)
        v = linear(h, w_hh, b_hh)  # (B, 3H)
        r = sigmoid(u[:, :hidden] + v[:, :hidden])
        z = sigmoid(u[:, hidden:2 * hidden] + v[:, hidden:2 * hidden])
        n = tanh(u[:, 2 * hidden:] + r * v[:, 2 * hidden:])
        h = (1 - z) * n + z * h
        outputs.append(h)
    return stack(outputs, 0), h
