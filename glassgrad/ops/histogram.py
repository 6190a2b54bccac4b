"""torch.histogram: how many values (or how much weight) fall in each bin.

``histogram(input, bins)`` flattens ``input`` and counts it into bins given by their edges
``e_0 < e_1 < ... < e_B``: bin ``i`` holds the values ``v`` with ``e_i <= v < e_{i+1}``, the last bin
also ``v == e_B``; values outside ``[e_0, e_B]`` (and NaN) are not counted. ``bins`` is the edges
themselves (a 1-D tensor), or a number B of equal-width bins spanning ``range`` (default: the data's
minimum and maximum; a zero-width span is widened by 0.5 on each side, an empty input spans [0, 1]).

With ``weight``, a bin holds the sum of its values' weights instead of their count. With ``density``,
the result is scaled to integrate to 1: ``hist_i / (sum(hist) * (e_{i+1} - e_i))``.

Results have the input's floating dtype. As in torch, there is no derivative: when an input requires
grad the outputs do too, and backward through them raises.
"""

from __future__ import annotations

from fractions import Fraction
from typing import Any

import numpy

from glassgrad import backend, return_types
from glassgrad.op import Context, Op
from glassgrad.ops.pointwise_float_parts import _torch_name
from glassgrad.tensor import Tensor, as_tensor

# This family's functions in glassgrad.ops, torch and torch.nn.functional (glassgrad/ops/families.py):
__all__ = ["histogram"]
TORCH_NAMES = __all__
FUNCTIONAL_NAMES = []


def torch_linspace(start: float, end: float, steps: int, dtype: Any) -> numpy.ndarray:
    """``steps`` edges from ``start`` to ``end`` in ``dtype``, rounded exactly as torch's linspace rounds them.

    With ``step = (end - start) / (steps - 1)`` (in ``dtype``), the first half counts up from the start and
    the second half down from the end: ``e_i = start + i * step`` for ``i < steps // 2``, else
    ``end - (steps - 1 - i) * step``, each a fused multiply-add (rounded once, computed here exactly with
    fractions). Equal edges matter: a value lying on an edge goes to the bin torch puts it in.
    """
    kind = numpy.dtype(dtype).type
    first, last = kind(start), kind(end)
    if steps == 1:
        return numpy.array([first], dtype=dtype)
    step = Fraction(float((last - first) / kind(steps - 1)))
    half = steps // 2
    exact = [Fraction(float(first)) + i * step if i < half else Fraction(float(last)) - (steps - 1 - i) * step
             for i in range(steps)]
    return numpy.array([float(value) for value in exact]).astype(dtype)


def bin_counts(values: numpy.ndarray, edges: numpy.ndarray, weights: numpy.ndarray | None) -> numpy.ndarray:
    """Per bin, the number (or total weight) of ``values`` in ``[e_i, e_{i+1})``, the last bin closed."""
    xp = backend.xp
    flat = values.reshape(-1)
    with numpy.errstate(invalid="ignore"):  # NaN compares False: not counted
        inside = (flat >= edges[0]) & (flat <= edges[-1])
    which = xp.searchsorted(edges, flat[inside], side="right") - 1
    which = xp.minimum(which, len(edges) - 2)  # a value equal to the last edge joins the last bin
    kept = None if weights is None else weights.reshape(-1)[inside].astype(numpy.float64)
    return xp.bincount(which, weights=kept, minlength=len(edges) - 1).astype(values.dtype)


class HistogramCounts(Op):
    """hist_i = number (or summed weight) of the values in bin i.  No derivative, as in torch: backward raises."""

    @staticmethod
    def forward(ctx: Context, x: Any, edges: Any, *weight: Any, density: bool = False) -> Any:
        hist = bin_counts(x, edges, weight[0] if weight else None)
        if density:
            with numpy.errstate(invalid="ignore", divide="ignore"):  # an empty histogram has no density: NaN
                hist = hist / hist.sum() / backend.xp.diff(edges)
        return hist

    @staticmethod
    def backward(ctx: Context, grad: Any) -> Any:
        raise RuntimeError("derivative for histogram is not implemented (as in torch)")


class HistogramEdges(Op):
    """The bin edges (from the data's range, or the ``bins`` given).  As torch's, they require grad with
    the inputs but have no derivative: backward raises."""

    @staticmethod
    def forward(ctx: Context, *inputs: Any, edges: Any) -> Any:
        return edges

    @staticmethod
    def backward(ctx: Context, grad: Any) -> Any:
        raise RuntimeError("derivative for histogram is not implemented (as in torch)")


