"""Calculus on sampled functions: trapezoid (and trapz), cumulative_trapezoid, gradient.

For samples y_0, ..., y_{n-1} along a dim at points x_0 < ... < x_{n-1}
(spacing h_i = x_{i+1} - x_i; ``dx`` for equal spacing, 1 by default):

    trapezoid(y)            = sum_i h_i (y_i + y_{i+1}) / 2        the integral's trapezoid rule
    cumulative_trapezoid(y) = its partial sums (n - 1 of them)
    gradient(y)             = dy/dx at every sample: central differences inside,
                              (for h_{i-1} = a, h_i = b)  (a^2 y_{i+1} - b^2 y_{i-1} + (b^2 - a^2) y_i) / (a b (a + b)),
                              and one-sided differences of order ``edge_order`` (1 or 2) at the ends

Each is a sum of the samples with coefficients that depend on the spacing
only, so each is composed of slices (narrow), products with constants and
sums: its gradient with respect to y is the same linear map transposed.
Sample points given as a tensor (trapezoid's x, gradient's coordinates) get
their gradient through the differences h_i, as torch's do. Integer samples
give the default float dtype.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy

from glassgrad import backend
from glassgrad.ops.differences import diff
from glassgrad.ops.elementwise import add, mul
from glassgrad.ops.movement import reshape, wrap_dim
from glassgrad.ops.movement_join import cat, narrow
from glassgrad.ops.promotion import float_input
from glassgrad.ops.scan import cumsum
from glassgrad.tensor import Tensor, as_tensor

# This family's functions in glassgrad.ops, torch and torch.nn.functional (glassgrad/ops/families.py):
__all__ = ["cumulative_trapezoid", "gradient", "trapezoid", "trapz"]
TORCH_NAMES = __all__
FUNCTIONAL_NAMES = []


def _steps(name: str, y: Tensor, axis: int, x: Any, dx: Any) -> Any:
    """The spacing h_i along ``axis``: a number, or x's differences (differentiable: torch gives x a
    gradient too) shaped to broadcast against y's intervals."""
    if x is None:
        return 1.0 if dx is None else float(dx)
    points = as_tensor(x)
    n = y.shape[axis]
    if points.ndim == 1:
        if points.shape[0] != n:
            raise RuntimeError(f"{name}: There must be one `x` value for each sample point")
        shape = [1] * y.ndim
        shape[axis] = max(n - 1, 0)
        return reshape(diff(points), shape)
    return diff(points, dim=axis - y.ndim)


def _pieces(name: str, y: Any, x: Any, dx: Any, dim: int) -> tuple[Tensor, int]:
    """h_i (y_i + y_{i+1}) / 2 for every interval along ``dim``, and dim as an axis."""
    values = float_input(y)
    if values.ndim == 0:
        raise IndexError(f"Dimension specified as {dim} but tensor has no dimensions")
    if x is not None and dx is not None:
        raise RuntimeError(f"{name}: received both x and dx; give one")
    axis = wrap_dim(dim, values.ndim, name)
    n = values.shape[axis]
    steps = _steps(name, values, axis, x, dx)
    if n == 0:
        return narrow(values, axis, 0, 0), axis
    later, earlier = narrow(values, axis, 1, n - 1), narrow(values, axis, 0, n - 1)
    return mul(add(later, earlier), mul(steps, 0.5) if isinstance(steps, Tensor) else steps * 0.5), axis


def trapezoid(y: Tensor, x: Tensor | None = None, *, dx: float | None = None, dim: int = -1) -> Tensor:
    """The integral of the samples ``y`` along ``dim`` by the trapezoid rule (torch.trapezoid)."""
    pieces, axis = _pieces("trapezoid", y, x, dx, dim)
    return pieces.sum(axis)


def trapz(y: Tensor, x: Tensor | None = None, *, dx: float | None = None, dim: int = -1) -> Tensor:
    """``trapezoid`` (torch.trapz, its older name: ``trapz(y, x)`` or ``trapz(y, dx=1)``)."""
    return trapezoid(y, x, dx=dx, dim=dim)


def cumulative_trapezoid(y: Tensor, x: Tensor | None = None, *, dx: float | None = None, dim: int = -1) -> Tensor:
    """The running integral of ``y`` along ``dim`` by the trapezoid rule: n - 1 values (torch.cumulative_trapezoid)."""
    pieces, axis = _pieces("cumulative_trapezoid", y, x, dx, dim)
    return cumsum(pieces, axis)


