"""nn.RNN / LSTM / GRU against torch.nn: outputs, final states and every gradient
(input, initial states, all parameters) in float64 with torch's weights loaded
through state_dict; plus shapes, errors, dropout and truncated BPTT."""

from __future__ import annotations

import itertools

import numpy as np
import pytest

from glassgrad import Tensor, nn

T, B, IN, H = 4, 3, 5, 4


def make_pair(torch, kind: str, **kw):
    """A torch module and the glassgrad one with the same weights (float64)."""
    gg_cls = {"rnn_tanh": nn.RNN, "rnn_relu": nn.RNN, "lstm": nn.LSTM, "gru": nn.GRU}[kind]
    th_cls = {"rnn_tanh": torch.nn.RNN, "rnn_relu": torch.nn.RNN, "lstm": torch.nn.LSTM, "gru": torch.nn.GRU}[kind]
    if kind == "rnn_relu":
        kw["nonlinearity"] = "relu"
    torch.manual_seed(0)
    th = th_cls(IN, H, **kw).double()
    gg = gg_cls(IN, H, **kw, dtype=np.float64)
    gg.load_state_dict({k: v.detach().numpy() for k, v in th.state_dict().items()})
    return gg, th


def run_both(torch, gg, th, x, states, rng):
    """Forward both with the same inputs; backward sum(out * dout) over every output; return both sides."""
    lstm = isinstance(gg, nn.LSTM)
    gg_in = [Tensor(x.copy(), requires_grad=True)] + [Tensor(s.copy(), requires_grad=True) for s in states]
    th_in = [torch.tensor(x.copy(), requires_grad=True)] + [torch.tensor(s.copy(), requires_grad=True) for s in states]

    def call(module, inputs):
        if not states:
            out, hn = module(inputs[0])
        else:
            out, hn = module(inputs[0], tuple(inputs[1:]) if lstm else inputs[1])
        return [out] + (list(hn) if lstm else [hn])

    gg_outs, th_outs = call(gg, gg_in), call(th, th_in)
    douts = [rng.standard_normal(o.shape) for o in gg_outs]
    sum((o * Tensor(d)).sum() for o, d in zip(gg_outs, douts)).backward()
    sum((o * torch.from_numpy(d)).sum() for o, d in zip(th_outs, douts)).backward()
    return gg_in, th_in, gg_outs, th_outs


def assert_match(gg, th, gg_in, th_in, gg_outs, th_outs):
    for k, (g, t) in enumerate(zip(gg_outs, th_outs)):
        assert g.shape == tuple(t.shape), f"output {k}"
        np.testing.assert_allclose(g.numpy(), t.detach().numpy(), rtol=1e-6, atol=1e-6, err_msg=f"output {k}")
    for k, (g, t) in enumerate(zip(gg_in, th_in)):
        np.testing.assert_allclose(g.grad, t.grad.numpy(), rtol=1e-6, atol=1e-6, err_msg=f"grad of input {k}")
    th_params = dict(th.named_parameters())
    gg_params = dict(gg.named_parameters())
    assert gg_params.keys() == th_params.keys()
    for name, p in gg_params.items():
        np.testing.assert_allclose(p.grad, th_params[name].grad.numpy(), rtol=1e-6, atol=1e-6, err_msg=name)


KINDS = ["rnn_tanh", "rnn_relu", "lstm", "gru"]


@pytest.mark.parametrize("kind,num_layers,batch_first,with_state",
                         list(itertools.product(KINDS, [1, 2], [False, True], [False, True])))
def test_matches_torch(torch, rng, kind, num_layers, batch_first, with_state):
    gg, th = make_pair(torch, kind, num_layers=num_layers, batch_first=batch_first)
    x = rng.standard_normal((B, T, IN) if batch_first else (T, B, IN))
    n_states = 2 if kind == "lstm" else 1
    states = [rng.standard_normal((num_layers, B, H)) for _ in range(n_states)] if with_state else []
    assert_match(gg, th, *run_both(torch, gg, th, x, states, rng))


@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize("shape", [(1, B, IN), (T, 1, IN), (1, 1, IN), (T, IN)], ids=["T1", "B1", "T1B1", "unbatched"])
def test_edge_shapes_match_torch(torch, rng, kind, shape):
    gg, th = make_pair(torch, kind, num_layers=2)
    batch_dims = (1,) if len(shape) == 3 and shape[1] == 1 else (() if len(shape) == 2 else (B,))
    n_states = 2 if kind == "lstm" else 1
    states = [rng.standard_normal((2, *batch_dims, H)) for _ in range(n_states)]
    assert_match(gg, th, *run_both(torch, gg, th, rng.standard_normal(shape), states, rng))


@pytest.mark.parametrize("kind", KINDS)
def test_no_bias_matches_torch(torch, rng, kind):
    gg, th = make_pair(torch, kind, num_layers=2, bias=False)
    assert "bias_ih_l0" not in dict(gg.named_parameters())
    assert_match(gg, th, *run_both(torch, gg, th, rng.standard_normal((T, B, IN)), [], rng))


