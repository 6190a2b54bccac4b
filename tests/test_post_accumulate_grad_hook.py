"""Tensor.register_post_accumulate_grad_hook: fired once per backward, after the leaf's whole gradient is in
``.grad``, and before the rest of the backward has run (what DistributedDataParallel's buckets need)."""

import numpy as np
import pytest

import glassgrad as gg


def _chain():
    rng = np.random.default_rng(0)
    w1 = gg.tensor(rng.normal(size=(3, 3)), requires_grad=True)
    w2 = gg.tensor(rng.normal(size=(3, 3)), requires_grad=True)
    x = gg.tensor(rng.normal(size=(2, 3)))
    return w1, w2, x


def test_fires_once_with_the_whole_gradient_used_twice():
    w1, w2, x = _chain()
    seen = []
    w1.register_post_accumulate_grad_hook(lambda t: seen.append(t.grad.array.copy()))
    loss = ((x @ w1) @ w1).sum() + (x @ w1).pow(2).sum()  # w1 reached by three paths
    loss.backward()
    assert len(seen) == 1
    np.testing.assert_allclose(seen[0], w1.grad.array)


def test_fires_mid_backward_in_reverse_order_of_use():
    w1, w2, x = _chain()
    events = []
    w1.register_post_accumulate_grad_hook(lambda t: events.append("w1"))
    w2.register_post_accumulate_grad_hook(lambda t: events.append("w2"))
    h = w2.register_hook(lambda g: events.append("w2 grad") or None)
    ((x @ w1).tanh() @ w2).sum().backward()
    assert events == ["w2 grad", "w2", "w1"]
    h.remove()


def test_accumulates_across_backwards_and_hook_may_edit_grad():
    w1, w2, x = _chain()
    w1.register_post_accumulate_grad_hook(lambda t: t.grad.mul_(0.5))
    (x @ w1).sum().backward()
    first = w1.grad.array.copy()
    (x @ w1).sum().backward()
    np.testing.assert_allclose(w1.grad.array, 1.5 * first)


def test_not_fired_without_gradient_and_removable():
    w1, w2, x = _chain()
    calls = []
    handle = w2.register_post_accumulate_grad_hook(lambda t: calls.append(1))
    (x @ w1).sum().backward()
    assert calls == []
    (x @ w2).sum().backward()
    assert calls == [1]
    handle.remove()
    (x @ w2).sum().backward()
    assert calls == [1]


def test_errors():
    w1, w2, x = _chain()
    with pytest.raises(RuntimeError, match="non-leaf"):
        (w1 * 2).register_post_accumulate_grad_hook(lambda t: None)
    with pytest.raises(RuntimeError, match="doesn't require gradient"):
        x.register_post_accumulate_grad_hook(lambda t: None)


def test_leaf_root_and_create_graph():
    w1, w2, x = _chain()
    calls = []
    w1.register_post_accumulate_grad_hook(lambda t: calls.append(t.grad.shape))
    w1.backward(gg.ones(3, 3, dtype=w1.dtype))
    (x @ w1).sum().backward(create_graph=True)
    assert calls == [(3, 3), (3, 3)]
