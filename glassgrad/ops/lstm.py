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
dx = da W_ih over all steps at once. See ``recurrent.py`` for what the recurrent ops share
and ``glassgrad/kernels/lstm.py`` for the fast kernel.
"""

from __future__ import annotations

from typing import Any

from glassgrad import backend, kernels
from glassgrad.arrays.sigmoid import stable_sigmoid
from glassgrad.errors import OpInputError
from glassgrad.kernels import lstm as lstm_kernel
from glassgrad.op import Context, Op
from glassgrad.ops.matmul import linear
from glassgrad.ops.recurrent import check_layer_args
from glassgrad.tensor import Tensor, as_tensor

# This family's functions in glassgrad.ops, torch and torch.nn.functional (glassgrad/ops/families.py):
__all__ = ["lstm_cell", "lstm_layer"]
TORCH_NAMES = []
FUNCTIONAL_NAMES = []


class LSTMLayer(Op):
    """One LSTM layer over a whole sequence (time-major); derivative in the module docstring.

    Inputs: x (T, B, in), h0 (B, H), c0 (B, H), w_ih (4H, in), w_hh (4H, H), optional b_ih, b_hh (4H,).
    Output: (T + 1, B, H): h_1 .. h_T, then c_T (``lstm_layer`` splits it).

    The plain path below is the module docstring's equations as NumPy expressions. The "fast"
    kernel mode runs ``glassgrad.kernels.lstm`` (feature-major steps, one tanh for all four gates,
    in-place passes), tested equal to it. A backward that records its graph runs the plain path
    on Tensors (the forward again, then the plain backward).
    """

    differentiable_backward = True

    @staticmethod
    def forward(ctx: Context, x: Any, h0: Any, c0: Any, w_ih: Any, w_hh: Any,
                b_ih: Any = None, b_hh: Any = None) -> Any:
        ctx.fast = kernels.fast()
        run = lstm_kernel.lstm_forward if ctx.fast else lstm_plain_forward
        out, saved = run(x, h0, c0, w_ih, w_hh, b_ih, b_hh)
        ctx.save_for_backward(*saved)
        return out

    @staticmethod
    def backward(ctx: Context, grad: Any) -> tuple[Any, ...]:
        run = lstm_kernel.lstm_backward if ctx.fast else lstm_plain_backward
        return run(ctx.saved, grad, ctx.needs_input_grad)


def lstm_plain_forward(x: Any, h0: Any, c0: Any, w_ih: Any, w_hh: Any, b_ih: Any = None,
                       b_hh: Any = None) -> tuple[Any, tuple[Any, ...]]:
    """The readable twin: (h_1 .. h_T then c_T as (T + 1, B, H), the arrays backward needs).

    Gates (i, f, g, o) are the four H-wide column blocks of a (B, 4H) row, as in torch.
    """
    xp = backend.xp
    steps = x.shape[0]
    hidden = w_hh.shape[1]
    x_part = x @ w_ih.T  # (T, B, 4H): x_t W_ih^T for every step in one GEMM
    if b_ih is not None:
        x_part = x_part + (b_ih + b_hh)
    # lists stacked at the end (not rows written in place): the same code runs on Tensors when a
    # backward records its graph (create_graph=True)
    h, c = [h0], [c0]  # h_0 .. h_T, c_0 .. c_T
    gates, tanh_c = [], []  # activated i, f, g, o of every step; tanh(c_1) .. tanh(c_T)
    for t in range(steps):
        a = x_part[t] + h[t] @ w_hh.T  # (B, 4H)
        i = stable_sigmoid(a[:, :hidden])
        f = stable_sigmoid(a[:, hidden:2 * hidden])
        g = xp.tanh(a[:, 2 * hidden:3 * hidden])
        o = stable_sigmoid(a[:, 3 * hidden:])
        c.append(f * c[t] + i * g)
        tanh_c.append(xp.tanh(c[t + 1]))
        h.append(o * tanh_c[t])
        gates.append(xp.concatenate([i, f, g, o], axis=1))
    h, c = xp.stack(h), xp.stack(c)
    out = xp.concatenate([h[1:], c[steps:]])  # (T + 1, B, H)
    return out, (x, w_ih, w_hh, xp.stack(gates), h, c, xp.stack(tanh_c))


def lstm_plain_backward(saved: tuple[Any, ...], grad: Any, need: tuple[bool, ...]) -> tuple[Any, ...]:
    """The readable twin's backward through time (the module docstring's equations, in order); it runs on
    Tensors too, recording, when the gradient is to be differentiated again."""
    xp = backend.xp
    x, w_ih, w_hh, gates, h, c, tanh_c = saved
    steps, batch, hidden = h.shape[0] - 1, h.shape[1], h.shape[2]
    da = [None] * steps  # d loss / d pre-activations a_t, (B, 4H) each
    dh_next = xp.zeros((batch, hidden), dtype=x.dtype)  # dL/dh_t carried back from step t+1
    dc = grad[steps]  # dL/dc_T
    for t in range(steps - 1, -1, -1):
        i, f, g, o = (gates[t, :, k * hidden:(k + 1) * hidden] for k in range(4))
        dh = grad[t] + dh_next
        dc = dc + dh * o * (1 - tanh_c[t] ** 2)
        da_i = dc * g * i * (1 - i)
        da_f = dc * c[t] * f * (1 - f)
        da_g = dc * i * (1 - g**2)
        da_o = dh * tanh_c[t] * o * (1 - o)
        da[t] = xp.concatenate([da_i, da_f, da_g, da_o], axis=1)
        dc = dc * f
        dh_next = da[t] @ w_hh
    da2 = xp.stack(da).reshape(steps * batch, 4 * hidden)
    dx = (da2 @ w_ih).reshape(x.shape) if need[0] else None
    dw_ih = da2.T @ x.reshape(steps * batch, -1) if need[3] else None
    dw_hh = da2.T @ h[:steps].reshape(steps * batch, hidden) if need[4] else None
    grads = (dx, dh_next if need[1] else None, dc if need[2] else None, dw_ih, dw_hh)
    if len(need) == 5:
        return grads
    db = da2.sum(axis=0) if need[5] or need[6] else None
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
        raise OpInputError(f"lstm_cell: input must be (B, input_size), got shape {x.shape}")
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
