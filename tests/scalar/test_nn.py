"""Tests for glassgrad.scalar.nn: Neuron, Layer, MLP, and parity with a torch MLP."""

from __future__ import annotations

import itertools

import numpy as np
import pytest

from glassgrad.scalar import MLP, Layer, Neuron, Value

pytestmark = pytest.mark.filterwarnings("error")


def random_weights(
    rng: np.random.Generator, sizes: list[int]
) -> list[tuple[np.ndarray, np.ndarray]]:
    """[(W, b), ...] with W of shape (out, in), like torch.nn.Linear."""
    return [
        (rng.normal(size=(n_out, n_in)) / np.sqrt(n_in), rng.normal(size=n_out))
        for n_in, n_out in itertools.pairwise(sizes)
    ]


def test_parameter_counts():
    assert len(Neuron(3).parameters()) == 4
    assert len(Layer(3, 5).parameters()) == 20
    mlp = MLP(3, [4, 4, 1])
    assert len(mlp.parameters()) == (3 + 1) * 4 + (4 + 1) * 4 + (4 + 1) * 1
    assert all(isinstance(p, Value) for p in mlp.parameters())


def test_init_is_uniform_and_reproducible():
    a = MLP(3, [8, 2], rng=np.random.default_rng(7))
    b = MLP(3, [8, 2], rng=np.random.default_rng(7))
    c = MLP(3, [8, 2], rng=np.random.default_rng(8))
    data = [p.data for p in a.parameters()]
    assert data == [p.data for p in b.parameters()]
    assert data != [p.data for p in c.parameters()]
    assert all(-1.0 <= d <= 1.0 for d in data)
    assert len(set(data)) == len(data)  # one shared generator, so no repeated rows
    assert [p.data for p in MLP(3, [8, 2]).parameters()] == [
        p.data for p in MLP(3, [8, 2], rng=np.random.default_rng(0)).parameters()
    ]


def test_neuron_draws_weights_then_bias():
    n = Neuron(3, rng=np.random.default_rng(1))
    expected = np.random.default_rng(1).uniform(-1.0, 1.0, size=4)
    np.testing.assert_array_equal([p.data for p in n.parameters()], expected)


def test_last_layer_is_linear_and_hidden_use_activation():
    mlp = MLP(2, [3, 3, 2], activation="relu")
    nonlin = [n.nonlin for layer in mlp.layers for n in layer.neurons]
    assert nonlin == [True] * 6 + [False] * 2
    assert {n.activation for layer in mlp.layers for n in layer.neurons} == {"relu"}
    assert repr(mlp).startswith("MLP([Layer([Neuron(2, relu)")


def test_neuron_forward_by_hand():
    n = Neuron(2, activation="tanh")
    n.w[0].data, n.w[1].data, n.b.data = 0.5, -1.0, 0.25
    out = n([2.0, 3.0])
    assert out.data == pytest.approx(np.tanh(0.5 * 2.0 - 1.0 * 3.0 + 0.25), rel=1e-15)
    linear = Neuron(2, nonlin=False)
    linear.w[0].data, linear.w[1].data, linear.b.data = 0.5, -1.0, 0.25
    assert linear([2.0, 3.0]).data == 0.5 * 2.0 - 1.0 * 3.0 + 0.25


def test_wrong_input_length_raises():
    with pytest.raises(ValueError, match="expected 3 inputs, got 2"):
        MLP(3, [2])([1.0, 2.0])


def test_unknown_activation_raises():
    with pytest.raises(ValueError, match="activation"):
        Neuron(2, activation="gelu")  # type: ignore[arg-type]


def test_zero_grad():
    mlp = MLP(2, [3, 1])
    mlp([1.0, -1.0])[0].backward()
    assert any(p.grad != 0.0 for p in mlp.parameters())
    mlp.zero_grad()
    assert all(p.grad == 0.0 for p in mlp.parameters())


def test_from_arrays_round_trip():
    params = random_weights(np.random.default_rng(3), [3, 4, 2])
    mlp = MLP.from_arrays(params, activation="relu")
    assert [len(layer.neurons) for layer in mlp.layers] == [4, 2]
    for (w, b), (w2, b2) in zip(params, mlp.to_arrays()):
        np.testing.assert_array_equal(w, w2)
        np.testing.assert_array_equal(b, b2)


