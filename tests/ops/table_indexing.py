"""Op-table rows for indexing: torch's getitem rule, index_put, gather/scatter, index and
mask selection (joined into ``OPS`` through table_shape.py).

Integer index arrays are parameters (NumPy arrays; the torch side gets them as
tensors). Where torch leaves the result of a repeated write undefined (scatter,
index_copy, index_put without accumulate), the indices are drawn distinct.
"""

from __future__ import annotations

import warnings
from typing import Any

import hypothesis.extra.numpy as hnp
import numpy as np
from hypothesis import assume
from hypothesis import strategies as st

import glassgrad as gg
from glassgrad.ops.indexing import parse_index
from tests.ops.op_table import OpSpec
from tests.ops.strategies import Case, Domain, array, distinct_array, shapes


def _torch(torch: Any, value: Any) -> Any:
    """NumPy index arrays (alone or inside a tuple) as torch tensors."""
    if isinstance(value, tuple):
        return tuple(_torch(torch, v) for v in value)
    return torch.from_numpy(value) if isinstance(value, np.ndarray) else value


def _dim(ndim: int) -> st.SearchStrategy[int]:
    return st.integers(-max(ndim, 1), max(ndim, 1) - 1)


def _rng(draw: st.DrawFn) -> np.random.Generator:
    return np.random.default_rng(draw(st.integers(0, 2**16)))


@st.composite
def torch_index(draw: st.DrawFn, shape: tuple[int, ...], distinct: bool = False) -> tuple[Any, ...]:
    """An index mixing ints, slices (positive steps), None, and integer arrays that broadcast
    together, in any order: the int-and-array-apart case where torch differs from NumPy included."""
    array_shape = (draw(st.integers(1, 3)),) if distinct else draw(hnp.array_shapes(max_dims=2, max_side=3))
    kinds = ["int", "slice", "array", "none"]
    index: list[Any] = []
    used_array = False
    for n in shape:
        kind = draw(st.sampled_from(kinds))
        if kind == "none":
            index.append(None)
            kind = "slice"
        if kind == "int":
            index.append(draw(st.integers(-n, n - 1)))
        elif kind == "slice" or (kind == "array" and distinct and used_array):
            step = draw(st.none() | st.integers(1, 2))
            index.append(slice(draw(st.none() | st.integers(-n, n)), draw(st.none() | st.integers(-n, n)), step))
        else:
            size = min(array_shape[0], n) if distinct else None
            low = 0 if distinct else -n  # distinct positions, not just distinct values
            index.append(draw(hnp.arrays(np.int64, (size,) if distinct else array_shape,
                                         elements=st.integers(low, n - 1), unique=distinct)))
            used_array = True
    return tuple(index)


@st.composite
def getitem_case(draw: st.DrawFn) -> Case:
    shape = draw(shapes(min_dims=1))
    return Case((draw(array(shape)),), {"index": draw(torch_index(shape))})


@st.composite
def getitem_mask_case(draw: st.DrawFn) -> Case:
    """A boolean mask over some dims, with ints, slices or an Ellipsis around it."""
    shape = draw(shapes(min_dims=2))
    start = draw(st.integers(0, len(shape) - 1))
    width = draw(st.integers(1, len(shape) - start))
    mask = draw(hnp.arrays(np.bool_, shape[start:start + width]))
    before = [draw(st.sampled_from([0, slice(None)])) for _ in range(start)]
    after = draw(st.sampled_from([[], [Ellipsis], [0] if start + width < len(shape) else []]))
    return Case((draw(array(shape)),), {"index": tuple(before) + (mask,) + tuple(after)})


@st.composite
def index_put_case(draw: st.DrawFn) -> Case:
    shape = draw(shapes(min_dims=1))
    accumulate = draw(st.booleans())
    index = draw(torch_index(shape, distinct=not accumulate))
    target = parse_index(index, shape).read(np.empty(shape)).shape
    values_shape = target[draw(st.integers(0, len(target))):]  # values broadcast over leading dims
    return Case((draw(array(shape)), draw(array(values_shape))), {"index": index, "accumulate": accumulate})


def _index_within(draw: st.DrawFn, shape: tuple[int, ...], dim: int, distinct: bool) -> np.ndarray:
    """An index for gather/scatter along ``dim``: no larger than ``shape`` outside ``dim``; with
    ``distinct``, no two entries of a line along ``dim`` name the same position."""
    n = shape[dim]
    index_shape = [draw(st.integers(1, m)) for m in shape]
    index_shape[dim] = draw(st.integers(1, n)) if distinct else draw(st.integers(1, 4))
    rng = _rng(draw)
    if not distinct:
        return rng.integers(0, n, size=index_shape)
    full = list(index_shape)
    full[dim] = n
    order = np.argsort(rng.random(full), axis=dim)  # a random permutation of 0..n-1 along dim
    return np.take(order, np.arange(index_shape[dim]), axis=dim)


