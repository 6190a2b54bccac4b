"""Op-table rows for shape, movement and indexing (joined into ``OPS`` by op_table.py).

The movement rows are here; the gather/scatter/mask/index rows are in
``table_indexing.py`` and joined below. Every case draws odd sizes, negative
dims and, where torch allows them, 0-d tensors.
"""

from __future__ import annotations

import math
from typing import Any

import hypothesis.extra.numpy as hnp
from hypothesis import strategies as st

import glassgrad as gg
from tests.ops.op_table import OpSpec
from tests.ops.strategies import Case, array, broadcast_shapes, shapes


def _dim(ndim: int) -> st.SearchStrategy[int]:
    """A dim of an ndim-d tensor, negative ones included (0 and -1 for a 0-d tensor)."""
    n = max(ndim, 1)
    return st.integers(-n, n - 1)


@st.composite
def one_array(draw: st.DrawFn, min_dims: int = 0, max_dims: int = 3, **params: Any) -> Case:
    """One input, and each parameter drawn by ``params[name](shape)``."""
    shape = draw(shapes(min_dims=min_dims, max_dims=max_dims))
    return Case((draw(array(shape)),), {k: draw(f(shape)) for k, f in params.items()})


@st.composite
def pieces_case(draw: st.DrawFn, same_shape: bool = False, min_dims: int = 1) -> Case:
    """1-3 inputs that agree outside one dim (or in every dim), with that dim."""
    shape = draw(shapes(min_dims=min_dims))
    dim = draw(_dim(len(shape)))
    arrays = []
    for _ in range(draw(st.integers(1, 3))):
        piece = list(shape)
        if not same_shape:
            piece[dim] = draw(st.integers(1, 3))
        arrays.append(draw(array(tuple(piece))))
    return Case(tuple(arrays), {"dim": dim if not same_shape else draw(st.integers(-len(shape) - 1, len(shape)))})


@st.composite
def chunk_case(draw: st.DrawFn) -> Case:
    shape = draw(shapes(min_dims=1))
    return Case((draw(array(shape)),), {"chunks": draw(st.integers(1, 5)), "dim": draw(_dim(len(shape)))})


@st.composite
def tensor_split_case(draw: st.DrawFn) -> Case:
    shape = draw(shapes(min_dims=1))
    dim = draw(_dim(len(shape)))
    sections = draw(st.integers(1, 4) | st.lists(st.integers(0, shape[dim]), max_size=3).map(sorted))
    return Case((draw(array(shape)),), {"sections": sections, "dim": dim})


@st.composite
def narrow_case(draw: st.DrawFn) -> Case:
    shape = draw(shapes(min_dims=1))
    dim = draw(_dim(len(shape)))
    n = shape[dim]
    start = draw(st.integers(-n, n - 1))
    length = draw(st.integers(0, n - start % n))
    return Case((draw(array(shape)),), {"dim": dim, "start": start, "length": length})


def _dims_subset(shape: tuple[int, ...]) -> st.SearchStrategy[tuple[int, ...]]:
    n = len(shape)
    return st.lists(st.integers(-n, n - 1), unique_by=lambda d: d % n, min_size=1, max_size=n).map(tuple)


@st.composite
def roll_case(draw: st.DrawFn) -> Case:
    shape = draw(shapes(min_dims=1))
    if draw(st.booleans()):
        return Case((draw(array(shape)),), {"shifts": draw(st.integers(-5, 5)), "dims": None})
    dims = draw(_dims_subset(shape))
    shifts = tuple(draw(st.integers(-5, 5)) for _ in dims)
    return Case((draw(array(shape)),), {"shifts": shifts, "dims": dims})


@st.composite
def repeat_case(draw: st.DrawFn) -> Case:
    shape = draw(shapes())
    extra = draw(st.integers(0 if shape else 1, 2))  # torch wants at least one size
    return Case((draw(array(shape)),), {"sizes": tuple(draw(st.integers(1, 3)) for _ in range(len(shape) + extra))})


@st.composite
def tile_case(draw: st.DrawFn) -> Case:
    shape = draw(shapes())
    return Case((draw(array(shape)),), {"dims": tuple(draw(st.integers(1, 3)) for _ in range(draw(st.integers(1, 4))))})


