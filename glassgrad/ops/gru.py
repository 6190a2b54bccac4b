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
dx = du W_ih over all steps at once. The fast kernel is ``glassgrad/kernels/gru.py``.
"""

from __future__ import annotations

from typing import Any

from glassgrad import backend, kernels
from glassgrad.arrays.sigmoid import stable_sigmoid
from glassgrad.errors import OpInputError
from glassgrad.kernels import gru as gru_kernel
from glassgrad.op import Context, Op
from glassgrad.ops.matmul import linear
from glassgrad.ops.recurrent import check_layer_args
from glassgrad.tensor import Tensor, as_tensor

# This family's functions in glassgrad.ops, torch and torch.nn.functional (glassgrad/ops/families.py):
__all__ = ["gru_cell", "gru_layer"]
TORCH_NAMES = []
FUNCTIONAL_NAMES = []


class GRULayer(Op):
    """One GRU layer over a whole sequence (time-major); derivative in the module docstring.

    Inputs: x (T, B, in), h0 (B, H), w_ih (3H, in), w_hh (3H, H), optional b_ih, b_hh (3H,).
    Output: h_1 .. h_T, (T, B, H).

    The plain path below is the module docstring's equations as NumPy expressions. The "fast"
    kernel mode runs ``glassgrad.kernels.gru`` (feature-major steps, in-place passes), tested equal to it.
    A backward that records its graph runs the plain path on Tensors (the forward again, then the plain
    backward).
    """

    differentiable_backward = True

    @staticmethod
    def forward(ctx: Context, x: Any, h0: Any, w_ih: Any, w_hh: Any, b_ih: Any = None, b_hh: Any = None) -> Any:
        ctx.fast = kernels.fast()
        run = gru_kernel.gru_forward if ctx.fast else gru_plain_forward
        out, saved = run(x, h0, w_ih, w_hh, b_ih, b_hh)
        ctx.save_for_backward(*saved)
        return out

    @staticmethod
    def backward(ctx: Context, grad: Any) -> tuple[Any, ...]:
        run = gru_kernel.gru_backward if ctx.fast else gru_plain_backward
        return run(ctx.saved, grad, ctx.needs_input_grad)


def gru_plain_forward(x: Any, h0: Any, w_ih: Any, w_hh: Any, b_ih: Any = None,
                      b_hh: Any = None) -> tuple[Any, tuple[Any, ...]]:
    """The readable twin: (h_1 .. h_T as (T, B, H), the arrays backward needs).

    Gates (r, z, n) are the three H-wide column blocks of a (B, 3H) row, as in torch.
    """
    xp = backend.xp
    steps = x.shape[0]
    hidden = w_hh.shape[1]
    u = x @ w_ih.T  # (T, B, 3H): the input part of every step in one GEMM
    if b_ih is not None:
        u = u + b_ih
    # lists stacked at the end (not rows written in place): the same code runs on Tensors when a
    # backward records its graph (create_graph=True)
    v = []  # the hidden part h_{t-1} W_hh^T + b_hh of every step, (B, 3H) each
    gates = []  # activated r, z, n of every step
    h = [h0]  # h_0 .. h_T
    for t in range(steps):
        v.append(h[t] @ w_hh.T if b_hh is None else h[t] @ w_hh.T + b_hh)
        u_r, u_z, u_n = (u[t, :, k * hidden:(k + 1) * hidden] for k in range(3))
        v_r, v_z, v_n = (v[t][:, k * hidden:(k + 1) * hidden] for k in range(3))
        r = stable_sigmoid(u_r + v_r)
        z = stable_sigmoid(u_z + v_z)
        n = xp.tanh(u_n + r * v_n)
        h.append((1 - z) * n + z * h[t])
        gates.append(xp.concatenate([r, z, n], axis=1))
    h = xp.stack(h)
    return h[1:], (x, w_ih, w_hh, xp.stack(gates), xp.stack(v), h)


def gru_plain_backward(saved: tuple[Any, ...], grad: Any, need: tuple[bool, ...]) -> tuple[Any, ...]:
    """The readable twin's backward through time (the module docstring's equations, in order); it runs on
    Tensors too, recording, when the gradient is to be differentiated again."""
    xp = backend.xp
    x, w_ih, w_hh, gates, v, h = saved
    steps, batch, hidden = h.shape[0] - 1, h.shape[1], h.shape[2]
    du = [None] * steps  # d loss / d input part u_t, (B, 3H) each
    dv = [None] * steps  # d loss / d hidden part v_t, (B, 3H) each
    dh_next = xp.zeros((batch, hidden), dtype=x.dtype)  # dL/dh_t carried back from step t+1
    for t in range(steps - 1, -1, -1):
        r, z, n = (gates[t, :, k * hidden:(k + 1) * hidden] for k in range(3))
        v_n = v[t, :, 2 * hidden:]
        dh = grad[t] + dh_next
        da_n = dh * (1 - z) * (1 - n**2)
        da_z = dh * (h[t] - n) * z * (1 - z)
        da_r = da_n * v_n * r * (1 - r)
        du[t] = xp.concatenate([da_r, da_z, da_n], axis=1)
        dv[t] = xp.concatenate([da_r, da_z, da_n * r], axis=1)
        dh_next = dh * z + dv[t] @ w_hh
    du2 = xp.stack(du).reshape(steps * batch, 3 * hidden)
    dv2 = xp.stack(dv).reshape(steps * batch, 3 * hidden)
    dx = (du2 @ w_ih).reshape(x.shape) if need[0] else None
    dw_ih = du2.T @ x.reshape(steps * batch, -1) if need[2] else None
    dw_hh = dv2.T @ h[:steps].reshape(steps * batch, hidden) if need[3] else None
    grads = (dx, dh_next if need[1] else None, dw_ih, dw_hh)
    if len(need) == 4:
        return grads
    db_ih = du2.sum(axis=0) if need[4] else None
    db_hh = dv2.sum(axis=0) if need[5] else None
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
        raise OpInputError(f"gru_cell: input must be (B, input_size), got shape {x.shape}")
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
