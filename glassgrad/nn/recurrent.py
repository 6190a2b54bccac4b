"""Recurrent layers: RNN (tanh or relu), LSTM and GRU, multi-layer, PyTorch-shaped.

Each layer of the stack is one fused op over the whole sequence
(``glassgrad.ops.rnn`` / ``lstm`` / ``gru``, with backpropagation through time
written out); this file only arranges the layers, the optional dropout between
them, ``batch_first``, unbatched input and ``bidirectional``.

Bidirectional layers run the same fused op twice: once over the sequence, once over the
sequence reversed in time (``x.flip(0)``) with the ``*_reverse`` weights, whose outputs are
flipped back so that step t of both directions lines up; the layer's output is the two
concatenated on the feature axis, (T, B, 2H), and the final states are ordered
layer by layer, forward then reverse: h_n[2k] is layer k forward, h_n[2k + 1] layer k reverse.

Parameter names and layouts are torch's (``weight_ih_l{k}`` (G*H, in_k),
``weight_hh_l{k}`` (G*H, H), ``bias_ih_l{k}``, ``bias_hh_l{k}`` (G*H,), with
G = 1, 4, 3 gates for RNN, LSTM, GRU; the reverse direction's are ``weight_ih_l{k}_reverse`` etc.),
so a torch ``state_dict`` loads as is.

Truncated backpropagation through time: feed the final state back in with the
gradient cut, ``h = h.detach()`` (for an LSTM, both tensors of ``(h, c)``).
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np

from glassgrad import backend, ops
from glassgrad.errors import OpInputError
from glassgrad.nn import init
from glassgrad.nn.lstm_projection import projected_lstm_layer
from glassgrad.nn.module import Module
from glassgrad.nn.parameter import Parameter
from glassgrad.ops.gru import gru_layer
from glassgrad.ops.lstm import lstm_layer
from glassgrad.ops.rnn import rnn_layer
from glassgrad.random import resolve_rng
from glassgrad.tensor import Tensor, as_tensor

_GATES = {"RNN_TANH": 1, "RNN_RELU": 1, "LSTM": 4, "GRU": 3}


class RNNBase(Module):
    """The shared machinery of RNN, LSTM and GRU (see those for the math).

    Args:
        mode: "RNN_TANH", "RNN_RELU", "LSTM" or "GRU".
        input_size: features per time step of the input.
        hidden_size: features of the hidden state H.
        num_layers: stacked layers; layer k > 0 reads layer k-1's output.
        bias: learn the biases b_ih and b_hh (default True).
        batch_first: input and output are (B, T, features) instead of (T, B, features).
        dropout: probability of zeroing each output of every layer but the last, in training mode.
        bidirectional: also run each layer backwards in time; outputs have 2H features (default False).
        proj_size: LSTM only: h is projected to this size by weight_hr_l{k} (proj_size, H) (default 0: none;
            ``glassgrad/nn/lstm_projection.py``).
        device, dtype: where the parameters live, their float dtype (default float32).
        rng: generator for the initial weights and the dropout masks (default: the module generator; keyword only).
    """

    def __init__(self, mode: str, input_size: int, hidden_size: int, num_layers: int = 1, bias: bool = True,
                 batch_first: bool = False, dropout: float = 0.0, bidirectional: bool = False, proj_size: int = 0,
                 device: Any = None, dtype: Any = None, *, rng: np.random.Generator | None = None) -> None:
        super().__init__()
        if mode not in _GATES:
            raise ValueError(f"{type(self).__name__}: unknown mode {mode!r}; choose one of {list(_GATES)}")
        if proj_size != 0:
            if mode != "LSTM":
                raise ValueError("proj_size argument is only supported for LSTM, not RNN or GRU")
            if not isinstance(proj_size, int) or proj_size < 0:
                raise ValueError("proj_size should be a positive integer or zero to disable projections")
            if proj_size >= hidden_size:
                raise ValueError("proj_size has to be smaller than hidden_size")
        for name, value in (("input_size", input_size), ("hidden_size", hidden_size), ("num_layers", num_layers)):
            if not isinstance(value, int) or value < 1:
                raise ValueError(f"{type(self).__name__}: {name} must be a positive integer, got {value!r}")
        if not 0.0 <= dropout <= 1.0:
            raise ValueError(f"{type(self).__name__}: dropout must be in [0, 1], got {dropout}")
        self.mode, self.input_size, self.hidden_size = mode, input_size, hidden_size
        self.num_layers, self.bias, self.batch_first, self.dropout = num_layers, bias, batch_first, float(dropout)
        self.rng, self.bidirectional, self.proj_size = rng, bool(bidirectional), proj_size
        self.num_directions = 2 if self.bidirectional else 1
        dtype = dtype or backend.get_default_dtype()
        rows = _GATES[mode] * hidden_size
        state = proj_size or hidden_size  # the size of h: projected to proj_size when given
        xp = backend.xp
        for k in range(num_layers):
            in_k = input_size if k == 0 else state * self.num_directions
            for suffix in self._suffixes():
                setattr(self, f"weight_ih_l{k}{suffix}", Parameter(xp.zeros((rows, in_k), dtype=dtype)))
                setattr(self, f"weight_hh_l{k}{suffix}", Parameter(xp.zeros((rows, state), dtype=dtype)))
                if bias:
                    setattr(self, f"bias_ih_l{k}{suffix}", Parameter(xp.zeros(rows, dtype=dtype)))
                    setattr(self, f"bias_hh_l{k}{suffix}", Parameter(xp.zeros(rows, dtype=dtype)))
                if proj_size:
                    setattr(self, f"weight_hr_l{k}{suffix}", Parameter(xp.zeros((proj_size, hidden_size), dtype=dtype)))
        self.reset_parameters(rng)
        if device is not None:
            self.to(device)

    def reset_parameters(self, rng: np.random.Generator | None = None) -> None:
        """Every weight and bias ~ U(-1/sqrt(H), 1/sqrt(H)), as torch."""
        bound = 1.0 / math.sqrt(self.hidden_size)
        for p in self.parameters():
            init.uniform_(p, -bound, bound, rng)

    def flatten_parameters(self) -> None:
        """A no-op: torch packs the weights into one cuDNN buffer here; glassgrad's weights are always ready."""

    def _suffixes(self) -> tuple[str, ...]:
        """The parameter-name suffix of each direction: forward "", reverse "_reverse"."""
        return ("", "_reverse") if self.__dict__.get("bidirectional") else ("",)

    def layer_weights(self, k: int, suffix: str = "") -> list[Tensor]:
        """[weight_ih, weight_hh] (+ [bias_ih, bias_hh]) of layer k (``suffix="_reverse"``: its reverse direction)."""
        names = ["weight_ih", "weight_hh"] + (["bias_ih", "bias_hh"] if self.bias else [])
        names += ["weight_hr"] if self.__dict__.get("proj_size") else []
        return [getattr(self, f"{name}_l{k}{suffix}") for name in names]

    def _run_layer(self, k: int, x: Tensor, run: Any, *states: Tensor | None) -> tuple[Tensor, list[list[Tensor]]]:
        """Layer k over the (T, B, in) sequence in every direction.

        ``run(sequence, *initial_states, *weights)`` is the fused op, returning (output, *final_states);
        ``states`` hold each state's (L*D, B, H) initial value or None. Returns the layer's output
        (the directions concatenated on the features) and, per state, its final value per direction.
        """
        outputs, finals = [], [[] for _ in range(max(len(states), 1))]
        for direction, suffix in enumerate(self._suffixes()):
            row = k * self.num_directions + direction
            initial = [None if s is None else s[row] for s in states]
            sequence = x.flip(0) if direction else x
            out, *ends = run(sequence, *initial, *self.layer_weights(k, suffix))
            outputs.append(out.flip(0) if direction else out)
            for i, end in enumerate(ends):
                finals[i].append(end)
        return (outputs[0] if len(outputs) == 1 else ops.cat(outputs, -1)), finals

    # ----- input and state handling -----------------------------------------
    def _time_major(self, x: Any) -> tuple[Tensor, bool]:
        """(T, B, in) view of the input, and whether it came unbatched."""
        x = as_tensor(x)
        name = type(self).__name__
        if x.ndim not in (2, 3):
            layout = "B, T" if self.batch_first else "T, B"
            raise OpInputError(f"{name}: input must be 3-D ({layout}, {self.input_size}) or 2-D unbatched "
                               f"(T, {self.input_size}), got shape {x.shape}")
        if x.shape[-1] != self.input_size:
            raise OpInputError(f"{name}: input has {x.shape[-1]} features per step, expected input_size="
                               f"{self.input_size} (input shape {x.shape})")
        if x.ndim == 2:
            return x.unsqueeze(1), True
        return (x.transpose(0, 1) if self.batch_first else x), False

    def _initial_state(self, h: Any, batch: int, unbatched: bool, what: str, size: int | None = None) -> Tensor | None:
        """Check a user state (L, B, size) (or (L, size) unbatched; size H by default) and return it as (L, B, size)."""
        if h is None:
            return None
        h = as_tensor(h)
        rows, size = self.num_layers * self.num_directions, size or self.hidden_size
        expected = (rows, size) if unbatched else (rows, batch, size)
        if h.shape != expected:
            layers = "num_layers * num_directions" if self.bidirectional else "num_layers"
            raise OpInputError(f"{type(self).__name__}: {what} must have shape {expected} "
                               f"({layers}, {'' if unbatched else 'batch, '}hidden_size), got {h.shape}")
        return h.unsqueeze(1) if unbatched else h

    def _between_layers(self, out: Tensor) -> Tensor:
        """Dropout on a layer's output before the next layer reads it (training mode only)."""
        if not self.training or self.dropout == 0.0:
            return out
        if self.dropout == 1.0:
            return out * 0.0
        keep = resolve_rng(self.rng).random(out.shape) >= self.dropout
        mask = backend.xp.asarray(keep.astype(out.dtype) / (1.0 - self.dropout))
        return out * Tensor._make(mask, False)

    def _finish(self, out: Tensor, states: list[Tensor], unbatched: bool) -> tuple[Tensor, Tensor]:
        """Output back in the caller's layout, and the final states stacked to (L, B, H)."""
        h_n = ops.stack(states, 0)  # (L, B, H)
        if unbatched:
            return out.squeeze(1), h_n.squeeze(1)
        return (out.transpose(0, 1) if self.batch_first else out), h_n

    def extra_repr(self) -> str:
        s = f"{self.input_size}, {self.hidden_size}"
        if self.proj_size:
            s += f", proj_size={self.proj_size}"
        if self.num_layers != 1:
            s += f", num_layers={self.num_layers}"
        if self.mode == "RNN_RELU":
            s += ", nonlinearity='relu'"
        if not self.bias:
            s += ", bias=False"
        if self.batch_first:
            s += ", batch_first=True"
        if self.dropout:
            s += f", dropout={self.dropout}"
        if self.bidirectional:
            s += ", bidirectional=True"
        return s


