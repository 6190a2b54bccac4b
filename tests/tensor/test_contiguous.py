"""Tensor.contiguous(): a C-contiguous copy only when needed, differentiable, as torch."""

from __future__ import annotations

import numpy as np

import glassgrad


def test_contiguous_makes_a_contiguous_copy_only_when_needed():
    x = glassgrad.arange(6.0).view(2, 3)
    assert x.contiguous() is x
    transposed = x.t()
    assert not transposed.is_contiguous()
    copy = transposed.contiguous()
    assert copy.is_contiguous() and glassgrad.equal(copy, transposed)
    leaf = glassgrad.ones(2, 3, requires_grad=True)
    (leaf.t().contiguous() * glassgrad.arange(6.0).view(3, 2)).sum().backward()
    np.testing.assert_array_equal(leaf.grad.numpy(), np.arange(6.0).reshape(3, 2).T)  # differentiable, as torch


def test_view_needs_no_copy_as_torch():
    """view shares memory or refuses (torch's rule); reshape copies when it must."""
    import pytest

    x = glassgrad.arange(12.0).view(3, 4)
    flat = x.view(12)
    assert np.shares_memory(flat.numpy(), x.numpy())
    assert x.t().view(4, 3).shape == (4, 3)  # same shape: always a view
    assert x[:, :2].view(3, 2).shape == (3, 2)
    for not_viewable in (lambda: x.t().view(12), lambda: x[:, :2].view(6), lambda: x.t().view_as(flat)):
        with pytest.raises(RuntimeError, match="view size is not compatible.*reshape"):
            not_viewable()
    np.testing.assert_array_equal(x.t().reshape(12).numpy(), np.arange(12.0).reshape(3, 4).T.ravel())
    np.testing.assert_array_equal(x.t().contiguous().view(12).numpy(), x.t().reshape(12).numpy())
    assert glassgrad.zeros(0, 3).t().view(0).shape == (0,)  # nothing to copy
