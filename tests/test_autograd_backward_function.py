"""torch.autograd.backward: several outputs' gradients into the same leaves, shared graphs kept."""

import numpy as np
import pytest

import glassgrad as gg


def leaves():
    rng = np.random.default_rng(0)
    return (gg.tensor(rng.standard_normal((3, 2)), requires_grad=True),
            gg.tensor(rng.standard_normal(2), requires_grad=True))


def test_equals_backward_of_the_weighted_sum():
    x, w = leaves()
    shared = (x * w).tanh()  # both outputs go through this node
    a, b = shared.sum(), (shared ** 2).mean(0)
    v = gg.tensor([0.5, -2.0], dtype=gg.float64)
    gg.autograd.backward([a, b], [None, v])
    x2, w2 = leaves()
    shared2 = (x2 * w2).tanh()
    (shared2.sum() + ((shared2 ** 2).mean(0) * v).sum()).backward()
    np.testing.assert_allclose(x.grad.numpy(), x2.grad.numpy(), rtol=1e-12)
    np.testing.assert_allclose(w.grad.numpy(), w2.grad.numpy(), rtol=1e-12)


def test_one_tensor_and_its_errors():
    x, _ = leaves()
    gg.autograd.backward(x.sum())
    np.testing.assert_array_equal(x.grad.numpy(), np.ones((3, 2)))
    with pytest.raises(RuntimeError, match="grad_tensors has 1"):
        gg.autograd.backward([x.sum(), x.mean()], [None])
    with pytest.raises(RuntimeError, match="scalar outputs"):
        gg.autograd.backward(x * 2)


def test_the_graph_is_freed_after_the_last_output_unless_retained():
    x, _ = leaves()
    y = (x * x).sum()
    gg.autograd.backward([y], retain_graph=True)
    gg.autograd.backward([y])
    np.testing.assert_allclose(x.grad.numpy(), 4 * x.detach().numpy())
    with pytest.raises(RuntimeError, match="second time"):
        y.backward()
