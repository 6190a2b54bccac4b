"""One-step recurrent cells: RNNCell, LSTMCell, GRUCell (PyTorch's names, shapes and layouts).

Each step is one fused op (the sequence op of ``glassgrad.ops`` run for one
step), so a hand-written loop over a cell is correct but pays one graph node
per step; ``nn.RNN`` / ``LSTM`` / ``GRU`` run the whole sequence as one node.
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np

from glassgrad import backend
from glassgrad.errors import OpInputError
from glassgrad.nn import init
from glassgrad.nn.module import Module
from glassgrad.nn.parameter import Parameter
from glassgrad.ops.gru import gru_cell
from glassgrad.ops.lstm import lstm_cell
from glassgrad.ops.rnn import rnn_cell
from glassgrad.tensor import Tensor, as_tensor


class _CellBase(Module):
    """Parameters weight_ih (G*H, in), weight_hh (G*H, H), bias_ih, bias_hh (G*H,), all U(-1/sqrt(H), 1/sqrt(H))."""

    gates = 1

    def __init__(self, input_size: int, hidden_size: int, bias: bool = True, device: Any = None, dtype: Any = None,
                 *, rng: np.random.Generator | None = None) -> None:
        super().__init__()
        for name, value in (("input_size", input_size), ("hidden_size", hidden_size)):
            if not isinstance(value, int) or value < 1:
                raise ValueError(f"{type(self).__name__}: {name} must be a positive integer, got {value!r}")
        self.input_size, self.hidden_size, self.bias = input_size, hidden_size, bias
        dtype = dtype or backend.get_default_dtype()
        rows = self.gates * hidden_size
        xp = backend.xp
        self.weight_ih = Parameter(xp.zeros((rows, input_size), dtype=dtype))
        self.weight_hh = Parameter(xp.zeros((rows, hidden_size), dtype=dtype))
        if bias:
            self.bias_ih = Parameter(xp.zeros(rows, dtype=dtype))
            self.bias_hh = Parameter(xp.zeros(rows, dtype=dtype))
        else:
            self.register_parameter("bias_ih", None)
            self.register_parameter("bias_hh", None)
        self.reset_parameters(rng)
        if device is not None:
            self.to(device)

    def reset_parameters(self, rng: np.random.Generator | None = None) -> None:
        bound = 1.0 / math.sqrt(self.hidden_size)
        for p in self.parameters():
            init.uniform_(p, -bound, bound, rng)

    def _weights(self) -> list[Tensor]:
        return [self.weight_ih, self.weight_hh] + ([self.bias_ih, self.bias_hh] if self.bias else [])

    def _batched(self, x: Any, states: list[Any]) -> tuple[Tensor, list[Tensor | None], bool]:
        """x as (B, in) and each state as (B, H) (None stays None); whether the input was unbatched (in,)."""
        x = as_tensor(x)
        name = type(self).__name__
        if x.ndim not in (1, 2) or x.shape[-1] != self.input_size:
            raise OpInputError(f"{name}: input must be (B, {self.input_size}) or ({self.input_size},), got {x.shape}")
        unbatched = x.ndim == 1
        batch = 1 if unbatched else x.shape[0]
        out: list[Tensor | None] = []
        for s in states:
            if s is not None:
                s = as_tensor(s)
                expected = (self.hidden_size,) if unbatched else (batch, self.hidden_size)
                if s.shape != expected:
                    raise OpInputError(f"{name}: hidden state must have shape {expected}, got {s.shape}")
                s = s.unsqueeze(0) if unbatched else s
            out.append(s)
        return (x.unsqueeze(0) if unbatched else x), out, unbatched

    def extra_repr(self) -> str:
        return f"{self.input_size}, {self.hidden_size}" + ("" if self.bias else ", bias=False")


class RNNCell(_CellBase):
    """h' = act(x W_ih^T + b_ih + h W_hh^T + b_hh), act = tanh (default) or relu.

    Shape: input (B, in) or (in,), h (B, H) / (H,) or None (zeros) -> h' (B, H) / (H,).
    """

    def __init__(self, input_size: int, hidden_size: int, bias: bool = True, nonlinearity: str = "tanh",
                 device: Any = None, dtype: Any = None, *, rng: np.random.Generator | None = None) -> None:
        if nonlinearity not in ("tanh", "relu"):
            raise ValueError(f"RNNCell: nonlinearity must be 'tanh' or 'relu', got {nonlinearity!r}")
        super().__init__(input_size, hidden_size, bias, device, dtype, rng=rng)
        self.nonlinearity = nonlinearity

    def forward(self, x: Any, hx: Any = None) -> Tensor:
        x, (h,), unbatched = self._batched(x, [hx])
        h_next = rnn_cell(x, h, *self._weights(), nonlinearity=self.nonlinearity)
        return h_next.squeeze(0) if unbatched else h_next


class LSTMCell(_CellBase):
    """One LSTM step, gates i, f, g, o: c' = f * c + i * g, h' = o * tanh(c') (see ``nn.LSTM``).

    Shape: input (B, in) or (in,), hx = (h, c) each (B, H) / (H,), or None (zeros) -> (h', c').
    """

    gates = 4

    def forward(self, x: Any, hx: Any = None) -> tuple[Tensor, Tensor]:
        if hx is not None and (not isinstance(hx, tuple | list) or len(hx) != 2):
            raise ValueError("LSTMCell: hx must be a pair (h, c)")
        x, (h, c), unbatched = self._batched(x, [None, None] if hx is None else list(hx))
        h_next, c_next = lstm_cell(x, h, c, *self._weights())
        if unbatched:
            return h_next.squeeze(0), c_next.squeeze(0)
        return h_next, c_next


class GRUCell(_CellBase):
    """One GRU step, gates r, z, n: h' = (1 - z) * n + z * h (see ``nn.GRU``).

    Shape: input (B, in) or (in,), h (B, H) / (H,) or None (zeros) -> h' (B, H) / (H,).
    """

    gates = 3

    def forward(self, x: Any, hx: Any = None) -> Tensor:
        x, (h,), unbatched = self._batched(x, [hx])
        h_next = gru_cell(x, h, *self._weights())
        return h_next.squeeze(0) if unbatched else h_next
