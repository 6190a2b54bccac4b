"""Fast kernel for the GRU layer: gate-major blocks and in-place passes.

The readable twin is ``GRULayer``'s plain path in ``glassgrad/ops/gru.py`` (the gate formulas as
NumPy expressions, docs/derivations/recurrent.md). This kernel computes the same numbers with
the gates kept GATE-MAJOR, (3, T, B, H), so each gate of a step is one contiguous (B, H) block,
and every elementwise step written into a preallocated array (no temporaries per step).
"""

from __future__ import annotations

from typing import Any

from glassgrad import backend
from glassgrad.ops.activation import sigmoid_inplace
from glassgrad.ops.recurrent import gate_input_grad, gate_weight_grad


def gru_forward(x: Any, h0: Any, w_ih: Any, w_hh: Any, b_ih: Any = None,
                b_hh: Any = None) -> tuple[Any, tuple[Any, ...]]:
    """(h_1 .. h_T as (T, B, H), the arrays to keep for ``gru_backward``)."""
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
        sigmoid_inplace(rz)
        r, z, n = a
        xp.multiply(r, v[2], out=tmp)
        n += tmp
        xp.tanh(n, out=n)
        # h_t = n + z * (h_{t-1} - n)
        xp.subtract(states[t], n, out=tmp)
        tmp *= z
        xp.add(n, tmp, out=states[t + 1])
    return states[1:], (x, w_ih, w_hh, gates, hidden_part, states)


def gru_backward(saved: tuple[Any, ...], grad: Any, need: tuple[bool, ...]) -> tuple[Any, ...]:
    """Gradients of (x, h0, w_ih, w_hh[, b_ih, b_hh]) from ``gru_forward``'s saved arrays;
    ``need`` is the op's needs_input_grad."""
    xp = backend.xp
    x, w_ih, w_hh, gates, hidden_part, states = saved
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
