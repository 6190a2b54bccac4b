"""The window arithmetic's one home: output sizes, tap slices and the named geometries."""

from __future__ import annotations

import numpy as np
import pytest

from glassgrad.arrays.window import ConvGeometry, PoolGeometry, out_size, pair, tap_slices


@pytest.mark.parametrize("size,kernel,stride,pads,dilation,expected", [
    (7, 3, 1, 2, 1, 7), (8, 3, 2, 0, 1, 3), (9, 2, 3, 2, 2, 3), (5, 5, 1, 0, 1, 1), (5, 1, 1, 0, 1, 5)])
def test_out_size_is_the_convolution_formula(size, kernel, stride, pads, dilation, expected):
    assert out_size(size, kernel, stride, pads, dilation) == expected
    windows = [o * stride for o in range(expected)]
    assert windows[-1] + dilation * (kernel - 1) < size + pads  # the last window fits the padded input


@pytest.mark.parametrize("size,kernel,stride,padding,expected", [(5, 2, 2, 0, 3), (6, 3, 2, 1, 4), (7, 3, 3, 1, 3)])
def test_ceil_mode_never_starts_a_window_in_the_right_padding(size, kernel, stride, padding, expected):
    out = out_size(size, kernel, stride, 2 * padding, 1, ceil_mode=True)
    assert out == expected
    assert (out - 1) * stride < size + padding


def test_tap_slices_see_every_window_position():
    x = np.arange(8 * 9).reshape(8, 9)
    kernel, stride, dilation, out_hw = (2, 3), (2, 1), (1, 2), (4, 5)
    taps = tap_slices(kernel, stride, dilation, out_hw)
    assert len(taps) == 6
    for t, (rows, cols) in enumerate(taps):
        i, j = divmod(t, kernel[1])
        for a in range(out_hw[0]):
            for b in range(out_hw[1]):
                assert x[rows, cols][a, b] == x[a * stride[0] + i * dilation[0], b * stride[1] + j * dilation[1]]


def test_named_geometries():
    g = ConvGeometry.of((7, 6), (3, 3), (2, 1), (1, 1, 0, 2), (1, 1), groups=2)
    assert g.out_hw == (4, 6) and g.padded_hw == (9, 8) and g.groups == 2
    p = PoolGeometry.of((5, 5), (2, 2), (2, 2), (0, 0), (1, 1), (3, 3))  # ceil_mode: one extra row and column
    assert p.pads == ((0, 1), (0, 1)) and len(p.taps()) == 4
    assert pair(3) == (3, 3) and pair([2, 4]) == (2, 4)
    with pytest.raises(ValueError, match="pair"):
        pair((1, 2, 3), "stride")
