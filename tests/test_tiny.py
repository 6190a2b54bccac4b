"""A seconds-long smoke test of the engine (run in pre-commit): tensor math, one
backward, and a few SGD steps of a tiny MLP that must lower its loss.

It uses only the engine (Tensor, ops, backward), so it stays green while the
layers above are being worked on; their own tests cover them.
"""

from __future__ import annotations

import numpy as np

import glassgrad as gg
from glassgrad import Tensor


def test_tensor_math() -> None:
    a = Tensor([[1.0, 2.0], [3.0, 4.0]])
    b = Tensor([10.0, 20.0])
    assert a.dtype == np.float32 and a.shape == (2, 2)
    assert (a + b).tolist() == [[11.0, 22.0], [13.0, 24.0]]
    assert (a @ b).tolist() == [50.0, 110.0]
    assert a.sum().item() == 10.0 and a.mean(axis=0).tolist() == [2.0, 3.0]
    assert a.T.tolist() == [[1.0, 3.0], [2.0, 4.0]]
    assert a[1].tolist() == [3.0, 4.0] and a.reshape(-1).shape == (4,)
    assert (a > 2).tolist() == [[False, False], [True, True]]
    np.testing.assert_allclose(a.softmax(axis=1).sum(axis=1).numpy(), [1.0, 1.0], rtol=1e-6)


def test_one_backward() -> None:
    x = Tensor([1.0, -2.0, 3.0], requires_grad=True)
    w = Tensor([0.5, 0.5, 0.5], requires_grad=True)
    loss = ((x * w).relu() ** 2).sum()  # relu(x w)^2 summed
    loss.backward()
    np.testing.assert_allclose(x.grad, [0.5, 0.0, 1.5])  # 2 relu(xw) w
    np.testing.assert_allclose(w.grad, [1.0, 0.0, 9.0])  # 2 relu(xw) x


def test_tiny_mlp_learns() -> None:
    rng = np.random.default_rng(0)
    x = Tensor(rng.standard_normal((64, 2)).astype(np.float32))
    y = Tensor((x.numpy()[:, :1] * x.numpy()[:, 1:] > 0).astype(np.float32))  # XOR of the signs
    w1 = Tensor(rng.standard_normal((16, 2)).astype(np.float32) * 0.7, requires_grad=True)
    b1 = Tensor(np.zeros(16, np.float32), requires_grad=True)
    w2 = Tensor(rng.standard_normal((1, 16)).astype(np.float32) * 0.25, requires_grad=True)
    b2 = Tensor(np.zeros(1, np.float32), requires_grad=True)
    params = [w1, b1, w2, b2]

    def loss_fn() -> Tensor:
        p = gg.ops.linear(gg.ops.linear(x, w1, b1).tanh(), w2, b2).sigmoid()
        return ((p - y) ** 2).mean()

    losses = []
    for _ in range(100):
        loss = loss_fn()
        loss.backward()
        losses.append(loss.item())
        with gg.no_grad():
            for p in params:
                p.data -= 2.0 * p.grad  # plain SGD on the arrays
                p.grad = None
    assert losses[-1] < 0.5 * losses[0], (losses[0], losses[-1])
    assert all(p.dtype == np.float32 for p in params)