@st.composite
def repeat_interleave_case(draw: st.DrawFn) -> Case:
    shape = draw(shapes())
    dim = draw(st.none() | _dim(len(shape))) if shape else None
    n = math.prod(shape) if dim is None else shape[dim]
    repeats = draw(st.integers(0, 3) | hnp.arrays("int64", (n,), elements=st.integers(0, 3)))
    return Case((draw(array(shape)),), {"repeats": repeats, "dim": dim})


@st.composite
def movedim_case(draw: st.DrawFn) -> Case:
    shape = draw(shapes(min_dims=1))
    n = len(shape)
    count = draw(st.integers(1, n))
    source = draw(st.permutations(range(n)))[:count]
    destination = draw(st.permutations(range(-n, 0)))[:count]
    return Case((draw(array(shape)),), {"source": tuple(source), "destination": tuple(destination)})


@st.composite
def unflatten_case(draw: st.DrawFn) -> Case:
    shape = draw(shapes(min_dims=1))
    dim = draw(_dim(len(shape)))
    n = shape[dim]
    sizes = draw(st.sampled_from([(n,), (1, n), (n, 1), (-1, 1), (1, -1, 1)]))
    return Case((draw(array(shape)),), {"dim": dim, "sizes": sizes})


@st.composite
def squeeze_dims_case(draw: st.DrawFn) -> Case:
    shape = draw(hnp.array_shapes(min_dims=1, max_dims=4, min_side=1, max_side=2))
    return Case((draw(array(shape)),), {"dims": draw(_dims_subset(shape))})


@st.composite
def expand_minus_one_case(draw: st.DrawFn) -> Case:
    shape = draw(shapes(max_dims=2))
    lead = tuple(draw(st.integers(1, 3)) for _ in range(draw(st.integers(0 if shape else 1, 2))))
    target = lead + tuple(-1 if n != 1 or draw(st.booleans()) else draw(st.integers(1, 3)) for n in shape)
    return Case((draw(array(shape)),), {"sizes": target})


@st.composite
def broadcast_tensors_case(draw: st.DrawFn) -> Case:
    return Case(tuple(draw(array(s)) for s in draw(broadcast_shapes(draw(st.integers(1, 3))))))


@st.composite
def meshgrid_case(draw: st.DrawFn) -> Case:
    count = draw(st.integers(1, 3))
    arrays = tuple(draw(array((draw(st.integers(1, 4)),))) for _ in range(count))
    return Case(arrays, {"indexing": draw(st.sampled_from(["ij", "xy"]))})


@st.composite
def copy_pad_case(draw: st.DrawFn) -> Case:
    """reflect / replicate / circular: the last k dims of a (k+1)-d or (k+2)-d input."""
    mode = draw(st.sampled_from(["reflect", "replicate", "circular"]))
    k = draw(st.integers(1, 2))
    shape = tuple(draw(st.integers(1, 2)) for _ in range(draw(st.integers(1, 2)))) + tuple(
        draw(st.integers(2, 4)) for _ in range(k))
    widths = []
    for i in range(k):
        n = shape[-1 - i]
        widths += [draw(st.integers(0, n - 1 if mode == "reflect" else min(n, 3))) for _ in range(2)]
    return Case((draw(array(shape)),), {"pad": tuple(widths), "mode": mode})


@st.composite
def crop_pad_case(draw: st.DrawFn) -> Case:
    """constant padding with negative widths: they crop."""
    shape = draw(shapes(min_dims=1))
    widths = []
    for n in reversed(shape[-draw(st.integers(1, len(shape))):]):
        crop = (n - 1) // 2  # at most this much from each side: something is left
        widths += [draw(st.integers(-crop, 2)), draw(st.integers(-crop, 2))]
    return Case((draw(array(shape)),), {"pad": tuple(widths), "value": draw(st.sampled_from([0.0, 2.5]))})


@st.composite
def unfold_case(draw: st.DrawFn) -> Case:
    shape = draw(shapes())
    dim = draw(_dim(len(shape)))
    n = shape[dim] if shape else 1
    return Case((draw(array(shape)),), {"dim": dim, "size": draw(st.integers(1, n)), "step": draw(st.integers(1, 3))})


@st.composite
def select_case(draw: st.DrawFn) -> Case:
    shape = draw(shapes(min_dims=1))
    dim = draw(_dim(len(shape)))
    return Case((draw(array(shape)),), {"dim": dim, "index": draw(st.integers(-shape[dim], shape[dim] - 1))})


@st.composite
def triangle_case(draw: st.DrawFn) -> Case:
    shape = draw(shapes(min_dims=2))
    return Case((draw(array(shape)),), {"diagonal": draw(st.integers(-3, 3))})