class RNN(RNNBase):
    """Elman RNN: h_t = act(x_t W_ih^T + b_ih + h_{t-1} W_hh^T + b_hh), act = tanh or relu.

    Args:
        input_size, hidden_size, num_layers, bias, batch_first, dropout, bidirectional, dtype, rng: see ``RNNBase``.
        nonlinearity: "tanh" (default) or "relu".

    Shape:
        input (T, B, in) (or (B, T, in) with batch_first, or (T, in) unbatched), h0 (L, B, H) or None
        -> output (T, B, H) (same layout as the input), h_n (L, B, H).
        bidirectional=True: output (..., 2H), states (2L, B, H) (layer k forward at 2k, reverse at 2k + 1).

    Attributes:
        weight_ih_l{k} (H, in_k), weight_hh_l{k} (H, H), bias_ih_l{k}, bias_hh_l{k} (H,):
        all U(-1/sqrt(H), 1/sqrt(H)).
    """

    def __init__(self, input_size: int, hidden_size: int, num_layers: int = 1, nonlinearity: str = "tanh",
                 bias: bool = True, batch_first: bool = False, dropout: float = 0.0, bidirectional: bool = False,
                 device: Any = None, dtype: Any = None, *, rng: np.random.Generator | None = None) -> None:
        if nonlinearity not in ("tanh", "relu"):
            raise ValueError(f"RNN: nonlinearity must be 'tanh' or 'relu', got {nonlinearity!r}")
        super().__init__("RNN_TANH" if nonlinearity == "tanh" else "RNN_RELU", input_size, hidden_size,
                         num_layers, bias, batch_first, dropout, bidirectional, device=device, dtype=dtype, rng=rng)
        self.nonlinearity = nonlinearity

    def forward(self, x: Any, hx: Any = None) -> tuple[Tensor, Tensor]:
        x, unbatched = self._time_major(x)
        h0 = self._initial_state(hx, x.shape[1], unbatched, "h0")
        finals = []

        def run(sequence: Tensor, h: Tensor | None, *weights: Tensor) -> tuple[Tensor, Tensor]:
            return rnn_layer(sequence, h, *weights, nonlinearity=self.nonlinearity)

        for k in range(self.num_layers):
            x, (h_n,) = self._run_layer(k, x, run, h0)
            finals.extend(h_n)
            if k < self.num_layers - 1:
                x = self._between_layers(x)
        return self._finish(x, finals, unbatched)