def outer_edges(x: numpy.ndarray, range: Any) -> tuple[float, float]:  # noqa: A002
    """The span of equal-width bins: ``range``, else the data's min and max ([0, 1] when empty);
    a zero-width span widened by 0.5 each side (numpy's and torch's rule)."""
    if range is not None:
        if len(range) != 2:
            raise RuntimeError(f"torch.histogramdd: for a 1-dimensional histogram range should have 2 elements, "
                               f"but got {len(range)}")
        low, high = float(range[0]), float(range[1])
    elif x.size:
        low, high = float(x.min()), float(x.max())
    else:
        low, high = 0.0, 1.0
    if not (numpy.isfinite(low) and numpy.isfinite(high)):
        raise RuntimeError(f"torch.histogramdd: dimension 0's range [{low}, {high}] is not finite")
    if low > high:
        raise RuntimeError(f"torch.histogramdd: min should not exceed max, but got min {low} max {high} "
                           "for dimension 0")
    if low == high:
        low, high = low - 0.5, high + 0.5
    return low, high


def histogram(input: Any, bins: Any = 100, *, range: Any = None, weight: Any = None,  # noqa: A002
              density: bool = False) -> Any:
    """A histogram of ``input``'s values: ``(hist, bin_edges)`` as ``glassgrad.return_types.histogram``.

    ``bins``: a number of equal-width bins over ``range`` (default the data's min and max), or a 1-D
    tensor of increasing edges (then ``range`` is not allowed). ``weight``: one weight per value,
    summed per bin. ``density``: scale so that the histogram integrates to 1.
    """
    x = as_tensor(input)
    if x.dtype.kind != "f" or x.dtype.itemsize < 4:
        raise NotImplementedError(f'"histogramdd" not implemented for \'{_torch_name(x.dtype)}\'')
    tensors = [x]
    if isinstance(bins, Tensor):
        if range is not None:
            raise TypeError("histogram(): range is only accepted with a number of bins, not with a tensor of edges")
        if bins.dtype != x.dtype:
            raise RuntimeError(f"torch.histogramdd: input tensor and bins tensors should have the same dtype, but got "
                               f"input with dtype {x.dtype} and bins for dimension 0 with dtype {bins.dtype}")
        if bins.ndim != 1:
            raise RuntimeError(f"torch.histogramdd: bins tensor should have one dimension, but got {bins.ndim} "
                               "dimensions in the bins tensor for dimension 0")
        if bins.shape[0] < 2:
            raise RuntimeError(f"torch.histogram(): bins must be > 0, but got {bins.shape[0] - 1} for dimension 0")
        edges = backend.xp.array(bins.array, copy=True)
        if not bool((backend.xp.diff(edges) > 0).all()):
            raise RuntimeError(f"histogram: the bin edges must be strictly increasing, got {edges.tolist()}")
        tensors.append(bins)
    else:
        if isinstance(bins, bool) or not isinstance(bins, int | numpy.integer):
            raise TypeError(f"histogram(): bins must be an int or a 1-D tensor of edges, got {type(bins).__name__}")
        if bins <= 0:
            raise RuntimeError(f"torch.histogram(): bins must be > 0, but got {bins} for dimension 0")
        low, high = outer_edges(backend.to_numpy(x.array), range)
        edges = backend.xp.asarray(torch_linspace(low, high, int(bins) + 1, x.dtype))
    if weight is not None:
        weight = as_tensor(weight)
        if weight.dtype != x.dtype:
            raise RuntimeError(f"torch.histogramdd: if weight tensor is provided, input tensor and weight tensor "
                               f"should have the same dtype, but got input({x.dtype}), and weight({weight.dtype})")
        if weight.numel() != x.numel():
            raise RuntimeError(f"torch.histogramdd: if weight tensor is provided it should have the same shape as "
                               f"the input tensor, but got input with shape {tuple(x.shape)} and weight with shape "
                               f"{tuple(weight.shape)}")
        tensors.append(weight)
    edge_input = bins if isinstance(bins, Tensor) else Tensor._make(edges, False)
    weights = [weight] if weight is not None else []
    hist = HistogramCounts.apply(x, edge_input, *weights, density=density)
    return return_types.histogram(hist, HistogramEdges.apply(*tensors, edges=edges))