@st.composite
def diag_case(draw: st.DrawFn) -> Case:
    shape = draw(shapes(min_dims=1, max_dims=2))
    return Case((draw(array(shape)),), {"diagonal": draw(st.integers(-2, 2))})


@st.composite
def diagonal_case(draw: st.DrawFn) -> Case:
    shape = draw(shapes(min_dims=2))
    n = len(shape)
    dim1, dim2 = draw(st.permutations(range(-n, 0)))[:2]
    return Case((draw(array(shape)),), {"offset": draw(st.integers(-2, 2)), "dim1": dim1, "dim2": dim2})


@st.composite
def diag_embed_case(draw: st.DrawFn) -> Case:
    shape = draw(shapes(min_dims=1, max_dims=2))
    n = len(shape) + 1
    dim1, dim2 = draw(st.permutations(range(-n, n)).filter(lambda p: p[0] % n != p[1] % n))[:2]
    return Case((draw(array(shape)),), {"offset": draw(st.integers(-2, 2)), "dim1": dim1, "dim2": dim2})


@st.composite
def diff_case(draw: st.DrawFn) -> Case:
    """An array, n in 0..3, a dim, and maybe a prepend (second input) and an append (third)."""
    shape = draw(shapes(min_dims=1))
    dim = draw(_dim(len(shape)))
    arrays = [draw(array(shape))]
    for _ in range(draw(st.integers(0, 2))):
        piece = list(shape)
        piece[dim] = draw(st.integers(1, 2))
        arrays.append(draw(array(tuple(piece))))
    return Case(tuple(arrays), {"n": draw(st.integers(0, 3)), "dim": dim})


def _ends(xs: tuple[Any, ...]) -> tuple[Any, Any]:
    """diff's prepend and append: the second and third inputs, where present."""
    return (xs[1] if len(xs) > 1 else None), (xs[2] if len(xs) > 2 else None)


@st.composite
def rot90_case(draw: st.DrawFn) -> Case:
    shape = draw(shapes(min_dims=2))
    n = len(shape)
    dims = draw(st.permutations(range(-n, n)).filter(lambda p: p[0] % n != p[1] % n))
    return Case((draw(array(shape)),), {"k": draw(st.integers(-5, 5)), "dims": tuple(dims[:2])})


@st.composite
def block_diag_case(draw: st.DrawFn) -> Case:
    """1-3 blocks of 0, 1 or 2 dims."""
    return Case(tuple(draw(array(draw(shapes(max_dims=2)))) for _ in range(draw(st.integers(1, 3)))))


@st.composite
def split_sizes_case(draw: st.DrawFn) -> Case:
    """An array, a dim and sizes (zeros allowed) that add up to its length."""
    shape = draw(shapes(min_dims=1))
    dim = draw(_dim(len(shape)))
    cuts = sorted(draw(st.lists(st.integers(0, shape[dim]), max_size=3)))
    sizes = [b - a for a, b in zip([0, *cuts], [*cuts, shape[dim]])]
    return Case((draw(array(shape)),), {"sizes": sizes, "dim": dim})


def _as_torch(torch: Any, value: Any) -> Any:
    return torch.from_numpy(value) if hasattr(value, "dtype") and not hasattr(value, "requires_grad") else value


