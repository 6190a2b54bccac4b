"""Reductions over the elements a mask keeps: torch.masked's sum, prod, amax, amin, argmax, argmin,
mean, median, logsumexp, norm, var, std.

Each masked-out element is first replaced by the reduction's identity, the value that does not
change its result (0 for sum and norm, 1 for prod, -inf or the dtype's lowest for amax and
argmax, +inf or the highest for amin and argmin, -inf for logsumexp, NaN for the median, which
then skips it); then the plain reduction runs. So a slice with nothing kept gives the identity
(amax: -inf), and mean, var and std, which count the kept elements, give NaN there. The mask
(bool, or any dtype read as bool) broadcasts to the input's shape; ``mask=None`` keeps everything.
Being ``where`` followed by the reduction, the gradient of a masked-out element is 0.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy

import glassgrad
from glassgrad import backend
from glassgrad.tensor import Tensor, as_tensor

Dims = int | Sequence[int] | None


def input_mask(x: Tensor, mask: Any) -> Tensor | None:
    """The mask as a bool tensor of x's shape (None stays None); a mask with more dims is refused."""
    if mask is None:
        return None
    m = as_tensor(mask)
    if m.ndim > x.ndim:
        raise IndexError("_input_mask expected broadcastable mask (got mask dimensionality higher than of the input)")
    array = m.array if m.dtype.kind == "b" else m.array.astype(bool)
    return Tensor._make(backend.xp.broadcast_to(array, tuple(x.shape)), False)


def identity(op: str, dtype: Any) -> Any:
    """The value that leaves ``op``'s result unchanged, in ``dtype`` (see the module docstring)."""
    dtype = numpy.dtype(dtype)
    floating = dtype.kind == "f"
    if op in ("sum", "cumsum", "norm"):
        return 0
    if op in ("prod", "cumprod"):
        return 1
    if op in ("amax", "argmax", "logsumexp", "logaddexp", "softmax"):
        return -numpy.inf if floating else (numpy.iinfo(dtype).min if dtype.kind in "iu" else False)
    if op in ("amin", "argmin", "softmin"):
        return numpy.inf if floating else (numpy.iinfo(dtype).max if dtype.kind in "iu" else True)
    if op == "median":
        return numpy.nan
    raise NotImplementedError(f"identity of {op} on {dtype} input")


def filled(op: str, x: Tensor, mask: Any) -> Tensor:
    """x with its masked-out elements replaced by ``op``'s identity (x itself when mask is None)."""
    m = input_mask(x, mask)
    if m is None:
        return x
    fill = Tensor._make(backend.xp.asarray(identity(op, x.dtype), dtype=x.dtype), False)
    return glassgrad.where(m, x, fill)


def canonical_dims(dim: Dims, ndim: int) -> tuple[int, ...]:
    """``dim`` as sorted non-negative dims; None or () is every dim (torch.masked's reading)."""
    if dim is None or dim == ():
        return tuple(range(ndim))
    dims = (dim,) if isinstance(dim, int) else tuple(dim)
    n = max(ndim, 1)
    out = []
    for d in dims:
        if not -n <= d < n:
            raise IndexError(f"Dimension out of range (expected to be in range of [{-n}, {n - 1}], but got {d})")
        if d % n in out:
            raise RuntimeError(f"dim={d} appears multiple times in the list of dims")
        out.append(d % n)
    return tuple(sorted(out)) if ndim else ()


def _sum_dtype(x: Tensor, dtype: Any) -> Any:
    """torch.masked's accumulation dtype: small integers and bool sum in int64."""
    if dtype is not None:
        return dtype
    return numpy.dtype(numpy.int64) if x.dtype.kind in "biu" else x.dtype


def sum(input: Tensor, dim: Dims = None, *, keepdim: bool = False, dtype: Any = None,  # noqa: A001, A002
        mask: Any = None) -> Tensor:
    """The sum of the kept elements over ``dim`` (torch.masked.sum)."""
    x = as_tensor(input)
    return glassgrad.sum(filled("sum", x, mask), canonical_dims(dim, x.ndim) or None, keepdim,
                         dtype=_sum_dtype(x, dtype))


def prod(input: Tensor, dim: Dims = None, *, keepdim: bool = False, dtype: Any = None,  # noqa: A002
         mask: Any = None) -> Tensor:
    """The product of the kept elements over ``dim`` (torch.masked.prod)."""
    x = as_tensor(input)
    out = filled("prod", x, mask).to(_sum_dtype(x, dtype))
    for d in reversed(canonical_dims(dim, x.ndim)):
        out = out.prod(d, keepdim=keepdim)
    return out if x.ndim else out.reshape(())


def amax(input: Tensor, dim: Dims = None, *, keepdim: bool = False, dtype: Any = None,  # noqa: A002
         mask: Any = None) -> Tensor:
    """The largest kept element over ``dim`` (-inf, or the dtype's lowest, where none is kept)."""
    x = as_tensor(input)
    out = glassgrad.amax(filled("amax", x, mask), canonical_dims(dim, x.ndim), keepdim)
    return out if dtype is None else out.to(dtype)


def amin(input: Tensor, dim: Dims = None, *, keepdim: bool = False, dtype: Any = None,  # noqa: A002
         mask: Any = None) -> Tensor:
    """The smallest kept element over ``dim`` (+inf, or the dtype's highest, where none is kept)."""
    x = as_tensor(input)
    out = glassgrad.amin(filled("amin", x, mask), canonical_dims(dim, x.ndim), keepdim)
    return out if dtype is None else out.to(dtype)


