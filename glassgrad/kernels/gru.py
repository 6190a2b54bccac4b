"""Fast kernel for the GRU layer: feature-major steps, gate-major blocks and in-place passes.

The readable twin is ``GRULayer``'s plain path in ``glassgrad/ops/gru.py`` (the gate formulas as
NumPy expressions, docs/derivations/recurrent.md). This kernel computes the same numbers with
the layout of the LSTM kernel (``kernels/lstm.py``, which says why): every step's arrays are
feature-major, (H, B), so the recurrent products are (3H, H) @ (H, B) and (H, 3H) @ (3H, B)
GEMMs; the gates of step t are one contiguous (3, H, B) block of a (T, 3, H, B) array; every
element-wise step writes into a preallocated array (no temporaries per step).
"""

from __future__ import annotations

from typing import Any

from glassgrad import backend
from glassgrad.arrays.sigmoid import sigmoid_inplace
from glassgrad.kernels import sums


def gru_forward(x: Any, h0: Any, w_ih: Any, w_hh: Any, b_ih: Any = None,
                b_hh: Any = None) -> tuple[Any, tuple[Any, ...]]:
    """(h_1 .. h_T as (T, B, H), the arrays to keep for ``gru_backward``)."""
    xp = backend.xp
    steps, batch, _ = x.shape
    hidden = w_hh.shape[1]
    # input part u of every step, one batched product: (3H, in) @ (T, in, B) -> (T, 3H, B); becomes (r, z, n)
    gates = xp.matmul(w_ih, x.transpose(0, 2, 1)).reshape(steps, 3, hidden, batch)
    if b_ih is not None:
        gates += b_ih.reshape(3, hidden, 1)
    hidden_part = xp.empty_like(gates)  # v_t = W_hh h_{t-1}^T (+ b_hh) of every step
    states = xp.empty((steps + 1, hidden, batch), dtype=x.dtype)  # h_0^T .. h_T^T
    states[0] = h0.T
    b_hh_blocks = None if b_hh is None else b_hh.reshape(3, hidden, 1)
    tmp = xp.empty((hidden, batch), dtype=x.dtype)
    for t in range(steps):
        a, v = gates[t], hidden_part[t]  # (3, H, B) each
        xp.matmul(w_hh, states[t], out=v.reshape(3 * hidden, batch))  # (3H, H) @ (H, B)
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
    out = xp.ascontiguousarray(states[1:].transpose(0, 2, 1))  # (T, B, H)
    return out, (x, w_ih, w_hh, gates, hidden_part, states)


def gru_backward(saved: tuple[Any, ...], grad: Any, need: tuple[bool, ...]) -> tuple[Any, ...]:
    """Gradients of (x, h0, w_ih, w_hh[, b_ih, b_hh]) from ``gru_forward``'s saved arrays;
    ``need`` is the op's needs_input_grad."""
    xp = backend.xp
    x, w_ih, w_hh, gates, hidden_part, states = saved
    steps, _, hidden, batch = gates.shape
    grad_t = xp.ascontiguousarray(grad.transpose(0, 2, 1), dtype=x.dtype)  # (T, H, B)
    w_hh_t = xp.ascontiguousarray(w_hh.T)  # (H, 3H)
    # d loss / d input part u and hidden part v of all steps as (3H, T*B), columns ordered (t, b):
    # the weight gradients' GEMM operands, filled one step at a time from contiguous scratch blocks
    du_all = xp.empty((3 * hidden, steps * batch), dtype=x.dtype)
    dv_all = xp.empty((3 * hidden, steps * batch), dtype=x.dtype)
    du, dv = xp.empty((3, hidden, batch), dtype=x.dtype), xp.empty((3, hidden, batch), dtype=x.dtype)
    dh = xp.zeros((hidden, batch), dtype=x.dtype)
    dh_t = xp.empty_like(dh)
    tmp = xp.empty_like(dh)
    for t in range(steps - 1, -1, -1):
        r, z, n = gates[t]
        dr, dz, dn = du
        xp.add(grad_t[t], dh, out=dh_t)
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
        dr *= hidden_part[t, 2]
        dr *= dn
        dv[:2] = du[:2]
        xp.multiply(dn, r, out=dv[2])
        columns = slice(t * batch, (t + 1) * batch)
        du_all[:, columns] = du.reshape(3 * hidden, batch)
        dv_all[:, columns] = dv.reshape(3 * hidden, batch)
        # dh_{t-1} = dh z + W_hh^T dv
        xp.matmul(w_hh_t, dv.reshape(3 * hidden, batch), out=dh)  # (H, 3H) @ (3H, B)
        xp.multiply(dh_t, z, out=tmp)
        dh += tmp
    # the weight gradients over all steps at once
    dx = dw_ih = dw_hh = None
    if need[0]:
        dx = (du_all.T @ w_ih).reshape(x.shape)  # (T*B, 3H) @ (3H, in)
    if need[2]:
        dw_ih = du_all @ x.reshape(steps * batch, -1)  # (3H, T*B) @ (T*B, in)
    if need[3]:
        dw_hh = dv_all @ states[:steps].transpose(0, 2, 1).reshape(steps * batch, hidden)  # h_{t-1} rows (t, b)
    grads = (dx, dh.T.copy() if need[1] else None, dw_ih, dw_hh)
    if len(need) == 4:
        return grads
    db_ih = sums.sum_last(du_all).reshape(-1) if need[4] else None
    db_hh = sums.sum_last(dv_all).reshape(-1) if need[5] else None
    return grads + (db_ih, db_hh)