@pytest.mark.parametrize("kind", KINDS)
def test_state_dict_keys_and_shapes_equal_torch(torch, kind):
    gg, th = make_pair(torch, kind, num_layers=2)
    theirs = {k: tuple(v.shape) for k, v in th.state_dict().items()}
    assert {k: v.shape for k, v in gg.state_dict().items()} == theirs


def test_default_init_is_uniform_in_one_over_sqrt_h():
    lstm = nn.LSTM(8, 16, num_layers=2, rng=np.random.default_rng(0))
    bound = 1 / np.sqrt(16)
    for name, p in lstm.named_parameters():
        assert p.dtype == np.float32, name
        assert np.abs(p.numpy()).max() <= bound
        assert np.abs(p.numpy()).max() > 0.9 * bound


def test_float32_forward_and_backward_stay_float32(rng):
    lstm = nn.LSTM(IN, H, num_layers=2, batch_first=True)
    x = Tensor(rng.standard_normal((B, T, IN)).astype(np.float32), requires_grad=True)
    out, (h, c) = lstm(x)
    assert out.shape == (B, T, H) and h.shape == c.shape == (2, B, H)
    assert out.dtype == h.dtype == c.dtype == np.float32
    (out * Tensor(rng.standard_normal(out.shape).astype(np.float32))).sum().backward()
    assert x.grad.dtype == np.float32 and lstm.weight_hh_l1.grad.dtype == np.float32


def test_truncated_bptt_with_detached_states(rng):
    """Carry the states across batches with the gradient cut: each backward stays within its window."""
    lstm = nn.LSTM(IN, H, dtype=np.float64)
    state = None
    for _ in range(3):
        x = Tensor(rng.standard_normal((T, B, IN)))
        out, state = lstm(x, state)
        lstm.zero_grad()
        (out * Tensor(rng.standard_normal(out.shape))).sum().backward()
        state = tuple(s.detach() for s in state)
        assert not state[0].requires_grad and lstm.weight_ih_l0.grad is not None


def test_dropout_between_layers(rng):
    gru = nn.GRU(IN, H, num_layers=2, dropout=0.5, dtype=np.float64, rng=np.random.default_rng(3))
    x = Tensor(rng.standard_normal((T, B, IN)))
    a, _ = gru(x)
    b, _ = gru(x)
    assert not np.allclose(a.numpy(), b.numpy())  # fresh masks each call
    gru.eval()
    c, _ = gru(x)
    d, _ = gru(x)
    np.testing.assert_array_equal(c.numpy(), d.numpy())
    one_layer_free = nn.GRU(IN, H, num_layers=1, dropout=0.5, dtype=np.float64)
    e, _ = one_layer_free(x)  # a single layer has nothing to drop between
    f, _ = one_layer_free(x)
    np.testing.assert_array_equal(e.numpy(), f.numpy())


def test_dropout_is_reproducible_with_a_seeded_rng(rng):
    x = Tensor(rng.standard_normal((T, B, IN)))
    outs = []
    for _ in range(2):
        rnn = nn.RNN(IN, H, num_layers=3, dropout=0.3, rng=np.random.default_rng(7), dtype=np.float64)
        outs.append(rnn(x)[0].numpy())
    np.testing.assert_array_equal(*outs)


@pytest.mark.parametrize("cls", [nn.RNN, nn.LSTM, nn.GRU])
def test_bad_inputs_raise_clear_errors(cls, rng):
    m = cls(IN, H, num_layers=2)
    with pytest.raises(ValueError, match="input must be 3-D"):
        m(Tensor(rng.standard_normal((2, 3, 4, IN)).astype(np.float32)))
    with pytest.raises(ValueError, match="expected input_size=5"):
        m(Tensor(rng.standard_normal((T, B, IN + 1)).astype(np.float32)))
    bad = Tensor(np.zeros((1, B, H), dtype=np.float32))
    with pytest.raises(ValueError, match=r"must have shape \(2, 3, 4\)"):
        m(Tensor(np.zeros((T, B, IN), dtype=np.float32)), (bad, bad) if cls is nn.LSTM else bad)


def test_constructor_errors():
    with pytest.raises(ValueError, match="hidden_size must be a positive integer"):
        nn.LSTM(3, 0)
    with pytest.raises(ValueError, match="dropout"):
        nn.GRU(3, 4, dropout=1.5)
    with pytest.raises(ValueError, match="nonlinearity"):
        nn.RNN(3, 4, nonlinearity="sigmoid")
    with pytest.raises(ValueError, match="pair"):
        nn.LSTM(3, 4)(Tensor(np.zeros((2, 1, 3), dtype=np.float32)), Tensor(np.zeros((1, 1, 4), dtype=np.float32)))


def test_repr():
    assert repr(nn.LSTM(3, 4, num_layers=2, batch_first=True)) == "LSTM(3, 4, num_layers=2, batch_first=True)"