MOVEMENT_ROWS: list[OpSpec] = [
    OpSpec("cat", lambda *xs, dim: gg.cat(xs, dim=dim), lambda t, *xs, dim: t.cat(xs, dim=dim), pieces_case()),
    OpSpec("concat_axis_alias", lambda *xs, dim: gg.concat(list(xs), axis=dim),
           lambda t, *xs, dim: t.concat(xs, dim), pieces_case()),
    OpSpec("stack_dim", lambda *xs, dim: gg.stack(xs, dim=dim), lambda t, *xs, dim: t.stack(xs, dim=dim),
           pieces_case(same_shape=True, min_dims=0)),
    OpSpec("hstack", lambda *xs, dim: gg.hstack(xs), lambda t, *xs, dim: t.hstack(xs),
           pieces_case(same_shape=True, min_dims=0)),
    OpSpec("vstack", lambda *xs, dim: gg.vstack(xs), lambda t, *xs, dim: t.vstack(xs),
           pieces_case(same_shape=True, min_dims=0)),
    OpSpec("dstack", lambda *xs, dim: gg.dstack(xs), lambda t, *xs, dim: t.dstack(xs),
           pieces_case(same_shape=True, min_dims=0)),
    OpSpec("chunk", lambda a, chunks, dim: a.chunk(chunks, dim), lambda t, a, chunks, dim: a.chunk(chunks, dim),
           chunk_case()),
    OpSpec("tensor_split", lambda a, sections, dim: gg.tensor_split(a, sections, dim),
           lambda t, a, sections, dim: t.tensor_split(a, sections, dim), tensor_split_case()),
    OpSpec("unbind", lambda a, dim: a.unbind(dim), lambda t, a, dim: a.unbind(dim),
           one_array(1, dim=lambda s: _dim(len(s)))),
    OpSpec("narrow", lambda a, dim, start, length: a.narrow(dim, start, length),
           lambda t, a, dim, start, length: a.narrow(dim, start, length), narrow_case()),
    OpSpec("select", lambda a, dim, index: a.select(dim, index), lambda t, a, dim, index: a.select(dim, index),
           select_case()),
    OpSpec("unfold", lambda a, dim, size, step: a.unfold(dim, size, step),
           lambda t, a, dim, size, step: a.unfold(dim, size, step), unfold_case()),
    OpSpec("flip", lambda a, dims: a.flip(dims), lambda t, a, dims: a.flip(dims), one_array(1, dims=_dims_subset)),
    OpSpec("fliplr", lambda a: gg.fliplr(a), lambda t, a: t.fliplr(a), one_array(2)),
    OpSpec("flipud", lambda a: a.flipud(), lambda t, a: t.flipud(a), one_array(1)),
    OpSpec("clone", lambda a: a.clone(), lambda t, a: a.clone(), one_array(0)),
    OpSpec("roll", lambda a, shifts, dims: a.roll(shifts, dims), lambda t, a, shifts, dims: a.roll(shifts, dims),
           roll_case()),
    OpSpec("repeat", lambda a, sizes: a.repeat(*sizes), lambda t, a, sizes: a.repeat(*sizes), repeat_case()),
    OpSpec("tile", lambda a, dims: a.tile(dims), lambda t, a, dims: a.tile(dims), tile_case()),
    OpSpec("repeat_interleave", lambda a, repeats, dim: a.repeat_interleave(repeats, dim),
           lambda t, a, repeats, dim: a.repeat_interleave(_as_torch(t, repeats), dim), repeat_interleave_case()),
    OpSpec("movedim", lambda a, source, destination: a.movedim(source, destination),
           lambda t, a, source, destination: a.movedim(source, destination), movedim_case()),
    OpSpec("unflatten", lambda a, dim, sizes: a.unflatten(dim, sizes),
           lambda t, a, dim, sizes: a.unflatten(dim, sizes), unflatten_case()),
    OpSpec("flatten_dims", lambda a, start, end: a.flatten(start, end),
           lambda t, a, start, end: a.flatten(start, end),
           one_array(1, start=lambda s: st.just(-len(s)), end=lambda s: _dim(len(s)))),
    OpSpec("squeeze_dims", lambda a, dims: a.squeeze(dims), lambda t, a, dims: a.squeeze(dims), squeeze_dims_case()),
    OpSpec("expand_minus_one", lambda a, sizes: a.expand(*sizes), lambda t, a, sizes: a.expand(*sizes),
           expand_minus_one_case()),
    OpSpec("broadcast_tensors", lambda *xs: gg.broadcast_tensors(*xs), lambda t, *xs: t.broadcast_tensors(*xs),
           broadcast_tensors_case()),
    OpSpec("meshgrid", lambda *xs, indexing: gg.meshgrid(*xs, indexing=indexing),
           lambda t, *xs, indexing: t.meshgrid(*xs, indexing=indexing), meshgrid_case()),
    OpSpec("atleast_3d", lambda a: gg.atleast_3d(a), lambda t, a: t.atleast_3d(a), one_array(0)),
    OpSpec("pad_copy_modes", lambda a, pad, mode: gg.nn.functional.pad(a, pad, mode),
           lambda t, a, pad, mode: t.nn.functional.pad(a, pad, mode), copy_pad_case()),
    OpSpec("pad_negative_crops", lambda a, pad, value: gg.nn.functional.pad(a, pad, value=value),
           lambda t, a, pad, value: t.nn.functional.pad(a, pad, value=value), crop_pad_case()),
    OpSpec("tril", lambda a, diagonal: a.tril(diagonal), lambda t, a, diagonal: a.tril(diagonal), triangle_case()),
    OpSpec("triu", lambda a, diagonal: gg.triu(a, diagonal), lambda t, a, diagonal: t.triu(a, diagonal),
           triangle_case()),
    OpSpec("diag", lambda a, diagonal: a.diag(diagonal), lambda t, a, diagonal: a.diag(diagonal), diag_case()),
    OpSpec("diagonal", lambda a, offset, dim1, dim2: a.diagonal(offset, dim1, dim2),
           lambda t, a, offset, dim1, dim2: a.diagonal(offset, dim1, dim2), diagonal_case()),
    OpSpec("diag_embed", lambda a, offset, dim1, dim2: a.diag_embed(offset, dim1, dim2),
           lambda t, a, offset, dim1, dim2: t.diag_embed(a, offset, dim1, dim2), diag_embed_case()),
    # differences, quarter turns, named movements, blocks, combinatorics
    OpSpec("diff", lambda *xs, n, dim: gg.diff(xs[0], n, dim, *_ends(xs)),
           lambda t, *xs, n, dim: t.diff(xs[0], n, dim, *_ends(xs)), diff_case()),
    OpSpec("rot90", lambda a, k, dims: a.rot90(k, dims), lambda t, a, k, dims: a.rot90(k, dims), rot90_case()),
    OpSpec("adjoint", lambda a: gg.adjoint(a), lambda t, a: t.adjoint(a), one_array(2)),
    # torch's narrow_copy backward misplaces a negative start (its gradient is then wrong): start from 0 up
    OpSpec("narrow_copy", lambda a, dim, start, length: a.narrow_copy(dim, start, length),
           lambda t, a, dim, start, length: a.narrow_copy(dim, start, length),
           narrow_case().map(lambda c: Case(c.arrays, {**c.params, "start": c.params["start"] % c.arrays[0].shape[
               c.params["dim"]]}))),
    OpSpec("hsplit", lambda a, sections: gg.hsplit(a, sections), lambda t, a, sections: t.hsplit(a, sections),
           one_array(1, sections=lambda s: st.lists(st.integers(0, 4), max_size=2).map(sorted))),
    OpSpec("dsplit", lambda a, sections: a.dsplit(sections), lambda t, a, sections: a.dsplit(sections),
           one_array(3, sections=lambda s: st.sampled_from([1, [1], [0, 2]]))),
    OpSpec("diagflat", lambda a, offset: gg.diagflat(a, offset), lambda t, a, offset: t.diagflat(a, offset),
           one_array(0, offset=lambda s: st.integers(-2, 2))),
    OpSpec("block_diag", lambda *xs: gg.block_diag(*xs), lambda t, *xs: t.block_diag(*xs), block_diag_case()),
    OpSpec("combinations", lambda a, r, with_replacement: gg.combinations(a, r, with_replacement),
           lambda t, a, r, with_replacement: t.combinations(a, r, with_replacement),
           one_array(1, 1, r=lambda s: st.integers(0, 3), with_replacement=lambda s: st.booleans())),
    OpSpec("cartesian_prod", lambda *xs: gg.cartesian_prod(*xs), lambda t, *xs: t.cartesian_prod(*xs),
           st.lists(shapes(1, 1), min_size=1, max_size=3).flatmap(
               lambda ss: st.tuples(*(array(s) for s in ss))).map(Case)),
    # the *_copy forms and named splits
    OpSpec("diagonal_copy", lambda a, offset, dim1, dim2: gg.diagonal_copy(a, offset, dim1, dim2),
           lambda t, a, offset, dim1, dim2: t.diagonal_copy(a, offset, dim1, dim2), diagonal_case()),
    OpSpec("permute_copy", lambda a, axes: gg.permute_copy(a, axes), lambda t, a, axes: t.permute_copy(a, axes),
           one_array(0, axes=lambda s: st.permutations(range(len(s))).map(tuple))),
    OpSpec("split_with_sizes", lambda a, sizes, dim: a.split_with_sizes(sizes, dim),
           lambda t, a, sizes, dim: a.split_with_sizes(sizes, dim), split_sizes_case()),
    OpSpec("constant_pad_nd", lambda a, pad, value: gg.constant_pad_nd(a, pad, value),
           lambda t, a, pad, value: t.constant_pad_nd(a, pad, value), crop_pad_case()),
]

from tests.ops import table_indexing  # noqa: E402  (it imports OpSpec from op_table, as this file does)

ROWS: list[OpSpec] = MOVEMENT_ROWS + table_indexing.ROWS