@st.composite
def gather_case(draw: st.DrawFn) -> Case:
    shape = draw(shapes(min_dims=1))
    dim = draw(_dim(len(shape)))
    return Case((draw(array(shape)),), {"dim": dim, "index": _index_within(draw, shape, dim % len(shape), False)})


@st.composite
def scatter_case(draw: st.DrawFn, distinct: bool = True, reduce: str | None = None) -> Case:
    shape = draw(shapes(min_dims=1))
    dim = draw(_dim(len(shape)))
    index = _index_within(draw, shape, dim % len(shape), distinct)
    src_shape = index.shape  # (torch's backward fails for a src larger than index: tested apart)
    if reduce in ("amax", "amin"):  # no ties: x and src on offset grids
        arrays = (draw(distinct_array(shape)), draw(distinct_array(src_shape, offset=0.05)))
    else:
        domain = Domain(0.3, 2.0) if reduce == "prod" else Domain()
        arrays = (draw(array(shape, domain)), draw(array(src_shape, domain)))
    params: dict[str, Any] = {"dim": dim, "index": index}
    if reduce is not None:
        params["include_self"] = draw(st.booleans())
    return Case(arrays, params)


@st.composite
def index_list_case(draw: st.DrawFn, distinct: bool = False, with_source: bool = False,
                    negative: bool = False) -> Case:
    shape = draw(shapes(min_dims=1))
    dim = draw(_dim(len(shape)))
    n = shape[dim]
    count = draw(st.integers(1, n)) if distinct else draw(st.integers(0, 5))
    index = _rng(draw).permutation(n)[:count] if distinct else draw(
        hnp.arrays(np.int64, (count,), elements=st.integers(-n if negative else 0, n - 1)))
    arrays = [draw(array(shape))]
    if with_source:
        source_shape = list(shape)
        source_shape[dim] = len(index)
        arrays.append(draw(array(tuple(source_shape))))
    return Case(tuple(arrays), {"dim": dim, "index": index})


@st.composite
def mask_case(draw: st.DrawFn, with_source: bool = False, with_value: bool = False) -> Case:
    shape = draw(shapes(min_dims=1))
    mask_shape = shape[draw(st.integers(0, len(shape))):]  # the mask broadcasts over leading dims
    mask = draw(hnp.arrays(np.bool_, mask_shape))
    arrays = [draw(array(shape))]
    if with_source:
        arrays.append(draw(array((int(np.broadcast_to(mask, shape).sum()) + draw(st.integers(0, 2)),))))
    if with_value:
        arrays.append(draw(array(())))
    return Case(tuple(arrays), {"mask": mask})


@st.composite
def take_along_dim_case(draw: st.DrawFn) -> Case:
    shape = draw(shapes(min_dims=1))
    if draw(st.booleans()):
        n = int(np.prod(shape))
        index = draw(hnp.arrays(np.int64, draw(shapes(min_dims=1, max_dims=2)), elements=st.integers(0, n - 1)))
        return Case((draw(array(shape)),), {"index": index, "dim": None})
    dim = draw(_dim(len(shape)))
    index_shape = [draw(st.sampled_from([1, m])) for m in shape]  # broadcasts against the input
    index_shape[dim] = draw(st.integers(1, 3))
    index = _rng(draw).integers(0, shape[dim], size=index_shape)
    x_shape = tuple(m if d == dim % len(shape) or draw(st.booleans()) else 1 for d, m in enumerate(shape))
    return Case((draw(array(x_shape)),), {"index": index, "dim": dim})


@st.composite
def take_case(draw: st.DrawFn) -> Case:
    shape = draw(shapes())
    n = int(np.prod(shape))
    index = draw(hnp.arrays(np.int64, draw(shapes(max_dims=2)), elements=st.integers(-n, n - 1)))
    return Case((draw(array(shape)),), {"index": index})


@st.composite
def view_scatter_case(draw: st.DrawFn, kind: str) -> Case:
    """An input, the view's parameters, and a source of the view's shape (slice, select or diagonal)."""
    shape = draw(shapes(min_dims=2 if kind == "diagonal" else 1))
    x = np.zeros(shape)
    if kind == "slice":
        dim = draw(_dim(len(shape)))
        start = draw(st.none() | st.integers(-shape[dim] - 1, shape[dim]))
        end = draw(st.none() | st.integers(-5, 5))
        params = {"dim": dim, "start": start, "end": end, "step": draw(st.integers(1, 3))}
        key = (slice(None),) * (dim % len(shape)) + (slice(params["start"], params["end"], params["step"]),)
        view_shape = x[key].shape
    elif kind == "select":
        dim = draw(_dim(len(shape)))
        params = {"dim": dim, "index": draw(st.integers(-shape[dim], shape[dim] - 1))}
        view_shape = np.take(x, params["index"], axis=dim).shape
    else:
        n = len(shape)
        dim1, dim2 = draw(st.permutations(range(-n, n)).filter(lambda p: p[0] % n != p[1] % n))[:2]
        params = {"offset": draw(st.integers(-2, 2)), "dim1": dim1, "dim2": dim2}
        view_shape = np.diagonal(x, params["offset"], dim1, dim2).shape
    return Case((draw(array(shape)), draw(array(view_shape))), params)


