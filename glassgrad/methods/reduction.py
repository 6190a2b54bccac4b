"""Reductions, scans, sorting and comparisons as Tensor methods.

Each method is a one-line delegation to the functional op of the same name in
``glassgrad.ops`` (reduce.py, reduce_extrema.py, reduce_stats.py, scan.py,
sort.py, compare.py), which documents the math and the gradient.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import glassgrad

if TYPE_CHECKING:
    from glassgrad.tensor import Tensor


class ReductionMethods:
    """Methods that reduce, scan, sort or compare."""

    # ----- sums and products ------------------------------------------------
    def sum(self, dim: Any = None, keepdim: bool = False, *, dtype: Any = None, axis: Any = None,
            keepdims: bool | None = None) -> Tensor:
        return glassgrad.ops.sum(self, dim, keepdim, dtype=dtype, axis=axis, keepdims=keepdims)

    def mean(self, dim: Any = None, keepdim: bool = False, *, dtype: Any = None, axis: Any = None,
             keepdims: bool | None = None) -> Tensor:
        return glassgrad.ops.mean(self, dim, keepdim, dtype=dtype, axis=axis, keepdims=keepdims)

    def nansum(self, dim: Any = None, keepdim: bool = False, *, dtype: Any = None) -> Tensor:
        return glassgrad.ops.nansum(self, dim, keepdim, dtype=dtype)

    def nanmean(self, dim: Any = None, keepdim: bool = False, *, dtype: Any = None) -> Tensor:
        return glassgrad.ops.nanmean(self, dim, keepdim, dtype=dtype)

    def prod(self, dim: int | None = None, keepdim: bool = False, *, dtype: Any = None) -> Tensor:
        return glassgrad.ops.prod(self, dim, keepdim, dtype=dtype)

    # ----- extremes ---------------------------------------------------------
    def max(self, dim: Any = None, keepdim: bool = False, *, axis: Any = None, keepdims: bool | None = None) -> Any:
        """The largest value; with ``dim``, torch's ``(values, indices)``; with a tensor, ``maximum``."""
        return glassgrad.ops.max(self, dim, keepdim, axis=axis, keepdims=keepdims)

    def min(self, dim: Any = None, keepdim: bool = False, *, axis: Any = None, keepdims: bool | None = None) -> Any:
        """The smallest value; with ``dim``, torch's ``(values, indices)``; with a tensor, ``minimum``."""
        return glassgrad.ops.min(self, dim, keepdim, axis=axis, keepdims=keepdims)

    def amax(self, dim: Any = (), keepdim: bool = False) -> Tensor:
        return glassgrad.ops.amax(self, dim, keepdim)

    def amin(self, dim: Any = (), keepdim: bool = False) -> Tensor:
        return glassgrad.ops.amin(self, dim, keepdim)

    def aminmax(self, *, dim: int | None = None, keepdim: bool = False) -> Any:
        return glassgrad.ops.aminmax(self, dim=dim, keepdim=keepdim)

    def argmax(self, dim: int | None = None, keepdim: bool = False, *, axis: Any = None,
               keepdims: bool | None = None) -> Tensor:
        return glassgrad.ops.argmax(self, dim, keepdim, axis=axis, keepdims=keepdims)

    def argmin(self, dim: int | None = None, keepdim: bool = False, *, axis: Any = None,
               keepdims: bool | None = None) -> Tensor:
        return glassgrad.ops.argmin(self, dim, keepdim, axis=axis, keepdims=keepdims)

    # ----- statistics -------------------------------------------------------
    def var(self, dim: Any = None, unbiased: Any = None, keepdim: bool = False, *, correction: Any = None,
            axis: Any = None, keepdims: bool | None = None) -> Tensor:
        return glassgrad.ops.var(self, dim, unbiased, keepdim, correction=correction, axis=axis, keepdims=keepdims)

    def std(self, dim: Any = None, unbiased: Any = None, keepdim: bool = False, *, correction: Any = None,
            axis: Any = None, keepdims: bool | None = None) -> Tensor:
        return glassgrad.ops.std(self, dim, unbiased, keepdim, correction=correction, axis=axis, keepdims=keepdims)

    def logsumexp(self, dim: Any, keepdim: bool = False) -> Tensor:
        return glassgrad.ops.logsumexp(self, dim, keepdim)

    def norm(self, p: Any = "fro", dim: Any = None, keepdim: bool = False, dtype: Any = None) -> Tensor:
        return glassgrad.ops.norm(self, p, dim, keepdim, dtype)

    # ----- logical ----------------------------------------------------------
    def all(self, dim: Any = None, keepdim: bool = False) -> Tensor:
        return glassgrad.ops.all(self, dim, keepdim)

    def any(self, dim: Any = None, keepdim: bool = False) -> Tensor:
        return glassgrad.ops.any(self, dim, keepdim)

    def count_nonzero(self, dim: Any = None) -> Tensor:
        return glassgrad.ops.count_nonzero(self, dim)

    # ----- scans ------------------------------------------------------------
    def cumsum(self, dim: int, *, dtype: Any = None) -> Tensor:
        return glassgrad.ops.cumsum(self, dim, dtype=dtype)

    def cumprod(self, dim: int, *, dtype: Any = None) -> Tensor:
        return glassgrad.ops.cumprod(self, dim, dtype=dtype)

    def cummax(self, dim: int) -> Any:
        return glassgrad.ops.cummax(self, dim)

    def cummin(self, dim: int) -> Any:
        return glassgrad.ops.cummin(self, dim)

    def logcumsumexp(self, dim: int) -> Tensor:
        return glassgrad.ops.logcumsumexp(self, dim)

    # ----- sorting and order statistics --------------------------------------
    def sort(self, dim: int = -1, descending: bool = False, stable: bool = False) -> Any:
        return glassgrad.ops.sort(self, dim, descending, stable)

    def argsort(self, dim: int = -1, descending: bool = False, stable: bool = False) -> Tensor:
        return glassgrad.ops.argsort(self, dim, descending, stable)

    def msort(self) -> Tensor:
        return glassgrad.ops.msort(self)

    def topk(self, k: int, dim: int = -1, largest: bool = True, sorted: bool = True) -> Any:  # noqa: A002
        return glassgrad.ops.topk(self, k, dim, largest, sorted)

    def kthvalue(self, k: int, dim: int = -1, keepdim: bool = False) -> Any:
        return glassgrad.ops.kthvalue(self, k, dim, keepdim)

    def median(self, dim: int | None = None, keepdim: bool = False) -> Any:
        return glassgrad.ops.median(self, dim, keepdim)

    def mode(self, dim: int = -1, keepdim: bool = False) -> Any:
        return glassgrad.ops.mode(self, dim, keepdim)

    # ----- comparisons (bool results, no gradient) ----------------------------
    def eq(self, other: Any) -> Tensor:
        return glassgrad.ops.eq(self, other)

    def ne(self, other: Any) -> Tensor:
        return glassgrad.ops.ne(self, other)

    def lt(self, other: Any) -> Tensor:
        return glassgrad.ops.lt(self, other)

    def le(self, other: Any) -> Tensor:
        return glassgrad.ops.le(self, other)

    def gt(self, other: Any) -> Tensor:
        return glassgrad.ops.gt(self, other)

    def ge(self, other: Any) -> Tensor:
        return glassgrad.ops.ge(self, other)

    not_equal, less, less_equal, greater, greater_equal = ne, lt, le, gt, ge

    def isnan(self) -> Tensor:
        return glassgrad.ops.isnan(self)

    def isinf(self) -> Tensor:
        return glassgrad.ops.isinf(self)

    def isfinite(self) -> Tensor:
        return glassgrad.ops.isfinite(self)

    def isposinf(self) -> Tensor:
        return glassgrad.ops.isposinf(self)

    def isneginf(self) -> Tensor:
        return glassgrad.ops.isneginf(self)

    def isclose(self, other: Any, rtol: float = 1e-05, atol: float = 1e-08, equal_nan: bool = False) -> Tensor:
        return glassgrad.ops.isclose(self, other, rtol, atol, equal_nan)

    def allclose(self, other: Any, rtol: float = 1e-05, atol: float = 1e-08, equal_nan: bool = False) -> bool:
        return glassgrad.ops.allclose(self, other, rtol, atol, equal_nan)

    def equal(self, other: Any) -> bool:
        return glassgrad.ops.equal(self, other)

    # ----- quantiles and distances (ops/reduce_quantile.py, ops/reduce_dist.py) -------------------------
    def quantile(self, q: Any, dim: int | None = None, keepdim: bool = False, *,
                 interpolation: str = "linear") -> Tensor:
        return glassgrad.ops.quantile(self, q, dim, keepdim, interpolation=interpolation)

    def nanquantile(self, q: Any, dim: int | None = None, keepdim: bool = False, *,
                    interpolation: str = "linear") -> Tensor:
        return glassgrad.ops.nanquantile(self, q, dim, keepdim, interpolation=interpolation)

    def nanmedian(self, dim: int | None = None, keepdim: bool = False) -> Any:
        return glassgrad.ops.nanmedian(self, dim, keepdim)

    def dist(self, other: Any, p: float = 2) -> Tensor:
        return glassgrad.ops.dist(self, other, p)

    def renorm(self, p: float, dim: int, maxnorm: float) -> Tensor:
        return glassgrad.ops.renorm(self, p, dim, maxnorm)

    def cov(self, *, correction: int = 1, fweights: Any = None, aweights: Any = None) -> Tensor:
        return glassgrad.ops.cov(self, correction=correction, fweights=fweights, aweights=aweights)

    def corrcoef(self) -> Tensor:
        return glassgrad.ops.corrcoef(self)

    def unique(self, sorted: bool = True, return_inverse: bool = False,  # noqa: A002
               return_counts: bool = False, dim: int | None = None) -> Any:
        """torch.unique as a method (glassgrad/ops/counting.py)."""
        return glassgrad.ops.unique(self, sorted, return_inverse, return_counts, dim)

    def bincount(self, weights: Any = None, minlength: int = 0) -> Tensor:
        return glassgrad.ops.bincount(self, weights, minlength)

    def histc(self, bins: int = 100, min: Any = 0, max: Any = 0) -> Tensor:  # noqa: A002
        return glassgrad.ops.histc(self, bins, min, max)

    def histogram(self, bins: Any = 100, *, range: Any = None, weight: Any = None,  # noqa: A002
                  density: bool = False) -> Any:
        return glassgrad.ops.histogram(self, bins, range=range, weight=weight, density=density)

    def sum_to_size(self, *size: Any) -> Tensor:
        """The sum over the dims that broadcasting ``size`` to this shape would expand (its leading extra
        dims, and its dims of size 1 where this tensor's are not): the adjoint of ``expand``."""
        target = tuple(size[0]) if len(size) == 1 and isinstance(size[0], tuple | list) else tuple(size)
        lead = self.ndim - len(target)
        if lead < 0 or any(t not in (1, n) for t, n in zip(target, tuple(self.shape)[lead:])):
            raise RuntimeError(f"size {{{list(target)}}} is not expandable to size {{{list(self.shape)}}}.")
        dims = tuple(range(lead)) + tuple(lead + i for i, (t, n) in enumerate(zip(target, self.shape[lead:]))
                                           if t == 1 and n != 1)
        if self.ndim == 0:
            return self.sum()  # torch sums a 0-d tensor too (a bool becomes int64)
        out = self.sum(dims, keepdim=True) if dims else self
        return out.reshape(target)
