"""Pooling and resizing ops (max/avg/adaptive pooling, interpolate) against torch on fixed grids of
hyper-parameters, tie-breaking and memory layouts; float32; gradchecks; errors. (The generic
hypothesis-drawn checks of the same ops are rows of the op table, tests/ops/table_conv.py.)"""

from __future__ import annotations

import numpy as np
import pytest

import glassgrad as gg
from glassgrad import ops
from tests.helpers.oracle import compare_with_torch

# kernel, stride, padding, dilation, ceil_mode
MAX_GRID = [
    (2, None, 0, 1, False),
    (3, 2, 1, 1, False),
    (3, 1, 1, 1, False),
    ((2, 3), (1, 2), (1, 0), (2, 1), False),
    (3, 2, 0, 1, True),
    (2, 2, 1, 1, True),
]


@pytest.mark.parametrize("k,s,p,d,ceil", MAX_GRID)
@pytest.mark.parametrize("shape", [(2, 3, 7, 8), (1, 1, 6, 6)])
def test_max_pool2d_matches_torch(torch, rng, k, s, p, d, ceil, shape):
    compare_with_torch(lambda x: ops.max_pool2d(x, k, s, p, d, ceil),
                       lambda x: torch.nn.functional.max_pool2d(x, k, s, p, d, ceil), [rng.standard_normal(shape)],
                       torch)


@pytest.mark.parametrize("k,s", [(2, 2), (3, 1), (2, 1)])
def test_max_pool2d_ties_route_to_the_first_maximum(torch, rng, k, s):
    """ReLU outputs are full of equal zeros: the gradient must go to one tap only, like torch."""
    x = np.maximum(rng.integers(-2, 2, size=(2, 2, 6, 6)), 0).astype(np.float64)
    compare_with_torch(lambda t: ops.max_pool2d(t, k, s), lambda t: torch.nn.functional.max_pool2d(t, k, s),
                       [x], torch)


@pytest.mark.parametrize("hw", [(6, 8), (7, 5)])
def test_max_pool2d_channel_major_input_and_c_order_grad(torch, rng, hw):
    """A conv output is a channel-major view and the gradient from a flatten is C-ordered: the
    backward copies the gradient to the input's layout; 2x2 windows that tile the input (even
    sizes) fill dx without zeroing it first, odd sizes leave the uncovered row/column at zero."""
    x = np.maximum(rng.integers(-2, 3, size=(3, 2) + hw), 0).astype(np.float64).transpose(1, 0, 2, 3)
    xs = gg.Tensor(x, requires_grad=True)
    y = ops.max_pool2d(xs, 2)
    dout = rng.standard_normal(y.shape)  # C-order, unlike y
    y.backward(dout)
    tx = torch.tensor(np.ascontiguousarray(x), requires_grad=True)
    ty = torch.nn.functional.max_pool2d(tx, 2)
    ty.backward(torch.tensor(dout))
    np.testing.assert_allclose(y.numpy(), ty.detach().numpy(), atol=1e-12)
    np.testing.assert_allclose(xs.grad, tx.grad.numpy(), atol=1e-12)


@pytest.mark.parametrize("k,s,p,include", [(2, None, 0, True), (3, 2, 1, True), (3, 2, 1, False),
                                           ((3, 2), (1, 2), (1, 1), False)])
def test_avg_pool2d_matches_torch(torch, rng, k, s, p, include):
    compare_with_torch(lambda x: ops.avg_pool2d(x, k, s, p, include),
                       lambda x: torch.nn.functional.avg_pool2d(x, k, s, p, count_include_pad=include),
                       [rng.standard_normal((2, 3, 7, 6))], torch)


@pytest.mark.parametrize("in_hw,out", [((6, 8), 1), ((6, 8), (3, 4)), ((7, 5), (3, 2)), ((5, 5), (None, 3)),
                                       ((3, 3), 5)])
def test_adaptive_avg_pool2d_matches_torch(torch, rng, in_hw, out):
    compare_with_torch(lambda x: ops.adaptive_avg_pool2d(x, out),
                       lambda x: torch.nn.functional.adaptive_avg_pool2d(x, out),
                       [rng.standard_normal((2, 3) + in_hw)], torch)


@pytest.mark.parametrize("kwargs", [
    dict(scale_factor=2, mode="nearest"),
    dict(size=(7, 5), mode="nearest"),
    dict(scale_factor=1.5, mode="nearest"),
    dict(size=(3, 2), mode="nearest"),
    dict(scale_factor=2, mode="bilinear", align_corners=False),
    dict(scale_factor=2, mode="bilinear", align_corners=True),
    dict(size=(7, 9), mode="bilinear", align_corners=False),
    dict(size=(7, 9), mode="bilinear", align_corners=True),
    dict(size=(3, 2), mode="bilinear", align_corners=False),
    dict(scale_factor=(0.5, 1.7), mode="bilinear", align_corners=False),
])
def test_interpolate_matches_torch(torch, rng, kwargs):
    compare_with_torch(lambda x: ops.interpolate(x, **kwargs),
                       lambda x: torch.nn.functional.interpolate(x, **kwargs),
                       [rng.standard_normal((2, 2, 4, 5))], torch)


def test_pool_float32_and_gradcheck(rng):
    x = gg.Tensor(rng.standard_normal((1, 2, 6, 6)).astype(np.float32), requires_grad=True)
    y = ops.max_pool2d(x, 2) + ops.avg_pool2d(x, 2)
    y.backward(np.ones(y.shape, dtype=np.float32))
    assert y.dtype == np.float32 and x.grad.dtype == np.float32
    x64 = rng.standard_normal((1, 2, 5, 5))
    gg.gradcheck(lambda t: ops.max_pool2d(t, 3, 2, 1), [x64])
    gg.gradcheck(lambda t: ops.avg_pool2d(t, 3, 2, 1, count_include_pad=False), [x64])
    gg.gradcheck(lambda t: ops.interpolate(t, size=(7, 3), mode="bilinear"), [x64])
    gg.gradcheck(lambda t: ops.adaptive_avg_pool2d(t, (2, 3)), [x64])


def test_pool_errors():
    with pytest.raises(ValueError, match="4-D"):
        ops.max_pool2d(gg.zeros((3, 8, 8)), 2)
    with pytest.raises(ValueError, match="at most half"):
        ops.max_pool2d(gg.zeros((1, 1, 8, 8)), 2, padding=2)
    with pytest.raises(ValueError, match="does not fit"):
        ops.avg_pool2d(gg.zeros((1, 1, 2, 2)), 3)
    with pytest.raises(ValueError, match="exactly one of size and scale_factor"):
        ops.interpolate(gg.zeros((1, 1, 2, 2)))