@st.composite
def as_strided_case(draw: st.DrawFn) -> Case:
    """A contiguous input and a size / stride / storage offset that stay inside its elements (positions may repeat)."""
    shape = draw(shapes(min_dims=1))
    numel = int(np.prod(shape))
    size = draw(hnp.array_shapes(min_dims=0, max_dims=2, min_side=1, max_side=3))
    stride = tuple(draw(st.integers(0, 3)) for _ in size)
    reach = sum((n - 1) * s for n, s in zip(size, stride))
    assume(reach < numel)
    offset = draw(st.none() | st.integers(0, numel - 1 - reach))
    return Case((draw(array(shape)),), {"size": size, "stride": stride, "offset": offset})


@st.composite
def put_case(draw: st.DrawFn) -> Case:
    """An input, flat positions (negative ones too; distinct unless accumulating) and a source of as many values."""
    shape = draw(shapes())
    n = int(np.prod(shape))
    accumulate = draw(st.booleans())
    if accumulate:
        positions = np.asarray(draw(st.lists(st.integers(-n, n - 1), max_size=2 * n)), dtype=np.int64)
    else:  # distinct positions, each written either as p or as p - n
        chosen = draw(st.lists(st.integers(0, n - 1), unique=True, max_size=n))
        positions = np.asarray([p - n * draw(st.integers(0, 1)) for p in chosen], dtype=np.int64)
    count = len(positions)
    return Case((draw(array(shape)), draw(array((count,)))), {"index": positions, "accumulate": accumulate})


@st.composite
def index_reduce_case(draw: st.DrawFn) -> Case:
    """An input and a source without ties between any of their values (amax/amin), a dim, a vector index
    (repeats allowed) and include_self."""
    shape = draw(shapes(min_dims=1))
    dim = draw(_dim(len(shape)))
    count = draw(st.integers(0, 4))
    source_shape = list(shape)
    source_shape[dim] = count
    total = int(np.prod(shape)) + int(np.prod(source_shape))
    both = (np.array(draw(st.permutations(range(total))), dtype=np.float64) - total / 2) / 10  # all different
    x, source = both[: int(np.prod(shape))].reshape(shape), both[int(np.prod(shape)):].reshape(source_shape)
    index = draw(hnp.arrays(np.int64, (count,), elements=st.integers(0, shape[dim] - 1)))  # torch: no negatives
    return Case((x, source), {"dim": dim, "index": index, "include_self": draw(st.booleans())})


def _torch_index_reduce(torch: Any, a: Any, s: Any, reduce: str, dim: int, index: np.ndarray,
                        include_self: bool) -> Any:
    with warnings.catch_warnings():  # torch warns that index_reduce is in beta
        warnings.simplefilter("ignore", UserWarning)
        return a.index_reduce(dim, torch.from_numpy(index), s, reduce, include_self=include_self)


def _torch_index_put(torch: Any, a: Any, v: Any, index: tuple[Any, ...], accumulate: bool) -> Any:
    """torch's ``index_put`` takes index tensors only: find the positions ``a[index]`` names with
    torch's own getitem, and pass their coordinates."""
    positions = torch.arange(a.numel()).reshape(a.shape)[_torch(torch, index)]
    return a.index_put(torch.unravel_index(positions, tuple(a.shape)), v, accumulate)


def _reduce_row(reduce: str) -> OpSpec:
    return OpSpec(
        f"scatter_reduce_{reduce}",
        lambda x, s, dim, index, include_self: x.scatter_reduce(dim, index, s, reduce, include_self=include_self),
        lambda t, x, s, dim, index, include_self: x.scatter_reduce(dim, t.from_numpy(index), s, reduce,
                                                                   include_self=include_self),
        scatter_case(distinct=False, reduce=reduce),
    )


