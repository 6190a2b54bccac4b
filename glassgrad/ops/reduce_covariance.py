"""The covariance and correlation matrices of variables observed together: ``torch.cov``, ``torch.corrcoef``.

The input is (variables, observations), or one variable's observations (1-D). With weights
w = fweights * aweights (either may be absent: then 1) and W = sum w:

    mean_i = sum_k w_k x_ik / W
    cov_ij = sum_k w_k (x_ik - mean_i)(x_jk - mean_j) / (W - correction * sum_k w_k a_k / W)

where the normaliser is W - correction without aweights (a_k are the aweights). A normaliser <= 0 warns
and becomes 0, as torch's (the result is then inf or NaN). corrcoef_ij = cov_ij / sqrt(cov_ii cov_jj),
clipped to [-1, 1]. Both are compositions of differentiable ops (sums, products, a matmul, a sqrt), so
their gradients, in x and in the aweights, are those ops' gradients.
"""

from __future__ import annotations

import warnings
from typing import Any

from glassgrad.tensor import Tensor, as_tensor

# This family's functions in glassgrad.ops, torch and torch.nn.functional (glassgrad/ops/families.py):
__all__ = ["corrcoef", "cov"]
TORCH_NAMES = __all__
FUNCTIONAL_NAMES = []


def _check_weights(name: str, w: Tensor, observations: int, integral: bool) -> None:
    if w.ndim > 1:
        raise RuntimeError(f"cov(): expected {name} to have one or fewer dimensions but got {name} with {w.ndim} "
                           "dimensions")
    if integral != (w.dtype.kind in "iu"):
        kind = "integral" if integral else "floating point"
        raise RuntimeError(f"cov(): expected {name} to have {kind} dtype but got {name} with {w.dtype} dtype")
    if w.numel() != observations:
        raise RuntimeError(f"cov(): expected {name} to have the same numel as there are observations in the input "
                           f"but got {w.numel()} != {observations}")
    if observations and bool((w < 0).any()):
        raise RuntimeError(f"cov(): {name} cannot be negative")


def cov(input: Any, *, correction: int = 1, fweights: Any = None, aweights: Any = None) -> Tensor:  # noqa: A002
    """torch.cov: the (weighted) covariance matrix of the rows of ``input`` (module docstring)."""
    x = as_tensor(input)
    if x.ndim > 2:
        raise RuntimeError(f"cov(): expected input to have two or fewer dimensions but got an input with {x.ndim} "
                           "dimensions")
    if x.dtype.kind == "b":
        raise RuntimeError("cov(): bool dtype is not supported for input")
    rows = x.reshape(1, -1) if x.ndim < 2 else x
    observations = rows.shape[1]
    weights = None
    if fweights is not None:
        weights = as_tensor(fweights)
        _check_weights("fweights", weights, observations, integral=True)
    if aweights is not None:
        a = as_tensor(aweights)
        _check_weights("aweights", a, observations, integral=False)
        weights = a if weights is None else weights * a
    total = weights.sum() if weights is not None else observations
    if weights is not None and not bool(total != 0):
        raise RuntimeError("cov(): weights sum to zero, can't be normalized")
    weighted = rows if weights is None else rows * weights
    mean = weighted.sum(1) / total
    if weights is not None and aweights is not None and correction != 0:
        normaliser = total - correction * (weights * as_tensor(aweights)).sum() / total
    else:
        normaliser = total - correction
    if float(normaliser) <= 0:
        warnings.warn("cov(): degrees of freedom is <= 0. Correction should be strictly less than the number of "
                      "observations.", UserWarning, stacklevel=2)
        normaliser = normaliser * 0
    centred = rows - mean.unsqueeze(1)
    product = centred @ (centred if weights is None else centred * weights).mT
    return (product / normaliser).squeeze()


def corrcoef(input: Any) -> Tensor:  # noqa: A002
    """torch.corrcoef: cov_ij / sqrt(cov_ii cov_jj), clipped to [-1, 1]; a single variable gives c / c
    (1, or NaN where its variance is 0, inf or NaN)."""
    x = as_tensor(input)
    if x.ndim > 2:
        raise RuntimeError(f"corrcoef(): expected input to have two or fewer dimensions but got an input with "
                           f"{x.ndim} dimensions")
    c = cov(x)
    if c.ndim == 0:
        return c / c
    spread = c.diagonal().sqrt()
    return (c / spread.unsqueeze(1) / spread.unsqueeze(0)).clamp(-1, 1)
