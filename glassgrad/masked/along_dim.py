"""torch.masked's ops that keep the input's shape: cumsum, cumprod, softmax, log_softmax, softmin,
normalize, and the two-input logaddexp.

As the reductions (reductions.py), each replaces the masked-out elements by an identity and runs
the plain op: 0 for cumsum (a masked-out position repeats the running sum), 1 for cumprod, -inf
for softmax and log_softmax (a masked-out position gets probability 0; a slice with nothing kept
gives NaN), +inf for softmin; normalize divides the zero-filled input by the masked norm (at least
``eps``); logaddexp fills each input's masked-out elements with -inf.
"""

from __future__ import annotations

from typing import Any

import glassgrad
from glassgrad.masked.reductions import canonical_dims, filled, norm
from glassgrad.ops.pointwise_base import quiet_float_errors
from glassgrad.tensor import Tensor, as_tensor


def _one_dim(dim: int, ndim: int) -> int:
    (axis,) = canonical_dims(dim, ndim) or (0,)
    return axis


def cumsum(input: Tensor, dim: int, *, dtype: Any = None, mask: Any = None) -> Tensor:  # noqa: A002
    """The running sum of the kept elements along ``dim``."""
    x = as_tensor(input)
    return glassgrad.cumsum(filled("cumsum", x, mask), _one_dim(dim, x.ndim), dtype=dtype if dtype else x.dtype)


def cumprod(input: Tensor, dim: int, *, dtype: Any = None, mask: Any = None) -> Tensor:  # noqa: A002
    """The running product of the kept elements along ``dim``."""
    x = as_tensor(input)
    return glassgrad.cumprod(filled("cumprod", x, mask), _one_dim(dim, x.ndim), dtype=dtype if dtype else x.dtype)


def softmax(input: Tensor, dim: int, *, dtype: Any = None, mask: Any = None) -> Tensor:  # noqa: A002
    """softmax over the kept elements along ``dim`` (0 at the masked-out ones)."""
    x = as_tensor(input)
    with quiet_float_errors():  # a slice with nothing kept is all -inf: NaN, silently, as torch
        return glassgrad.nn.functional.softmax(filled("softmax", x, mask), _one_dim(dim, x.ndim), dtype=dtype)


def log_softmax(input: Tensor, dim: int, *, dtype: Any = None, mask: Any = None) -> Tensor:  # noqa: A002
    """log_softmax over the kept elements along ``dim`` (-inf at the masked-out ones)."""
    x = as_tensor(input)
    with quiet_float_errors():
        return glassgrad.nn.functional.log_softmax(filled("softmax", x, mask), _one_dim(dim, x.ndim), dtype=dtype)


def softmin(input: Tensor, dim: int, *, dtype: Any = None, mask: Any = None) -> Tensor:  # noqa: A002
    """softmin over the kept elements along ``dim`` (0 at the masked-out ones)."""
    x = as_tensor(input)
    with quiet_float_errors():
        return glassgrad.nn.functional.softmin(filled("softmin", x, mask), _one_dim(dim, x.ndim), dtype=dtype)


def normalize(input: Tensor, ord: float, dim: int, *, eps: float = 1e-12, dtype: Any = None,  # noqa: A002
              mask: Any = None) -> Tensor:
    """The kept elements divided by their ord-norm along ``dim`` (at least ``eps``); 0 elsewhere."""
    x = as_tensor(input)
    denominator = glassgrad.clamp(norm(x, ord, dim, keepdim=True, dtype=dtype, mask=mask), min=eps)
    return filled("sum", x, mask) / denominator


def logaddexp(input: Tensor, other: Tensor, *, dtype: Any = None, input_mask: Any = None,  # noqa: A002
              other_mask: Any = None) -> Tensor:
    """log(e^input + e^other) with each input's masked-out elements left out (as -inf)."""
    x, y = as_tensor(input), as_tensor(other)
    out = glassgrad.logaddexp(filled("logaddexp", x, input_mask), filled("logaddexp", y, other_mask))
    return out.to(x.dtype if dtype is None else dtype)