def argmax(input: Tensor, dim: int | None = None, *, keepdim: bool = False, dtype: Any = None,  # noqa: A002
           mask: Any = None) -> Tensor:
    """The position of the largest kept element along ``dim``, in ``dtype`` (by default the input's, as torch)."""
    x = as_tensor(input)
    return glassgrad.argmax(filled("argmax", x, mask), dim, keepdim).to(x.dtype if dtype is None else dtype)


def argmin(input: Tensor, dim: int | None = None, *, keepdim: bool = False, dtype: Any = None,  # noqa: A002
           mask: Any = None) -> Tensor:
    """The position of the smallest kept element along ``dim``, in ``dtype`` (by default the input's)."""
    x = as_tensor(input)
    return glassgrad.argmin(filled("argmin", x, mask), dim, keepdim).to(x.dtype if dtype is None else dtype)


def _count(x: Tensor, mask: Any, dims: tuple[int, ...], keepdim: bool) -> Tensor:
    """How many elements each slice keeps (int64)."""
    m = input_mask(x, mask)
    kept = Tensor._make(backend.xp.ones(tuple(x.shape), dtype=numpy.int64), False) if m is None else m.long()
    return glassgrad.sum(kept, dims or None, keepdim) if x.ndim else kept


def mean(input: Tensor, dim: Dims = None, *, keepdim: bool = False, dtype: Any = None,  # noqa: A002
         mask: Any = None) -> Tensor:
    """The mean of the kept elements over ``dim`` (NaN where none is kept)."""
    x = as_tensor(input)
    dims = canonical_dims(dim, x.ndim)
    total = sum(x, dims, keepdim=keepdim, dtype=dtype, mask=mask)
    return total / _count(x, mask, dims, keepdim)


def median(input: Tensor, dim: int = -1, *, keepdim: bool = False, dtype: Any = None,  # noqa: A002
           mask: Any = None) -> Tensor:
    """The lower median of the kept elements along ``dim`` (NaN where none is kept; an integer
    input must keep something in every slice)."""
    x = as_tensor(input)
    floating = x.dtype.kind == "f"
    values = x if floating else x.to(glassgrad.float32)
    (axis,) = canonical_dims(dim, x.ndim) or (0,)
    out = glassgrad.nanmedian(filled("median", values, mask), axis, keepdim).values
    if floating:
        return out if dtype is None else out.to(dtype)
    if bool(glassgrad.isnan(out).any()):
        raise ValueError("masked median expects no fully masked out rows if dtype is not floating point")
    return out.to(x.dtype if dtype is None else dtype)


def logsumexp(input: Tensor, dim: Dims = None, *, keepdim: bool = False, dtype: Any = None,  # noqa: A002
              mask: Any = None) -> Tensor:
    """log(sum(exp(x))) over the kept elements (-inf where none is kept)."""
    x = as_tensor(input)
    out = glassgrad.logsumexp(filled("logsumexp", x, mask), canonical_dims(dim, x.ndim), keepdim)
    return out.to(x.dtype if dtype is None else dtype)  # torch casts back: an integer input gives integers


def norm(input: Tensor, ord: float = 2.0, dim: Dims = None, *, keepdim: bool = False,  # noqa: A002
         dtype: Any = None, mask: Any = None) -> Tensor:
    """The ord-norm of the kept elements (``linalg.vector_norm``; masked-out ones count as 0, or as
    +inf for ord = -inf)."""
    x = as_tensor(input)
    fill_op = "amin" if ord == -numpy.inf else "norm"
    return glassgrad.linalg.vector_norm(filled(fill_op, x, mask), ord, canonical_dims(dim, x.ndim), keepdim,
                                        dtype=dtype)


def _spread(input: Tensor, dim: Dims,  # noqa: A002
            unbiased: bool | None, correction: float | None, keepdim: bool, dtype: Any,
            mask: Any, take_sqrt: bool) -> Tensor:
    """var (or std with ``take_sqrt``) of the kept elements: sum (x - mean)^2 / (count - correction)."""
    if unbiased is not None and correction is not None:
        raise RuntimeError("Only one of unbiased and correction may be given")
    offset = 1.0 if correction is None and unbiased is None else (
        float(correction) if correction is not None else (1.0 if unbiased else 0.0))
    x = as_tensor(input)
    if dtype is None:
        dtype = x.dtype if x.dtype.kind == "f" else numpy.dtype(numpy.float32)
    dims = canonical_dims(dim, x.ndim)
    count = _count(x, mask, dims, True)
    centred = x.to(dtype) - sum(x, dims, keepdim=True, dtype=dtype, mask=mask) / count
    total = sum(centred * centred, dims, keepdim=keepdim, dtype=dtype, mask=mask)
    if not keepdim:
        count = count.reshape(tuple(total.shape))
    if offset:
        count = glassgrad.clamp(count.to(dtype) - offset, min=0)
    out = (total / count).to(dtype)
    return glassgrad.sqrt(out) if take_sqrt else out


def var(input: Tensor, dim: Dims = None, unbiased: bool | None = None, *,  # noqa: A002
        correction: float | None = None, keepdim: bool = False, dtype: Any = None, mask: Any = None) -> Tensor:
    """The variance of the kept elements, divided by (count - correction) (NaN where none is kept)."""
    return _spread(input, dim, unbiased, correction, keepdim, dtype, mask, take_sqrt=False)


def std(input: Tensor, dim: Dims = None, unbiased: bool | None = None, *,  # noqa: A002
        correction: float | None = None, keepdim: bool = False, dtype: Any = None, mask: Any = None) -> Tensor:
    """The standard deviation of the kept elements (the square root of ``var``)."""
    return _spread(input, dim, unbiased, correction, keepdim, dtype, mask, take_sqrt=True)
