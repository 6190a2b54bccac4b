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
