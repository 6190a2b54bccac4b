"""glassgrad.autograd.grad against torch.autograd.grad: leaves and intermediates, several outputs,
grad_outputs, unused inputs, retain_graph, and .grad left alone."""

from __future__ import annotations

import numpy as np
import pytest

import glassgrad


def _model(lib, x_array, w_array):
    x = lib.tensor(x_array, requires_grad=True)
    w = lib.tensor(w_array, requires_grad=True)
    hidden = lib.tanh(x @ w)  # (3, 2): an intermediate result
    loss = (hidden ** 2).sum() + (w * 0.5).sum()
    return x, w, hidden, loss


def test_gradients_of_leaves_and_intermediates_match_torch(rng, torch):
    x_array, w_array = rng.standard_normal((3, 4)), rng.standard_normal((4, 2))
    results = []
    for lib in (glassgrad, torch):
        x, w, hidden, loss = _model(lib, x_array, w_array)
        grads = lib.autograd.grad(loss, (x, w, hidden))
        assert x.grad is None and w.grad is None  # nothing accumulated
        results.append([g.detach().numpy() for g in grads])
    for ours, theirs in zip(*results):
        np.testing.assert_allclose(ours, theirs, rtol=1e-10)


def test_several_outputs_and_grad_outputs_match_torch(rng, torch):
    x_array, dout = rng.standard_normal((3,)), rng.standard_normal((3,))
    results = []
    for lib in (glassgrad, torch):
        x = lib.tensor(x_array, requires_grad=True)
        first, second = x.sin(), (x * x).sum()
        (by_outputs,) = lib.autograd.grad([first, second], x, grad_outputs=[lib.tensor(dout), None],
                                          retain_graph=True)
        (again,) = lib.autograd.grad(first, x, grad_outputs=lib.tensor(dout))  # the graph was retained
        results.append((by_outputs.numpy(), again.numpy()))
    for ours, theirs in zip(*results):
        np.testing.assert_allclose(ours, theirs, rtol=1e-10)


def test_gradcheck_of_grad_itself(rng):
    """d/dx of sum(sin(x) * x) by grad() equals the finite differences of the function."""
    x_array = rng.standard_normal(5)
    x = glassgrad.tensor(x_array, requires_grad=True)
    (dx,) = glassgrad.autograd.grad((x.sin() * x).sum(), x)
    np.testing.assert_allclose(dx.numpy(), np.cos(x_array) * x_array + np.sin(x_array), rtol=1e-12)


def test_unused_inputs_and_refusals():
    x = glassgrad.tensor([1.0, 2.0], requires_grad=True)
    unused = glassgrad.tensor([3.0], requires_grad=True)
    with pytest.raises(RuntimeError, match="input 1 .* was not used.*allow_unused=True"):
        glassgrad.autograd.grad((x * 2).sum(), [x, unused])
    assert glassgrad.autograd.grad((x * 2).sum(), [x, unused], allow_unused=True)[1] is None
    zeros = glassgrad.autograd.grad((x * 2).sum(), [x, unused], materialize_grads=True)[1]
    assert zeros.tolist() == [0.0]
    with pytest.raises(RuntimeError, match="does not require grad"):
        glassgrad.autograd.grad((x * 2).sum(), glassgrad.ones(2))
    with pytest.raises(RuntimeError, match="only for scalar outputs"):
        glassgrad.autograd.grad(x * 2, x)
    assert glassgrad.autograd.grad((x * x).sum(), x, create_graph=True)[0].grad_fn is not None
    loss = (x * x).sum()
    glassgrad.autograd.grad(loss, x)
    with pytest.raises(RuntimeError, match="second time"):
        glassgrad.autograd.grad(loss, x)  # freed by the first call, as torch


def test_an_in_place_edit_after_the_forward_is_caught():
    x = glassgrad.tensor([1.0, 2.0], requires_grad=True)
    w = x * 1
    loss = (w * w).sum()
    w.add_(1)
    with pytest.raises(RuntimeError, match="modified by an inplace operation"):
        glassgrad.autograd.grad(loss, x)