ROWS: list[OpSpec] = [
    OpSpec("getitem_torch_rule", lambda a, index: a[index], lambda t, a, index: a[_torch(t, index)], getitem_case()),
    OpSpec("getitem_mask_mixed", lambda a, index: a[index], lambda t, a, index: a[_torch(t, index)],
           getitem_mask_case()),
    OpSpec("index_put", lambda a, v, index, accumulate: gg.ops.index_put(a, index, v, accumulate),
           lambda t, a, v, index, accumulate: _torch_index_put(t, a, v, index, accumulate), index_put_case()),
    OpSpec("gather", lambda a, dim, index: a.gather(dim, index),
           lambda t, a, dim, index: a.gather(dim, t.from_numpy(index)), gather_case()),
    OpSpec("scatter", lambda a, s, dim, index: a.scatter(dim, index, s),
           lambda t, a, s, dim, index: a.scatter(dim, t.from_numpy(index), s), scatter_case()),
    OpSpec("scatter_value", lambda a, s, dim, index: gg.scatter(a, dim, index, value=1.5) * s.sum(),
           lambda t, a, s, dim, index: a.scatter(dim, t.from_numpy(index), 1.5) * s.sum(), scatter_case()),
    OpSpec("scatter_add", lambda a, s, dim, index: a.scatter_add(dim, index, s),
           lambda t, a, s, dim, index: a.scatter_add(dim, t.from_numpy(index), s), scatter_case(distinct=False)),
    *[_reduce_row(reduce) for reduce in ("sum", "prod", "mean", "amax", "amin")],
    OpSpec("index_select", lambda a, dim, index: a.index_select(dim, index),
           lambda t, a, dim, index: a.index_select(dim, t.from_numpy(index)), index_list_case()),
    OpSpec("index_add", lambda a, s, dim, index: a.index_add(dim, index, s, alpha=-0.5),
           lambda t, a, s, dim, index: a.index_add(dim, t.from_numpy(index), s, alpha=-0.5),
           index_list_case(with_source=True)),
    OpSpec("index_copy", lambda a, s, dim, index: a.index_copy(dim, index, s),
           lambda t, a, s, dim, index: a.index_copy(dim, t.from_numpy(index), s),
           index_list_case(distinct=True, with_source=True)),
    OpSpec("index_fill", lambda a, dim, index: a.index_fill(dim, index, -2.0),
           lambda t, a, dim, index: a.index_fill(dim, t.from_numpy(index), -2.0), index_list_case(negative=True)),
    OpSpec("masked_fill", lambda a, mask: a.masked_fill(mask, 0.5),
           lambda t, a, mask: a.masked_fill(t.from_numpy(mask), 0.5), mask_case()),
    OpSpec("masked_fill_tensor_value", lambda a, v, mask: gg.masked_fill(a, mask, v),
           lambda t, a, v, mask: t.masked_fill(a, t.from_numpy(mask), v), mask_case(with_value=True)),
    OpSpec("masked_select", lambda a, mask: a.masked_select(mask),
           lambda t, a, mask: a.masked_select(t.from_numpy(mask)), mask_case()),
    OpSpec("masked_scatter", lambda a, s, mask: a.masked_scatter(mask, s),
           lambda t, a, s, mask: a.masked_scatter(t.from_numpy(mask), s), mask_case(with_source=True)),
    OpSpec("take_along_dim", lambda a, index, dim: a.take_along_dim(index, dim),
           lambda t, a, index, dim: a.take_along_dim(t.from_numpy(index), dim), take_along_dim_case()),
    OpSpec("take", lambda a, index: a.take(index), lambda t, a, index: a.take(t.from_numpy(index)), take_case()),
    # a view of the input written into a copy of it; as_strided reads positions of the storage
    OpSpec("slice_scatter", lambda a, s, **kw: gg.slice_scatter(a, s, **kw),
           lambda t, a, s, **kw: t.slice_scatter(a, s, **kw), view_scatter_case("slice")),
    OpSpec("select_scatter", lambda a, s, **kw: a.select_scatter(s, **kw),
           lambda t, a, s, **kw: a.select_scatter(s, **kw), view_scatter_case("select")),
    OpSpec("diagonal_scatter", lambda a, s, **kw: gg.diagonal_scatter(a, s, **kw),
           lambda t, a, s, **kw: t.diagonal_scatter(a, s, **kw), view_scatter_case("diagonal")),
    OpSpec("as_strided", lambda a, size, stride, offset: a.as_strided(size, stride, offset),
           lambda t, a, size, stride, offset: a.as_strided(size, stride, offset), as_strided_case()),
    # writes at flat positions, and reductions of source slices into indexed slices
    OpSpec("put", lambda a, s, index, accumulate: a.put(index, s, accumulate),
           lambda t, a, s, index, accumulate: a.put(t.from_numpy(index), s, accumulate), put_case()),
    *(OpSpec(f"index_reduce_{reduce}", lambda a, s, dim, index, include_self, reduce=reduce: a.index_reduce(
              dim, index, s, reduce, include_self=include_self),
             lambda t, a, s, reduce=reduce, **kw: _torch_index_reduce(t, a, s, reduce, **kw), index_reduce_case())
      for reduce in ("prod", "mean", "amax", "amin")),
]