class LSTM(RNNBase):
    """Long short-term memory (Hochreiter & Schmidhuber 1997), torch's equations and gate order i, f, g, o:

        i, f, o = sigma(.), g = tanh(.) of x_t W_ih^T + b_ih + h_{t-1} W_hh^T + b_hh
        c_t = f * c_{t-1} + i * g,    h_t = o * tanh(c_t)

    Args:
        input_size, hidden_size, num_layers, bias, batch_first, dropout, bidirectional, dtype, rng: see ``RNNBase``.

    Shape:
        input (T, B, in) (or (B, T, in) with batch_first, or (T, in) unbatched), hx = (h0, c0) each
        (L, B, H), or None -> output (T, B, H) (same layout as the input), (h_n, c_n) each (L, B, H).
        bidirectional=True: output (..., 2H), states (2L, B, H) (layer k forward at 2k, reverse at 2k + 1).

    Attributes:
        weight_ih_l{k} (4H, in_k), weight_hh_l{k} (4H, H), bias_ih_l{k}, bias_hh_l{k} (4H,):
        all U(-1/sqrt(H), 1/sqrt(H)).
    """

    def __init__(self, input_size: int, hidden_size: int, num_layers: int = 1, bias: bool = True,
                 batch_first: bool = False, dropout: float = 0.0, bidirectional: bool = False, proj_size: int = 0,
                 device: Any = None, dtype: Any = None, *, rng: np.random.Generator | None = None) -> None:
        super().__init__("LSTM", input_size, hidden_size, num_layers, bias, batch_first, dropout, bidirectional,
                         proj_size, device, dtype, rng=rng)

    def forward(self, x: Any, hx: Any = None) -> tuple[Tensor, tuple[Tensor, Tensor]]:
        x, unbatched = self._time_major(x)
        h0 = c0 = None
        if hx is not None:
            if not isinstance(hx, tuple | list) or len(hx) != 2:
                raise ValueError("LSTM: hx must be a pair (h0, c0)")
            h0 = self._initial_state(hx[0], x.shape[1], unbatched, "h0", self.proj_size)
            c0 = self._initial_state(hx[1], x.shape[1], unbatched, "c0")
        h_finals, c_finals = [], []
        run = projected_lstm_layer if self.proj_size else lstm_layer
        for k in range(self.num_layers):
            x, (h_n, c_n) = self._run_layer(k, x, run, h0, c0)
            h_finals.extend(h_n)
            c_finals.extend(c_n)
            if k < self.num_layers - 1:
                x = self._between_layers(x)
        out, h_n = self._finish(x, h_finals, unbatched)
        _, c_n = self._finish(x, c_finals, unbatched)
        return out, (h_n, c_n)