def _spacing(spacing: Any, n: int, dtype: Any) -> Any:
    """The steps h_i along one dim: a number is an equal step (None: 1), a 1-d tensor holds the sample
    positions (their differences then carry a gradient back to them, as torch's do)."""
    if isinstance(spacing, Tensor):
        if spacing.ndim != 1 or spacing.shape[0] != n:
            raise RuntimeError(f"torch.gradient expected each tensor to have one coordinate per sample ({n}), "
                               f"got shape {tuple(spacing.shape)}")
        return diff(spacing if spacing.dtype == dtype else spacing.to(dtype))
    return numpy.full(n - 1, 1.0 if spacing is None else float(spacing))


def _weighted(y: Tensor, axis: int, start: int, length: int, weights: Any) -> Tensor:
    """weights * y[start : start + length] along ``axis`` (weights: one per position, an array or a tensor)."""
    piece = narrow(y, axis, start, length)
    shape = [1] * y.ndim
    shape[axis] = length
    if isinstance(weights, Tensor):
        return mul(piece, reshape(weights, shape))
    return mul(piece, Tensor._make(backend.xp.asarray(numpy.reshape(weights, shape), dtype=y.dtype), False))


def _derivative(y: Tensor, axis: int, h: Any, edge_order: int) -> Tensor:
    """dy/dx along ``axis`` at every sample, from the steps h (numpy.gradient's formulas, as torch)."""
    n = y.shape[axis]
    a, b = h[:-1], h[1:]  # the steps left and right of each interior sample
    interior = add(add(_weighted(y, axis, 0, n - 2, -b / (a * (a + b))),
                       _weighted(y, axis, 1, n - 2, (b - a) / (a * b))),
                   _weighted(y, axis, 2, n - 2, a / (b * (a + b))))
    if edge_order == 1:
        first = add(_weighted(y, axis, 0, 1, -1 / h[:1]), _weighted(y, axis, 1, 1, 1 / h[:1]))
        last = add(_weighted(y, axis, n - 2, 1, -1 / h[-1:]), _weighted(y, axis, n - 1, 1, 1 / h[-1:]))
    else:
        d1, d2 = h[:1], h[1:2]
        first = add(add(_weighted(y, axis, 0, 1, -(2 * d1 + d2) / (d1 * (d1 + d2))),
                        _weighted(y, axis, 1, 1, (d1 + d2) / (d1 * d2))),
                    _weighted(y, axis, 2, 1, -d1 / (d2 * (d1 + d2))))
        d1, d2 = h[-2:-1], h[-1:]
        last = add(add(_weighted(y, axis, n - 3, 1, d2 / (d1 * (d1 + d2))),
                       _weighted(y, axis, n - 2, 1, -(d2 + d1) / (d1 * d2))),
                   _weighted(y, axis, n - 1, 1, (2 * d2 + d1) / (d2 * (d1 + d2))))
    return cat([first, interior, last], axis)


def gradient(input: Tensor, *, spacing: Any = 1, dim: int | Sequence[int] | None = None,  # noqa: A002
             edge_order: int = 1) -> tuple[Tensor, ...]:
    """The derivative of the samples ``input`` along each dim of ``dim`` (every dim by default), one tensor
    per dim (torch.gradient). ``spacing``: a number (equal steps), one per dim, or one 1-d tensor of
    sample positions per dim."""
    y = float_input(input)
    if edge_order not in (1, 2):
        raise RuntimeError(f"torch.gradient only supports edge_order=1 and edge_order=2, got {edge_order}")
    dims = list(range(y.ndim)) if dim is None else [dim] if isinstance(dim, int) else list(dim)
    axes = [wrap_dim(d, y.ndim, "gradient") for d in dims]
    if isinstance(spacing, list | tuple):
        if len(spacing) != len(axes):
            raise RuntimeError(f"torch.gradient expected spacing to be unspecified, a scalar, or a list of length "
                               f"equal to 'self.dim() = {y.ndim}', since dim argument was not given, but got a list "
                               f"of length {len(spacing)}" if dim is None else
                               f"torch.gradient expected spacing to be unspecified, a scalar or it's spacing and dim "
                               f"arguments to have the same length, but got a spacing argument of length "
                               f"{len(spacing)} and a dim argument of length {len(axes)}.")
        spacings = list(spacing)
    else:
        spacings = [spacing] * len(axes)
    for axis in axes:
        if y.shape[axis] < edge_order + 1:
            raise RuntimeError("torch.gradient expected each dimension size to be at least edge_order+1")
    return tuple(_derivative(y, axis, _spacing(step, y.shape[axis], y.dtype), edge_order)
                 for axis, step in zip(axes, spacings))
