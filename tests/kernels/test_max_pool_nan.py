"""max_pool2d on NaN input, in both kernel modes, against torch: a NaN is the window's maximum, and
its gradient goes to the window's last NaN tap (the plain path's running maximum lets a NaN tap take
the window over; the fast kernel routes the windows no tap equals by a second pass)."""

from __future__ import annotations

import numpy as np
import pytest

import glassgrad as gg
from glassgrad import kernels
from glassgrad.nn import functional as F

GEOMETRIES = {  # kernel_size, stride, padding
    "tiled": (2, 2, 0),
    "overlapping": (3, 1, 1),
    "strided": (3, 2, 1),
    "row": ((1, 3), 1, 0),
}


def _input() -> np.ndarray:
    x = np.random.default_rng(3).standard_normal((2, 2, 6, 6))
    x[0, 0, 0, 1] = x[0, 0, 1, 0] = np.nan  # two NaNs in one window
    x[0, 1, 2:4, 2:4] = np.nan  # a NaN block
    x[1, 0, 5, 5] = np.nan  # a corner (padding around it)
    x[1, 1, 3, 0] = np.nan
    return x


def _pool(lib, x: np.ndarray, geometry: str) -> tuple[np.ndarray, np.ndarray]:
    kernel, stride, padding = GEOMETRIES[geometry]
    t = lib.tensor(x, requires_grad=True)
    functional = F if lib is gg else lib.nn.functional
    y = functional.max_pool2d(t, kernel, stride, padding)
    y.backward(lib.ones_like(y))
    return np.asarray(y.detach().numpy()), np.asarray(t.grad.numpy())


@pytest.mark.parametrize("geometry", GEOMETRIES)
@pytest.mark.parametrize("mode", kernels.MODES)
def test_nan_is_the_maximum_and_takes_the_gradient_as_in_torch(torch, mode, geometry):
    x = _input()
    expected_y, expected_dx = _pool(torch, x, geometry)
    with kernels.use(mode):
        y, dx = _pool(gg, x, geometry)
    np.testing.assert_array_equal(y, expected_y)  # NaNs in the same places, the same maxima elsewhere
    np.testing.assert_array_equal(dx, expected_dx)


OTHER_POOLS = {  # the N-d search (indices), the adaptive windows: the same rule
    "max_pool1d": lambda F, t: F.max_pool1d(t.reshape(2, 4, 18), 3, 2, 1, return_indices=True),
    "max_pool2d_indices": lambda F, t: F.max_pool2d(t, 3, 1, 1, return_indices=True),
    "max_pool3d": lambda F, t: F.max_pool3d(t.reshape(2, 2, 4, 3, 3), 2, 1, return_indices=True),
    "adaptive_max_pool1d": lambda F, t: F.adaptive_max_pool1d(t.reshape(2, 4, 18), 4, return_indices=True),
    "adaptive_max_pool2d": lambda F, t: F.adaptive_max_pool2d(t, 4, return_indices=True),
    "adaptive_max_pool3d": lambda F, t: F.adaptive_max_pool3d(t.reshape(2, 2, 4, 3, 3), 2, return_indices=True),
}


def _pool_with_indices(lib, x: np.ndarray, name: str) -> tuple[np.ndarray, ...]:
    t = lib.tensor(x, requires_grad=True)
    y, indices = OTHER_POOLS[name](F if lib is gg else lib.nn.functional, t)
    y.backward(lib.ones_like(y))
    return np.asarray(y.detach().numpy()), np.asarray(indices.numpy()), np.asarray(t.grad.numpy())


@pytest.mark.parametrize("name", OTHER_POOLS)
def test_the_other_max_poolings_pick_torch_s_nan_winner(torch, name):
    x = _input()
    for got, expected in zip(_pool_with_indices(gg, x, name), _pool_with_indices(torch, x, name)):
        np.testing.assert_array_equal(got, expected)
