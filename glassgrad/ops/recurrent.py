"""What the recurrent ops (``rnn.py``, ``lstm.py``, ``gru.py``) share.

Each recurrent op runs ONE LAYER over a WHOLE SEQUENCE as one node of the
graph, with backpropagation through time written out by hand:

forward
    1. the input projection of every time step at once, ``X W_ih^T + b``:
       one GEMM for all T*B rows;
    2. a loop over t: one small GEMM ``h_{t-1} W_hh^T`` per step, then the
       gate non-linearities, storing the activated gates and states.

backward (the same loop, reversed)
    1. per step: add the output gradient dL/dh_t to the gradient carried back
       from step t+1, form the gradient of the gates' pre-activations dA_t,
       and carry ``dh_{t-1} = dA_t W_hh`` back;
    2. after the loop, every weight gradient is one GEMM over the stacked
       steps: ``dW_ih = dA^T X``, ``dW_hh = dA^T [h_0 .. h_{T-1}]``,
       ``db = sum of dA``, and ``dX = dA W_ih``.

The readable twins in the op modules keep torch's layout, each step's gates
the column blocks of a (B, G*H) row. The fast kernels (``glassgrad/kernels/
lstm.py``, ``gru.py``) keep every step FEATURE-MAJOR, (H, B), with the gates
of a step one contiguous (G, H, B) block: faster GEMMs and element-wise passes
on contiguous blocks (the kernels' docstrings give the measurements).

The weights' layout follows PyTorch, so torch state_dicts load as they are: the gate rows
of ``weight_ih`` / ``weight_hh`` are stacked in torch's order (LSTM: i, f, g, o;
GRU: r, z, n). The ops take time-major input (T, B, in); ``nn.RNN`` & co.
handle ``batch_first`` and unbatched input around them.
"""

from __future__ import annotations

from typing import Any

from glassgrad import backend
from glassgrad.errors import OpInputError
from glassgrad.tensor import Tensor, as_tensor


def check_layer_args(op: str, gates: int, x: Any, states: list[Any], w_ih: Any, w_hh: Any,
                     b_ih: Any, b_hh: Any) -> tuple[list[Tensor], list[Tensor]]:
    """Validate one recurrent layer's arguments; return (state tensors, [x, weights...]).

    x: (T, B, in); each state: (B, H) or None for zeros; w_ih: (G*H, in); w_hh: (G*H, H); biases (G*H,) or both None.
    """
    x, w_ih, w_hh = as_tensor(x), as_tensor(w_ih), as_tensor(w_hh)
    if x.ndim != 3 or x.shape[0] == 0:
        raise OpInputError(f"{op}: input must be (T, B, input_size) with T >= 1, got shape {x.shape}")
    if w_hh.ndim != 2 or w_hh.shape[0] != gates * w_hh.shape[1]:
        raise OpInputError(f"{op}: weight_hh must be ({gates}*H, H), got shape {w_hh.shape}")
    hidden = w_hh.shape[1]
    if w_ih.shape != (gates * hidden, x.shape[2]):
        raise OpInputError(f"{op}: weight_ih must be ({gates * hidden}, {x.shape[2]}) for input of shape "
                           f"{x.shape} and hidden size {hidden}, got {w_ih.shape}")
    if (b_ih is None) != (b_hh is None):
        raise OpInputError(f"{op}: give both biases or neither")
    weights = [x, w_ih, w_hh]
    if b_ih is not None:
        b_ih, b_hh = as_tensor(b_ih), as_tensor(b_hh)
        for name, b in (("bias_ih", b_ih), ("bias_hh", b_hh)):
            if b.shape != (gates * hidden,):
                raise OpInputError(f"{op}: {name} must be ({gates * hidden},), got {b.shape}")
        weights += [b_ih, b_hh]
    state_tensors = []
    for s in states:
        s = zero_state(x, hidden) if s is None else as_tensor(s)
        if s.shape != (x.shape[1], hidden):
            raise OpInputError(f"{op}: initial state must be (B, H) = {(x.shape[1], hidden)}, got {s.shape}")
        state_tensors.append(s)
    dtypes = {t.dtype for t in weights + state_tensors}
    if len(dtypes) != 1:
        raise TypeError(f"{op}: input, states and weights must share one dtype, got {sorted(map(str, dtypes))}")
    return state_tensors, weights


def zero_state(x: Tensor, hidden: int) -> Tensor:
    """A zero (B, H) initial state for time-major x (T, B, in), in x's dtype."""
    return Tensor._make(backend.xp.zeros((x.shape[1], hidden), dtype=x.dtype), False)