def test_from_arrays_rejects_bad_shapes():
    rng = np.random.default_rng(0)
    with pytest.raises(ValueError, match="at least one"):
        MLP.from_arrays([])
    with pytest.raises(ValueError, match="2-D"):
        MLP.from_arrays([(rng.normal(size=3), rng.normal(size=3))])
    with pytest.raises(
        ValueError, match="W\\[1\\] has 5 inputs but layer 0 has 4 outputs"
    ):
        MLP.from_arrays(
            [
                (rng.normal(size=(4, 3)), rng.normal(size=4)),
                (rng.normal(size=(2, 5)), rng.normal(size=2)),
            ]
        )
    with pytest.raises(ValueError, match="bias"):
        MLP.from_arrays([(rng.normal(size=(4, 3)), rng.normal(size=3))])
    with pytest.raises(ValueError, match="expected 2"):
        MLP(3, [4, 2]).load_arrays([(rng.normal(size=(4, 3)), rng.normal(size=4))])


def test_training_reduces_loss():
    """The micrograd demo in miniature: fit 4 points with plain gradient descent."""
    xs = [[2.0, 3.0, -1.0], [3.0, -1.0, 0.5], [0.5, 1.0, 1.0], [1.0, 1.0, -1.0]]
    ys = [1.0, -1.0, -1.0, 1.0]
    mlp = MLP(3, [4, 4, 1], rng=np.random.default_rng(0))

    def loss_fn() -> Value:
        return sum(((mlp(x)[0] - y) ** 2 for x, y in zip(xs, ys)), Value(0.0))

    first = loss_fn().data
    for _ in range(30):
        loss = loss_fn()
        mlp.zero_grad()
        loss.backward()
        for p in mlp.parameters():
            p.data -= 0.05 * p.grad
    assert loss_fn().data < 0.1 * first


@pytest.mark.parametrize("activation", ["tanh", "relu"])
@pytest.mark.parametrize("seed", [0, 1, 2])
def test_mlp_matches_torch(activation, seed, torch):
    rng = np.random.default_rng(seed)
    sizes = [3, 5, 4, 2]
    params = random_weights(rng, sizes)
    x = rng.normal(size=(6, sizes[0]))  # a batch of 6 inputs
    dout = rng.normal(size=(6, sizes[-1]))  # random upstream gradient

    # scalar engine: loss = sum_n sum_k out[n, k] * dout[n, k]
    mlp = MLP.from_arrays(params, activation=activation)
    x_values = [[Value(v) for v in row] for row in x]
    outs = [mlp(row) for row in x_values]
    loss = sum(
        (o * float(d) for out, drow in zip(outs, dout) for o, d in zip(out, drow)),
        Value(0.0),
    )
    loss.backward()

    # torch: the same network as Linear layers
    act = torch.tanh if activation == "tanh" else torch.relu
    tw = [
        (torch.tensor(w, requires_grad=True), torch.tensor(b, requires_grad=True))
        for w, b in params
    ]
    tx = torch.tensor(x, requires_grad=True)
    h = tx
    for i, (w, b) in enumerate(tw):
        h = h @ w.T + b
        if i < len(tw) - 1:
            h = act(h)
    (h * torch.tensor(dout)).sum().backward()

    got_out = np.array([[o.data for o in out] for out in outs])
    np.testing.assert_allclose(got_out, h.detach().numpy(), rtol=1e-9, atol=1e-12)
    for layer, (w, b) in zip(mlp.layers, tw):
        grad_w = np.array([[wi.grad for wi in n.w] for n in layer.neurons])
        grad_b = np.array([n.b.grad for n in layer.neurons])
        np.testing.assert_allclose(grad_w, w.grad.numpy(), rtol=1e-9, atol=1e-12)
        np.testing.assert_allclose(grad_b, b.grad.numpy(), rtol=1e-9, atol=1e-12)
    grad_x = np.array([[v.grad for v in row] for row in x_values])
    np.testing.assert_allclose(grad_x, tx.grad.numpy(), rtol=1e-9, atol=1e-12)
