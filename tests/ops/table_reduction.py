"""Op-table rows for reductions, scans and sorting (joined into ``OPS`` by op_table.py).

Ops that pick elements (max with a dim, sort, topk, median, cummax, ...) are
drawn on arrays without ties (``distinct_array``): at a tie the derivative
is a convention (checked in test_reductions_torch_api.py), not a limit that
finite differences can see.
"""

from __future__ import annotations

import math
from typing import Any

import hypothesis.extra.numpy as hnp
import numpy as np
from hypothesis import assume
from hypothesis import strategies as st

import glassgrad as gg
from glassgrad import ops
from tests.ops.op_table import OpSpec, maximum_case, reduce_case, with_params
from tests.ops.strategies import NONZERO, Case, array, distinct_array, shapes


def _dims(axis: Any, ndim: int) -> Any:
    """glassgrad's dim argument as torch's (None = every dim)."""
    return tuple(range(ndim)) if axis is None else axis


@st.composite
def one_dim_case(draw: st.DrawFn, distinct: bool = True, min_dims: int = 0, keepdim: bool = True) -> Case:
    """One array, one ``dim`` (0 and -1 allowed on a 0-d array) and, if asked, ``keepdim``."""
    shape = draw(shapes(min_dims=min_dims))
    x = draw(distinct_array(shape) if distinct else array(shape, NONZERO))
    n = max(len(shape), 1)
    params: dict[str, Any] = {"dim": draw(st.integers(-n, n - 1))}
    if keepdim:
        params["keepdim"] = draw(st.booleans())
    return Case((x,), params)


@st.composite
def distinct_case(draw: st.DrawFn, min_dims: int = 0) -> Case:
    """One array without ties."""
    return Case((draw(distinct_array(draw(shapes(min_dims=min_dims)))),))


@st.composite
def prod_case(draw: st.DrawFn) -> Case:
    """dim None or one int (torch's prod takes one dim)."""
    shape = draw(shapes())
    n = max(len(shape), 1)
    return Case((draw(array(shape, NONZERO)),),
                {"dim": draw(st.none() | st.integers(-n, n - 1)), "keepdim": draw(st.booleans())})


@st.composite
def distinct_magnitudes(draw: st.DrawFn, shape: tuple[int, ...]) -> np.ndarray:
    """Values with all |x| different and away from 0 (no kink of |x|, no tie of max |x|)."""
    size = int(np.prod(shape))
    k = draw(hnp.arrays(np.int64, (size,), elements=st.integers(1, 80), unique=True))
    signs = draw(hnp.arrays(np.int64, (size,), elements=st.sampled_from([-1, 1])))
    return (k * signs / 10).reshape(shape)


@st.composite
def norm_case(draw: st.DrawFn) -> Case:
    shape = draw(shapes())
    n = len(shape)
    dim = draw(st.none() | st.integers(-n, n - 1)) if n else None
    p = draw(st.sampled_from([1, 2, 3, 0.5, math.inf, -math.inf, "fro"]))
    return Case((draw(distinct_magnitudes(shape)),), {"p": p, "dim": dim, "keepdim": draw(st.booleans())})


@st.composite
def sort_case(draw: st.DrawFn) -> Case:
    case = draw(one_dim_case(keepdim=False))
    return Case(case.arrays, {**case.params, "descending": draw(st.booleans())})


@st.composite
def topk_case(draw: st.DrawFn) -> Case:
    case = draw(one_dim_case(keepdim=False))
    shape = case.arrays[0].shape
    n = shape[case.params["dim"]] if shape else 1
    return Case(case.arrays, {**case.params, "k": draw(st.integers(0, n)), "largest": draw(st.booleans())})


@st.composite
def kthvalue_case(draw: st.DrawFn) -> Case:
    case = draw(one_dim_case())
    shape = case.arrays[0].shape
    n = shape[case.params["dim"]] if shape else 1
    return Case(case.arrays, {**case.params, "k": draw(st.integers(1, n))})


