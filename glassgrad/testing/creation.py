"""``make_tensor``: torch.testing's random test tensor of any shape and dtype.

Values are drawn uniformly from [low, high) (integers: ``low`` rounded up, ``high`` exclusive),
by default [-9, 9] for floats, [-9, 10) for integers, [0, 10) for uint8 and {False, True} for
bool; bounds outside the dtype's range are clipped to it. ``exclude_zero`` replaces zeros (by 1
for integers and the smallest normal number for floats); ``noncontiguous`` returns a strided view
(every second element of a twice-as-wide buffer along the last axis). The draws come from
glassgrad's generator (``glassgrad.manual_seed``), so they differ from torch's for one seed.
"""

from __future__ import annotations

import math
import warnings
from typing import Any

import numpy

from glassgrad import dtypes
from glassgrad.random import resolve_rng
from glassgrad.tensor import Tensor


def make_tensor(*shape: Any, dtype: Any, device: Any, low: float | None = None, high: float | None = None,
                requires_grad: bool = False, noncontiguous: bool = False, exclude_zero: bool = False,
                memory_format: Any = None) -> Tensor:  # noqa: ARG001  (one memory format here: contiguous)
    """A tensor of ``shape`` filled with random values of ``dtype`` (see the module text)."""
    size = tuple(shape[0]) if len(shape) == 1 and isinstance(shape[0], tuple | list) else tuple(shape)
    dtype = dtypes.to_dtype(dtype)
    values = _draw(size, dtype, low, high)
    if exclude_zero:
        values[values == 0] = 1 if dtype.kind in "iub" else numpy.finfo(dtype).tiny
    if noncontiguous and values.ndim:
        wide = numpy.zeros(size[:-1] + (2 * size[-1],), dtype=dtype)
        wide[..., 1::2] = values
        values = wide[..., 1::2]  # (..., n) view, stride 2 on the last axis
    tensor = Tensor._make(values, False).to(device)
    return tensor.requires_grad_(True) if requires_grad else tensor


def _draw(size: tuple[int, ...], dtype: numpy.dtype, low: float | None, high: float | None) -> Any:
    rng = resolve_rng(None)
    if dtype.kind == "b":
        return rng.integers(0, 2, size).astype(bool)
    if dtype.kind in "iu":
        info = numpy.iinfo(dtype)
        low, high = _bounds(low, high, -9, 10, info.min, info.max)
        low, high = math.ceil(low), math.ceil(high)
        if low >= high:
            raise ValueError(f"`low` must be less than `high`, but got {low} >= {high}")
        return rng.integers(low, high, size).astype(dtype)
    info = numpy.finfo(dtype)
    low, high = _bounds(low, high, -9, 9, float(info.min), float(info.max))
    if low > high:
        raise ValueError(f"`low` must be less than `high`, but got {low} >= {high}")
    if low == high:
        warnings.warn("Passing `low==high` to `make_tensor` for floating types is deprecated in torch; use "
                      "`full(...)` instead", FutureWarning, stacklevel=3)
    return rng.uniform(low, high, size).astype(dtype)


def _bounds(low: float | None, high: float | None, default_low: float, default_high: float,
            lowest: float, highest: float) -> tuple[float, float]:
    """The draw's bounds: the defaults where not given, clipped to the dtype's range; NaN refused."""
    if (low is not None and math.isnan(low)) or (high is not None and math.isnan(high)):
        raise ValueError(f"`low` and `high` cannot be NaN, but got low={low} and high={high}")
    low = max(default_low if low is None else low, lowest)
    high = min(default_high if high is None else high, highest)
    return low, high
