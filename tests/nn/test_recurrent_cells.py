"""nn.RNNCell / LSTMCell / GRUCell against torch (float64, torch's weights via state_dict):
outputs and every gradient, batched and unbatched, with and without a state."""

from __future__ import annotations

import numpy as np
import pytest

from glassgrad import Tensor, nn

B, IN, H = 3, 5, 4


def make_pair(torch, kind: str, **kw):
    gg_cls = {"rnn_tanh": nn.RNNCell, "rnn_relu": nn.RNNCell, "lstm": nn.LSTMCell, "gru": nn.GRUCell}[kind]
    th_cls = {"rnn_tanh": torch.nn.RNNCell, "rnn_relu": torch.nn.RNNCell, "lstm": torch.nn.LSTMCell,
              "gru": torch.nn.GRUCell}[kind]
    if kind == "rnn_relu":
        kw["nonlinearity"] = "relu"
    torch.manual_seed(1)
    th = th_cls(IN, H, **kw).double()
    gg = gg_cls(IN, H, **kw, dtype=np.float64)
    gg.load_state_dict({k: v.detach().numpy() for k, v in th.state_dict().items()})
    return gg, th


@pytest.mark.parametrize("kind", ["rnn_tanh", "rnn_relu", "lstm", "gru"])
@pytest.mark.parametrize("batched", [True, False])
@pytest.mark.parametrize("with_state", [True, False])
@pytest.mark.parametrize("bias", [True, False])
def test_cell_matches_torch(torch, rng, kind, batched, with_state, bias):
    gg, th = make_pair(torch, kind, bias=bias)
    lead = (B,) if batched else ()
    arrays = [rng.standard_normal((*lead, IN))]
    if with_state:
        arrays += [rng.standard_normal((*lead, H)) for _ in range(2 if kind == "lstm" else 1)]
    gg_in = [Tensor(a.copy(), requires_grad=True) for a in arrays]
    th_in = [torch.tensor(a.copy(), requires_grad=True) for a in arrays]

    def call(module, inputs):
        state = None if not with_state else (tuple(inputs[1:]) if kind == "lstm" else inputs[1])
        out = module(inputs[0], state)
        return list(out) if kind == "lstm" else [out]

    gg_out, th_out = call(gg, gg_in), call(th, th_in)
    douts = [rng.standard_normal(o.shape) for o in gg_out]
    sum((o * Tensor(d)).sum() for o, d in zip(gg_out, douts)).backward()
    sum((o * torch.from_numpy(d)).sum() for o, d in zip(th_out, douts)).backward()
    for g, t in zip(gg_out, th_out):
        assert g.shape == tuple(t.shape)
        np.testing.assert_allclose(g.numpy(), t.detach().numpy(), rtol=1e-6, atol=1e-6)
    for k, (g, t) in enumerate(zip(gg_in, th_in)):
        np.testing.assert_allclose(g.grad, t.grad.numpy(), rtol=1e-6, atol=1e-6, err_msg=f"input {k}")
    th_params = dict(th.named_parameters())
    for name, p in gg.named_parameters():
        np.testing.assert_allclose(p.grad, th_params[name].grad.numpy(), rtol=1e-6, atol=1e-6, err_msg=name)


def test_cell_loop_equals_sequence_layer(rng):
    """Stepping LSTMCell by hand gives nn.LSTM's output when both hold the same weights."""
    lstm = nn.LSTM(IN, H, dtype=np.float64)
    cell = nn.LSTMCell(IN, H, dtype=np.float64)
    cell.load_state_dict({k[:-3]: v for k, v in lstm.state_dict().items()})
    x = rng.standard_normal((6, B, IN))
    out, (h_n, c_n) = lstm(Tensor(x))
    state = None
    for t in range(6):
        state = cell(Tensor(x[t]), state)
        np.testing.assert_allclose(state[0].numpy(), out.numpy()[t], atol=1e-12)
    np.testing.assert_allclose(state[1].numpy(), c_n.numpy()[0], atol=1e-12)


@pytest.mark.parametrize("cls", [nn.RNNCell, nn.LSTMCell, nn.GRUCell])
def test_cell_errors(cls):
    cell = cls(IN, H)
    with pytest.raises(ValueError, match=r"input must be \(B, 5\)"):
        cell(Tensor(np.zeros((2, 3, IN), dtype=np.float32)))
    with pytest.raises(ValueError, match=r"input must be \(B, 5\)"):
        cell(Tensor(np.zeros((2, IN + 1), dtype=np.float32)))
    bad = Tensor(np.zeros((2, H + 1), dtype=np.float32))
    with pytest.raises(ValueError, match=r"hidden state must have shape \(2, 4\)"):
        cell(Tensor(np.zeros((2, IN), dtype=np.float32)), (bad, bad) if cls is nn.LSTMCell else bad)