@st.composite
def aminmax_case(draw: st.DrawFn) -> Case:
    case = draw(one_dim_case())
    return Case(case.arrays, {**case.params, "dim": draw(st.sampled_from([None, case.params["dim"]]))})


@st.composite
def quantile_case(draw: st.DrawFn) -> Case:
    """An array without ties, levels q (a number or a list: a 1-D tensor), a dim or None, keepdim and
    an interpolation mode."""
    case = draw(one_dim_case())
    q = draw(st.sampled_from([0.0, 0.5, 1.0, 0.3]) | st.lists(st.sampled_from([0.1, 0.25, 0.5, 0.8]), max_size=3))
    interpolation = draw(st.sampled_from(["linear", "lower", "higher", "midpoint", "nearest"]))
    dim = draw(st.sampled_from([None, case.params["dim"]]))
    return Case(case.arrays, {"q": q, "dim": dim, "keepdim": case.params["keepdim"], "interpolation": interpolation})


def _levels(a: Any, q: Any, make_tensor: Any) -> Any:
    """quantile's q: a number as it is, a list as a 1-D tensor of a's dtype (torch requires the same dtype)."""
    return make_tensor(q, dtype=a.dtype) if isinstance(q, list) else q


@st.composite
def renorm_case(draw: st.DrawFn) -> Case:
    """A 2-d or 3-d array, p, dim, and a maxnorm away from every slice's norm (the scaling's kink)."""
    shape = draw(shapes(min_dims=2))
    x = draw(array(shape, NONZERO))  # |x|^p has a kink at 0 for p = 1
    p = draw(st.sampled_from([1, 2, 3]))
    dim = draw(st.integers(-len(shape), len(shape) - 1))
    maxnorm = draw(st.sampled_from([0.5, 1.5, 4.0]))
    others = tuple(d for d in range(len(shape)) if d != dim % len(shape))
    norms = np.sum(np.abs(x) ** p, axis=others) ** (1 / p)
    assume(np.all(np.abs(norms - maxnorm) > 0.05))
    return Case((x,), {"p": p, "dim": dim, "maxnorm": maxnorm})


@st.composite
def samples_case(draw: st.DrawFn) -> Case:
    """Samples y along a dim, with sample points x (a second input: 1-d, or y's shape), a step dx, or neither."""
    shape = draw(shapes(min_dims=1))
    dim = draw(st.integers(-len(shape), len(shape) - 1))
    arrays = [draw(array(shape))]
    kind = draw(st.sampled_from(["x1d", "x_full", "dx", "none"]))
    if kind == "x1d":
        arrays.append(draw(array((shape[dim],))))
    elif kind == "x_full":
        arrays.append(draw(array(shape)))
    return Case(tuple(arrays), {"dim": dim} | ({"dx": 0.5} if kind == "dx" else {}))  # torch refuses dx=None


@st.composite
def numerical_gradient_case(draw: st.DrawFn) -> Case:
    """Samples (at least edge_order + 1 along each dim) and a spacing: a number, or increasing
    coordinates (a second input) along one dim."""
    edge_order = draw(st.sampled_from([1, 2]))
    shape = draw(hnp.array_shapes(min_dims=1, max_dims=2, min_side=edge_order + 1, max_side=5))
    arrays = [draw(array(shape))]
    dim = draw(st.none() | st.integers(-len(shape), len(shape) - 1))
    spacing: object = draw(st.sampled_from([1.0, 0.5, 2.0]))
    if dim is not None and draw(st.booleans()):
        steps = draw(hnp.arrays(np.float64, (shape[dim],), elements=st.floats(0.5, 1.5)))
        arrays.append(np.cumsum(steps))
        dim = [dim]
    return Case(tuple(arrays), {"spacing": spacing, "dim": dim, "edge_order": edge_order})


def _torch_norm(t: Any, a: Any, p: Any, dim: Any, keepdim: bool) -> Any:
    if dim is None and keepdim:  # torch's norm keeps dims only when they are named ('fro' then means 2)
        return t.norm(a, p=2 if p == "fro" else p, dim=_dims(dim, a.ndim), keepdim=True)
    return t.norm(a, p=p, dim=dim, keepdim=keepdim)


