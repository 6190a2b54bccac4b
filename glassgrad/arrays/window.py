"""Window arithmetic: the one home of the sliding-window sizes that convolution and pooling share.

A window of ``kernel`` taps, ``dilation`` apart, slides with ``stride`` over an input padded
by ``pads``. Along one axis it covers the padded positions ``o*s + i*d`` for tap ``i`` at
output position ``o``, so the output length is

    out = (in + pads - d(k - 1) - 1) // s + 1            (floor; pooling's ceil_mode rounds up)

and tap ``i`` sees, across all output positions, the strided slice
``[i*d : i*d + s*(out - 1) + 1 : s]`` of the padded input. ``ConvGeometry`` and
``PoolGeometry`` name every number of one window layout, so ops pass one named value
instead of positional tuples.
"""

from __future__ import annotations

import itertools
import numbers
from typing import Any, NamedTuple

import numpy as np

Pair = tuple[int, int]


def pair(value: int | tuple[int, ...] | list[int], name: str = "value") -> Pair:
    """An int or a 2-sequence of ints as a (height, width) pair."""
    if isinstance(value, numbers.Integral):
        return (int(value), int(value))
    value = tuple(int(v) for v in value)
    if len(value) != 2:
        raise ValueError(f"{name} must be an int or a pair of ints, got {value}")
    return value  # type: ignore[return-value]


def out_size(size: int, kernel: int, stride: int, pad_total: int, dilation: int, ceil_mode: bool = False) -> int:
    """Output length along one axis: (in + pads - d(k-1) - 1) // s + 1.

    With ``ceil_mode`` (pooling) the division rounds up, except that the last window may
    not start inside the right padding (pad_total is then the two equal sides' sum).
    """
    span = size + pad_total - dilation * (kernel - 1) - 1
    if not ceil_mode:
        return span // stride + 1
    out = -(-span // stride) + 1
    if (out - 1) * stride >= size + pad_total // 2:  # the last window would start in the right padding
        out -= 1
    return out


def lowest(dtype: Any) -> Any:
    """What max pooling pads with: -inf for a floating dtype, the smallest value of an integer one
    (as torch), False for bool."""
    dtype = np.dtype(dtype)
    if dtype.kind == "f":
        return -np.inf
    return np.iinfo(dtype).min if dtype.kind in "iu" else False


def tap_slice(tap: int, stride: int, dilation: int, out: int) -> slice:
    """The positions of the padded input that tap ``tap`` sees across ``out`` output positions."""
    start = tap * dilation
    return slice(start, start + stride * (out - 1) + 1, stride)


def tap_slices(kernel: Pair, stride: Pair, dilation: Pair, out_hw: Pair) -> list[tuple[slice, ...]]:
    """For each kernel tap (i, j), row-major: the (rows, cols) slices of the padded input that
    the tap sees across all output positions. Any number of spatial axes: a 3-D kernel gives
    (depths, rows, cols) slices per tap (i, j, l)."""
    per_axis = [[tap_slice(i, s, d, o) for i in range(k)] for k, s, d, o in zip(kernel, stride, dilation, out_hw)]
    return list(itertools.product(*per_axis))


class ConvGeometry(NamedTuple):
    """Every number of one convolution's window layout: 2-D as named, or any number of spatial axes
    (a 3-D convolution's in_hw is (D, H, W) and its pads (front, back, top, bottom, left, right))."""

    in_hw: Pair  # (H, W) of the unpadded input
    kernel: Pair  # (kh, kw)
    stride: Pair
    pads: tuple[int, int, int, int]  # (top, bottom, left, right): (before, after) per axis
    dilation: Pair
    out_hw: Pair  # (Ho, Wo)
    groups: int = 1

    @property
    def padded_hw(self) -> Pair:
        return tuple(size + self.pads[2 * k] + self.pads[2 * k + 1]  # type: ignore[return-value]
                     for k, size in enumerate(self.in_hw))

    @classmethod
    def of(cls, in_hw: Pair, kernel: Pair, stride: Pair, pads: tuple[int, int, int, int], dilation: Pair,
           groups: int = 1) -> ConvGeometry:
        """The geometry with its output size worked out."""
        out_hw = tuple(out_size(size, k, s, pads[2 * a] + pads[2 * a + 1], d)
                       for a, (size, k, s, d) in enumerate(zip(in_hw, kernel, stride, dilation)))
        return cls(tuple(in_hw), tuple(kernel), tuple(stride), tuple(pads), tuple(dilation), out_hw,  # type: ignore[arg-type]
                   groups)


class PoolGeometry(NamedTuple):
    """Every number of one pooling window layout (2-D as named; any number of spatial axes works).

    ``pads`` is ((top, bottom), (left, right)): ``padding`` on the top and left; on the bottom
    and right, as much as the last window needs (at most ``padding``, more with ceil_mode).
    """

    kernel: Pair
    stride: Pair
    padding: Pair
    dilation: Pair
    out_hw: Pair
    pads: tuple[Pair, Pair]

    @classmethod
    def of(cls, in_hw: Pair, kernel: Pair, stride: Pair, padding: Pair, dilation: Pair, out_hw: Pair) -> PoolGeometry:
        need = [(o - 1) * s + d * (k - 1) + 1 for o, s, d, k in zip(out_hw, stride, dilation, kernel)]
        pads = tuple((p, max(0, need_ - size - p)) for p, need_, size in zip(padding, need, in_hw))
        return cls(kernel, stride, padding, dilation, out_hw, pads)  # type: ignore[arg-type]

    def taps(self) -> list[tuple[slice, ...]]:
        """(rows, cols) slices of the padded input, one per tap, row-major ((depths, rows, cols) in 3-D)."""
        return tap_slices(self.kernel, self.stride, self.dilation, self.out_hw)
