"""The fused sequence ops (rnn_layer, lstm_layer, gru_layer and the cells): against the
step-by-step references built from elementary ops, float64 finite differences, errors.
These run without torch."""

from __future__ import annotations

import numpy as np
import pytest

from glassgrad import Tensor, gradcheck
from glassgrad.ops.gru import gru_cell, gru_layer, gru_reference
from glassgrad.ops.lstm import lstm_cell, lstm_layer, lstm_reference
from glassgrad.ops.rnn import rnn_cell, rnn_layer, rnn_reference

# (name, gates, number of states, fused, reference, keyword arguments)
LAYERS = [
    ("rnn_tanh", 1, 1, rnn_layer, rnn_reference, {"nonlinearity": "tanh"}),
    ("rnn_relu", 1, 1, rnn_layer, rnn_reference, {"nonlinearity": "relu"}),
    ("lstm", 4, 2, lstm_layer, lstm_reference, {}),
    ("gru", 3, 1, gru_layer, gru_reference, {}),
]


def layer_arrays(rng, gates, n_states, steps, batch, n_in, hidden, bias=True):
    arrays = [rng.standard_normal((steps, batch, n_in))]
    arrays += [rng.standard_normal((batch, hidden)) for _ in range(n_states)]
    arrays += [rng.standard_normal((gates * hidden, n_in)) * 0.6, rng.standard_normal((gates * hidden, hidden)) * 0.6]
    if bias:
        arrays += [rng.standard_normal(gates * hidden), rng.standard_normal(gates * hidden)]
    return arrays


@pytest.mark.parametrize("name,gates,n_states,fused,reference,kw", LAYERS, ids=[row[0] for row in LAYERS])
@pytest.mark.parametrize("bias", [True, False])
def test_fused_equals_reference(rng, name, gates, n_states, fused, reference, kw, bias):
    arrays = layer_arrays(rng, gates, n_states, 5, 3, 4, 6, bias)
    a = [Tensor(x.copy(), requires_grad=True) for x in arrays]
    b = [Tensor(x.copy(), requires_grad=True) for x in arrays]
    outs_a, outs_b = fused(*a, **kw), reference(*b, **kw)
    douts = [Tensor(rng.standard_normal(o.shape)) for o in outs_a]
    sum((o * d).sum() for o, d in zip(outs_a, douts)).backward()
    sum((o * d).sum() for o, d in zip(outs_b, douts)).backward()
    for k, (oa, ob) in enumerate(zip(outs_a, outs_b)):
        np.testing.assert_allclose(oa.numpy(), ob.numpy(), atol=1e-12, err_msg=f"output {k}")
    for k, (ta, tb) in enumerate(zip(a, b)):
        np.testing.assert_allclose(ta.grad, tb.grad, atol=1e-12, err_msg=f"grad of input {k}")


@pytest.mark.parametrize("name,gates,n_states,fused,reference,kw", LAYERS, ids=[row[0] for row in LAYERS])
def test_gradcheck_layer(rng, name, gates, n_states, fused, reference, kw):
    arrays = layer_arrays(rng, gates, n_states, 3, 2, 3, 2)
    if name == "rnn_relu":
        arrays[2:] = [w * 0.3 + 0.2 for w in arrays[2:]]  # keep pre-activations away from relu's kink
    assert gradcheck(lambda *t: fused(*t, **kw), [Tensor(x, requires_grad=True) for x in arrays])


@pytest.mark.parametrize("cell,gates,n_states", [(rnn_cell, 1, 1), (lstm_cell, 4, 2), (gru_cell, 3, 1)])
def test_gradcheck_cell(rng, cell, gates, n_states):
    arrays = layer_arrays(rng, gates, n_states, 1, 2, 3, 2)
    arrays[0] = arrays[0][0]  # (B, in)
    assert gradcheck(cell, [Tensor(x, requires_grad=True) for x in arrays])


def test_zero_initial_states_when_none(rng):
    arrays = layer_arrays(rng, 4, 2, 3, 2, 3, 4)
    zeros = np.zeros((2, 4))
    with_none = lstm_layer(Tensor(arrays[0]), None, None, *[Tensor(w) for w in arrays[3:]])
    with_zeros = lstm_layer(Tensor(arrays[0]), Tensor(zeros), Tensor(zeros), *[Tensor(w) for w in arrays[3:]])
    for p, q in zip(with_none, with_zeros):
        np.testing.assert_array_equal(p.numpy(), q.numpy())


def test_float32_in_float32_out(rng):
    arrays = [x.astype(np.float32) for x in layer_arrays(rng, 3, 1, 4, 2, 3, 5)]
    out, h_n = gru_layer(*[Tensor(x, requires_grad=True) for x in arrays])
    assert out.dtype == h_n.dtype == np.float32 and out.shape == (4, 2, 5) and h_n.shape == (2, 5)


def test_errors(rng):
    arrays = layer_arrays(rng, 4, 2, 3, 2, 3, 4)
    x, h, c, w_ih, w_hh, b_ih, b_hh = [Tensor(a) for a in arrays]
    with pytest.raises(ValueError, match=r"input must be \(T, B, input_size\)"):
        lstm_layer(Tensor(arrays[0][0]), h, c, w_ih, w_hh)
    with pytest.raises(ValueError, match="weight_hh must be"):
        gru_layer(x, h, w_ih, w_hh)  # 4H rows where 3H are expected
    with pytest.raises(ValueError, match="weight_ih must be"):
        lstm_layer(x, h, c, Tensor(arrays[3][:, :2]), w_hh)
    with pytest.raises(ValueError, match="initial state must be"):
        lstm_layer(x, Tensor(np.zeros((3, 4))), c, w_ih, w_hh)
    with pytest.raises(ValueError, match="both biases or neither"):
        lstm_layer(x, h, c, w_ih, w_hh, b_ih, None)
    with pytest.raises(TypeError, match="share one dtype"):
        lstm_layer(Tensor(arrays[0].astype(np.float32)), h, c, w_ih, w_hh)
    with pytest.raises(ValueError, match="nonlinearity"):
        rnn_layer(x, None, Tensor(arrays[3][:4]), Tensor(arrays[4][:4]), nonlinearity="gelu")
    with pytest.raises(ValueError, match="T >= 1"):
        lstm_layer(Tensor(np.zeros((0, 2, 3))), h, c, w_ih, w_hh)