def _torch_prod(t: Any, a: Any, dim: Any, keepdim: bool) -> Any:
    if dim is None:  # torch's prod() has no keepdim form; reshape the 0-d result instead
        out = t.prod(a)
        return out.reshape((1,) * a.ndim) if keepdim else out
    return t.prod(a, dim, keepdim)


ROWS: list[OpSpec] = [
    # sums, products, extremes
    OpSpec("sum_dtype_alias", lambda a, axis, keepdims: ops.sum(a, dim=axis, keepdims=keepdims, dtype=a.dtype),
           lambda t, a, axis, keepdims: t.sum(a, _dims(axis, a.ndim), keepdims), reduce_case()),
    OpSpec("nansum", lambda a, axis, keepdims: ops.nansum(a, axis, keepdims),
           lambda t, a, axis, keepdims: t.nansum(a, _dims(axis, a.ndim), keepdims), reduce_case()),
    OpSpec("nanmean", lambda a, axis, keepdims: ops.nanmean(a, axis, keepdims),
           lambda t, a, axis, keepdims: t.nanmean(a, _dims(axis, a.ndim), keepdims), reduce_case()),
    OpSpec("prod", lambda a, dim, keepdim: a.prod(dim, keepdim), _torch_prod, prod_case()),
    OpSpec("max_all", lambda a: a.max(), lambda t, a: a.max(), distinct_case()),
    OpSpec("min_all", lambda a: ops.min(a), lambda t, a: t.min(a), distinct_case()),
    OpSpec("max_dim", lambda a, dim, keepdim: a.max(dim, keepdim), lambda t, a, dim, keepdim: a.max(dim, keepdim),
           one_dim_case()),
    OpSpec("min_dim", lambda a, dim, keepdim: ops.min(a, dim=dim, keepdim=keepdim),
           lambda t, a, dim, keepdim: t.min(a, dim=dim, keepdim=keepdim), one_dim_case()),
    OpSpec("aminmax", lambda a, dim, keepdim: ops.aminmax(a, dim=dim, keepdim=keepdim),
           lambda t, a, dim, keepdim: t.aminmax(a, dim=dim, keepdim=keepdim), aminmax_case()),
    # statistics
    OpSpec("var_unbiased", lambda a, axis, keepdims, correction: a.var(axis, correction == 1, keepdims),
           lambda t, a, axis, keepdims, correction: a.var(_dims(axis, a.ndim), correction == 1, keepdims),
           reduce_case(distinct=True, correction=True)),
    OpSpec("std_mean", lambda a, axis, keepdims, correction: ops.std_mean(a, axis, keepdim=keepdims,
                                                                          correction=correction),
           lambda t, a, axis, keepdims, correction: t.std_mean(a, _dims(axis, a.ndim), keepdim=keepdims,
                                                               correction=correction),
           reduce_case(distinct=True, correction=True)),
    OpSpec("var_mean", lambda a, axis, keepdims, correction: ops.var_mean(a, axis, keepdim=keepdims,
                                                                          correction=correction),
           lambda t, a, axis, keepdims, correction: t.var_mean(a, _dims(axis, a.ndim), keepdim=keepdims,
                                                               correction=correction),
           reduce_case(distinct=True, correction=True)),
    OpSpec("logsumexp", lambda a, axis, keepdims: a.logsumexp(axis, keepdims),
           lambda t, a, axis, keepdims: t.logsumexp(a, _dims(axis, a.ndim), keepdims), reduce_case()),
    OpSpec("norm", lambda a, p, dim, keepdim: a.norm(p, dim, keepdim), _torch_norm, norm_case()),
    # scans
    OpSpec("cumsum", lambda a, dim: a.cumsum(dim), lambda t, a, dim: a.cumsum(dim), one_dim_case(keepdim=False)),
    OpSpec("cumprod", lambda a, dim: ops.cumprod(a, dim), lambda t, a, dim: t.cumprod(a, dim),
           one_dim_case(distinct=False, keepdim=False)),
    OpSpec("cummax", lambda a, dim: a.cummax(dim), lambda t, a, dim: a.cummax(dim), one_dim_case(keepdim=False)),
    OpSpec("cummin", lambda a, dim: ops.cummin(a, dim), lambda t, a, dim: t.cummin(a, dim),
           one_dim_case(keepdim=False)),
    OpSpec("logcumsumexp", lambda a, dim: a.logcumsumexp(dim), lambda t, a, dim: a.logcumsumexp(dim),
           one_dim_case(distinct=False, keepdim=False)),
    # sorting and order statistics
    OpSpec("sort", lambda a, dim, descending: a.sort(dim, descending),
           lambda t, a, dim, descending: a.sort(dim, descending), sort_case()),
    OpSpec("topk", lambda a, dim, k, largest: a.topk(k, dim, largest),
           lambda t, a, dim, k, largest: a.topk(k, dim, largest), topk_case()),
    OpSpec("kthvalue", lambda a, dim, keepdim, k: a.kthvalue(k, dim, keepdim),
           lambda t, a, dim, keepdim, k: a.kthvalue(k, dim, keepdim), kthvalue_case()),
    OpSpec("median_all", lambda a: a.median(), lambda t, a: a.median(), distinct_case()),
    OpSpec("median_dim", lambda a, dim, keepdim: ops.median(a, dim, keepdim),
           lambda t, a, dim, keepdim: t.median(a, dim, keepdim), one_dim_case()),
    OpSpec("mode", lambda a, dim, keepdim: a.mode(dim, keepdim), lambda t, a, dim, keepdim: a.mode(dim, keepdim),
           one_dim_case()),
    OpSpec("msort", lambda a: ops.msort(a), lambda t, a: t.msort(a), distinct_case(min_dims=1)),
    # quantiles (without ties, so each pick is one element) and the distance of two tensors
    OpSpec("quantile", lambda a, q, **kw: ops.quantile(a, _levels(a, q, gg.tensor), **kw),
           lambda t, a, q, **kw: t.quantile(a, _levels(a, q, t.tensor), **kw), quantile_case()),
    OpSpec("nanquantile", lambda a, q, **kw: a.nanquantile(_levels(a, q, gg.tensor), **kw),
           lambda t, a, q, **kw: a.nanquantile(_levels(a, q, t.tensor), **kw), quantile_case()),
    OpSpec("nanmedian_all", lambda a: a.nanmedian(), lambda t, a: a.nanmedian(), distinct_case()),
    OpSpec("nanmedian_dim", lambda a, dim, keepdim: ops.nanmedian(a, dim, keepdim),
           lambda t, a, dim, keepdim: t.nanmedian(a, dim, keepdim), one_dim_case()),
    OpSpec("dist", lambda a, b, p: ops.dist(a, b, p), lambda t, a, b, p: t.dist(a, b, p),
           with_params(maximum_case(), p=st.sampled_from([2, 1, 3, 0.5]))),  # a != b: no kink of |a - b|
    # renorm, and calculus on samples (trapezoid rule, running integral, numerical derivative)
    OpSpec("renorm", lambda a, p, dim, maxnorm: a.renorm(p, dim, maxnorm),
           lambda t, a, p, dim, maxnorm: a.renorm(p, dim, maxnorm), renorm_case()),
    OpSpec("trapezoid", lambda *xs, **kw: gg.trapezoid(*xs, **kw), lambda t, *xs, **kw: t.trapezoid(*xs, **kw),
           samples_case()),
    OpSpec("cumulative_trapezoid", lambda *xs, **kw: gg.cumulative_trapezoid(*xs, **kw),
           lambda t, *xs, **kw: t.cumulative_trapezoid(*xs, **kw), samples_case()),
    OpSpec("gradient", lambda a, *xs, spacing, dim, edge_order: gg.gradient(
               a, spacing=tuple(xs) if xs else spacing, dim=dim, edge_order=edge_order),
           lambda t, a, *xs, spacing, dim, edge_order: t.gradient(
               a, spacing=tuple(xs) if xs else spacing, dim=dim, edge_order=edge_order), numerical_gradient_case()),
]
