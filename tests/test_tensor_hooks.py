"""Tensor.register_hook (glassgrad/autograd/hooks.py) on leaves and non-leaves, against torch."""

from __future__ import annotations

import warnings

import numpy as np
import pytest

import glassgrad


def _run(lib, x_array):
    """A graph with hooks on a leaf (used twice) and on an intermediate; returns what hooks saw and x.grad."""
    x = lib.tensor(x_array, requires_grad=True)
    seen_leaf, seen_mid = [], []
    x.register_hook(lambda g: seen_leaf.append(g.detach().numpy().copy()))
    mid = lib.tanh(x * 2.0)
    mid.register_hook(lambda g: seen_mid.append(g.detach().numpy().copy()))
    mid.register_hook(lambda g: g * 3.0)  # replaces the gradient flowing back through mid
    loss = (mid * mid).sum() + (x ** 3).sum()
    loss.backward()
    return seen_leaf, seen_mid, x.grad.detach().numpy()


@pytest.mark.torch_live
def test_hooks_on_leaf_and_intermediate_match_torch(rng, torch):
    x_array = rng.standard_normal((2, 3))
    ours, theirs = _run(glassgrad, x_array), _run(torch, x_array)
    assert len(ours[0]) == len(theirs[0]) == 1  # a leaf's hook sees its total gradient once
    assert len(ours[1]) == len(theirs[1]) == 1
    for a, b in zip(ours, theirs):
        np.testing.assert_allclose(np.asarray(a), np.asarray(b), rtol=1e-10)


def test_leaf_hook_replaces_accumulated_gradient_and_remove():
    x = glassgrad.tensor([1.0, 2.0], requires_grad=True)
    handle = x.register_hook(lambda g: g * 0 + 7.0)
    (x * x).sum().backward()
    assert x.grad.tolist() == [7.0, 7.0]
    handle.remove()
    x.grad = None
    (x * x).sum().backward()
    assert x.grad.tolist() == [2.0, 4.0]


def test_hook_errors_are_clear():
    with pytest.raises(RuntimeError, match="doesn't require gradient"):
        glassgrad.ones(2).register_hook(lambda g: g)
    x = glassgrad.ones(2, requires_grad=True)
    y = x * 2
    y.register_hook(lambda g: glassgrad.ones(3))
    with pytest.raises(RuntimeError, match=r"returned a gradient of shape \(3,\) for a tensor of shape \(2,\)"):
        y.sum().backward()
    z = x * 2
    z.register_hook(lambda g: 1.0)
    with pytest.raises(TypeError, match="returns a Tensor"):
        z.sum().backward()


def _module_hook_run(lib, x_array, w_array, x_requires_grad):
    linear = lib.nn.Linear(3, 2)
    with lib.no_grad():
        linear.weight.copy_(lib.tensor(w_array))
        linear.bias.zero_()
    seen = []

    def hook(module, grad_input, grad_output):
        seen.append(([None if g is None else g.detach().numpy().copy() for g in grad_input],
                     [g.detach().numpy().copy() for g in grad_output]))
        return None if grad_input[0] is None else (grad_input[0] * 2.0,)

    linear.register_full_backward_hook(hook)
    x = lib.tensor(x_array, requires_grad=x_requires_grad)
    (lib.tanh(linear(x)) ** 2).sum().backward()
    return seen, (None if x.grad is None else x.grad.numpy()), linear.weight.grad.numpy()


@pytest.mark.torch_live
@pytest.mark.parametrize("x_requires_grad", [True, False])
def test_module_full_backward_hook_matches_torch(rng, torch, x_requires_grad):
    x_array, w_array = rng.standard_normal((4, 3)), rng.standard_normal((2, 3))
    ours = _module_hook_run(glassgrad, x_array.astype(np.float32), w_array.astype(np.float32), x_requires_grad)
    with warnings.catch_warnings():  # torch warns when no input requires grad (the hook fires at the outputs)
        warnings.simplefilter("ignore", UserWarning)
        theirs = _module_hook_run(torch, x_array.astype(np.float32), w_array.astype(np.float32), x_requires_grad)
    assert len(ours[0]) == len(theirs[0]) == 1
    (our_in, our_out), (their_in, their_out) = ours[0][0], theirs[0][0]
    assert [g is None for g in our_in] == [g is None for g in their_in]
    for a, b in zip(our_in + our_out, their_in + their_out):
        if a is not None:
            np.testing.assert_allclose(a, b, rtol=1e-4, atol=1e-6)
    for a, b in zip(ours[1:], theirs[1:]):
        if a is None:
            assert b is None
        else:
            np.testing.assert_allclose(a, b, rtol=1e-4, atol=1e-6)
