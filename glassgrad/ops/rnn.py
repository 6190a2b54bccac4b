"""The vanilla (Elman) RNN layer as one fused op over the whole sequence, and the RNN cell.

Per step (PyTorch's equations)::

    a_t = x_t W_ih^T + b_ih + h_{t-1} W_hh^T + b_hh          (B, H)
    h_t = act(a_t),  act = tanh or relu

Backward through time, with dh = dL/dh_t (from the output plus from step t+1)::

    da_t = dh * act'(a_t)      tanh' = 1 - h_t^2;  relu' = 0 where h_t = 0, else 1 (torch's at 0 and NaN)
    dh_{t-1} = da_t W_hh

and then dW_ih = da^T x, dW_hh = da^T h_{t-1}, db_ih = db_hh = sum of da,
dx = da W_ih over all steps at once.
"""

from __future__ import annotations

from typing import Any

from glassgrad import backend
from glassgrad.errors import OpInputError
from glassgrad.op import Context, Op
from glassgrad.ops.matmul import linear
from glassgrad.ops.recurrent import check_layer_args
from glassgrad.tensor import Tensor, as_tensor

# This family's functions in glassgrad.ops, torch and torch.nn.functional (glassgrad/ops/families.py):
__all__ = ["rnn_cell", "rnn_layer"]
TORCH_NAMES = []
FUNCTIONAL_NAMES = []

NONLINEARITIES = ("tanh", "relu")


class RNNLayer(Op):
    """One Elman RNN layer over a whole sequence (time-major); derivative in the module docstring.

    Inputs: x (T, B, in), h0 (B, H), w_ih (H, in), w_hh (H, H), optional b_ih, b_hh (H,).
    Output: h_1 .. h_T, (T, B, H).
    """

    differentiable_backward = True

    @staticmethod
    def forward(ctx: Context, x: Any, h0: Any, w_ih: Any, w_hh: Any, b_ih: Any = None, b_hh: Any = None,
                *, nonlinearity: str = "tanh") -> Any:
        xp = backend.xp
        steps, batch, _ = x.shape
        hidden = w_hh.shape[1]
        pre = (x.reshape(steps * batch, -1) @ w_ih.T).reshape(steps, batch, hidden)  # x_t W_ih^T, every step
        if b_ih is not None:
            pre = pre + (b_ih + b_hh)
        # a list stacked at the end (not rows written in place): the same code runs on Tensors when a
        # backward records its graph (create_graph=True)
        states = [h0]  # h_0 .. h_T
        for t in range(steps):
            a = pre[t] + states[t] @ w_hh.T
            states.append(xp.tanh(a) if nonlinearity == "tanh" else xp.maximum(a, 0))
        states = xp.stack(states)
        ctx.nonlinearity = nonlinearity
        ctx.save_for_backward(x, w_ih, w_hh, states)
        return states[1:]

    @staticmethod
    def backward(ctx: Context, grad: Any) -> tuple[Any, ...]:
        xp = backend.xp
        x, w_ih, w_hh, states = ctx.saved
        steps = states.shape[0] - 1
        batch, hidden = states.shape[1:]
        # act'(a_t) for every step at once, read off the outputs
        if ctx.nonlinearity == "tanh":
            slope = 1 - states[1:] * states[1:]
        else:
            slope = xp.not_equal(states[1:], 0).astype(x.dtype)  # 1 where a > 0 or NaN, as torch's relu
        da = [None] * steps  # d loss / d a_t, (B, H) each
        dh = xp.zeros((batch, hidden), dtype=x.dtype)
        for t in range(steps - 1, -1, -1):
            da[t] = (grad[t] + dh) * slope[t]
            dh = da[t] @ w_hh
        need = ctx.needs_input_grad
        da2 = xp.stack(da).reshape(steps * batch, hidden)
        dx = (da2 @ w_ih).reshape(tuple(x.shape)) if need[0] else None
        dw_ih = da2.T @ x.reshape(steps * batch, -1) if need[2] else None
        dw_hh = da2.T @ states[:steps].reshape(steps * batch, hidden) if need[3] else None
        grads = (dx, dh if need[1] else None, dw_ih, dw_hh)
        if len(need) == 4:
            return grads
        db = da2.sum(axis=0) if need[4] or need[5] else None
        return grads + (db, db)


def rnn_layer(x: Any, h0: Any, w_ih: Any, w_hh: Any, b_ih: Any = None, b_hh: Any = None,
              nonlinearity: str = "tanh") -> tuple[Tensor, Tensor]:
    """One Elman RNN layer over a time-major sequence; h0 may be None (zeros).

    Shape:
        x (T, B, in), h0 (B, H) -> output (T, B, H), h_n (B, H).
    """
    if nonlinearity not in NONLINEARITIES:
        raise ValueError(f"rnn_layer: nonlinearity must be 'tanh' or 'relu', got {nonlinearity!r}")
    x = as_tensor(x)
    (h0,), weights = check_layer_args("rnn_layer", 1, x, [h0], w_ih, w_hh, b_ih, b_hh)
    output = RNNLayer.apply(weights[0], h0, *weights[1:], nonlinearity=nonlinearity)  # (T, B, H)
    return output, output[x.shape[0] - 1]


def rnn_cell(x: Any, h: Any, w_ih: Any, w_hh: Any, b_ih: Any = None, b_hh: Any = None,
             nonlinearity: str = "tanh") -> Tensor:
    """One RNN step (torch.nn.RNNCell's math) as one fused op: x (B, in), h (B, H) -> h' (B, H)."""
    x = as_tensor(x)
    if x.ndim != 2:
        raise OpInputError(f"rnn_cell: input must be (B, input_size), got shape {x.shape}")
    _, h_next = rnn_layer(x.reshape(1, *x.shape), h, w_ih, w_hh, b_ih, b_hh, nonlinearity)
    return h_next


def rnn_reference(x: Any, h0: Any, w_ih: Any, w_hh: Any, b_ih: Any = None, b_hh: Any = None,
                  nonlinearity: str = "tanh") -> tuple[Tensor, Tensor]:
    """The same layer built from elementary ops, step by step: slow, readable, the oracle for ``RNNLayer``."""
    from glassgrad.ops.activation import relu, tanh
    from glassgrad.ops.movement_join import stack

    x = as_tensor(x)
    act = tanh if nonlinearity == "tanh" else relu
    h = as_tensor(h0)
    outputs = []
    for t in range(x.shape[0]):
        h = act(linear(x[t], w_ih, b_ih) + linear(h, w_hh, b_hh))
        outputs.append(h)
    return stack(outputs, 0), h
