"""kernels/row_copy.py: copying short contiguous rows as one item each gives copyto's result, byte for byte."""

import numpy as np
import pytest

from glassgrad.arrays.im2col import channel_major, im2col, window_view
from glassgrad.kernels.row_copy import applies, as_row_items, copy_rows


def _data(shape: tuple[int, ...], dtype: str) -> np.ndarray:
    values = np.random.default_rng(0).standard_normal(shape) * 10
    if dtype == "bool":
        return values > 0
    if dtype.startswith("complex"):
        return (values + 1j * values[::-1]).astype(dtype)
    return values.astype(dtype)


@pytest.mark.parametrize("dtype", ["float32", "float64", "int8", "bool", "complex64", "float16"])
def test_cropped_rows_into_a_wider_array(dtype: str) -> None:
    src = _data((3, 5, 9, 11), dtype)[..., 1:8, 2:9]  # rows of 7 inside rows of 11
    dst = np.zeros((3, 5, 9, 10), dtype)
    expected = dst.copy()
    expected[..., 1:8, 3:10] = src
    assert applies(dst[..., 1:8, 3:10], src)
    copy_rows(dst[..., 1:8, 3:10], src)
    np.testing.assert_array_equal(dst.view(np.uint8), expected.view(np.uint8))


def test_transposed_source_and_destination() -> None:
    src = _data((4, 6, 5, 8), "float32").transpose(1, 0, 2, 3)  # axes 0 and 1 swapped: rows still contiguous
    dst = np.empty((6, 4, 5, 8), np.float32)
    copy_rows(dst, src)
    np.testing.assert_array_equal(dst, src)


def test_source_broadcast_along_a_leading_axis() -> None:
    src = np.broadcast_to(_data((1, 6, 9), "float32")[..., 1:8], (4, 6, 7))  # stride 0: the same rows again
    dst = np.zeros((4, 6, 7), np.float32)
    copy_rows(dst, src)
    np.testing.assert_array_equal(dst, src)


@pytest.mark.parametrize("case", ["strided rows", "long rows", "one axis", "empty"])
def test_other_arrays_fall_back_to_copyto(case: str) -> None:
    base = _data((4, 6, 300), "float32")
    src = {"strided rows": base[..., ::2], "long rows": base, "one axis": base[0, 0], "empty": base[:, :0]}[case]
    dst = np.zeros(src.shape, np.float32)
    assert not applies(dst, src)
    copy_rows(dst, src)
    np.testing.assert_array_equal(dst, src)


def test_items_view_the_same_memory() -> None:
    a = _data((5, 7, 3), "float32")
    items = as_row_items(a[:, 1:6])
    assert items.shape == (5, 5) and items.dtype.itemsize == 12
    assert np.shares_memory(items, a) or items.base is not None
    a_ro = a.copy()
    a_ro.flags.writeable = False
    assert not as_row_items(a_ro).flags.writeable


@pytest.mark.parametrize("stride, dilation, pads", [((1, 1), (1, 1), (1, 1, 1, 1)), ((2, 1), (1, 2), (0, 1, 2, 0)),
                                                     ((1, 2), (1, 1), (1, 1, 1, 1))])
def test_windows_gathered_row_by_row_equal_im2col(stride: tuple, dilation: tuple, pads: tuple) -> None:
    x = _data((3, 4, 9, 10), "float32")
    xcm = channel_major(x, pads, copy=copy_rows)
    np.testing.assert_array_equal(xcm, channel_major(x, pads))
    out_hw = tuple((xcm.shape[2 + a] - dilation[a] * 2 - 1) // stride[a] + 1 for a in range(2))
    cols = np.empty((4, 3, 3, 3) + out_hw, np.float32)
    copy_rows(cols, window_view(xcm, (3, 3), stride, dilation, out_hw))
    np.testing.assert_array_equal(cols, im2col(xcm, (3, 3), stride, dilation, out_hw))