class GRU(RNNBase):
    """Gated recurrent unit (Cho et al. 2014), torch's equations and gate order r, z, n:

        r = sigma(x W_ir^T + b_ir + h W_hr^T + b_hr),   z = sigma(x W_iz^T + b_iz + h W_hz^T + b_hz)
        n = tanh(x W_in^T + b_in + r * (h W_hn^T + b_hn)),   h_t = (1 - z) * n + z * h_{t-1}

    Args:
        input_size, hidden_size, num_layers, bias, batch_first, dropout, bidirectional, dtype, rng: see ``RNNBase``.

    Shape:
        input (T, B, in) (or (B, T, in) with batch_first, or (T, in) unbatched), h0 (L, B, H) or None
        -> output (T, B, H) (same layout as the input), h_n (L, B, H).
        bidirectional=True: output (..., 2H), states (2L, B, H) (layer k forward at 2k, reverse at 2k + 1).

    Attributes:
        weight_ih_l{k} (3H, in_k), weight_hh_l{k} (3H, H), bias_ih_l{k}, bias_hh_l{k} (3H,):
        all U(-1/sqrt(H), 1/sqrt(H)).
    """

    def __init__(self, input_size: int, hidden_size: int, num_layers: int = 1, bias: bool = True,
                 batch_first: bool = False, dropout: float = 0.0, bidirectional: bool = False,
                 device: Any = None, dtype: Any = None, *, rng: np.random.Generator | None = None) -> None:
        super().__init__("GRU", input_size, hidden_size, num_layers, bias, batch_first, dropout, bidirectional,
                         device=device, dtype=dtype, rng=rng)

    def forward(self, x: Any, hx: Any = None) -> tuple[Tensor, Tensor]:
        x, unbatched = self._time_major(x)
        h0 = self._initial_state(hx, x.shape[1], unbatched, "h0")
        finals = []
        for k in range(self.num_layers):
            x, (h_n,) = self._run_layer(k, x, gru_layer, h0)
            finals.extend(h_n)
            if k < self.num_layers - 1:
                x = self._between_layers(x)
        return self._finish(x, finals, unbatched)
