"""Quantiles along a dim: quantile, nanquantile, nanmedian.

For a slice of n values sorted as v_0 <= ... <= v_{n-1}, the q-quantile sits at
the fractional rank r = q (n - 1), between v_lo and v_hi (lo = floor r,
hi = ceil r). ``interpolation`` says what to return there:

    linear    v_lo + (r - lo)(v_hi - v_lo)       nearest   v_{round(r)} (ties to even)
    lower     v_lo                                higher    v_hi
    midpoint  (v_lo + v_hi) / 2

As torch does, the result is composed of differentiable picks and a lerp, so
the gradient goes to the one or two elements the quantile was read from
(weights 1 - w and w). NaN: ``quantile`` returns NaN for a slice holding one;
``nanquantile`` and ``nanmedian`` skip NaNs (n counts the others) and return
NaN only for a slice of NaNs.
"""

from __future__ import annotations

from typing import Any

import numpy

from glassgrad import backend, return_types
from glassgrad.ops.movement_join import stack
from glassgrad.ops.pointwise_math import lerp
from glassgrad.ops.reduce_dims import check_dim
from glassgrad.ops.reduce_select import equal_share, index_result, take_along_dim
from glassgrad.ops.sort import sorted_order
from glassgrad.tensor import Tensor, as_tensor

# This family's functions in glassgrad.ops, torch and torch.nn.functional (glassgrad/ops/families.py):
__all__ = ["nanmedian", "nanquantile", "quantile"]
TORCH_NAMES = __all__
FUNCTIONAL_NAMES = []

INTERPOLATIONS = ("linear", "lower", "higher", "midpoint", "nearest")


def _quantile_levels(name: str, q: Any, dtype: Any) -> tuple[Any, bool]:
    """q as a 1-D array of ``dtype`` and whether it was a scalar; checks torch's rules for q."""
    if isinstance(q, Tensor):
        if q.ndim > 1:
            raise RuntimeError(f"{name}() q must be a scalar or 1D tensor")
        if q.dtype != dtype:
            raise RuntimeError(f"{name}() q tensor must be same dtype as the input tensor")
        levels, scalar = backend.xp.asarray(q.array).reshape(-1), q.ndim == 0
    elif isinstance(q, bool | int | float):
        levels, scalar = backend.xp.asarray([q], dtype=dtype), True
    else:
        raise TypeError(f"{name}(): q must be a float or a Tensor, got {type(q).__name__}")
    if levels.size and not ((levels >= 0) & (levels <= 1)).all():
        bad = levels[~((levels >= 0) & (levels <= 1))][0]
        raise RuntimeError(f"{name}() q must be in the range [0, 1] but got {float(bad):g}")
    return levels, scalar


def _ranks(levels: Any, valid: Any, n: int, has_nan: Any, dtype: Any) -> Any:
    """Fractional ranks r = q (valid - 1), one per level and slice (levels first), as torch places
    them: a slice of NaNs (nanquantile) at rank 0, a slice holding a NaN (quantile) at the last
    rank; both are NaNs, which sort last."""
    xp = backend.xp
    shape = (levels.size,) + (1,) * valid.ndim
    ranks = xp.maximum(levels.reshape(shape) * (valid - 1).astype(dtype), 0)
    return xp.where(has_nan & (valid > 0), xp.asarray(n - 1, dtype=dtype), ranks)


def _picks(ranks: Any, interpolation: str) -> tuple[Any, Any, Any]:
    """The sorted positions below and above each rank, and the lerp weight between them."""
    xp = backend.xp
    if interpolation in ("lower", "higher", "nearest"):
        rounding = {"lower": xp.floor, "higher": xp.ceil, "nearest": xp.rint}[interpolation]
        position = rounding(ranks).astype(numpy.int64)
        return position, position, None
    below, above = xp.floor(ranks).astype(numpy.int64), xp.ceil(ranks).astype(numpy.int64)
    weight = xp.full(ranks.shape, 0.5, dtype=ranks.dtype) if interpolation == "midpoint" else ranks - below
    return below, above, weight


def _quantile(name: str, input: Any, q: Any, dim: int | None, keepdim: bool,  # noqa: A002
              interpolation: str, skip_nan: bool) -> Tensor:
    x = as_tensor(input)
    if x.dtype.kind != "f":
        raise RuntimeError(f"{name}() input tensor must be either float or double dtype")
    if interpolation not in INTERPOLATIONS:
        raise RuntimeError(f"{name}() interpolation must be one of linear, lower, higher, midpoint or nearest, "
                           f"but got {interpolation}")
    levels, scalar_q = _quantile_levels(name, q, x.dtype)
    if x.numel() == 0:
        raise RuntimeError(f"{name}() input tensor must be non-empty")
    xp = backend.xp
    if dim is None:
        rows, axis = x.reshape(-1), 0
        out_shape = (1,) * x.ndim if keepdim else ()
    else:
        axis = check_dim(dim, x.ndim, name)
        rows = x.reshape(x.shape or (1,))
        out_shape = tuple(1 if a == axis else s for a, s in enumerate(x.shape)) if keepdim else \
            tuple(s for a, s in enumerate(x.shape) if a != axis)
    array = rows.array
    n = array.shape[axis]
    order = sorted_order(array, axis)  # NaN sorts last
    nans = xp.isnan(array).sum(axis=axis, keepdims=True)
    valid = n - nans if skip_nan else xp.full(nans.shape, n)
    has_nan = (valid == 0) if skip_nan else (nans > 0)
    below, above, weight = _picks(_ranks(levels, valid, n, has_nan, x.dtype), interpolation)
    results = []
    for k in range(levels.size):
        low = take_along_dim(rows, xp.take_along_axis(order, below[k], axis=axis), axis)
        if weight is None:
            results.append(low)
            continue
        high = take_along_dim(rows, xp.take_along_axis(order, above[k], axis=axis), axis)
        results.append(lerp(low, high, Tensor._make(weight[k], False)))
    if scalar_q:
        return results[0].reshape(out_shape)
    if not results:
        return rows.reshape(-1)[:0].reshape((0,) + out_shape)  # no levels: empty, still in the graph
    return stack([r.reshape(out_shape) for r in results], 0)


def quantile(input: Tensor, q: Any, dim: int | None = None, keepdim: bool = False, *,  # noqa: A002
             interpolation: str = "linear") -> Tensor:
    """The q-quantiles of ``input`` along ``dim`` (of all elements when ``dim`` is None); a 1-D ``q``
    puts the levels in a new first dim (torch.quantile). NaN for a slice holding a NaN."""
    return _quantile("quantile", input, q, dim, keepdim, interpolation, skip_nan=False)


def nanquantile(input: Tensor, q: Any, dim: int | None = None, keepdim: bool = False, *,  # noqa: A002
                interpolation: str = "linear") -> Tensor:
    """``quantile`` ignoring NaN values (torch.nanquantile); NaN only for a slice of NaNs."""
    return _quantile("nanquantile", input, q, dim, keepdim, interpolation, skip_nan=True)


def nanmedian(input: Any, dim: int | None = None, keepdim: bool = False) -> Any:  # noqa: A002
    """The lower median ignoring NaN values (torch.nanmedian); NaN for a slice of NaNs.

    ``nanmedian(input)``: a 0-d tensor, tied elements share the gradient evenly (as ``median``).
    ``nanmedian(input, dim)``: ``(values, indices)``, the gradient goes to the index returned.
    """
    x = as_tensor(input)
    xp = backend.xp
    if dim is None:
        if x.numel() == 0:  # NaN, as torch (and as median)
            if x.dtype.kind != "f":
                raise RuntimeError(f"nanmedian() of an empty {x.dtype} tensor: it has no NaN to return")
            return equal_share(x, xp.asarray(xp.nan, dtype=x.dtype))
        flat = xp.sort(x.array.reshape(-1))  # NaN sorts last
        valid = int((~xp.isnan(flat)).sum()) if flat.dtype.kind == "f" else flat.size
        return equal_share(x, flat[max(valid - 1, 0) // 2])
    axis = check_dim(dim, x.ndim, "nanmedian")
    array = x.array.reshape(x.shape or (1,))
    if array.shape[axis] == 0:
        raise IndexError(f"nanmedian(): Expected reduction dim {axis} to have non-zero size "
                         f"(input shape {tuple(x.shape)})")
    n = array.shape[axis]
    valid = n - xp.isnan(array).sum(axis=axis, keepdims=True) if array.dtype.kind == "f" else \
        xp.full(tuple(1 if a == axis else s for a, s in enumerate(array.shape)), n)
    position = xp.maximum(valid - 1, 0) // 2  # a slice of NaNs: its first element (a NaN)
    indices = xp.take_along_axis(sorted_order(array, axis), position, axis=axis)
    return return_types.nanmedian(take_along_dim(x, indices, axis, keepdim=keepdim),
                                  index_result(indices, keepdim, axis, x.ndim))
